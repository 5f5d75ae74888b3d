//! The TypeScript bindings in `ui/src/bindings/` match the Rust types.
//! Run with `UPDATE_SNAPSHOTS=1` to regenerate them.

use feiyi_core::error::FieldError;
use feiyi_core::model::*;
use std::path::Path;
use ts_rs::{Config, TS};

#[test]
fn typescript_bindings_are_fresh() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = Config::new()
        .with_large_int("number")
        .with_out_dir(tmp.path());
    RegistryInfo::export_all(&cfg).unwrap();
    ReferenceData::export_all(&cfg).unwrap();
    Batch::export_all(&cfg).unwrap();
    BatchInput::export_all(&cfg).unwrap();
    ItemInput::export_all(&cfg).unwrap();
    ItemDetail::export_all(&cfg).unwrap();
    ItemPage::export_all(&cfg).unwrap();
    ItemQuery::export_all(&cfg).unwrap();
    SearchHit::export_all(&cfg).unwrap();
    EditLogEntry::export_all(&cfg).unwrap();
    FieldError::export_all(&cfg).unwrap();
    RecycleEntry::export_all(&cfg).unwrap();
    SearchGroup::export_all(&cfg).unwrap();
    InheritorInput::export_all(&cfg).unwrap();
    InheritorPage::export_all(&cfg).unwrap();
    InheritorQuery::export_all(&cfg).unwrap();
    InheritorDetail::export_all(&cfg).unwrap();
    RecognitionInput::export_all(&cfg).unwrap();
    RecognitionEventInput::export_all(&cfg).unwrap();
    Lineage::export_all(&cfg).unwrap();
    UnitInput::export_all(&cfg).unwrap();
    UnitRow::export_all(&cfg).unwrap();
    UnitQuery::export_all(&cfg).unwrap();
    UnitPage::export_all(&cfg).unwrap();
    UnitDetail::export_all(&cfg).unwrap();
    PlanInput::export_all(&cfg).unwrap();
    PlanRow::export_all(&cfg).unwrap();
    PlanQuery::export_all(&cfg).unwrap();
    PlanPage::export_all(&cfg).unwrap();
    PlanDetail::export_all(&cfg).unwrap();
    Expenditure::export_all(&cfg).unwrap();
    ActivityInput::export_all(&cfg).unwrap();
    ActivityQuery::export_all(&cfg).unwrap();
    ActivityPage::export_all(&cfg).unwrap();
    ActivityDetail::export_all(&cfg).unwrap();
    FeiyiMonthInfo::export_all(&cfg).unwrap();
    MediaLinkTarget::export_all(&cfg).unwrap();
    MediaImportEvent::export_all(&cfg).unwrap();
    MediaTechnical::export_all(&cfg).unwrap();
    MediaBatchEdit::export_all(&cfg).unwrap();
    MediaBatchResult::export_all(&cfg).unwrap();
    FixityStatus::export_all(&cfg).unwrap();
    MediaImportReport::export_all(&cfg).unwrap();
    MediaQuery::export_all(&cfg).unwrap();
    MediaPage::export_all(&cfg).unwrap();
    MediaDescription::export_all(&cfg).unwrap();
    MediaDetail::export_all(&cfg).unwrap();
    FixityReport::export_all(&cfg).unwrap();
    RelinkReport::export_all(&cfg).unwrap();
    ExportProfile::export_all(&cfg).unwrap();
    BackupStatus::export_all(&cfg).unwrap();
    RestoreResult::export_all(&cfg).unwrap();
    ListImportRequest::export_all(&cfg).unwrap();
    ListImportReport::export_all(&cfg).unwrap();
    ImportRun::export_all(&cfg).unwrap();
    ExchangeExportRequest::export_all(&cfg).unwrap();
    ExchangeSummary::export_all(&cfg).unwrap();
    ExchangePreview::export_all(&cfg).unwrap();
    ConflictChoice::export_all(&cfg).unwrap();
    ProfileSummary::export_all(&cfg).unwrap();
    PreflightReport::export_all(&cfg).unwrap();
    PackageOptions::export_all(&cfg).unwrap();
    PackageSummary::export_all(&cfg).unwrap();
    StatsQuery::export_all(&cfg).unwrap();
    Statistics::export_all(&cfg).unwrap();
    StatsExport::export_all(&cfg).unwrap();
    AnnualReportSummary::export_all(&cfg).unwrap();
    ReminderList::export_all(&cfg).unwrap();
    ReminderQuery::export_all(&cfg).unwrap();
    ReminderSettings::export_all(&cfg).unwrap();
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut stale = Vec::new();
    for entry in std::fs::read_dir(tmp.path()).unwrap() {
        let entry = entry.unwrap();
        let generated = std::fs::read_to_string(entry.path()).unwrap();
        let target = committed.join(entry.file_name());
        if update {
            std::fs::create_dir_all(&committed).unwrap();
            std::fs::write(&target, &generated).unwrap();
        } else if std::fs::read_to_string(&target).ok().as_deref() != Some(generated.as_str()) {
            stale.push(entry.file_name().to_string_lossy().to_string());
        }
    }
    assert!(stale.is_empty(), "stale bindings {stale:?}: run `UPDATE_SNAPSHOTS=1 cargo test -p feiyi-core` and commit ui/src/bindings");
}
