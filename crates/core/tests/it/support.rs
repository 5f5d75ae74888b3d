//! Shared fixtures: a fixed clock and fresh registries.

use chrono::{TimeZone, Utc};
use feiyi_core::model::{ItemInput, RegistryKind};
use feiyi_core::{Clock, Registry};
use std::sync::Arc;

/// A clock stopped at 2026-11-28 09:00 UTC.
pub fn clock() -> Clock {
    Arc::new(|| Utc.with_ymd_and_hms(2026, 11, 28, 9, 0, 0).unwrap())
}

/// A fresh real registry in memory.
pub fn real() -> Registry {
    Registry::in_memory(RegistryKind::Real, clock()).unwrap()
}

/// A fresh sample registry in memory.
pub fn sample() -> Registry {
    Registry::in_memory(RegistryKind::Sample, clock()).unwrap()
}

/// The id of the sixth batch.
pub fn sixth(reg: &Registry) -> String {
    reg.batch_list(false)
        .unwrap()
        .into_iter()
        .find(|b| b.number == 6)
        .unwrap()
        .id
}

/// A minimal item of a category in a batch.
pub fn item(name: &str, category: &str, batch: Option<String>) -> ItemInput {
    ItemInput {
        name: name.into(),
        category: category.into(),
        batch_id: batch,
        ..Default::default()
    }
}
