//! Password hashing with argon2id, on blocking threads and with bounded concurrency, so that a
//! burst of logins queues up (and is told "busy") instead of starving the whole server. Each
//! slot owns one argon2 working memory, allocated once and reused, so the hasher never holds
//! more than `slots × 19 MiB` however many threads a burst spreads over, and gives none back
//! to the allocator to fragment.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use argon2::password_hash::phc::{Output, ParamsString, Salt};
use argon2::{ARGON2ID_IDENT, Algorithm, Argon2, Block, Params, PasswordHash, Version};
use tokio::sync::Semaphore;

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("too many password checks at once")]
    Busy,
    #[error("password hashing failed: {0}")]
    Internal(String),
}

/// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
const M_COST_KIB: u32 = 19 * 1024;
const T_COST: u32 = 2;
const P_COST: u32 = 1;
const SALT_LEN: usize = 16;
const OUTPUT_LEN: usize = 32;

/// One slot's working memory: `M_COST_KIB` blocks of 1 KiB.
type Memory = Box<[Block]>;

#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    /// Working memories of the slots not in use; a slot's permit entitles it to one.
    memories: Arc<Mutex<Vec<Memory>>>,
    /// How long a request waits for a free hashing slot before it is told "busy".
    max_wait: Duration,
    /// Passwords hashed or checked so far: how tests see that a request never reached argon2.
    evaluations: Arc<AtomicU64>,
}

fn params() -> Params {
    Params::new(M_COST_KIB, T_COST, P_COST, Some(OUTPUT_LEN)).expect("valid argon2 parameters")
}

fn new_memory() -> Memory {
    vec![Block::new(); M_COST_KIB as usize].into_boxed_slice()
}

/// A hash of a password nobody knows, checked when the phone is unknown so that the answer
/// takes as long as for a real account.
fn decoy_hash(memory: &mut [Block]) -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_now(&crate::tokens::random_token(), memory).expect("hashing works"))
}

fn hash_now(password: &str, memory: &mut [Block]) -> Result<String, HashError> {
    let internal = |e: &dyn std::fmt::Display| HashError::Internal(e.to_string());
    let mut salt = [0u8; SALT_LEN];
    getrandom::fill(&mut salt).map_err(|e| internal(&e))?;
    let mut out = [0u8; OUTPUT_LEN];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params())
        .hash_password_into_with_memory(password.as_bytes(), &salt, &mut out, memory)
        .map_err(|e| internal(&e))?;
    let phc = PasswordHash {
        algorithm: ARGON2ID_IDENT,
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params()).map_err(|e| internal(&e))?,
        salt: Some(Salt::new(&salt).map_err(|e| internal(&e))?),
        hash: Some(Output::new(&out).map_err(|e| internal(&e))?),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the PHC string `hash`. A hash whose memory cost exceeds a slot's
/// memory (none made by Kezek) does not match: checking it would need memory beyond the bound.
fn verify_now(password: &str, hash: &str, memory: &mut [Block]) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (&parsed.salt, &parsed.hash) else {
        return false;
    };
    let (Ok(algorithm), Ok(params)) = (
        Algorithm::try_from(parsed.algorithm.as_str()),
        Params::try_from(&parsed),
    ) else {
        return false;
    };
    let version = parsed
        .version
        .and_then(|v| Version::try_from(v).ok())
        .unwrap_or_default();
    if params.block_count() > memory.len() {
        return false;
    }
    let mut out = vec![0u8; expected.len()];
    let computed = Argon2::new(algorithm, version, params).hash_password_into_with_memory(
        password.as_bytes(),
        salt.as_ref(),
        &mut out,
        memory,
    );
    // `Output`'s equality is constant-time.
    computed.is_ok() && Output::new(&out).is_ok_and(|out| &out == expected)
}

impl Hasher {
    /// A hasher with `slots` passwords hashed at once (at least one), holding at most
    /// `slots × 19 MiB` of working memory.
    pub fn new(slots: usize) -> Hasher {
        Hasher {
            permits: Arc::new(Semaphore::new(slots.max(1))),
            memories: Arc::new(Mutex::new(Vec::new())),
            max_wait: Duration::from_secs(5),
            evaluations: Arc::new(AtomicU64::new(0)),
        }
    }

