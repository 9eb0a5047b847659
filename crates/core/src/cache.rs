//! Region-wide figures (the home page's, the statistics, the catalog's lists) computed at most once per period and
//! region, so that a crowd on the home page on distribution day costs the database one count a
//! minute instead of one per visitor. Each value says how old it may be; nothing personal is kept.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Values by key, each reused for `ttl` after it was computed; a zero `ttl` keeps nothing.
pub struct TtlCache<V> {
    ttl: Duration,
    entries: Mutex<HashMap<String, (Instant, V)>>,
}

impl<V: Clone> TtlCache<V> {
    pub fn new(ttl: Duration) -> TtlCache<V> {
        TtlCache {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The value kept for `key` if it is fresh, or `compute`'s (kept when it succeeds). Two
    /// visitors arriving together may both compute it: cheaper than making one wait on the other.
    pub async fn get_or_compute<E, F, Fut>(&self, key: &str, compute: F) -> Result<V, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        if !self.ttl.is_zero()
            && let Some(value) = self.fresh(key)
        {
            return Ok(value);
        }
        let value = compute().await?;
        if !self.ttl.is_zero() {
            let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            // Keys are regions and localities: few, but never let them pile up.
            entries.retain(|_, (at, _)| now.duration_since(*at) < self.ttl);
            entries.insert(key.to_owned(), (now, value.clone()));
        }
        Ok(value)
    }

    fn fresh(&self, key: &str) -> Option<V> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, value)| value.clone())
    }
}

/// Counts the changes this process made to what the public pages show, so that a page rendered
/// before a change is never served after it (see kezek-web's public page cache). Changes made
/// by other processes are covered by that cache's short lifetime instead.
#[derive(Debug, Default)]
pub struct PublicChanges(std::sync::atomic::AtomicU64);

impl PublicChanges {
    /// Says that something public may have changed.
    pub fn bump(&self) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    /// How many changes were made so far: a page rendered at one value is stale at another.
    pub fn current(&self) -> u64 {
        self.0.load(std::sync::atomic::Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    async fn count(cache: &TtlCache<u32>, key: &str, calls: &AtomicU32) -> u32 {
        cache
            .get_or_compute(key, || async {
                Ok::<_, ()>(calls.fetch_add(1, Ordering::SeqCst) + 1)
            })
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_value_is_reused_until_it_is_too_old() {
        let cache = TtlCache::new(Duration::from_millis(200));
        let calls = AtomicU32::new(0);
        assert_eq!(count(&cache, "71", &calls).await, 1);
        assert_eq!(count(&cache, "71", &calls).await, 1);
        // Another key is another value.
        assert_eq!(count(&cache, "75", &calls).await, 2);
        tokio::time::sleep(Duration::from_millis(250)).await;
        assert_eq!(count(&cache, "71", &calls).await, 3);
    }

    #[tokio::test]
    async fn zero_keeps_nothing_and_failures_are_not_kept() {
        let cache = TtlCache::new(Duration::ZERO);
        let calls = AtomicU32::new(0);
        assert_eq!(count(&cache, "71", &calls).await, 1);
        assert_eq!(count(&cache, "71", &calls).await, 2);

        let cache: TtlCache<u32> = TtlCache::new(Duration::from_secs(60));
        let failed = cache.get_or_compute("71", || async { Err("down") }).await;
        assert_eq!(failed, Err("down"));
        assert_eq!(count(&cache, "71", &calls).await, 3);
    }
}
