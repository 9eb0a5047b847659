# Kezek — ru: orgs

group-kind-regular = Обычная
group-kind-correctional = Коррекционная
group-kind-sanatorium = Санаторная
ownership-state = Государственная
ownership-private = Частная
