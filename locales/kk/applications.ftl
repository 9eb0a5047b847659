# Kezek — kk: applications

application-status-queued = Кезекте
application-status-direction-issued = Жолдама берілді
application-status-signed = Қабылданды (қол қойылған)
application-status-deleted = Жойылды
application-error-no-organization = Кемінде бір мектепке дейінгі ұйымды таңдаңыз.
application-error-too-many-organizations = { $max } ұйымнан артық таңдауға болмайды.
application-error-repeated-organization = Ұйым екі рет көрсетілген.

application-error-invalid = Төменде белгіленген өрістерді тексеріңіз.
application-error-active-exists = Баланың осы түрдегі қолданыстағы өтініші бар.
application-error-cannot-delete = Қол қойылған өтінішті жоюға болмайды: бала мектепке дейінгі ұйымға қабылданған.
application-error-child = «Менің балаларым» тізімінен баланы таңдаңыз.
application-error-child-school-age = Балаға 7 жас толған: мектепке дейінгі ұйымға өтініш беруге болмайды.
application-error-pmpk-number = ПМПК қорытындысының нөмірін көрсетіңіз.
application-error-pmpk-date = ПМПК қорытындысының күнін көрсетіңіз (бүгіннен кешіктірмей).
application-error-pmpk-expired = ПМПК қорытындысының мерзімі өткен немесе көрсетілмеген.
application-error-pmpk-document = ПМПК қорытындысын тіркеңіз (PDF, JPEG немесе PNG).
application-error-referral-document = Фтизиатрдың жолдамасын тіркеңіз (PDF, JPEG немесе PNG).
application-error-locality = Таңдалған өңірдің елді мекенін таңдаңыз.
application-error-organization-unsuitable = Ұсынылған тізімнен ұйымдарды таңдаңыз: оларда бала туған жылға қажетті түрдегі топтар бар.
application-error-privilege-category = Кезектен тыс санатты тізімнен таңдаңыз.
application-error-privilege-documents = Санатты растайтын құжаттарды тіркеңіз.
application-error-consent = Мәліметтерді пайдалануға келісіміңізді растаңыз.
