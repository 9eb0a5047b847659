//! Pure domain rules: identifiers, phone numbers, passwords, one-time codes, regions, roles.
//! Nothing here touches HTTP or SQL.
