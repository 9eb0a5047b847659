# Kezek — kk: cabinets

## Free places
vacancy-error-capacity = Мұнша орын жариялауға болмайды: тағы { $free } орын бос.
vacancy-error-count = Орын санын 1-ден 50-ге дейін көрсетіңіз.
vacancy-error-enrolled = Тәрбиеленушілер саны 0-ден { $max }-ге дейін болуы керек.
vacancy-error-nobody-enrolled = Топта тәрбиеленушілер жоқ, шығуды белгілеуге болмайды.
vacancy-error-group-inactive = Топ жабық.
vacancy-error-not-open = Бұл орын жариялаудан алынған немесе бос емес.
