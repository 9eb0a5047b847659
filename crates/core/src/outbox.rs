//! The SMS outbox: messages are inserted in the transaction that causes them and relayed to
//! the gateway by a background task with retries, so an outage loses nothing. Rows are leased
//! before sending, so two `kezek serve` processes never send the same message.

use std::sync::Arc;
use std::time::Duration;

use sqlx::FromRow;
use tokio::sync::Notify;

use crate::clock::Clock;
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
    sqlx::query_scalar(
        "INSERT INTO sms_outbox (to_phone, body, created_at, next_attempt_at) VALUES ($1, $2, $3, $3) RETURNING id",
    )
    .bind(to.as_e164())
    .bind(body)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

/// Queues many messages with multi-row statements (a batch of directions sends hundreds).
pub async fn enqueue_many(
    tx: &mut Tx,
    messages: &[(Phone, String)],
    now: i64,
) -> Result<(), crate::db::Error> {
    for chunk in messages.chunks(crate::db::ROWS_PER_STATEMENT) {
        let rows = crate::db::values(chunk.len(), &[None, None, None, None]);
        let sql = format!(
            "INSERT INTO sms_outbox (to_phone, body, created_at, next_attempt_at) VALUES {rows}"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (to, body) in chunk {
            q = q.bind(to.as_e164()).bind(body.clone()).bind(now).bind(now);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Wait before the next try: 5 s, 10 s, 20 s … capped at 10 minutes.
pub fn backoff_secs(attempts: i64) -> i64 {
    (5_i64 << attempts.clamp(0, 7)).min(600)
}

#[derive(FromRow)]
struct Pending {
    id: i64,
    to_phone: String,
    body: String,
    attempts: i64,
    created_at: i64,
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
        // The lease conditions are repeated outside the sub-select so that PostgreSQL re-checks
        // them on a row another process has just leased.
        sqlx::query(
            "UPDATE sms_outbox SET lease_until = $1, lease_token = $2
             WHERE id IN (SELECT id FROM sms_outbox
                          WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $3
                            AND (lease_until IS NULL OR lease_until < $3)
                          ORDER BY id LIMIT $4)
               AND sent_at IS NULL AND failed_at IS NULL AND (lease_until IS NULL OR lease_until < $3)",
        )
        .bind(now + LEASE_SECS)
        .bind(&lease)
        .bind(now)
        .bind(BATCH)
        .execute(self.db.pool())
        .await?;
        let due: Vec<Pending> = sqlx::query_as(
            "SELECT id, to_phone, body, attempts, created_at FROM sms_outbox WHERE lease_token = $1 ORDER BY id",
        )
        .bind(&lease)
        .fetch_all(self.db.pool())
        .await?;
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
                    sqlx::query(
                        "UPDATE sms_outbox SET sent_at = $1, attempts = attempts + 1, lease_token = NULL, lease_until = NULL
                         WHERE id = $2 AND lease_token = $3",
                    )
                    .bind(now)
                    .bind(msg.id)
                    .bind(&lease)
                    .execute(self.db.pool())
                    .await?;
                }
                Err(err) => {
                    let give_up = matches!(err, SmsError::Permanent(_))
                        || now - msg.created_at > GIVE_UP_AFTER_SECS;
                    tracing::warn!(outbox_id = msg.id, gateway = self.gateway.name(), error = %err, give_up, "SMS not sent");
                    sqlx::query(
                        "UPDATE sms_outbox SET attempts = attempts + 1, next_attempt_at = $1, last_error = $2,
                                failed_at = $3, lease_token = NULL, lease_until = NULL
                         WHERE id = $4 AND lease_token = $5",
                    )
                    .bind(now + backoff_secs(msg.attempts))
                    .bind(err.to_string())
                    .bind(give_up.then_some(now))
                    .bind(msg.id)
                    .bind(&lease)
                    .execute(self.db.pool())
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
