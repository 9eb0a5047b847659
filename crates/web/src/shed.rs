//! Sheds traffic without a login before it costs the database anything: each client address
//! has a token bucket, and all addresses together a cap on requests in flight; beyond either the
//! answer is 429 with `Retry-After`. A logged-in user (a session the context verified) is never
//! counted, so a crowd or a bot never crowds out the parents who are logged in.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::net::IpAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::context::Ctx;
use crate::error::error_page;
use crate::page::Page;
use kezek_core::app::App;
use kezek_core::config::AnonymousLimits;

/// Buckets kept at most, over all shards: an address whose bucket is full again is forgotten
/// first, so this bounds memory (about 64 bytes a bucket) without favouring new addresses.
const MAX_ADDRESSES: usize = 1 << 17;
const SHARDS: usize = 64;

/// Who a bucket belongs to. IPv6 clients are counted by their /64, the block one subscriber gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Address {
    V4(u32),
    V6(u64),
    /// A test request without a peer address.
    Unknown,
}

impl Address {
    fn of(ip: &str) -> Address {
        match ip.parse::<IpAddr>() {
            Ok(IpAddr::V4(v4)) => Address::V4(v4.into()),
            Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
                Some(v4) => Address::V4(v4.into()),
                None => Address::V6((u128::from(v6) >> 64) as u64),
            },
            Err(_) => Address::Unknown,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Why a request is not answered, and when to come back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shed {
    /// This address spent its burst: back when a token has grown again.
    Address { retry_after: Duration },
    /// Too many anonymous requests are being answered at once.
    Crowd,
}

impl Shed {
    /// Whole seconds, at least one (the header takes no fractions).
    pub fn retry_after_secs(self) -> u64 {
        match self {
            Shed::Address { retry_after } => retry_after.as_secs_f64().ceil().max(1.0) as u64,
            Shed::Crowd => 1,
        }
    }
}

pub struct Shedder {
    limits: AnonymousLimits,
    shards: Box<[Mutex<HashMap<Address, Bucket>>]>,
    hasher: std::collections::hash_map::RandomState,
    in_flight: AtomicUsize,
}

/// Holds one place among the anonymous requests in flight until dropped.
pub struct InFlight<'a>(Option<&'a AtomicUsize>);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        if let Some(counter) = self.0 {
            counter.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

impl Shedder {
    pub fn new(limits: AnonymousLimits) -> Shedder {
        Shedder {
            limits,
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
            hasher: Default::default(),
            in_flight: AtomicUsize::new(0),
        }
    }

    /// Admits one anonymous request from `ip` at `now`, or says why not.
    pub fn admit(&self, ip: &str, now: Instant) -> Result<InFlight<'_>, Shed> {
        if self.limits.rate > 0 {
            self.take_token(Address::of(ip), now)?;
        }
        if self.limits.in_flight == 0 {
            return Ok(InFlight(None));
        }
        let before = self.in_flight.fetch_add(1, Ordering::AcqRel);
        let guard = InFlight(Some(&self.in_flight));
        if before >= self.limits.in_flight {
            return Err(Shed::Crowd);
        }
        Ok(guard)
    }

    fn take_token(&self, address: Address, now: Instant) -> Result<(), Shed> {
        let rate = f64::from(self.limits.rate);
        let burst = f64::from(self.limits.burst);
        let shard = &self.shards[(self.hasher.hash_one(address) as usize) % SHARDS];
        let mut buckets = shard.lock().unwrap_or_else(|e| e.into_inner());
        if !buckets.contains_key(&address) && buckets.len() >= MAX_ADDRESSES / SHARDS {
            // Forget the addresses that are back to a full bucket: they lose nothing.
            buckets.retain(|_, b| b.tokens + now.duration_since(b.at).as_secs_f64() * rate < burst);
            if buckets.len() >= MAX_ADDRESSES / SHARDS {
                tracing::warn!("too many client addresses at once: their buckets start again");
                buckets.clear();
            }
        }
        let bucket = buckets.entry(address).or_insert(Bucket {
            tokens: burst,
            at: now,
        });
        let grown = now.saturating_duration_since(bucket.at).as_secs_f64() * rate;
        bucket.tokens = (bucket.tokens + grown).min(burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Shed::Address {
                retry_after: Duration::from_secs_f64((1.0 - bucket.tokens) / rate),
            })
        }
    }
}

