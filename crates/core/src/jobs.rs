//! The background work of `kezek serve`: housekeeping every ten minutes and directions every
//! minute, each running until `stop` resolves. `kezek directions run` is one round of the latter.

use std::future::Future;
use std::time::Duration;

use crate::app::App;

/// Annuls directions past their deadline, then offers every open place to the first eligible
/// child: `(annulled, issued)`. Safe beside other processes doing the same.
pub async fn directions_round(app: &App, now: i64) -> Result<(usize, usize), crate::db::Error> {
    let expired = crate::directions::expire_due(app, now).await?;
    let issued = crate::directions::allocate(app, now).await?;
    Ok((expired, issued))
}

/// Directions every minute: children leave the stop-list, claims are verified and places are
/// published between rounds, so each round may find new work.
pub async fn directions(app: App, stop: impl Future<Output = ()>) {
    every(Duration::from_secs(60), stop, || async {
        match crate::directions::expire_due(&app, app.now()).await {
            Ok(0) => {}
            Ok(n) => {
                app.public_changes.bump();
                tracing::info!(expired = n, "directions past their deadline annulled");
            }
            Err(e) => tracing::warn!(error = %e, "annulling overdue directions failed"),
        }
        match crate::directions::allocate(&app, app.now()).await {
            Ok(0) => {}
            Ok(n) => {
                app.public_changes.bump();
                tracing::info!(issued = n, "directions issued");
            }
            Err(e) => tracing::warn!(error = %e, "issuing directions failed"),
        }
    })
    .await;
}

/// Expired sessions and codes, old drafts, unattached documents, the planner's statistics, and
/// the warnings of ПМПК conclusions running out.
pub async fn housekeeping(app: App, stop: impl Future<Output = ()>) {
    every(Duration::from_secs(600), stop, || async {
        if let Err(e) = crate::accounts::housekeeping(&app).await {
            tracing::warn!(error = %e, "housekeeping failed");
        }
        if let Err(e) = crate::applications::drafts::purge_old(&app.db, app.now()).await {
            tracing::warn!(error = %e, "purging old application drafts failed");
        }
        if let Err(e) = crate::documents::purge_unattached(&app, app.now()).await {
            tracing::warn!(error = %e, "purging unattached documents failed");
        }
        if let Err(e) = app.db.refresh_statistics().await {
            tracing::warn!(error = %e, "refreshing the planner's statistics failed");
        }
        // Parents hear about a ПМПК conclusion running out while there is time to renew it.
        match crate::applications::verification::warn_expiring_pmpk(&app, app.now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(warned = n, "expiring ПМПК conclusions notified"),
            Err(e) => tracing::warn!(error = %e, "expiring ПМПК warnings failed"),
        }
    })
    .await;
}

/// Runs `round` at once and then every `period` until `stop` resolves; a round in progress is
/// finished first.
async fn every<F, Fut>(period: Duration, stop: impl Future<Output = ()>, mut round: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    tokio::pin!(stop);
    loop {
        round().await;
        tokio::select! {
            _ = &mut stop => break,
            _ = tokio::time::sleep(period) => {}
        }
    }
}
