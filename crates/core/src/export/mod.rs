//! The register's own exports (no UI, no database access): tables built by
//! [`crate::api::Registry`] are written here.

pub mod xlsx;
