//! A department operator's area: the KATO unit (region, city or district) they are bound to.
//! They see and change only organizations inside it; everything here answers as if an
//! organization outside did not exist, so guessed ids reveal nothing.

use std::collections::HashMap;

use super::Organization;
use super::cards::{self, CardError};
use super::rules::{self, FieldErrors};
use super::store::{self, OrganizationInput};
use super::vacancies::Actor;
use crate::accounts::users;
use crate::db::Db;
use crate::domain::Kato;

/// The message beside a KATO field that points outside the operator's area.
pub const OUTSIDE_AREA: &str = "department-error-kato-outside-area";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    kato: Kato,
}

impl Area {
    pub fn new(kato: Kato) -> Area {
        Area { kato }
    }

    /// The area of a department operator; `None` when their account names no valid unit
    /// (an operator without an area must see nothing rather than everything).
    pub async fn of_operator(db: &Db, user_id: i64) -> Result<Option<Area>, crate::db::Error> {
        let binding = users::staff_binding(db.pool(), user_id).await?;
        Ok(binding
            .kato
            .as_deref()
            .and_then(|code| Kato::parse(code).ok())
            .map(Area::new))
    }

    pub fn code(&self) -> &str {
        self.kato.as_str()
    }

    /// Every code inside the area starts with these digits.
    pub fn prefix(&self) -> &str {
        self.kato.prefix()
    }

    /// Whether a stored or typed code lies inside the area; an unreadable code never does.
    pub fn contains_code(&self, code: &str) -> bool {
        Kato::parse(code).is_ok_and(|k| self.kato.covers(&k))
    }

    pub fn contains(&self, org: &Organization) -> bool {
        self.contains_code(&org.kato)
    }

    /// The error for a typed KATO code that is well-formed but outside the area (a malformed
    /// one has its own message from the card's rules).
    pub fn typed_code_error(&self, typed: &str) -> Option<(&'static str, &'static str)> {
        match Kato::parse(typed) {
            Ok(k) if !self.kato.covers(&k) => Some(("kato", OUTSIDE_AREA)),
            _ => None,
        }
    }
}

/// An organization of the area by id; one outside it is `None`, like one that does not exist.
pub async fn organization(
    db: &Db,
    area: &Area,
    id: i64,
) -> Result<Option<Organization>, crate::db::Error> {
    Ok(store::organization(db.pool(), id)
        .await?
        .filter(|org| area.contains(org)))
}

/// One page of the area's organizations, with the free places each has published.
pub struct AreaPage {
    pub organizations: Vec<(Organization, i64)>,
    pub total: i64,
}

pub async fn organizations(
    db: &Db,
    area: &Area,
    search: Option<&str>,
    include_closed: bool,
    offset: i64,
    limit: i64,
) -> Result<AreaPage, crate::db::Error> {
    let (orgs, total) =
        store::organizations_in_area(db, area.prefix(), search, !include_closed, offset, limit)
            .await?;
    let ids: Vec<i64> = orgs.iter().map(|o| o.id).collect();
    let published = published_places(db, &ids).await?;
    let organizations = orgs
        .into_iter()
        .map(|o| {
            let places = published.get(&o.id).copied().unwrap_or(0);
            (o, places)
        })
        .collect();
    Ok(AreaPage {
        organizations,
        total,
    })
}

/// Open vacancies per organization, over all its groups.
pub async fn published_places(db: &Db, ids: &[i64]) -> Result<HashMap<i64, i64>, crate::db::Error> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sums = crate::db::orgs::groups::open_vacancies_per_organization(db.pool(), ids).await?;
    Ok(sums.into_iter().collect())
}

/// A card whose KATO code leaves the area is refused with every other mistake in it too, so
/// the operator fixes the form in one go.
async fn refuse_outside(
    db: &Db,
    area: &Area,
    input: &OrganizationInput,
    now: i64,
) -> Result<(), CardError> {
    if area.kato.covers(&input.kato) {
        return Ok(());
    }
    let known = rules::known_codes(db, now).await?;
    let mut errors: FieldErrors = rules::validate_organization(input, &known)
        .err()
        .unwrap_or_default();
    errors.push(("kato", OUTSIDE_AREA));
    Err(CardError::Invalid(errors))
}

/// Creates an organization inside the area (audited by the card service).
pub async fn create_organization(
    db: &Db,
    actor: &Actor,
    area: &Area,
    input: &OrganizationInput,
    now: i64,
) -> Result<i64, CardError> {
    refuse_outside(db, area, input, now).await?;
    cards::create_organization(db, actor, input, now).await
}

/// Saves the card of an organization of the area; it cannot be moved out of the area.
pub async fn update_organization(
    db: &Db,
    actor: &Actor,
    area: &Area,
    id: i64,
    input: &OrganizationInput,
    now: i64,
) -> Result<(), CardError> {
    if organization(db, area, id).await?.is_none() {
        return Err(CardError::NotFound);
    }
    refuse_outside(db, area, input, now).await?;
    cards::update_organization(db, actor, id, input, now).await
}

/// Closes (no longer in the bulletin) or reopens an organization of the area.
pub async fn set_organization_active(
    db: &Db,
    actor: &Actor,
    area: &Area,
    id: i64,
    active: bool,
    now: i64,
) -> Result<(), CardError> {
    if organization(db, area, id).await?.is_none() {
        return Err(CardError::NotFound);
    }
    cards::set_organization_active(db, actor, id, active, now).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(code: &str) -> Area {
        Area::new(Kato::parse(code).unwrap())
    }

    #[test]
    fn an_area_holds_its_own_units_only() {
        let astana = area("710000000");
        let district = area("711100000");
        assert!(astana.contains_code("710000000") && astana.contains_code("711100000"));
        assert!(!astana.contains_code("750000000"));
        assert!(district.contains_code("711100000") && district.contains_code("711110000"));
        assert!(!district.contains_code("711200000") && !district.contains_code("710000000"));
        assert!(
            !astana.contains_code("71"),
            "an unreadable code is never inside"
        );
        assert_eq!(district.prefix(), "7111");
    }

    #[test]
    fn typed_codes_outside_get_the_area_message() {
        let district = area("711100000");
        assert_eq!(district.typed_code_error("711100000"), None);
        assert_eq!(
            district.typed_code_error(" 751100000 "),
            Some(("kato", OUTSIDE_AREA))
        );
        assert_eq!(
            district.typed_code_error("7511"),
            None,
            "malformed: its own message"
        );
    }
}