    /// How many passwords this hasher has hashed or checked.
    pub fn evaluations(&self) -> u64 {
        self.evaluations.load(Ordering::Relaxed)
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut [Block]) -> T + Send + 'static,
    ) -> Result<T, HashError> {
        let permit = tokio::time::timeout(self.max_wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| HashError::Busy)?
            .map_err(|_| HashError::Busy)?;
        let memories = self.memories.clone();
        self.evaluations.fetch_add(1, Ordering::Relaxed);
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            // Free memories never outnumber free permits, so with a permit in hand there is
            // either one to take or fewer than `slots` made so far (one was lost to a panic).
            let taken = memories.lock().map(|mut free| free.pop()).ok().flatten();
            let mut memory = taken.unwrap_or_else(new_memory);
            let result = work(&mut memory);
            if let Ok(mut free) = memories.lock() {
                free.push(memory);
            }
            result
        })
        .await
        .map_err(|e| HashError::Internal(e.to_string()))
    }

    pub async fn hash(&self, password: &str) -> Result<String, HashError> {
        let password = password.to_owned();
        self.run(move |memory| hash_now(&password, memory)).await?
    }

    /// Checks `password` against `hash`, or against a decoy when there is no account.
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> Result<bool, HashError> {
        let password = password.to_owned();
        let hash = hash.map(str::to_owned);
        self.run(move |memory| match hash {
            Some(hash) => verify_now(&password, &hash, memory),
            None => {
                let decoy = decoy_hash(memory);
                verify_now(&password, decoy, memory);
                false
            }
        })
        .await
    }

    /// Working memories allocated so far (never more than the slots).
    #[cfg(test)]
    fn memories_made(&self) -> usize {
        self.memories.lock().map(|free| free.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::{PasswordHasher as _, PasswordVerifier as _};

    #[tokio::test]
    async fn hashes_verify_and_use_argon2id() {
        let hasher = Hasher::new(2);
        let hash = hasher.hash("correct horse battery").await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(
            hasher
                .verify("correct horse battery", Some(&hash))
                .await
                .unwrap()
        );
        assert!(
            !hasher
                .verify("wrong horse battery", Some(&hash))
                .await
                .unwrap()
        );
        assert!(!hasher.verify("anything", None).await.unwrap());
        assert!(!hasher.verify("anything", Some("not a hash")).await.unwrap());
        assert_eq!(hasher.evaluations(), 5);
    }

    #[tokio::test]
    async fn hashes_are_the_standard_phc_strings_both_ways() {
        let hasher = Hasher::new(1);
        let ours = hasher.hash("correct horse battery").await.unwrap();
        let reference = Argon2::new(Algorithm::Argon2id, Version::V0x13, params());
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            reference
                .verify_password(b"correct horse battery", &parsed)
                .is_ok()
        );
        let theirs = reference
            .hash_password(b"another phrase")
            .unwrap()
            .to_string();
        assert!(
            hasher
                .verify("another phrase", Some(&theirs))
                .await
                .unwrap()
        );
        assert!(
            !hasher
                .verify("another phrase!", Some(&theirs))
                .await
                .unwrap()
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_burst_reuses_one_memory_per_slot() {
        let hasher = Hasher::new(2);
        let burst: Vec<_> = (0..12)
            .map(|n| {
                let hasher = hasher.clone();
                tokio::spawn(async move { hasher.hash(&format!("password {n}")).await })
            })
            .collect();
        for task in burst {
            task.await.unwrap().unwrap();
        }
        assert_eq!(hasher.evaluations(), 12);
        assert!(hasher.memories_made() <= 2, "{}", hasher.memories_made());
    }

    #[tokio::test]
    async fn a_burst_beyond_the_slots_is_told_busy() {
        let hasher = Hasher {
            max_wait: Duration::from_millis(50),
            ..Hasher::new(1)
        };
        let slot = hasher.permits.clone().acquire_owned().await.unwrap();
        assert!(matches!(
            hasher.hash("some password").await,
            Err(HashError::Busy)
        ));
        drop(slot);
        assert!(hasher.hash("some password").await.is_ok());
    }
}
