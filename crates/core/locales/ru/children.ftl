# Kezek — ru: children («Мои дети», в формулировках инструкции для родителя)

children-title = Мои дети
children-add = Добавить ребенка
children-none = Вы еще не добавили детей. Нажмите «Добавить ребенка», чтобы поставить ребенка в очередь.
children-details = Подробнее
children-edit = Изменить
children-back = Вернуться к списку «Мои дети»
children-new-intro = Введите ИИН ребенка и нажмите «Проверить ИИН». Система покажет сведения из государственной базы данных физических лиц.
children-check-data = Проверьте данные. Заполните поля «Пол» и «Национальность» и, если все верно, нажмите «Сохранить».
children-registry-note = ФИО, ИИН и дата рождения берутся из государственной базы данных физических лиц и не меняются.
children-label-iin = ИИН ребенка
children-label-sex = Пол
children-label-nationality = Национальность
children-nationality-none = не указана
children-required-note = Поля, помеченные звездочкой *, обязательны для заполнения.
flash-children-added = Ребенок добавлен.
flash-children-updated = Данные ребенка сохранены.
children-error-school-age = Ребенку уже исполнилось 7 лет — дети школьного возраста в очередь в детский сад не ставятся.
children-error-already-added = Этот ребенок уже есть в разделе «Мои дети».
children-error-own-iin = Это ваш собственный ИИН. Введите ИИН ребенка.
children-error-added-by-another = Этот ребенок уже добавлен другим заявителем. Если это ошибка, обратитесь в контакт-центр.
children-error-applicant = Этот ИИН принадлежит зарегистрированному заявителю, его нельзя добавить как ребенка.
children-error-sex = Выберите пол.
children-error-nationality = Выберите национальность из списка.
children-back-to-application = Вернуться к заявлению
