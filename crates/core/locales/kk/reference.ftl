# Kezek — kk: reference

bin-error-format = БСН 12 цифрдан тұруы керек.
bin-error-checksum = БСН қате: бақылау цифры сәйкес келмейді.
kato-error-format = ӘАОЖ (КАТО) коды 9 цифрдан тұруы керек.
kato-error-no-region = ӘАОЖ (КАТО) коды облыс кодынан басталуы керек.
kato-error-skipped-level = ӘАОЖ (КАТО) коды деңгейді өткізіп жібереді (мысалы, ауданы жоқ елді мекен).

reference-kind-language = Оқыту тілдері
reference-kind-correction-type = Түзету түрлері
reference-kind-privilege-category = Жеңілдік санаттары
reference-kind-nationality = Ұлттар
reference-kind-age-group = Жас топтары
reference-error-in-use = Бұл код қолданыста, оны жоюға болмайды. Оны белсенді емес етуге болады.
reference-error-code = Код 1-ден 40-қа дейін кіші латын әрпінен, цифрдан немесе астын сызу белгісінен тұрады.
reference-error-name = Атауын үш тілде де көрсетіңіз.
reference-error-attribute = Жеңілдік санаты үшін «extraordinary» немесе «first_priority», жас тобы үшін жасты «3-4» түрінде көрсетіңіз.
reference-error-not-found = Анықтамалықта мұндай жазба жоқ.
