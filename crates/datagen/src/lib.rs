//! Data for trying and measuring Kezek, never for running it: a generated region (`generate`,
//! for the benchmarks, the load drills and the tests) and the demo installation (`demo`, for
//! `kezek serve --demo`). Production builds of `kezek` leave this crate out.

pub mod demo;
mod region;

pub use region::*;