/// Answers a request without a login only when its address and the crowd are within limits.
pub async fn middleware(
    app: App,
    shedder: std::sync::Arc<Shedder>,
    req: Request,
    next: Next,
) -> Response {
    let Some(ctx) = req.extensions().get::<Ctx>() else {
        return next.run(req).await;
    };
    if ctx.user.is_some() {
        return next.run(req).await;
    }
    match shedder.admit(&ctx.ip, Instant::now()) {
        Ok(_place) => next.run(req).await,
        Err(shed) => {
            tracing::debug!(ip = %ctx.ip, ?shed, "anonymous request shed");
            let ctx = ctx.clone();
            let api = req.uri().path().starts_with("/api/");
            refusal(app, ctx, shed, api)
        }
    }
}

fn refusal(app: App, ctx: Ctx, shed: Shed, api: bool) -> Response {
    let mut response = if api {
        (
            StatusCode::TOO_MANY_REQUESTS,
            axum::Json(crate::api::ApiError {
                error: "too_many_requests".into(),
                message: "too many requests from this address; retry after the given seconds"
                    .into(),
            }),
        )
            .into_response()
    } else {
        let page = Page::new(app, ctx, "error-title");
        error_page(
            page,
            StatusCode::TOO_MANY_REQUESTS,
            "error-too-many-requests",
        )
    };
    response.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from(shed.retry_after_secs()),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(rate: u32, burst: u32, in_flight: usize) -> AnonymousLimits {
        AnonymousLimits {
            rate,
            burst,
            in_flight,
        }
    }

    #[test]
    fn an_address_gets_its_burst_then_waits_for_its_rate() {
        let shedder = Shedder::new(limits(10, 5, 0));
        let t0 = Instant::now();
        for _ in 0..5 {
            assert!(shedder.admit("10.0.0.1", t0).is_ok());
        }
        let Err(Shed::Address { retry_after }) = shedder.admit("10.0.0.1", t0) else {
            panic!("the sixth request at once must be shed");
        };
        assert!(retry_after <= Duration::from_millis(100), "{retry_after:?}");
        // Another address has its own bucket.
        assert!(shedder.admit("10.0.0.2", t0).is_ok());
        // A tenth of a second grows one token back, and only one.
        let later = t0 + Duration::from_millis(100);
        assert!(shedder.admit("10.0.0.1", later).is_ok());
        assert!(shedder.admit("10.0.0.1", later).is_err());
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64_block_and_mapped_v4_as_v4() {
        let shedder = Shedder::new(limits(1, 1, 0));
        let t0 = Instant::now();
        assert!(shedder.admit("2001:db8:1:2::1", t0).is_ok());
        assert!(shedder.admit("2001:db8:1:2::ffff", t0).is_err());
        assert!(shedder.admit("2001:db8:1:3::1", t0).is_ok());
        assert!(shedder.admit("192.0.2.7", t0).is_ok());
        assert!(shedder.admit("::ffff:192.0.2.7", t0).is_err());
    }

    #[test]
    fn the_crowd_cap_counts_requests_in_flight_not_requests_made() {
        let shedder = Shedder::new(limits(0, 0, 2));
        let t0 = Instant::now();
        let a = shedder.admit("10.0.0.1", t0).unwrap();
        let _b = shedder.admit("10.0.0.2", t0).unwrap();
        assert_eq!(shedder.admit("10.0.0.3", t0).err(), Some(Shed::Crowd));
        drop(a);
        assert!(shedder.admit("10.0.0.3", t0).is_ok());
    }

    #[test]
    fn the_buckets_stay_bounded_under_many_addresses() {
        let shedder = Shedder::new(limits(1, 1, 0));
        let t0 = Instant::now();
        for i in 0..(MAX_ADDRESSES as u32 * 2) {
            let ip = std::net::Ipv4Addr::from(i).to_string();
            let _ = shedder.admit(&ip, t0);
        }
        let kept: usize = shedder.shards.iter().map(|s| s.lock().unwrap().len()).sum();
        assert!(kept <= MAX_ADDRESSES, "{kept}");
    }

    #[test]
    fn off_admits_everything() {
        let shedder = Shedder::new(AnonymousLimits::OFF);
        let t0 = Instant::now();
        for _ in 0..1000 {
            assert!(shedder.admit("10.0.0.1", t0).is_ok());
        }
    }

    #[test]
    fn retry_after_is_whole_seconds_at_least_one() {
        let short = Shed::Address {
            retry_after: Duration::from_millis(20),
        };
        assert_eq!(short.retry_after_secs(), 1);
        let long = Shed::Address {
            retry_after: Duration::from_millis(2100),
        };
        assert_eq!(long.retry_after_secs(), 3);
    }
}
