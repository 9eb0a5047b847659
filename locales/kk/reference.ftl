# Kezek — kk: reference

bin-error-format = БСН 12 цифрдан тұруы керек.
bin-error-checksum = БСН қате: бақылау цифры сәйкес келмейді.
kato-error-format = ӘАОЖ (КАТО) коды 9 цифрдан тұруы керек.
kato-error-no-region = ӘАОЖ (КАТО) коды облыс кодынан басталуы керек.
kato-error-skipped-level = ӘАОЖ (КАТО) коды деңгейді өткізіп жібереді (мысалы, ауданы жоқ елді мекен).
