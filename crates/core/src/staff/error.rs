//! Why a staff-account change was refused, and the message for the administrator.

use crate::accounts::AccountError;
use crate::app::App;
use crate::domain::{BinError, KatoError};
use crate::i18n::Lang;

#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    #[error("no such staff account")]
    NotFound,
    #[error("not a staff role")]
    Role,
    #[error("organization staff need their organization's BIN")]
    BinRequired,
    #[error("invalid BIN: {0}")]
    Bin(BinError),
    #[error("department operators need the KATO code of their area")]
    KatoRequired,
    #[error("invalid KATO code: {0}")]
    Kato(KatoError),
    #[error("no organization has this BIN")]
    OrganizationUnknown,
    #[error("no unit of the classifier has this KATO code")]
    KatoUnknown,
    #[error("administrators cannot take away their own role")]
    SelfDemote,
    #[error("administrators cannot block themselves")]
    SelfBlock,
    #[error(transparent)]
    Account(AccountError),
    #[error(transparent)]
    Internal(#[from] crate::db::Error),
}

impl From<AccountError> for StaffError {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::OrganizationUnknown => StaffError::OrganizationUnknown,
            AccountError::KatoUnknown => StaffError::KatoUnknown,
            other => StaffError::Account(other),
        }
    }
}

impl StaffError {
    /// The form field the message belongs beside; `None` for a message over the whole form.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            StaffError::BinRequired | StaffError::Bin(_) | StaffError::OrganizationUnknown => {
                Some("org_bin")
            }
            StaffError::KatoRequired | StaffError::Kato(_) | StaffError::KatoUnknown => {
                Some("kato")
            }
            StaffError::Role | StaffError::SelfDemote => Some("role"),
            StaffError::Account(e) => e.field(),
            StaffError::NotFound | StaffError::SelfBlock | StaffError::Internal(_) => None,
        }
    }

    pub fn message_key(&self) -> &'static str {
        match self {
            StaffError::NotFound => "error-not-found",
            StaffError::Role => "admin-staff-error-role",
            StaffError::BinRequired => "admin-staff-error-bin-required",
            StaffError::Bin(e) => e.message_key(),
            StaffError::KatoRequired => "admin-staff-error-kato-required",
            StaffError::Kato(e) => e.message_key(),
            StaffError::OrganizationUnknown => "staff-error-org-unknown",
            StaffError::KatoUnknown => "staff-error-kato-unknown",
            StaffError::SelfDemote => "admin-staff-error-self-demote",
            StaffError::SelfBlock => "admin-staff-error-self-block",
            // The account service words its own errors, some with arguments: see `message`.
            StaffError::Account(_) | StaffError::Internal(_) => "error-internal",
        }
    }

    pub fn message(&self, app: &App, lang: Lang) -> String {
        match self {
            StaffError::Account(e) => e.message(app, lang),
            other => app.i18n.get(lang, other.message_key()),
        }
    }
}
