//! The register's own exports (no UI, no database access): tables built by
//! [`crate::api::Registry`] and documents built by `application::forms` are written here.

pub mod doc;
pub mod docx;
pub mod pdf;
pub mod raster;
pub mod xlsx;
