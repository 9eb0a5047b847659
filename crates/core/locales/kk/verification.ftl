# Kezek — kk: verification

## The operator's inbox
verification-title = Құжаттарды тексеру
verification-inbox-link = Құжаттар мен жеңілдіктерді тексеру
verification-intro = Сіздің аумағыңыздағы өтініштер бойынша ПМПК қорытындылары, фтизиатр жолдамалары және мәлімделген жеңілдіктер тексеруді күтуде. Құжаттарды ашып қарап, мақұлдаңыз немесе себебін көрсетіп қабылдамаңыз.
verification-inbox-heading = Тексеруді күтуде
verification-inbox-caption = Тексеруді күтетін өтініштер
verification-inbox-count = { $count } жазба
verification-inbox-empty = Тексеруді күтетін өтініштер жоқ.
verification-col-number = Өтініш нөмірі
verification-col-child = Бала
verification-col-birth-date = Туған күні
verification-col-kind = Топ түрі
verification-col-what = Не тексеріледі
verification-col-registered = Тіркелген күні мен уақыты
verification-col-documents = Құжаттар
verification-col-expires = Қорытындының жарамдылық мерзімі
verification-col-status = Мәртебесі
verification-what-pmpk = ПМПК қорытындысы
verification-what-referral = Фтизиатр жолдамасы
verification-what-privilege = Жеңілдік (кезектен тыс)
verification-pmpk-details = { $date } күнгі № { $number } қорытынды, { $expires } дейін жарамды
verification-privilege-category = Санаты: { $category }
verification-no-documents = Құжаттар тіркелмеген.
verification-approve = Мақұлдау
verification-reject = Қабылдамау
verification-reason-label = Бас тарту себебі
verification-reason-hint = Қабылдамаған кезде міндетті; ата-ана оны SMS арқылы алады.
verification-decide-label = № { $number } өтініш бойынша шешім: { $what }
verification-error-already-decided = Бұл тармақ бойынша шешім қабылданып қойған.
verification-error-reason-required = Бас тарту себебін көрсетіңіз.
verification-error-reason-too-long = Себеп тым ұзын: 500 таңбадан аспауы керек.

## Search
verification-search-heading = Өтінішті іздеу
verification-search-label = Өтініш нөмірі немесе баланың ЖСН-і
verification-search-button = Іздеу
verification-search-hint = Әрбір іздеу аудит журналына жазылады.
verification-search-none = Сіздің аумағыңызда мұндай өтініш жоқ.
verification-search-results = Табылған өтініштер
verification-state-pending = Тексеруді күтуде
verification-state-approved = Мақұлданды
verification-state-rejected = Қабылданбады

## Expiring ПМПК conclusions
verification-expiring-heading = ПМПК қорытындысының мерзімі аяқталуда
verification-expiring-caption = Мерзімі алдағы 30 күнде аяқталатын немесе аяқталып кеткен ПМПК қорытындылары
verification-expiring-none = Мерзімі аяқталып жатқан ПМПК қорытындылары жоқ.
verification-expired = мерзімі өтті

## After a decision
flash-verification-approved = Шешім қабылданды: мақұлданды. Ата-анаға хабарлама жіберілді.
flash-verification-rejected = Шешім қабылданды: қабылданбады. Ата-анаға себебі көрсетілген хабарлама жіберілді.
flash-verification-already-decided = Бұл тармақ бойынша шешім бұрын қабылданған.

## SMS and cabinet notices to the parent
verification-sms-pmpk-approved = Kezek: № { $number } өтініш бойынша ПМПК қорытындысын білім бөлімі растады.
verification-sms-pmpk-rejected = Kezek: № { $number } өтініш бойынша ПМПК қорытындысы қабылданбады. Себебі: { $reason }
verification-sms-referral-approved = Kezek: № { $number } өтініш бойынша фтизиатр жолдамасын білім бөлімі растады.
verification-sms-referral-rejected = Kezek: № { $number } өтініш бойынша фтизиатр жолдамасы қабылданбады. Себебі: { $reason }
verification-sms-privilege-approved = Kezek: № { $number } өтініш бойынша жеңілдікті білім бөлімі растады.
verification-sms-privilege-rejected = Kezek: № { $number } өтініш бойынша жеңілдік расталмады. Себебі: { $reason }. Өтініш бұрынғы тіркелген күнімен жалпы кезекте қалады.
verification-sms-pmpk-expiring = Kezek: № { $number } өтініш бойынша ПМПК қорытындысының мерзімі { $expires } аяқталады. Қорытындыны жаңартыңыз.
