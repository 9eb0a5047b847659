//! Pure domain rules: identifiers, phone numbers, passwords, one-time codes, regions, roles,
//! the queue's order and the working-day calendar.
//! Nothing here touches HTTP, SQL or an async runtime: the crate has no such dependency.

pub mod application;
pub mod bin;
pub mod calendar;
pub mod code;
pub mod direction;
pub mod iin;
pub mod kato;
pub mod names;
pub mod otp;
pub mod paging;
pub mod password;
pub mod person;
pub mod phone;
pub mod queue;
pub mod reference;
pub mod region;
pub mod review;
pub mod role;
pub mod seats;
pub mod text;
pub mod time;
pub mod vacancy;

pub use bin::{Bin, BinError};
pub use code::UnknownCode;
pub use iin::{Iin, IinError, Sex};
pub use kato::{Kato, KatoError};
pub use names::Names;
pub use otp::{SendPolicy, SendRefusal};
pub use password::{PasswordError, check_new_password};
pub use person::{Person, PersonError};
pub use phone::{Phone, PhoneError};
pub use region::{REGIONS, Region};
pub use role::Role;
