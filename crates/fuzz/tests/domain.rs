//! Fuzz pass over the domain's parsers of outside input (IIN, BIN, phone, KATO, queue precedence,
//! passwords): 10⁵ generated inputs each, none may panic, and whatever is accepted is canonical.

use kezek_domain::bin::Bin;
use kezek_domain::iin::{Iin, Sex};
use kezek_domain::kato::Kato;
use kezek_domain::password::check_new_password;
use kezek_domain::phone::Phone;
use kezek_domain::queue::QueueRules;
use kezek_fuzz::{config, digits, input, mutated};
use proptest::prelude::*;

fn some_iin() -> impl Strategy<Value = String> {
    (
        1900i32..2099,
        1u32..=12,
        1u32..=28,
        any::<bool>(),
        0u16..=9999,
    )
        .prop_filter_map("a serial with a check digit", |(y, m, d, male, serial)| {
            let day = chrono::NaiveDate::from_ymd_opt(y, m, d)?;
            let sex = if male { Sex::Male } else { Sex::Female };
            Iin::generate(day, sex, serial).map(|iin| iin.as_str().to_owned())
        })
}

fn iin_input() -> impl Strategy<Value = String> {
    prop_oneof![input(), some_iin().prop_flat_map(mutated)]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn fuzz_iin(text in iin_input()) {
        if let Ok(iin) = Iin::parse(&text) {
            prop_assert_eq!(iin.as_str().len(), 12);
            prop_assert!(iin.as_str().bytes().all(|b| b.is_ascii_digit()));
            prop_assert_eq!(Iin::parse(iin.as_str()), Ok(iin.clone()));
            prop_assert_eq!(iin.masked().chars().count(), 12);
        }
    }

    #[test]
    fn fuzz_bin(text in prop_oneof![input(), digits(12).prop_flat_map(mutated)]) {
        if let Ok(bin) = Bin::parse(&text) {
            prop_assert_eq!(bin.as_str().len(), 12);
            prop_assert!(bin.as_str().bytes().all(|b| b.is_ascii_digit()));
            prop_assert_eq!(Bin::parse(bin.as_str()), Ok(bin.clone()));
        }
    }

    #[test]
    fn fuzz_phone(text in prop_oneof![input(), digits(10).prop_map(|d| format!("+77{d}")).prop_flat_map(mutated)]) {
        if let Ok(phone) = Phone::parse(&text) {
            let e164 = phone.as_e164();
            prop_assert!(e164.len() == 12 && e164.starts_with("+77"), "{}", e164);
            prop_assert!(e164[1..].bytes().all(|b| b.is_ascii_digit()));
            prop_assert_eq!(Phone::parse(e164), Ok(phone.clone()));
            prop_assert_eq!(Phone::parse(&phone.display()), Ok(phone.clone()));
            let _ = phone.masked();
        }
    }

    #[test]
    fn fuzz_kato(text in prop_oneof![input(), digits(9).prop_flat_map(mutated)]) {
        if let Ok(kato) = Kato::parse(&text) {
            prop_assert_eq!(kato.as_str().len(), 9);
            prop_assert_eq!(Kato::parse(kato.as_str()), Ok(kato.clone()));
            prop_assert!(kato.covers(&kato));
            prop_assert!(kato.as_str().starts_with(kato.region_code()));
            let _ = (kato.level(), kato.prefix());
            if let Some(parent) = kato.parent() {
                prop_assert!(parent.covers(&kato));
            }
        }
    }

    #[test]
    fn fuzz_queue_precedence(
        parts in prop::collection::vec(
            prop_oneof![
                Just("extraordinary".to_owned()),
                Just("first_priority".to_owned()),
                Just("general".to_owned()),
                Just(" general ".to_owned()),
                input(),
            ],
            0..5,
        )
    ) {
        let text = parts.join(",");
        if let Some(order) = QueueRules::parse_precedence(&text) {
            prop_assert!(order[0] != order[1] && order[1] != order[2] && order[0] != order[2]);
        }
    }

    #[test]
    fn fuzz_new_password(password in input(), same in any::<bool>(), other in input()) {
        let confirmation = if same { password.clone() } else { other };
        if check_new_password(&password, &confirmation).is_ok() {
            prop_assert_eq!(&password, &confirmation);
        }
    }
}
