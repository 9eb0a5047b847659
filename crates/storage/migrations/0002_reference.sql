-- Reference data: the KATO classifier of administrative units and the small reference lists
-- (languages of instruction, correction types, privilege categories, nationalities, age groups).

-- Hierarchy from the code's digits: 2 region, 2 district, 2 rural district or town, 3 settlement.
CREATE TABLE kato (
    code TEXT PRIMARY KEY,                   -- 9 digits
    parent_code TEXT,                        -- NULL for a region or city of republican significance
    level BIGINT NOT NULL,                   -- 1 region, 2 district, 3 rural district / town, 4 settlement
    name_kk TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX kato_by_parent ON kato (parent_code);

CREATE TABLE reference_items (
    kind TEXT NOT NULL,                      -- language | correction_type | privilege_category | nationality | age_group
    code TEXT NOT NULL,
    name_kk TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    position BIGINT NOT NULL DEFAULT 0,      -- order in lists
    attribute TEXT,                          -- privilege_category: extraordinary | first_priority; age_group: "from-to" years
    active BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (kind, code)
);

-- Seed data shipped with the program. Administrators may edit it later; `kezek kato import`
-- loads (or renames) any part of the official classifier on top of it.

-- Level 1: the 17 regions and 3 cities of republican significance, named as in src/domain/region.rs.
INSERT INTO kato (code, parent_code, level, name_kk, name_ru, updated_at) VALUES
    ('710000000', NULL, 1, 'Астана', 'Астана', 0),
    ('750000000', NULL, 1, 'Алматы', 'Алматы', 0),
    ('790000000', NULL, 1, 'Шымкент', 'Шымкент', 0),
    ('100000000', NULL, 1, 'Абай облысы', 'Абайская область', 0),
    ('110000000', NULL, 1, 'Ақмола облысы', 'Акмолинская область', 0),
    ('150000000', NULL, 1, 'Ақтөбе облысы', 'Актюбинская область', 0),
    ('190000000', NULL, 1, 'Алматы облысы', 'Алматинская область', 0),
    ('230000000', NULL, 1, 'Атырау облысы', 'Атырауская область', 0),
    ('630000000', NULL, 1, 'Шығыс Қазақстан облысы', 'Восточно-Казахстанская область', 0),
    ('310000000', NULL, 1, 'Жамбыл облысы', 'Жамбылская область', 0),
    ('330000000', NULL, 1, 'Жетісу облысы', 'Жетысуская область', 0),
    ('270000000', NULL, 1, 'Батыс Қазақстан облысы', 'Западно-Казахстанская область', 0),
    ('350000000', NULL, 1, 'Қарағанды облысы', 'Карагандинская область', 0),
    ('390000000', NULL, 1, 'Қостанай облысы', 'Костанайская область', 0),
    ('430000000', NULL, 1, 'Қызылорда облысы', 'Кызылординская область', 0),
    ('470000000', NULL, 1, 'Маңғыстау облысы', 'Мангистауская область', 0),
    ('550000000', NULL, 1, 'Павлодар облысы', 'Павлодарская область', 0),
    ('590000000', NULL, 1, 'Солтүстік Қазақстан облысы', 'Северо-Казахстанская область', 0),
    ('610000000', NULL, 1, 'Түркістан облысы', 'Туркестанская область', 0),
    ('620000000', NULL, 1, 'Ұлытау облысы', 'Улытауская область', 0);

-- Level 2: the districts of the three cities. Digits 3-4 follow the official KATO (NK RK 11),
-- which codes each district body one level lower (e.g. 711210000 Есіл ауданы); these XXYY00000
-- rows are the parents such official rows attach to. Not verified against the current
-- stat.gov.kz file: Сарайшық (7116, formed in 2024) and the odd digits of Shymkent's districts
-- come from secondary sources. `kezek kato import` corrects names; a wrong code needs a new migration.
INSERT INTO kato (code, parent_code, level, name_kk, name_ru, updated_at) VALUES
    ('711100000', '710000000', 2, 'Алматы ауданы', 'район Алматы', 0),
    ('711200000', '710000000', 2, 'Есіл ауданы', 'район Есиль', 0),
    ('711300000', '710000000', 2, 'Сарыарқа ауданы', 'район Сарыарка', 0),
    ('711400000', '710000000', 2, 'Байқоңыр ауданы', 'район Байконур', 0),
    ('711500000', '710000000', 2, 'Нұра ауданы', 'район Нура', 0),
    ('711600000', '710000000', 2, 'Сарайшық ауданы', 'район Сарайшык', 0),
    ('751100000', '750000000', 2, 'Алмалы ауданы', 'Алмалинский район', 0),
    ('751200000', '750000000', 2, 'Алатау ауданы', 'Алатауский район', 0),
    ('751300000', '750000000', 2, 'Әуезов ауданы', 'Ауэзовский район', 0),
    ('751400000', '750000000', 2, 'Бостандық ауданы', 'Бостандыкский район', 0),
    ('751500000', '750000000', 2, 'Жетісу ауданы', 'Жетысуский район', 0),
    ('751700000', '750000000', 2, 'Медеу ауданы', 'Медеуский район', 0),
    ('751800000', '750000000', 2, 'Наурызбай ауданы', 'Наурызбайский район', 0),
    ('751900000', '750000000', 2, 'Түрксіб ауданы', 'Турксибский район', 0),
    ('791100000', '790000000', 2, 'Абай ауданы', 'Абайский район', 0),
    ('791300000', '790000000', 2, 'Әл-Фараби ауданы', 'Аль-Фарабийский район', 0),
    ('791500000', '790000000', 2, 'Еңбекші ауданы', 'Енбекшинский район', 0),
    ('791700000', '790000000', 2, 'Қаратау ауданы', 'Каратауский район', 0),
    ('791900000', '790000000', 2, 'Тұран ауданы', 'район Туран', 0);

INSERT INTO reference_items (kind, code, name_kk, name_ru, name_en, position, attribute) VALUES
    ('language', 'kk', 'Қазақ тілі', 'Казахский', 'Kazakh', 1, NULL),
    ('language', 'ru', 'Орыс тілі', 'Русский', 'Russian', 2, NULL),
    ('language', 'en', 'Ағылшын тілі', 'Английский', 'English', 3, NULL),
    ('language', 'uz', 'Өзбек тілі', 'Узбекский', 'Uzbek', 4, NULL),
    ('language', 'ug', 'Ұйғыр тілі', 'Уйгурский', 'Uyghur', 5, NULL),
    ('language', 'tj', 'Тәжік тілі', 'Таджикский', 'Tajik', 6, NULL);

-- The portals do not publish their list; this is the working list of the domain notes.
INSERT INTO reference_items (kind, code, name_kk, name_ru, name_en, position, attribute) VALUES
    ('correction_type', 'speech', 'Сөйлеу тілінің бұзылуы', 'Нарушения речи', 'Speech disorders', 1, NULL),
    ('correction_type', 'vision', 'Көру қабілетінің бұзылуы', 'Нарушения зрения', 'Visual impairment', 2, NULL),
    ('correction_type', 'hearing', 'Есту қабілетінің бұзылуы', 'Нарушения слуха', 'Hearing impairment', 3, NULL),
    ('correction_type', 'musculoskeletal', 'Тірек-қимыл аппаратының бұзылуы', 'Нарушения опорно-двигательного аппарата', 'Musculoskeletal disorders', 4, NULL),
    ('correction_type', 'delayed_development', 'Психикалық дамудың тежелуі', 'Задержка психического развития', 'Delayed mental development', 5, NULL),
    ('correction_type', 'intellectual', 'Зияттың бұзылуы', 'Нарушения интеллекта', 'Intellectual disability', 6, NULL),
    ('correction_type', 'autism', 'Аутистік спектрдің бұзылыстары', 'Расстройства аутистического спектра', 'Autism spectrum disorders', 7, NULL),
    ('correction_type', 'complex', 'Күрделі бұзылыстар', 'Сложные нарушения', 'Complex disorders', 8, NULL);

-- The attribute says which queue a category belongs to: extraordinary before everyone,
-- first_priority interleaved with the general queue.
INSERT INTO reference_items (kind, code, name_kk, name_ru, name_en, position, attribute) VALUES
    ('privilege_category', 'military', 'Әскери қызметшілердің балалары', 'Дети военнослужащих', 'Children of military personnel', 1, 'extraordinary'),
    ('privilege_category', 'special_state_bodies', 'Арнаулы мемлекеттік органдар қызметкерлерінің балалары', 'Дети сотрудников специальных государственных органов', 'Children of employees of special state bodies', 2, 'extraordinary'),
    ('privilege_category', 'fallen_in_service', 'Қызметтік міндеттерін атқару кезінде қаза тапқан немесе хабар-ошарсыз кеткендердің балалары', 'Дети погибших или пропавших без вести при исполнении служебных обязанностей', 'Children of those killed or missing in the line of duty', 3, 'extraordinary'),
    ('privilege_category', 'parent_disability', 'Мүгедектігі бар ата-аналардың балалары', 'Дети родителей с инвалидностью', 'Children of parents with disabilities', 4, 'first_priority'),
    ('privilege_category', 'orphan', 'Жетім балалар және ата-анасының қамқорлығынсыз қалған балалар', 'Дети-сироты и дети, оставшиеся без попечения родителей', 'Orphans and children left without parental care', 5, 'first_priority'),
    ('privilege_category', 'large_family', 'Көп балалы отбасылардың балалары', 'Дети из многодетных семей', 'Children from large families', 6, 'first_priority'),
    ('privilege_category', 'special_needs', 'Ерекше білім берілуіне қажеттілігі бар балалар', 'Дети с особыми образовательными потребностями', 'Children with special educational needs', 7, 'first_priority'),
    ('privilege_category', 'teacher', 'Педагогтердің балалары', 'Дети педагогов', 'Children of teachers', 8, 'first_priority');

INSERT INTO reference_items (kind, code, name_kk, name_ru, name_en, position, attribute) VALUES
    ('nationality', 'kazakh', 'Қазақ', 'Казах', 'Kazakh', 1, NULL),
    ('nationality', 'russian', 'Орыс', 'Русский', 'Russian', 2, NULL),
    ('nationality', 'uzbek', 'Өзбек', 'Узбек', 'Uzbek', 3, NULL),
    ('nationality', 'ukrainian', 'Украин', 'Украинец', 'Ukrainian', 4, NULL),
    ('nationality', 'uyghur', 'Ұйғыр', 'Уйгур', 'Uyghur', 5, NULL),
    ('nationality', 'tatar', 'Татар', 'Татарин', 'Tatar', 6, NULL),
    ('nationality', 'german', 'Неміс', 'Немец', 'German', 7, NULL),
    ('nationality', 'korean', 'Кәріс', 'Кореец', 'Korean', 8, NULL),
    ('nationality', 'turkish', 'Түрік', 'Турок', 'Turkish', 9, NULL),
    ('nationality', 'azerbaijani', 'Әзірбайжан', 'Азербайджанец', 'Azerbaijani', 10, NULL),
    ('nationality', 'belarusian', 'Беларусь', 'Белорус', 'Belarusian', 11, NULL),
    ('nationality', 'dungan', 'Дүнген', 'Дунганин', 'Dungan', 12, NULL),
    ('nationality', 'kurdish', 'Күрд', 'Курд', 'Kurdish', 13, NULL),
    ('nationality', 'tajik', 'Тәжік', 'Таджик', 'Tajik', 14, NULL),
    ('nationality', 'chechen', 'Шешен', 'Чеченец', 'Chechen', 15, NULL),
    ('nationality', 'kyrgyz', 'Қырғыз', 'Киргиз', 'Kyrgyz', 16, NULL),
    ('nationality', 'bashkir', 'Башқұрт', 'Башкир', 'Bashkir', 17, NULL),
    ('nationality', 'polish', 'Поляк', 'Поляк', 'Polish', 18, NULL),
    ('nationality', 'armenian', 'Армян', 'Армянин', 'Armenian', 19, NULL),
    ('nationality', 'other', 'Басқа ұлт', 'Другая национальность', 'Other', 20, NULL);

-- The attribute is the children's age in full years, "from-to".
INSERT INTO reference_items (kind, code, name_kk, name_ru, name_en, position, attribute) VALUES
    ('age_group', 'early', 'Бөбекжай тобы', 'Ясельная группа', 'Early age (nursery) group', 1, '1-2'),
    ('age_group', 'junior', 'Кіші топ', 'Младшая группа', 'Junior group', 2, '2-3'),
    ('age_group', 'middle', 'Ортаңғы топ', 'Средняя группа', 'Middle group', 3, '3-4'),
    ('age_group', 'senior', 'Ересек топ', 'Старшая группа', 'Senior group', 4, '4-5'),
    ('age_group', 'preschool', 'Мектепалды даярлық тобы', 'Предшкольная группа', 'Pre-school group', 5, '5-6');
