# Kezek — en: orgs

group-kind-regular = Regular
group-kind-correctional = Correctional
group-kind-sanatorium = Sanatorium
ownership-state = State
ownership-private = Private
