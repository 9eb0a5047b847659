//! The waiting applications of many groups' queues in one statement, with whether each may take
//! a place of its group now, and the children who refused a vacancy.

use sqlx::{AssertSqlSafe, FromRow};

use kezek_domain::queue::Category;

use crate::{Error, Tx};

/// A group's queue as read: the organization's queue of its kind, correction type and birth
/// year, and the language its places are in.
#[derive(Debug, Clone, Copy)]
pub struct GroupQueue<'a> {
    /// Names the answer's rows.
    pub slot: usize,
    pub organization_id: i64,
    pub kind: &'a str,
    pub birth_year: i64,
    pub correction_type: Option<&'a str>,
    pub language: &'a str,
}

/// One waiting application of the `g`-th group queue.
#[derive(Debug, Clone, FromRow)]
pub struct WaitingRow {
    pub g: i64,
    pub id: i64,
    pub child_id: i64,
    #[sqlx(try_from = "String")]
    pub category: Category,
    pub queue_at: i64,
    /// 1 when language, documents, stop-list and open directions allow a place now.
    pub eligible: i64,
}

/// Groups whose queues one statement reads. Every statement lists exactly this many (padded with
/// groups of no organization), so that its text never changes and both databases plan it once.
const GROUPS_PER_READ: usize = 25;

/// The waiting applications of each of `queues`, unordered.
pub async fn waiting(
    tx: &mut Tx,
    queues: &[GroupQueue<'_>],
    now: i64,
) -> Result<Vec<WaitingRow>, Error> {
    // The wanted queues as a VALUES table joined to the organizations' preferences: one plan for
    // every read. The documents a kind needs are part of the join's condition.
    let wanted = crate::values(GROUPS_PER_READ, &[None; 6]);
    let now_bind = GROUPS_PER_READ * 6 + 1;
    let sql = format!(
        "WITH w (g, organization_id, kind, birth_year, correction_key, language)
              AS (VALUES {wanted})
         SELECT w.g, a.id, a.child_id, a.category, a.queue_at,
                CASE WHEN a.language = w.language
                      AND (a.stop_until IS NULL OR a.stop_until <= ${now_bind})
                      AND (w.kind = 'regular'
                           OR (w.kind = 'correctional' AND a.pmpk_verification = 'approved')
                           OR (w.kind = 'sanatorium' AND a.referral_verification = 'approved'))
                      AND NOT EXISTS (SELECT 1 FROM directions d WHERE d.open_child = a.child_id)
                     THEN 1 ELSE 0 END AS eligible
         FROM w CROSS JOIN application_preferences p CROSS JOIN applications a
         WHERE p.organization_id = w.organization_id AND p.kind = w.kind
           AND p.birth_year = w.birth_year
           AND COALESCE(p.correction_type, '') = w.correction_key
           AND a.id = p.application_id AND a.status = 'queued'"
    );
    let mut out = Vec::new();
    for chunk in queues.chunks(GROUPS_PER_READ) {
        let mut q = sqlx::query_as::<_, WaitingRow>(AssertSqlSafe(sql.clone()));
        for k in 0..GROUPS_PER_READ {
            q = match chunk.get(k) {
                Some(group) => q
                    .bind(group.slot as i64)
                    .bind(group.organization_id)
                    .bind(group.kind.to_owned())
                    .bind(group.birth_year)
                    .bind(group.correction_type.unwrap_or_default().to_owned())
                    .bind(group.language.to_owned()),
                // Padding: no organization has id 0.
                None => q
                    .bind(-1_i64)
                    .bind(0_i64)
                    .bind(String::new())
                    .bind(0_i64)
                    .bind(String::new())
                    .bind(String::new()),
            };
        }
        q = q.bind(now);
        out.extend(q.fetch_all(&mut **tx).await?);
    }
    Ok(out)
}

/// The (vacancy, child) pairs of refused directions to any of `vacancy_ids`.
pub async fn refused(e: &mut Tx, vacancy_ids: &[i64]) -> Result<Vec<(i64, i64)>, Error> {
    let mut out = Vec::new();
    for chunk in vacancy_ids.chunks(crate::ROWS_PER_STATEMENT) {
        let sql = format!(
            "SELECT vacancy_id, child_id FROM directions
             WHERE status = 'refused' AND vacancy_id IN ({})",
            crate::binds(1, chunk.len())
        );
        let mut q = sqlx::query_as::<_, (i64, i64)>(AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(*id);
        }
        out.extend(q.fetch_all(&mut **e).await?);
    }
    Ok(out)
}
