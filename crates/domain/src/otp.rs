//! One-time SMS codes: how they are drawn and how often one may be sent.
//! Storage and delivery live elsewhere; these are the rules, testable without a clock.

use serde::{Deserialize, Serialize};

/// How long a code stays valid after it is sent.
pub const CODE_TTL_SECS: i64 = 300;
/// Wrong entries after which a code is void: with 10⁶ codes, 5 guesses succeed with p = 5·10⁻⁶.
pub const MAX_WRONG_ATTEMPTS: i64 = 5;

const CODE_SPACE: u32 = 1_000_000;
const HOUR: i64 = 3600;
const DAY: i64 = 86_400;

/// Six decimal digits from the operating system's CSPRNG, each code equally likely.
pub fn generate_code() -> String {
    // Values at or above the largest multiple of 10⁶ that fits in a u32 are redrawn:
    // reducing them modulo 10⁶ would make the low codes slightly more likely.
    let limit = u32::MAX - u32::MAX % CODE_SPACE;
    loop {
        let mut buf = [0u8; 4];
        // A machine without a working OS random source must not hand out guessable codes.
        getrandom::fill(&mut buf).expect("the operating system's random number generator failed");
        let n = u32::from_le_bytes(buf);
        if n < limit {
            return format!("{:06}", n % CODE_SPACE);
        }
    }
}

/// Why a code is not sent now, and in how many seconds asking again can succeed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum SendRefusal {
    #[error("a code was sent moments ago; retry in {retry_after_secs} s")]
    TooSoon { retry_after_secs: i64 },
    #[error("too many codes to this phone this hour; retry in {retry_after_secs} s")]
    HourlyLimit { retry_after_secs: i64 },
    #[error("too many codes to this phone today; retry in {retry_after_secs} s")]
    DailyLimit { retry_after_secs: i64 },
    #[error("too many codes from this address this hour; retry in {retry_after_secs} s")]
    IpLimit { retry_after_secs: i64 },
}

impl SendRefusal {
    pub fn message_key(&self) -> &'static str {
        match self {
            SendRefusal::TooSoon { .. } => "otp-error-too-soon",
            SendRefusal::HourlyLimit { .. } => "otp-error-hourly-limit",
            SendRefusal::DailyLimit { .. } => "otp-error-daily-limit",
            SendRefusal::IpLimit { .. } => "otp-error-ip-limit",
        }
    }

    pub fn retry_after_secs(&self) -> i64 {
        match *self {
            SendRefusal::TooSoon { retry_after_secs }
            | SendRefusal::HourlyLimit { retry_after_secs }
            | SendRefusal::DailyLimit { retry_after_secs }
            | SendRefusal::IpLimit { retry_after_secs } => retry_after_secs,
        }
    }
}

/// Limits on sending codes. SMS cost money and can be used to harass a number, so both the
/// phone and the requesting address are limited. A limit of 0 refuses every send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SendPolicy {
    pub resend_after_secs: i64,
    pub max_per_hour: usize,
    pub max_per_day: usize,
    pub max_per_ip_per_hour: usize,
}

impl Default for SendPolicy {
    fn default() -> Self {
        SendPolicy {
            resend_after_secs: 60,
            max_per_hour: 5,
            max_per_day: 10,
            max_per_ip_per_hour: 20,
        }
    }
}

/// When `max` or more of `sends` fall in the `window` seconds before `now`, the number of
/// seconds until enough of them age out that one more send fits.
fn window_wait(now: i64, sends: &[i64], window: i64, max: usize) -> Option<i64> {
    let mut recent: Vec<i64> = sends
        .iter()
        .copied()
        .filter(|&t| now - t < window)
        .collect();
    if recent.len() < max {
        return None;
    }
    if max == 0 {
        return Some(window);
    }
    recent.sort_unstable();
    // Once this one leaves the window, max - 1 remain and one more send fits.
    let must_leave = recent[recent.len() - max];
    Some((must_leave + window - now).max(1))
}

