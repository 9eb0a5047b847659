# Kezek — kk: orgs

group-kind-regular = Жалпы
group-kind-correctional = Түзету
group-kind-sanatorium = Санаторлық
ownership-state = Мемлекеттік
ownership-private = Жеке меншік
