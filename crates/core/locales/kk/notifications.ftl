# Kezek — kk: notifications

## The bell and the list
notifications-title = Хабарламалар
notifications-list-label = Хабарламалар тізімі
notifications-empty = Әзірге хабарламалар жоқ.
notifications-unread-summary = { $count } оқылмаған хабарлама
notifications-all-read = Барлық хабарлама оқылды.
notifications-unread-marker = Жаңа
notifications-received = Алынған уақыты
notifications-open = Ашу
notifications-mark-read = Оқылды деп белгілеу
notifications-mark-all-read = Барлығын оқылды деп белгілеу
notifications-pages = Хабарламалар беттері
notifications-page-newer = ← Жаңалары
notifications-page-older = Ескілері →

## Notices
notifications-phone-changed = Есептік жазбаңыздың телефон нөмірі { $phone } болып өзгертілді. Бұл сіз болмасаңыз, байланыс орталығына хабарласыңыз.

notifications-application-submitted = { $child } баланың № { $number } өтініші қабылданды және кезекте тұр.
