# Kezek — русский интерфейс. Кнопки и пункты меню — в формулировках инструкции для родителя.

site-name = Kezek
skip-to-content = Перейти к содержанию
nav-account = Учётная запись
nav-register = Регистрация
nav-login = Вход
nav-logout = Выйти
nav-cabinet = Личный кабинет
switcher-region = Регион
switcher-apply = Выбрать
switcher-language = Язык
footer-contact-centre = Контакт-центр

## Home
home-title = Очередь в детские сады
home-lead = Встаньте в очередь в дошкольную организацию, следите за своим номером и получайте направление — честно и прозрачно.
home-region = Регион: { $region }
home-how-title = Как это работает
home-how-1 = Зарегистрируйтесь по номеру телефона и ИИН.
home-how-2 = Добавьте ребенка в разделе «Мои дети».
home-how-3 = Подайте заявление и выберите дошкольные организации.
home-how-4 = Направление выдается автоматически в порядке очереди — мы сообщим по SMS.

## Data policy
policy-title = Политика данных пользователей
policy-p1 = Kezek обрабатывает ваши персональные данные (номер телефона, ИИН, фамилию, имя, отчество и дату рождения, данные ребенка и заявлений) только для постановки детей в очередь в дошкольные организации и выдачи направлений.
policy-p2 = Сведения о заявителе и ребенке проверяются по государственной базе данных физических лиц. В открытых списках очереди ФИО и полный ИИН не показываются.
policy-p3 = Пароль хранится только в виде необратимого хеша. SMS-коды действуют 5 минут и никому не должны сообщаться.
policy-p4 = Доступ к вашим данным имеют только вы и сотрудники, которым он нужен для работы; каждое их действие записывается в журнал.
policy-p5 = Вы можете изменить номер телефона и пароль в личном кабинете. По вопросам обращайтесь в контакт-центр.

## Registration
register-title = Регистрация
register-step-1 = Шаг 1 из 3: номер телефона
register-step-2 = Шаг 2 из 3: пароль
register-step-3 = Шаг 3 из 3: данные заявителя
register-policy-before = Я ознакомлен(а) и принимаю
register-policy-link = политику данных пользователей
register-policy-after = { "" }
register-have-account = Уже зарегистрированы?
label-phone = Номер телефона
hint-phone = Например: +7 701 123 45 67
label-code = Код из SMS
label-password = Пароль
label-new-password = Новый пароль
label-password-repeat = Повторите пароль
label-current-password = Текущий пароль
hint-password = Не менее 8 символов. Лучше всего — несколько слов, которые легко запомнить.
label-applicant-iin = ИИН заявителя
label-iin = ИИН
label-full-name = ФИО
label-birth-date = Дата рождения
button-request-code = Запросить код
button-resend-code = Отправить код повторно
button-send = Отправить
button-save = Сохранить
button-check-iin = Проверить ИИН
code-sent = Если номер указан верно, код отправлен на { $phone }. Он действует 5 минут.

## Login
login-title = Вход
button-login = Войти в систему
link-forgot-password = Забыли пароль?
login-no-account = Еще нет учетной записи?
forgot-title = Восстановление пароля
forgot-intro = Введите номер телефона, указанный при регистрации. Мы отправим на него код.
reset-code-sent-to = Номер телефона: { $phone }

## Cabinet
cabinet-title = Личный кабинет
cabinet-applicant = Данные заявителя
cabinet-settings = Настройки
cabinet-password-title = Изменить пароль
cabinet-phone-title = Изменить номер телефона
cabinet-phone-current = Текущий номер: { $phone }
label-new-phone = Новый номер телефона
link-back-to-cabinet = Вернуться в личный кабинет
staff-title-admin = Кабинет администратора
staff-title-department = Кабинет отдела образования
staff-title-organization = Кабинет дошкольной организации
label-role = Роль
label-org-bin = БИН организации
label-kato = Код КАТО
role-parent = Заявитель
role-admin = Администратор
role-department = Оператор отдела образования
role-organization = Сотрудник дошкольной организации
sex-male = Мужской
sex-female = Женский

## One-time messages after a redirect
flash-registered = Регистрация завершена. Войдите с номером телефона и паролем.
flash-signup-expired = Время на регистрацию истекло. Начните заново — запросите новый код.
flash-logged-out = Вы вышли из системы.
flash-password-reset = Пароль изменен. Войдите с новым паролем.
flash-password-changed = Пароль изменен.
flash-phone-changed = Номер телефона изменен.
flash-login-required = Войдите, чтобы продолжить.

