# Kezek — ru: reference

bin-error-format = БИН должен состоять из 12 цифр.
bin-error-checksum = БИН введен неверно: не сходится контрольная цифра.
kato-error-format = Код КАТО должен состоять из 9 цифр.
kato-error-no-region = Код КАТО должен начинаться с кода области.
kato-error-skipped-level = Код КАТО пропускает уровень (например, населенный пункт без района).
