# Kezek — kk: orgs

group-kind-regular = Жалпы
group-kind-correctional = Түзету
group-kind-sanatorium = Санаторлық
ownership-state = Мемлекеттік
ownership-private = Жеке меншік

## Ұйым карточкасы мен топтарды тексеру (нысандар және CSV импорты)
org-error-name-required = Атауын көрсетіңіз.
org-error-too-long = Мәтін тым ұзын.
org-error-address-required = Мекенжайды көрсетіңіз.
org-error-email-invalid = Электрондық поштаны name@example.kz түрінде көрсетіңіз.
org-error-website-invalid = Сайт мекенжайы http:// немесе https:// деп басталуы керек.
org-error-latitude-range = Ендік −90 мен 90 аралығында болуы керек.
org-error-longitude-range = Бойлық −180 мен 180 аралығында болуы керек.
org-error-coordinates-pair = Ендікті де, бойлықты да көрсетіңіз немесе екеуін де бос қалдырыңыз.
org-error-language-unknown = Тілдерді тізімнен таңдаңыз.
group-error-name-required = Топтың атауын көрсетіңіз.
group-error-name-too-long = Топ атауы 100 таңбадан аспауы керек.
group-error-name-taken = Ұйымда осындай атауы бар топ бұрыннан бар.
group-error-birth-year-range = Туған жылы соңғы жеті жылдың ішінде болуы керек.
group-error-language-required = Оқыту тілін таңдаңыз.
group-error-language-unknown = Оқыту тілін тізімнен таңдаңыз.
group-error-correction-type-required = Түзету тобы үшін түзету түрін көрсетіңіз.
group-error-correction-type-unknown = Түзету түрін тізімнен таңдаңыз.
group-error-correction-type-not-correctional = Түзету түрі тек түзету тобына көрсетіледі.
group-error-age-group-unknown = Жас тобын тізімнен таңдаңыз.
group-error-capacity-range = Орын саны 1-ден 100-ге дейін болуы керек.
group-error-capacity-below-taken = Қазір { $taken } орын бос емес, сыйымдылық бұдан аз бола алмайды.
group-error-not-found = Топ табылмады.
group-error-not-saved = Топты сақтау мүмкін болмады. Қайталап көріңіз.
