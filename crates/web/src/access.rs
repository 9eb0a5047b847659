//! Who is asking, as extractors: a handler names whom it serves in its arguments, and anyone else
//! is refused before it runs — a visitor goes to "Вход", a user in another role gets 403.

use axum::extract::FromRequestParts;
use axum::http::{StatusCode, request::Parts};

use super::context::Ctx;
use super::error::PageError;
use kezek_core::accounts::{CurrentUser, users};
use kezek_core::app::App;
use kezek_core::audit::Actor;
use kezek_core::domain::Role;
use kezek_core::orgs::area::Area;
use kezek_core::orgs::{Organization, store};

/// The logged-in user acting in `role`.
fn acting(parts: &Parts, role: Role) -> Result<Actor, PageError> {
    let ctx = Ctx::of(parts)?;
    let user = ctx.user.as_ref().ok_or(PageError::LoginRequired)?;
    if user.role != role {
        return Err(PageError::Forbidden);
    }
    Ok(Actor {
        user_id: user.id,
        ip: ctx.ip.clone(),
    })
}

/// Anyone logged in, parent or staff.
pub struct SignedIn {
    pub user: CurrentUser,
    pub ip: String,
}

impl SignedIn {
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.user.id,
            ip: self.ip.clone(),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::of(parts)?;
        let user = ctx.user.clone().ok_or(PageError::LoginRequired)?;
        Ok(SignedIn {
            user,
            ip: ctx.ip.clone(),
        })
    }
}

/// A parent (staff have no children in Kezek).
pub struct Parent(pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for Parent {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        acting(parts, Role::Parent).map(Parent)
    }
}

/// An administrator.
pub struct Admin(pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for Admin {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        acting(parts, Role::Admin).map(Admin)
    }
}

/// A moderator of reviews.
pub struct Moderator(pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for Moderator {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        acting(parts, Role::Moderator).map(Moderator)
    }
}

/// An education department's operator and the area they serve; an operator bound to no area
/// is refused (403) on every page of the department's cabinet.
pub struct Operator {
    pub area: Area,
    pub actor: Actor,
}

impl FromRequestParts<App> for Operator {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let actor = acting(parts, Role::Department)?;
        match Area::of_operator(&app.db, actor.user_id).await? {
            Some(area) => Ok(Operator { area, actor }),
            None => Err(PageError::Refused(
                StatusCode::FORBIDDEN,
                "department-error-no-area",
            )),
        }
    }
}

/// A staff member of an organization, and the organization; one bound to none (or to one that
/// is gone) is refused (403) on every page of the organization's cabinet.
pub struct OrgStaff {
    pub org: Organization,
    pub actor: Actor,
}

impl FromRequestParts<App> for OrgStaff {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let actor = acting(parts, Role::Organization)?;
        let db = app.db.pool();
        let org = match users::staff_binding(db, actor.user_id).await?.org_bin {
            Some(bin) => store::organization_by_bin(db, &bin).await?,
            None => None,
        };
        match org {
            Some(org) => Ok(OrgStaff { org, actor }),
            None => Err(PageError::Refused(
                StatusCode::FORBIDDEN,
                "error-no-organization",
            )),
        }
    }
}
