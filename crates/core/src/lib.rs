//! Feiyi (非遗名录) core: the district intangible-cultural-heritage register.
//!
//! This crate owns the model, the SQLite database and its migrations, search, and
//! the rules. It has no UI and no Tauri: both the desktop shell (`src-tauri`) and
//! the command line (`crates/cli`) call [`api::Registry`]. See ARCHITECTURE.md.

pub mod api;
pub mod application;
pub mod backup;
pub mod code;
pub mod db;
pub mod error;
pub mod exchange;
pub mod export;
#[doc(hidden)]
pub mod fault;
pub mod ident;
pub mod import;
pub mod lunar;
pub mod media;
pub mod model;
pub mod reference;
pub mod reminders;
pub mod report;
pub mod sample;
pub mod search;
pub mod stats;
pub mod synth;
pub mod validate;

pub use api::{system_clock, Clock, Registry};
pub use error::{Error, FieldError, Result};
