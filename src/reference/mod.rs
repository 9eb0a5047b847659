//! Reference data: the KATO classifier and the reference lists (languages of instruction,
//! correction types, privilege categories, nationalities, age groups).
