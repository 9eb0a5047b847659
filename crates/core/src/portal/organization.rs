//! An organization's public page: its card, open groups, published places, how many children
//! wait for it per birth year and kind of group, and where it is.

use std::collections::BTreeSet;

use serde::Serialize;

use super::bulletin::{self, BulletinFilter, BulletinPlace};
use crate::db::Db;
use crate::orgs::{Group, GroupKind, Organization, store};
use crate::queue::{self, Partition, Scope};

/// Children waiting for the organization in one queue: those whose waiting application of this
/// kind (and correction type) and birth year lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueueSize {
    pub birth_year: i64,
    pub kind: GroupKind,
    pub correction_type: Option<String>,
    pub waiting: u64,
}

#[derive(Debug, Clone)]
pub struct OrganizationProfile {
    pub organization: Organization,
    pub locality_kk: Option<String>,
    pub locality_ru: Option<String>,
    /// Open groups, youngest first.
    pub groups: Vec<Group>,
    /// Places published and still free or offered, newest first.
    pub places: Vec<BulletinPlace>,
    /// Per birth year (youngest first), kind and correction type.
    pub queue: Vec<QueueSize>,
}

impl OrganizationProfile {
    /// The card's and the open groups' languages, sorted.
    pub fn languages(&self) -> Vec<String> {
        crate::orgs::languages_taught(
            self.organization.languages.as_deref(),
            self.groups.iter().map(|g| g.language.as_str()),
        )
    }

    pub fn locality(&self, lang: &str) -> &str {
        // A unit missing from the classifier is shown by its code.
        let name = crate::domain::Names::new(
            self.locality_kk.as_deref().unwrap_or(""),
            self.locality_ru.as_deref().unwrap_or(""),
            None,
        )
        .get(lang);
        if name.is_empty() {
            &self.organization.kato
        } else {
            name
        }
    }
}

/// At most this many places are listed on the page; the bulletin has them all.
pub const MAX_PLACES: i64 = 200;

/// The queues an organization has: those of its open groups and those its waiting applicants
/// listed it for, so a group nobody waits for shows 0 and a wish without a group still counts.
async fn partitions(
    db: &Db,
    id: i64,
    groups: &[Group],
) -> Result<Vec<Partition>, crate::db::Error> {
    let wished = crate::db::portal::figures::wished_queues(db.pool(), id).await?;
    // Youngest first, then by kind's order and correction type.
    let mut keys: BTreeSet<(std::cmp::Reverse<i64>, usize, Option<String>)> = BTreeSet::new();
    let kind_index = |code: &str| GroupKind::ALL.iter().position(|k| k.as_str() == code);
    for (kind, birth_year, correction) in wished {
        if let Some(k) = kind_index(&kind) {
            keys.insert((std::cmp::Reverse(birth_year), k, correction));
        }
    }
    for g in groups {
        if let Some(k) = kind_index(&g.kind) {
            keys.insert((
                std::cmp::Reverse(g.birth_year),
                k,
                g.correction_type.clone(),
            ));
        }
    }
    Ok(keys
        .into_iter()
        .map(|(year, k, correction_type)| Partition {
            kind: GroupKind::ALL[k],
            correction_type,
            birth_year: year.0,
            scope: Scope::Organization(id),
        })
        .collect())
}

/// The public page's content; `None` for an unknown or closed organization.
pub async fn profile(db: &Db, id: i64) -> Result<Option<OrganizationProfile>, crate::db::Error> {
    let Some(organization) = store::organization(db.pool(), id).await? else {
        return Ok(None);
    };
    if organization.active != 1 {
        return Ok(None);
    }
    let locality = crate::db::reference::kato_names(db.pool(), &organization.kato).await?;
    let groups: Vec<Group> = store::groups_of(db.pool(), id)
        .await?
        .into_iter()
        .filter(|g| g.active == 1)
        .collect();
    let region: String = organization.kato.chars().take(2).collect();
    let filter = BulletinFilter {
        organization_id: Some(id),
        ..Default::default()
    };
    let (places, _) = bulletin::places(db, &region, &filter, 0, MAX_PLACES).await?;
    let mut queue = Vec::new();
    for partition in partitions(db, id, &groups).await? {
        let counts = queue::counts(db.pool(), &partition).await?;
        queue.push(QueueSize {
            birth_year: partition.birth_year,
            kind: partition.kind,
            correction_type: partition.correction_type,
            waiting: counts.extraordinary + counts.first_priority + counts.general,
        });
    }
    let (locality_kk, locality_ru) = locality.unzip();
    Ok(Some(OrganizationProfile {
        organization,
        locality_kk,
        locality_ru,
        groups,
        places,
        queue,
    }))
}