impl SendPolicy {
    /// Decides whether a code may be sent at `now`, given the unix times of earlier sends to
    /// this phone and from this address (any order; anything older than a day is ignored).
    ///
    /// When several limits apply, the one that lasts longest is reported, so that a person
    /// who waits as told is not refused again with a different reason.
    pub fn check(
        &self,
        now: i64,
        phone_sends: &[i64],
        ip_sends: &[i64],
    ) -> Result<(), SendRefusal> {
        let mut refusals = Vec::with_capacity(4);
        if let Some(wait) = window_wait(now, phone_sends, DAY, self.max_per_day) {
            refusals.push(SendRefusal::DailyLimit {
                retry_after_secs: wait,
            });
        }
        if let Some(wait) = window_wait(now, phone_sends, HOUR, self.max_per_hour) {
            refusals.push(SendRefusal::HourlyLimit {
                retry_after_secs: wait,
            });
        }
        if let Some(wait) = window_wait(now, ip_sends, HOUR, self.max_per_ip_per_hour) {
            refusals.push(SendRefusal::IpLimit {
                retry_after_secs: wait,
            });
        }
        let last = phone_sends.iter().copied().filter(|&t| now - t < DAY).max();
        if let Some(last) = last {
            let wait = last + self.resend_after_secs - now;
            if wait > 0 {
                refusals.push(SendRefusal::TooSoon {
                    retry_after_secs: wait,
                });
            }
        }
        // `max_by_key` keeps the last of equals; reversing makes the earlier, broader limit win ties.
        match refusals
            .into_iter()
            .rev()
            .max_by_key(SendRefusal::retry_after_secs)
        {
            Some(refusal) => Err(refusal),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const NOW: i64 = 1_750_000_000;

    #[test]
    fn codes_are_six_digits() {
        for _ in 0..1000 {
            let code = generate_code();
            assert_eq!(code.len(), 6);
            assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn codes_vary() {
        let codes: std::collections::HashSet<String> = (0..100).map(|_| generate_code()).collect();
        // 100 draws from 10⁶ values collide with probability about 0.5 %; 90 distinct is certain.
        assert!(codes.len() > 90);
    }

    #[test]
    fn first_send_is_allowed() {
        assert_eq!(SendPolicy::default().check(NOW, &[], &[]), Ok(()));
    }

    #[test]
    fn resend_waits_a_minute() {
        let p = SendPolicy::default();
        assert_eq!(
            p.check(NOW, &[NOW - 20], &[]),
            Err(SendRefusal::TooSoon {
                retry_after_secs: 40
            })
        );
        assert_eq!(
            p.check(NOW, &[NOW], &[]),
            Err(SendRefusal::TooSoon {
                retry_after_secs: 60
            })
        );
        assert_eq!(p.check(NOW, &[NOW - 60], &[]), Ok(()));
    }

    #[test]
    fn hourly_limit() {
        let p = SendPolicy::default();
        let sends = [NOW - 3000, NOW - 100, NOW - 2000, NOW - 1000, NOW - 3500];
        assert_eq!(
            p.check(NOW, &sends, &[]),
            Err(SendRefusal::HourlyLimit {
                retry_after_secs: 100
            })
        );
        assert_eq!(p.check(NOW + 100, &sends, &[]), Ok(()));
        // An hour and more ago no longer counts.
        let old = [NOW - 3600, NOW - 4000, NOW - 5000, NOW - 6000, NOW - 7000];
        assert_eq!(p.check(NOW, &old, &[]), Ok(()));
    }

    #[test]
    fn daily_limit() {
        let p = SendPolicy::default();
        let sends: Vec<i64> = (1..=10).map(|h| NOW - h * 7200).collect();
        // The oldest, 20 h ago, leaves the 24-h window in 4 h.
        assert_eq!(
            p.check(NOW, &sends, &[]),
            Err(SendRefusal::DailyLimit {
                retry_after_secs: 4 * 3600
            })
        );
        assert_eq!(p.check(NOW + 4 * 3600, &sends, &[]), Ok(()));
    }

    #[test]
    fn ip_limit() {
        let p = SendPolicy::default();
        let ip: Vec<i64> = (0..20).map(|i| NOW - 10 - i * 60).collect();
        let oldest = NOW - 10 - 19 * 60;
        assert_eq!(
            p.check(NOW, &[], &ip),
            Err(SendRefusal::IpLimit {
                retry_after_secs: oldest + 3600 - NOW
            })
        );
        assert_eq!(p.check(NOW, &[], &ip[..19]), Ok(()));
    }

    #[test]
    fn the_longest_wait_is_reported() {
        let p = SendPolicy::default();
        let sends: Vec<i64> = (0..10).map(|i| NOW - 10 - i * 100).collect();
        let refusal = p.check(NOW, &sends, &[]).unwrap_err();
        assert_eq!(refusal.message_key(), "otp-error-daily-limit");
        assert_eq!(refusal.retry_after_secs(), NOW - 910 + 86_400 - NOW);
    }

    #[test]
    fn sends_older_than_a_day_are_ignored() {
        let p = SendPolicy {
            resend_after_secs: 100_000,
            ..SendPolicy::default()
        };
        assert_eq!(p.check(NOW, &[NOW - 86_400], &[]), Ok(()));
    }

    #[test]
    fn zero_limit_refuses() {
        let p = SendPolicy {
            max_per_ip_per_hour: 0,
            ..SendPolicy::default()
        };
        assert_eq!(
            p.check(NOW, &[], &[]),
            Err(SendRefusal::IpLimit {
                retry_after_secs: 3600
            })
        );
    }

    #[test]
    fn message_keys() {
        let r = |k: &str| match k {
            "s" => SendRefusal::TooSoon {
                retry_after_secs: 1,
            },
            "h" => SendRefusal::HourlyLimit {
                retry_after_secs: 2,
            },
            "d" => SendRefusal::DailyLimit {
                retry_after_secs: 3,
            },
            _ => SendRefusal::IpLimit {
                retry_after_secs: 4,
            },
        };
        assert_eq!(r("s").message_key(), "otp-error-too-soon");
        assert_eq!(r("h").message_key(), "otp-error-hourly-limit");
        assert_eq!(r("d").message_key(), "otp-error-daily-limit");
        assert_eq!(r("i").message_key(), "otp-error-ip-limit");
        assert_eq!(r("i").retry_after_secs(), 4);
    }

    fn any_policy() -> impl Strategy<Value = SendPolicy> {
        (0i64..200, 1usize..8, 1usize..20, 1usize..30).prop_map(|(r, h, d, ip)| SendPolicy {
            resend_after_secs: r,
            max_per_hour: h,
            max_per_day: d,
            max_per_ip_per_hour: ip,
        })
    }

    fn any_history() -> impl Strategy<Value = Vec<i64>> {
        proptest::collection::vec(NOW - 100_000..=NOW, 0..40)
    }

    proptest! {
        #[test]
        fn waiting_as_told_permits_a_send(p in any_policy(), phone in any_history(), ip in any_history()) {
            match p.check(NOW, &phone, &ip) {
                Ok(()) => {}
                Err(refusal) => {
                    let wait = refusal.retry_after_secs();
                    prop_assert!(wait > 0);
                    prop_assert_eq!(p.check(NOW + wait, &phone, &ip), Ok(()));
                    // And not a second earlier: the reported wait is exact.
                    prop_assert!(p.check(NOW + wait - 1, &phone, &ip).is_err());
                }
            }
        }

        #[test]
        fn an_eager_client_never_exceeds_the_limits(p in any_policy(), delays in proptest::collection::vec(0i64..30, 200)) {
            let mut now = NOW;
            let mut sends: Vec<i64> = Vec::new();
            let end = NOW + 3 * DAY;
            let mut step = 0;
            while now < end {
                match p.check(now, &sends, &sends) {
                    Ok(()) => {
                        sends.push(now);
                        now += delays[step % delays.len()];
                    }
                    Err(refusal) => now += refusal.retry_after_secs(),
                }
                step += 1;
            }
            let per_hour = p.max_per_hour.min(p.max_per_ip_per_hour);
            for (i, &t) in sends.iter().enumerate() {
                let in_hour = sends[i..].iter().filter(|&&u| u - t < HOUR).count();
                let in_day = sends[i..].iter().filter(|&&u| u - t < DAY).count();
                prop_assert!(in_hour <= per_hour, "{} sends in an hour from {}", in_hour, t);
                prop_assert!(in_day <= p.max_per_day, "{} sends in a day from {}", in_day, t);
            }
            for w in sends.windows(2) {
                prop_assert!(w[1] - w[0] >= p.resend_after_secs);
            }
            // The client was not starved either: at least one send per day got through.
            prop_assert!(sends.len() >= 3);
        }
    }
}
