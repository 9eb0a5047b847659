//! Staff accounts as the administrators list them: the user, their binding and the names of
//! the organization or area it names. Their changes are in `accounts::users`.

use sqlx::{AssertSqlSafe, FromRow};

use kezek_domain::Role;

use crate::{Error, Executor};

/// A staff account as stored; an unknown role is a decode error.
#[derive(Debug, Clone, FromRow)]
pub struct StaffRow {
    pub id: i64,
    pub phone: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub org_bin: Option<String>,
    pub kato: Option<String>,
    pub org_name_kk: Option<String>,
    pub org_name_ru: Option<String>,
    pub kato_name_kk: Option<String>,
    pub kato_name_ru: Option<String>,
    pub blocked_at: Option<i64>,
}

const STAFF_QUERY: &str = "SELECT u.id, u.phone, u.role, s.org_bin, s.kato,
        o.name_kk AS org_name_kk, o.name_ru AS org_name_ru,
        k.name_kk AS kato_name_kk, k.name_ru AS kato_name_ru, u.blocked_at
    FROM users u
    LEFT JOIN staff s ON s.user_id = u.id
    LEFT JOIN organizations o ON o.bin = s.org_bin
    LEFT JOIN kato k ON k.code = s.kato
    WHERE u.role <> 'parent'";

/// Staff accounts in the order they were created.
pub async fn list(e: impl Executor<'_>, offset: i64, limit: i64) -> Result<Vec<StaffRow>, Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "{STAFF_QUERY} ORDER BY u.id LIMIT $1 OFFSET $2"
    )))
    .bind(limit)
    .bind(offset)
    .fetch_all(e)
    .await
}

/// A staff account; `None` for a parent or an unknown id.
pub async fn member(e: impl Executor<'_>, id: i64) -> Result<Option<StaffRow>, Error> {
    sqlx::query_as(AssertSqlSafe(format!("{STAFF_QUERY} AND u.id = $1")))
        .bind(id)
        .fetch_optional(e)
        .await
}
