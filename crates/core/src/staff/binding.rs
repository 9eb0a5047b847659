//! What each staff role is bound to, read from what an administrator typed.

use super::StaffError;
use crate::accounts::users::StaffBinding;
use crate::domain::{Bin, Kato, Role};

/// A role an administrator may give: every staff role, never a parent's (parents sign up).
pub fn staff_role(input: &str) -> Result<Role, StaffError> {
    Role::parse(input.trim())
        .filter(|r| r.is_staff())
        .ok_or(StaffError::Role)
}

/// The binding a role needs: organization staff a valid BIN, department operators a valid
/// KATO code, administrators and moderators nothing. Whatever the role does not use is dropped, so a
/// moved employee keeps no stale access.
pub fn binding_for(role: Role, org_bin: &str, kato: &str) -> Result<StaffBinding, StaffError> {
    match role {
        Role::Parent => Err(StaffError::Role),
        Role::Admin | Role::Moderator => Ok(StaffBinding::default()),
        Role::Organization => {
            if org_bin.trim().is_empty() {
                return Err(StaffError::BinRequired);
            }
            let bin = Bin::parse(org_bin).map_err(StaffError::Bin)?;
            Ok(StaffBinding {
                org_bin: Some(bin.as_str().to_owned()),
                kato: None,
            })
        }
        Role::Department => {
            if kato.trim().is_empty() {
                return Err(StaffError::KatoRequired);
            }
            let kato = Kato::parse(kato).map_err(StaffError::Kato)?;
            Ok(StaffBinding {
                org_bin: None,
                kato: Some(kato.as_str().to_owned()),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_keeps_only_its_own_binding() {
        let admin = binding_for(Role::Admin, "990140000384", "710000000").unwrap();
        assert_eq!((admin.org_bin, admin.kato), (None, None));
        let org = binding_for(Role::Organization, " 9901 4000 0384 ", "710000000").unwrap();
        assert_eq!(
            (org.org_bin.as_deref(), org.kato),
            (Some("990140000384"), None)
        );
        let dept = binding_for(Role::Department, "990140000384", " 711200000 ").unwrap();
        assert_eq!(
            (dept.org_bin, dept.kato.as_deref()),
            (None, Some("711200000"))
        );
    }

    #[test]
    fn a_missing_or_malformed_binding_is_refused() {
        assert!(matches!(
            binding_for(Role::Organization, " ", ""),
            Err(StaffError::BinRequired)
        ));
        assert!(matches!(
            binding_for(Role::Organization, "990140000385", ""),
            Err(StaffError::Bin(_))
        ));
        assert!(matches!(
            binding_for(Role::Department, "", ""),
            Err(StaffError::KatoRequired)
        ));
        assert!(matches!(
            binding_for(Role::Department, "", "7100"),
            Err(StaffError::Kato(_))
        ));
        assert!(matches!(
            binding_for(Role::Parent, "", ""),
            Err(StaffError::Role)
        ));
    }

    #[test]
    fn only_staff_roles_can_be_given() {
        assert_eq!(staff_role(" department ").unwrap(), Role::Department);
        assert!(staff_role("parent").is_err());
        assert!(staff_role("root").is_err());
    }
}
