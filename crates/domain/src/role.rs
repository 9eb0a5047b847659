//! What an account may do. Parents are self-registered; every other role is staff,
//! created by an administrator.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Parent,
    Admin,
    /// An operator of a district or city education department.
    Department,
    /// Staff of a preschool organization.
    Organization,
    /// Moderates parents' reviews of organizations and abuse reports about them.
    Moderator,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Parent,
        Role::Admin,
        Role::Department,
        Role::Organization,
        Role::Moderator,
    ];

    /// The stored form; changing it would orphan existing accounts.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Parent => "parent",
            Role::Admin => "admin",
            Role::Department => "department",
            Role::Organization => "organization",
            Role::Moderator => "moderator",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn is_staff(self) -> bool {
        self != Role::Parent
    }

    pub fn message_key(self) -> &'static str {
        match self {
            Role::Parent => "role-parent",
            Role::Admin => "role-admin",
            Role::Department => "role-department",
            Role::Organization => "role-organization",
            Role::Moderator => "role-moderator",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            assert_eq!(
                serde_json::to_string(&role).unwrap(),
                format!("\"{}\"", role.as_str())
            );
        }
        assert_eq!(Role::parse("Admin"), None);
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn staff() {
        assert!(!Role::Parent.is_staff());
        assert!(Role::Admin.is_staff());
        assert!(Role::Department.is_staff());
        assert!(Role::Organization.is_staff());
        assert!(Role::Moderator.is_staff());
    }

    #[test]
    fn message_keys() {
        assert_eq!(Role::Parent.message_key(), "role-parent");
        assert_eq!(Role::Admin.message_key(), "role-admin");
        assert_eq!(Role::Department.message_key(), "role-department");
        assert_eq!(Role::Organization.message_key(), "role-organization");
        assert_eq!(Role::Moderator.message_key(), "role-moderator");
    }
}
