//! Applications for the municipal list (申报): export profiles as data and the pre-flight
//! check (申报体检).
//!
//! [`profile`] loads the profiles shipped in `data/profiles/` (embedded at build time) and
//! checks a user's copy before it is saved. [`preflight`] is a pure function from the
//! gathered [`ApplicationData`] and a profile to a [`PreflightReport`](crate::model::PreflightReport);
//! `api::application` gathers the data through the registry's public reads. The package
//! writer (DOCX, PDF, folders) will read the same [`ApplicationData`].

pub mod forms;
pub mod lineage_svg;
pub mod package;
pub mod preflight;
pub mod profile;

use crate::model::{Batch, ItemDetail, Lineage, MediaDetail, PlanDetail, Recognition};

/// A media file as linked to a record with one role (a file linked twice is listed twice).
#[derive(Debug, Clone)]
pub struct LinkedMedia {
    /// The media record, whole.
    pub media: MediaDetail,
    /// The link's role, e.g. 照片, 授权书.
    pub role: String,
    /// Position among the record's media of that role (1 first).
    pub ord: i64,
}

/// Everything an application is made from, read from the registry.
#[derive(Debug, Clone)]
pub struct ApplicationData {
    /// The item.
    pub item: ItemDetail,
    /// The district batch that listed it.
    pub batch: Option<Batch>,
    /// Its recognitions (representative inheritors), at every level.
    pub recognitions: Vec<Recognition>,
    /// Its lineage.
    pub lineage: Lineage,
    /// The protection plan that goes into the package: the live plan starting latest.
    pub plan: Option<PlanDetail>,
    /// Live media linked to the item, by role and then link order.
    pub media: Vec<LinkedMedia>,
    /// Live media linked to the item's batch, by role and then link order.
    pub batch_media: Vec<LinkedMedia>,
    /// The current year (from the registry's clock).
    pub this_year: i64,
}

impl ApplicationData {
    /// The item's media of one role, in link order.
    pub fn with_role<'a>(&'a self, role: &'a str) -> impl Iterator<Item = &'a LinkedMedia> + 'a {
        self.media.iter().filter(move |m| m.role == role)
    }
}