## SMS texts
sms-code-register = Kezek: код для регистрации { $code }. Никому не сообщайте его.
sms-code-reset = Kezek: код для восстановления пароля { $code }. Никому не сообщайте его.
sms-code-change-phone = Kezek: код для смены номера { $code }. Никому не сообщайте его.
sms-already-registered = Kezek: этот номер уже зарегистрирован. Если вы забыли пароль, воспользуйтесь «Забыли пароль?» на странице входа.
sms-phone-in-use = Kezek: этот номер уже привязан к другой учетной записи, его нельзя указать повторно.
sms-phone-changed = Kezek: номер телефона вашей учетной записи изменен на { $phone }. Если это были не вы, обратитесь в контакт-центр.

## Errors
error-title = Ошибка
error-home = На главную
error-not-found = Страница не найдена.
error-internal = Что-то пошло не так на нашей стороне. Введенные данные сохранены на странице — попробуйте еще раз через минуту.
error-busy = Сервер сейчас перегружен. Подождите немного и нажмите кнопку еще раз.
error-csrf = Страница устарела. Вернитесь назад, обновите страницу и повторите действие.
error-policy-required = Чтобы продолжить, подтвердите, что ознакомились с политикой данных пользователей.
phone-error-invalid = Введите номер мобильного телефона Казахстана, например +7 701 123 45 67.
phone-error-taken = Этот номер уже привязан к другой учетной записи.
code-error-missing = Введите код из SMS.
code-error-wrong = Неверный код. { $attempts ->
    [one] Осталась { $attempts } попытка.
    [few] Осталось { $attempts } попытки.
   *[other] Осталось { $attempts } попыток.
}
code-error-expired = Код устарел или не запрашивался. Запросите новый код.
code-error-locked = Слишком много неверных попыток. Запросите новый код позже.
otp-error-too-soon = Новый код можно запросить через { $seconds } { $seconds ->
    [one] секунду
    [few] секунды
   *[other] секунд
}.
otp-error-hourly-limit = Превышено число SMS за час. Попробуйте через { $minutes } { $minutes ->
    [one] минуту
    [few] минуты
   *[other] минут
}.
otp-error-daily-limit = Превышено число SMS за сутки. Попробуйте через { $minutes } { $minutes ->
    [one] минуту
    [few] минуты
   *[other] минут
}.
otp-error-ip-limit = С вашего подключения запрошено слишком много кодов. Попробуйте через { $minutes } { $minutes ->
    [one] минуту
    [few] минуты
   *[other] минут
}.
password-error-too-short = Пароль должен содержать не менее 8 символов.
password-error-too-long = Пароль должен содержать не более 128 символов.
password-error-common = Этот пароль слишком распространен и легко угадывается. Придумайте другой.
password-error-mismatch = Пароли не совпадают.
password-error-current = Текущий пароль введен неверно.
iin-error-format = ИИН должен состоять из 12 цифр.
iin-error-century = ИИН введен неверно: седьмая цифра должна быть от 1 до 6.
iin-error-date = ИИН введен неверно: первые шесть цифр не образуют дату рождения.
iin-error-checksum = ИИН введен неверно: не сходится контрольная цифра. Проверьте каждую цифру.
iin-error-unknown = ИИН не найден в государственной базе данных физических лиц. Проверьте номер.
iin-error-minor = Заявителем может быть только взрослый — родитель или законный представитель.
iin-error-taken = Заявитель с этим ИИН уже зарегистрирован. Войдите или восстановите пароль.
registry-error-unavailable = База данных физических лиц сейчас недоступна. Введенные данные сохранены — повторите попытку через несколько минут.
signup-error-expired = Время на регистрацию истекло. Начните заново.
login-error-failed = Неверный номер телефона или пароль.
login-error-locked = Слишком много неудачных попыток входа. Подождите 15 минут или восстановите пароль.

staff-error-org-unknown = Организация с таким БИН не найдена. Сначала загрузите организации (kezek org import).
staff-error-kato-unknown = Такого кода КАТО нет в классификаторе.
login-error-blocked = Учетная запись заблокирована. Обратитесь к администратору.
