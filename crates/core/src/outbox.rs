//! The SMS outbox: messages are inserted in the transaction that causes them and relayed to
//! the gateway by a background task with retries, so an outage loses nothing. Rows are leased
//! before sending, so two `kezek serve` processes never send the same message.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use crate::clock::Clock;
use crate::db::outbox as store;
use crate::db::{Db, Tx};
use crate::domain::Phone;
use crate::sms::{SmsError, SmsGateway, SmsMessage};
use crate::tokens::random_token;

/// A message not delivered within a day is stale (codes expire in minutes anyway).
const GIVE_UP_AFTER_SECS: i64 = 86_400;
/// Longer than a gateway request may take, so a lease never runs out mid-send.
const LEASE_SECS: i64 = 60;
const BATCH: i64 = 20;

pub async fn enqueue(
    tx: &mut Tx,
    to: &Phone,
    body: &str,
    now: i64,
) -> Result<i64, crate::db::Error> {
    store::enqueue(&mut **tx, to.as_e164(), body, now).await
}

/// Queues a message holding a one-time code; `redacted` (the same text with the code masked)
/// is all the outbox keeps of it once it is delivered, given up or its code expired.
pub async fn enqueue_redactable(
    tx: &mut Tx,
    to: &Phone,
    body: &str,
    redacted: &str,
    now: i64,
) -> Result<i64, crate::db::Error> {
    store::enqueue_redactable(&mut **tx, to.as_e164(), body, redacted, now).await
}

/// How long the outbox keeps a message, delivered or not: long enough to answer "did my SMS
/// go out?", short enough that the outbox is no archive of whom the service wrote to.
pub const KEEP_SECS: i64 = 30 * 86_400;

/// Masks the codes of messages older than a code's lifetime and deletes messages older than
/// `KEEP_SECS`; returns how many were masked and deleted.
pub async fn housekeeping(db: &Db, now: i64) -> Result<(u64, u64), crate::db::Error> {
    let masked =
        store::redact_stale(db.pool(), now - crate::domain::otp::CODE_TTL_SECS, now).await?;
    let purged = store::purge_before(db.pool(), now - KEEP_SECS).await?;
    Ok((masked, purged))
}

/// Queues many messages with multi-row statements (a batch of directions sends hundreds).
pub async fn enqueue_many(
    tx: &mut Tx,
    messages: &[(Phone, String)],
    now: i64,
) -> Result<(), crate::db::Error> {
    let messages: Vec<(&str, &str)> = messages
        .iter()
        .map(|(to, body)| (to.as_e164(), body.as_str()))
        .collect();
    store::enqueue_many(tx, &messages, now).await
}

/// Wait before the next try: 5 s, 10 s, 20 s … capped at 10 minutes.
pub fn backoff_secs(attempts: i64) -> i64 {
    (5_i64 << attempts.clamp(0, 7)).min(600)
}

pub struct Relay {
    pub db: Db,
    pub gateway: SmsGateway,
    pub clock: Arc<dyn Clock>,
    pub wakeup: Arc<Notify>,
}

impl Relay {
    /// Sends what is due; returns how many messages were delivered.
    pub async fn relay_once(&self) -> Result<usize, crate::db::Error> {
        let now = self.clock.now();
        let lease = random_token();
        store::lease_due(self.db.pool(), &lease, now + LEASE_SECS, now, BATCH).await?;
        let due = store::leased(self.db.pool(), &lease).await?;
        let mut delivered = 0;
        for msg in due {
            let outcome = self
                .gateway
                .send(&SmsMessage {
                    id: msg.id,
                    to: msg.to_phone.clone(),
                    text: msg.body.clone(),
                })
                .await;
            let now = self.clock.now();
            match outcome {
                Ok(()) => {
                    delivered += 1;
                    store::mark_sent(self.db.pool(), msg.id, &lease, now).await?;
                }
                Err(err) => {
                    let give_up = matches!(err, SmsError::Permanent(_))
                        || now - msg.created_at > GIVE_UP_AFTER_SECS;
                    tracing::warn!(outbox_id = msg.id, gateway = self.gateway.name(), error = %err, give_up, "SMS not sent");
                    store::mark_attempt_failed(
                        self.db.pool(),
                        msg.id,
                        &lease,
                        now + backoff_secs(msg.attempts),
                        err.to_string(),
                        give_up.then_some(now),
                    )
                    .await?;
                }
            }
        }
        Ok(delivered)
    }

    /// Relays until `shutdown` resolves: at once when woken by an enqueue in this process,
    /// and every two seconds for messages written by other processes or due for a retry.
    pub async fn run(self, shutdown: impl std::future::Future<Output = ()>) {
        tokio::pin!(shutdown);
        loop {
            if let Err(e) = self.relay_once().await {
                tracing::error!(error = %e, "SMS relay cannot read the outbox");
            }
            tokio::select! {
                _ = &mut shutdown => break,
                _ = self.wakeup.notified() => {}
                _ = tokio::time::sleep(Duration::from_secs(2)) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(super::backoff_secs(0), 5);
        assert_eq!(super::backoff_secs(1), 10);
        assert_eq!(super::backoff_secs(3), 40);
        assert_eq!(super::backoff_secs(50), 600);
    }
}
