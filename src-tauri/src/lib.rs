//! The Tauri 2 shell of Feiyi (非遗名录): window, state and one-line commands over
//! `feiyi-core`. No SQL, no file formats, no business rules live here.
//!
//! Commands are named `noun_verb`, run off the UI thread (`async`), and fail with one
//! [`IpcError`] shape `{ code, message, fields }` that the UI branches on.

use feiyi_core::model::*;
use feiyi_core::{system_clock, Error, FieldError, Registry};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::thread::JoinHandle;
use tauri::{Manager, State};

pub mod grants;

/// The one error shape that crosses IPC.
#[derive(Debug, Serialize)]
pub struct IpcError {
    /// Stable machine code (`validation`, `not_found`, `newer_version`, …).
    pub code: String,
    /// Chinese message for the clerk.
    pub message: String,
    /// Field-level problems for forms.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

impl From<Error> for IpcError {
    fn from(e: Error) -> Self {
        // The full cause chain goes to the log once; the UI gets the Chinese message.
        let mut chain = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            chain.push_str(&format!(" <- {s}"));
            source = s.source();
        }
        eprintln!("[feiyi] error {}: {chain}", e.code());
        IpcError {
            code: e.code().into(),
            message: e.to_string(),
            fields: e.fields().to_vec(),
        }
    }
}

/// Where the two registries live.
#[derive(Debug, Clone)]
pub struct Folders {
    /// The real register.
    pub real: PathBuf,
    /// The sample registry (示例名录), kept apart from the real one.
    pub sample: PathBuf,
}

impl Folders {
    /// The real registry folder is `FEIYI_DATA_DIR` or `<app data>/registry`; the sample sits beside it.
    pub fn resolve(app_data: &Path) -> Self {
        let real = std::env::var_os("FEIYI_DATA_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| app_data.join("registry"));
        let name = real
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "registry".into());
        let sample = real.with_file_name(format!("{name}-sample"));
        Self { real, sample }
    }
}

/// The open registry, or why it could not be opened.
pub struct AppState {
    folders: Folders,
    registry: Mutex<Result<Registry, IpcError>>,
    /// The real register being opened on its own thread at start-up (`AppState::opening`);
    /// taken into `registry` by the first call that needs it (`AppState::registry`).
    opening: Mutex<Option<JoinHandle<Result<Registry, IpcError>>>>,
    /// Raised to stop the import under way.
    import_cancel: AtomicBool,
    /// Set while an import runs (one at a time).
    importing: AtomicBool,
    /// Paths the clerk chose or dropped: the only ones commands accept.
    grants: grants::Grants,
    /// When the process started (for the cold-start log line of `app_first_page`).
    started: std::time::Instant,
    /// Set once the first page of the register has been reported.
    first_page: AtomicBool,
    /// Whether the cold start's stand-in controls have all been replaced (`app_controls_live`).
    controls_live: AtomicBool,
}

/// Opens (or creates) the real register in `dir`.
fn open_real(dir: &Path) -> Result<Registry, IpcError> {
    Registry::open_or_create(dir, RegistryKind::Real, system_clock()).map_err(IpcError::from)
}

/// The error of a poisoned lock or a panicked thread: nothing the clerk can fix but a restart.
fn internal() -> IpcError {
    IpcError {
        code: "internal".into(),
        message: "程序内部错误，请重新启动".into(),
        fields: vec![],
    }
}

impl AppState {
    /// Opens (or creates) the real register before returning.
    pub fn new(folders: Folders) -> Self {
        let registry = open_real(&folders.real);
        Self::with_registry(folders, registry, None)
    }

    /// Starts opening (or creating) the real register on its own thread and returns at once:
    /// the window and its webview are built meanwhile (a cold start saves the opening time),
    /// and the first command waits for the registry (`AppState::registry`).
    pub fn opening(folders: Folders) -> Self {
        let dir = folders.real.clone();
        let spawned = std::thread::Builder::new()
            .name("feiyi-open".into())
            .spawn(move || {
                let began = std::time::Instant::now();
                let registry = open_real(&dir);
                eprintln!(
                    "[feiyi] registry opened in {} ms",
                    began.elapsed().as_millis()
                );
                registry
            });
        match spawned {
            Ok(handle) => Self::with_registry(folders, Err(internal()), Some(handle)),
            Err(_) => Self::new(folders),
        }
    }

    fn with_registry(
        folders: Folders,
        registry: Result<Registry, IpcError>,
        opening: Option<JoinHandle<Result<Registry, IpcError>>>,
    ) -> Self {
        Self {
            folders,
            registry: Mutex::new(registry),
            opening: Mutex::new(opening),
            import_cancel: AtomicBool::new(false),
            importing: AtomicBool::new(false),
            grants: grants::Grants::default(),
            started: std::time::Instant::now(),
            first_page: AtomicBool::new(false),
            controls_live: AtomicBool::new(false),
        }
    }

    /// The registry slot, once the opening started by `AppState::opening` has finished.
    /// Locks in one order only (`opening`, then `registry`), so two callers cannot deadlock.
    fn registry(&self) -> Result<MutexGuard<'_, Result<Registry, IpcError>>, IpcError> {
        let mut opening = self.opening.lock().map_err(|_| internal())?;
        if let Some(handle) = opening.take() {
            let opened = handle.join().unwrap_or_else(|_| Err(internal()));
            *self.registry.lock().map_err(|_| internal())? = opened;
        }
        drop(opening);
        self.registry.lock().map_err(|_| internal())
    }

    /// Closes the registry when the app quits, so that SQLite checkpoints its write-ahead log
    /// into the file and removes it (the next start then has no log to read back). Skipped
    /// when a command still holds the registry: quitting does not wait for it.
    fn close(&self) {
        if let Ok(mut opening) = self.opening.try_lock() {
            if let Some(handle) = opening.take() {
                let _ = handle.join();
            }
        }
        if let Ok(mut registry) = self.registry.try_lock() {
            *registry = Err(IpcError {
                code: "closed".into(),
                message: "名录已关闭".into(),
                fields: vec![],
            });
        }
    }

    /// The same state, timing cold start from `at` (the process start) instead of now.
    pub fn started_at(mut self, at: std::time::Instant) -> Self {
        self.started = at;
        self
    }

    /// `path` as a `PathBuf` when the clerk chose or dropped it (or a folder holding it);
    /// refused otherwise, so that the webview cannot name a place on its own.
    fn granted(&self, path: &str) -> Result<PathBuf, IpcError> {
        let p = PathBuf::from(path);
        if self.grants.allows(&p) {
            Ok(p)
        } else {
            eprintln!("[feiyi] refused a path the clerk did not choose: {path}");
            Err(IpcError {
                code: "forbidden_path".into(),
                message: format!(
                    "“{path}”不是在本程序的选择窗口中选定的位置，未做任何操作。请用“选择”按钮重新选择。"
                ),
                fields: vec![],
            })
        }
    }

    fn with<T>(
        &self,
        f: impl FnOnce(&mut Registry) -> feiyi_core::Result<T>,
    ) -> Result<T, IpcError> {
        let mut guard = self.registry()?;
        match guard.as_mut() {
            Ok(reg) => f(reg).map_err(IpcError::from),
            Err(e) => Err(IpcError {
                code: e.code.clone(),
                message: e.message.clone(),
                fields: vec![],
            }),
        }
    }

    /// Runs `f` on a read-only handle of the open registry (`Registry::reader`), made for this
    /// call: the registry itself is held only to open it, so a long read (a province's
    /// reminders take seconds) leaves every other command free to run meanwhile.
    fn read<T>(&self, f: impl FnOnce(&Registry) -> feiyi_core::Result<T>) -> Result<T, IpcError> {
        let reader = self.with(|r| r.reader())?;
        f(&reader).map_err(IpcError::from)
    }

    /// A reminder action: the reminders are raised on a reader, then the registry is held
    /// only for `act` to write the state; answers with one page of each tab (`query`).
    fn reminder_action(
        &self,
        query: Option<ReminderQuery>,
        act: impl FnOnce(&mut Registry, feiyi_core::api::Raised) -> feiyi_core::Result<ReminderList>,
    ) -> Result<ReminderList, IpcError> {
        let q = query.unwrap_or_default();
        let raised = self.read(|r| r.reminders_raise())?;
        self.with(|r| act(r, raised).map(|l| feiyi_core::reminders::page(l, &q)))
    }

    /// Writes one prepared file of an import into the open registry.
    fn commit(
        &self,
        session: &feiyi_core::api::ImportSession,
        prepared: feiyi_core::media::import::Prepared,
    ) -> MediaImportOutcome {
        match self.registry() {
            Ok(mut guard) => match guard.as_mut() {
                Ok(reg) => reg.media_commit(session, prepared),
                Err(_) => feiyi_core::media::import::uncommitted(&prepared),
            },
            Err(_) => feiyi_core::media::import::uncommitted(&prepared),
        }
    }

    fn switch(&self, kind: RegistryKind) -> Result<RegistryInfo, IpcError> {
        // The start-up opening finishes first: never two openings of one folder at once.
        drop(self.registry()?);
        let dir = match kind {
            RegistryKind::Real => &self.folders.real,
            RegistryKind::Sample => &self.folders.sample,
        };
        let reg = Registry::open_or_create(dir, kind, system_clock())?;
        if reg.kind()? != kind {
            return Err(IpcError {
                code: "conflict".into(),
                message: format!("“{}”中的名录类型不符，未打开", dir.display()),
                fields: vec![],
            });
        }
        let info = reg.info()?;
        *self.registry()? = Ok(reg);
        Ok(info)
    }
}

type Res<T> = Result<T, IpcError>;

#[tauri::command(async)]
fn registry_info(state: State<'_, AppState>) -> Res<RegistryInfo> {
    state.with(|r| r.info())
}

/// Moments of a cold start inside the page, in ms since the webview began loading it
/// (`performance.now()`): the bundle evaluated, the first page asked for, the shell
/// mounted, the registry's details arrived, the register created, its first page handed
/// to it, in the DOM (`drawn`), and painted (the frame after it, when the call is made).
/// Any may be missing (an older page, a mark not reached).
#[derive(Debug, Default, serde::Deserialize)]
struct StartMarks {
    script: Option<f64>,
    asked: Option<f64>,
    mounted: Option<f64>,
    ready: Option<f64>,
    view: Option<f64>,
    answered: Option<f64>,
    drawn: Option<f64>,
    painted: Option<f64>,
}

impl StartMarks {
    /// `; page began at P ms: script +a, asked +b, …, painted +h` (the marks reached), where
    /// P is when the webview began loading the page, counted from process start (the last
    /// mark, `painted` or else `drawn`, is taken to be now).
    fn describe(&self, total_ms: u128) -> String {
        let Some(last) = self.painted.or(self.drawn) else {
            return String::new();
        };
        let began = total_ms as f64 - last;
        let mut reached: Vec<(&str, f64)> = [
            ("script", self.script),
            ("asked", self.asked),
            ("mounted", self.mounted),
            ("ready", self.ready),
            ("view", self.view),
            ("answered", self.answered),
            ("drawn", self.drawn),
            ("painted", self.painted),
        ]
        .into_iter()
        .filter_map(|(name, at)| at.map(|at| (name, at)))
        .collect();
        // In the order they were reached (the shell mounts after the register is drawn when
        // the registry's details came in first, before it otherwise).
        reached.sort_by(|a, b| a.1.total_cmp(&b.1));
        let parts: Vec<String> = reached
            .iter()
            .map(|(name, at)| format!("{name} +{at:.0}"))
            .collect();
        format!("; page began at {began:.0} ms: {}", parts.join(", "))
    }
}

/// Prints, once per process, `[feiyi] first page rendered in N ms (rows R; …)`: the time
/// from process start until the register showed its first page with rows (the UI calls
/// this once the frame with them has been painted), then where inside the page the time went. The scale bench
/// (`cold_start` in crates/core/benches/scale.rs) reads this line to measure cold start.
#[tauri::command(async)]
fn app_first_page(state: State<'_, AppState>, rows: u32, marks: Option<StartMarks>) -> Res<()> {
    if !state.first_page.swap(true, Ordering::SeqCst) {
        let total = state.started.elapsed().as_millis();
        eprintln!(
            "[feiyi] first page rendered in {total} ms (rows {rows}{})",
            marks.unwrap_or_default().describe(total)
        );
    }
    Ok(())
}

/// Prints, once per process, `[feiyi] controls live in N ms`: from process start until the
/// last of the cold start's stand-in controls (filters, pager, the header's search box and
/// 文件 menu) had been replaced by the real one and painted: the whole register is live. The
/// scale bench reports it beside the first page.
#[tauri::command(async)]
fn app_controls_live(state: State<'_, AppState>) -> Res<()> {
    if !state.controls_live.swap(true, Ordering::SeqCst) {
        eprintln!(
            "[feiyi] controls live in {} ms",
            state.started.elapsed().as_millis()
        );
    }
    Ok(())
}

#[tauri::command(async)]
fn reference_data(state: State<'_, AppState>) -> Res<ReferenceData> {
    state.with(|r| r.reference_data())
}

#[tauri::command(async)]
fn registry_open_sample(state: State<'_, AppState>) -> Res<RegistryInfo> {
    state.switch(RegistryKind::Sample)
}

#[tauri::command(async)]
fn registry_open_default(state: State<'_, AppState>) -> Res<RegistryInfo> {
    state.switch(RegistryKind::Real)
}

#[tauri::command(async)]
fn settings_set_code_template(state: State<'_, AppState>, template: String) -> Res<RegistryInfo> {
    state.with(|r| r.set_code_template(&template))
}

#[tauri::command(async)]
fn settings_set_actor(state: State<'_, AppState>, actor: String) -> Res<RegistryInfo> {
    state.with(|r| r.set_actor(&actor))
}

#[tauri::command(async)]
fn batch_list(state: State<'_, AppState>, include_deleted: bool) -> Res<Vec<Batch>> {
    state.with(|r| r.batch_list(include_deleted))
}

#[tauri::command(async)]
fn batch_get(state: State<'_, AppState>, id: String) -> Res<Batch> {
    state.with(|r| r.batch_get(&id))
}

#[tauri::command(async)]
fn batch_save(state: State<'_, AppState>, input: BatchInput) -> Res<Batch> {
    state.with(|r| r.batch_save(input))
}

#[tauri::command(async)]
fn batch_delete(state: State<'_, AppState>, id: String, reason: String) -> Res<()> {
    state.with(|r| r.batch_delete(&id, &reason))
}

#[tauri::command(async)]
fn batch_restore(state: State<'_, AppState>, id: String) -> Res<Batch> {
    state.with(|r| r.batch_restore(&id))
}

#[tauri::command(async)]
fn item_list(state: State<'_, AppState>, query: ItemQuery) -> Res<ItemPage> {
    state.with(|r| r.item_list(&query))
}

#[tauri::command(async)]
fn item_get(state: State<'_, AppState>, id: String) -> Res<ItemDetail> {
    state.with(|r| r.item_get(&id))
}

#[tauri::command(async)]
fn item_save(state: State<'_, AppState>, input: ItemInput) -> Res<ItemDetail> {
    state.with(|r| r.item_save(input))
}

#[tauri::command(async)]
fn item_delete(state: State<'_, AppState>, id: String, reason: String) -> Res<()> {
    state.with(|r| r.item_delete(&id, &reason))
}

#[tauri::command(async)]
fn item_restore(state: State<'_, AppState>, id: String) -> Res<ItemDetail> {
    state.with(|r| r.item_restore(&id))
}

#[tauri::command(async)]
fn search_query(state: State<'_, AppState>, text: String, limit: usize) -> Res<Vec<SearchHit>> {
    state.with(|r| r.search(&text, limit))
}

#[tauri::command(async)]
fn history_list(state: State<'_, AppState>, entity: String, id: String) -> Res<Vec<EditLogEntry>> {
    state.with(|r| r.history(&entity, &id))
}

#[tauri::command(async)]
fn inheritor_list(state: State<'_, AppState>, query: InheritorQuery) -> Res<InheritorPage> {
    state.with(|r| r.inheritor_list(&query))
}

#[tauri::command(async)]
fn inheritor_get(state: State<'_, AppState>, id: String) -> Res<InheritorDetail> {
    state.with(|r| r.inheritor_get(&id))
}

#[tauri::command(async)]
fn inheritor_save(state: State<'_, AppState>, input: InheritorInput) -> Res<InheritorDetail> {
    state.with(|r| r.inheritor_save(input))
}

#[tauri::command(async)]
fn inheritor_delete(state: State<'_, AppState>, id: String, reason: String) -> Res<()> {
    state.with(|r| r.inheritor_delete(&id, &reason))
}

#[tauri::command(async)]
fn inheritor_restore(state: State<'_, AppState>, id: String) -> Res<InheritorDetail> {
    state.with(|r| r.inheritor_restore(&id))
}

#[tauri::command(async)]
fn recognition_save(state: State<'_, AppState>, input: RecognitionInput) -> Res<Recognition> {
    state.with(|r| r.recognition_save(input))
}

#[tauri::command(async)]
fn recognition_event_add(
    state: State<'_, AppState>,
    input: RecognitionEventInput,
) -> Res<Recognition> {
    state.with(|r| r.recognition_event_add(input))
}

#[tauri::command(async)]
fn recognition_list_for_item(state: State<'_, AppState>, item_id: String) -> Res<Vec<Recognition>> {
    state.with(|r| r.recognition_list_for_item(&item_id))
}

#[tauri::command(async)]
fn training_plan_save(state: State<'_, AppState>, input: TrainingPlan) -> Res<InheritorDetail> {
    state.with(|r| r.training_plan_save(input))
}

#[tauri::command(async)]
fn evaluation_save(state: State<'_, AppState>, input: Evaluation) -> Res<InheritorDetail> {
    state.with(|r| r.evaluation_save(input))
}

#[tauri::command(async)]
fn subsidy_save(state: State<'_, AppState>, input: Subsidy) -> Res<InheritorDetail> {
    state.with(|r| r.subsidy_save(input))
}

#[tauri::command(async)]
fn lineage_get(state: State<'_, AppState>, item_id: String) -> Res<Lineage> {
    state.with(|r| r.lineage_get(&item_id))
}

#[tauri::command(async)]
fn lineage_edge_save(state: State<'_, AppState>, input: LineageEdge) -> Res<Lineage> {
    state.with(|r| r.lineage_edge_save(input))
}

#[tauri::command(async)]
fn lineage_edge_delete(state: State<'_, AppState>, id: String) -> Res<Lineage> {
    state.with(|r| r.lineage_edge_delete(&id))
}

#[tauri::command(async)]
fn unit_list(state: State<'_, AppState>, query: UnitQuery) -> Res<UnitPage> {
    state.with(|r| r.unit_list(&query))
}

#[tauri::command(async)]
fn unit_get(state: State<'_, AppState>, id: String) -> Res<UnitDetail> {
    state.with(|r| r.unit_get(&id))
}

#[tauri::command(async)]
fn unit_save(state: State<'_, AppState>, input: UnitInput) -> Res<UnitDetail> {
    state.with(|r| r.unit_save(input))
}

#[tauri::command(async)]
fn unit_delete(state: State<'_, AppState>, id: String, reason: String) -> Res<()> {
    state.with(|r| r.unit_delete(&id, &reason))
}

#[tauri::command(async)]
fn unit_restore(state: State<'_, AppState>, id: String) -> Res<UnitDetail> {
    state.with(|r| r.unit_restore(&id))
}

#[tauri::command(async)]
fn unit_check_save(state: State<'_, AppState>, input: UnitCheck) -> Res<UnitDetail> {
    state.with(|r| r.unit_check_save(input))
}

#[tauri::command(async)]
fn plan_list(state: State<'_, AppState>, query: PlanQuery) -> Res<PlanPage> {
    state.with(|r| r.plan_list(&query))
}

#[tauri::command(async)]
fn plan_get(state: State<'_, AppState>, id: String) -> Res<PlanDetail> {
    state.with(|r| r.plan_get(&id))
}

#[tauri::command(async)]
fn plan_save(state: State<'_, AppState>, input: PlanInput) -> Res<PlanDetail> {
    state.with(|r| r.plan_save(input))
}

#[tauri::command(async)]
fn plan_delete(state: State<'_, AppState>, id: String, reason: String) -> Res<()> {
    state.with(|r| r.plan_delete(&id, &reason))
}

#[tauri::command(async)]
fn plan_restore(state: State<'_, AppState>, id: String) -> Res<PlanDetail> {
    state.with(|r| r.plan_restore(&id))
}

#[tauri::command(async)]
fn expenditure_save(state: State<'_, AppState>, input: Expenditure) -> Res<PlanDetail> {
    state.with(|r| r.expenditure_save(input))
}

#[tauri::command(async)]
fn expenditure_delete(state: State<'_, AppState>, id: String, reason: String) -> Res<PlanDetail> {
    state.with(|r| r.expenditure_delete(&id, &reason))
}

#[tauri::command(async)]
fn activity_list(state: State<'_, AppState>, query: ActivityQuery) -> Res<ActivityPage> {
    state.with(|r| r.activity_list(&query))
}

#[tauri::command(async)]
fn activity_get(state: State<'_, AppState>, id: String) -> Res<ActivityDetail> {
    state.with(|r| r.activity_get(&id))
}

#[tauri::command(async)]
fn activity_save(state: State<'_, AppState>, input: ActivityInput) -> Res<ActivityDetail> {
    state.with(|r| r.activity_save(input))
}

#[tauri::command(async)]
fn activity_delete(state: State<'_, AppState>, id: String, reason: String) -> Res<()> {
    state.with(|r| r.activity_delete(&id, &reason))
}

#[tauri::command(async)]
fn activity_restore(state: State<'_, AppState>, id: String) -> Res<ActivityDetail> {
    state.with(|r| r.activity_restore(&id))
}

#[tauri::command(async)]
fn feiyi_month_info(state: State<'_, AppState>, year: i64) -> Res<FeiyiMonthInfo> {
    state.with(|r| r.feiyi_month_info(year))
}

#[tauri::command(async)]
fn history_revert(state: State<'_, AppState>, seq: i64) -> Res<()> {
    state.with(|r| r.history_revert(seq))
}

#[tauri::command(async)]
fn recycle_list(state: State<'_, AppState>) -> Res<Vec<RecycleEntry>> {
    state.with(|r| r.recycle_list())
}

#[tauri::command(async)]
fn recycle_restore(state: State<'_, AppState>, entity: String, id: String) -> Res<()> {
    state.with(|r| r.recycle_restore(&entity, &id))
}

#[tauri::command(async)]
fn search_all(state: State<'_, AppState>, text: String, limit: usize) -> Res<Vec<SearchGroup>> {
    state.with(|r| r.search_all(&text, limit))
}

// ------------------------------------------------------------------ media

#[tauri::command(async)]
fn media_list(state: State<'_, AppState>, query: MediaQuery) -> Res<MediaPage> {
    state.with(|r| r.media_list(&query))
}

#[tauri::command(async)]
fn media_get(state: State<'_, AppState>, id: String) -> Res<MediaDetail> {
    state.with(|r| r.media_get(&id))
}

#[tauri::command(async)]
fn media_describe(state: State<'_, AppState>, input: MediaDescription) -> Res<MediaDetail> {
    state.with(|r| r.media_describe(input))
}

#[tauri::command(async)]
fn media_batch_edit(state: State<'_, AppState>, input: MediaBatchEdit) -> Res<MediaBatchResult> {
    state.with(|r| r.media_batch_edit(input))
}

#[tauri::command(async)]
fn media_link(
    state: State<'_, AppState>,
    media_id: String,
    target: MediaLinkTarget,
) -> Res<MediaDetail> {
    state.with(|r| r.media_link(&media_id, target))
}

#[tauri::command(async)]
fn media_unlink(state: State<'_, AppState>, link_id: String) -> Res<MediaDetail> {
    state.with(|r| r.media_unlink(&link_id))
}

#[tauri::command(async)]
fn media_reorder(
    state: State<'_, AppState>,
    entity: String,
    id: String,
    role: String,
    media_ids: Vec<String>,
) -> Res<()> {
    state.with(|r| r.media_reorder(&entity, &id, &role, &media_ids))
}

#[tauri::command(async)]
fn media_delete(state: State<'_, AppState>, id: String, reason: String) -> Res<()> {
    state.with(|r| r.media_delete(&id, &reason))
}

#[tauri::command(async)]
fn media_restore(state: State<'_, AppState>, id: String) -> Res<MediaDetail> {
    state.with(|r| r.media_restore(&id))
}

#[tauri::command(async)]
fn media_verify(state: State<'_, AppState>) -> Res<FixityReport> {
    // Re-hashing runs without the registry lock, so the window stays usable.
    let plan = state.with(|r| r.media_fixity_plan())?;
    let report = plan.check(&AtomicBool::new(false))?;
    state.with(|r| r.media_fixity_record(&plan, &report))?;
    Ok(report)
}

#[tauri::command(async)]
fn media_fixity_status(state: State<'_, AppState>) -> Res<FixityStatus> {
    state.with(|r| r.media_fixity_status())
}

#[tauri::command(async)]
fn media_relink(state: State<'_, AppState>, folder: String) -> Res<RelinkReport> {
    let folder = state.granted(&folder)?;
    state.with(|r| r.media_relink(&folder))
}

#[tauri::command(async)]
fn media_rebuild_derived(state: State<'_, AppState>) -> Res<i64> {
    state.with(|r| r.media_rebuild_derived(&AtomicBool::new(false)))
}

/// Files (or one folder) chosen in the system dialog; empty when the user cancels.
/// `FEIYI_PICK_FILES` (paths separated like `PATH`) answers instead of the dialog, so
/// the end-to-end tests can drive an import without a native dialog.
#[tauri::command(async)]
fn media_pick_files<R: tauri::Runtime>(app: tauri::AppHandle<R>, directory: bool) -> Vec<String> {
    let picked = pick_media(&app, directory);
    let state = app.state::<AppState>();
    for p in &picked {
        state.grants.grant(Path::new(p));
    }
    picked
}

fn pick_media<R: tauri::Runtime>(app: &tauri::AppHandle<R>, directory: bool) -> Vec<String> {
    if let Some(list) = std::env::var_os("FEIYI_PICK_FILES") {
        return std::env::split_paths(&list)
            .map(|p| p.display().to_string())
            .collect();
    }
    use tauri_plugin_dialog::DialogExt;
    let dialog = app.dialog().file();
    let picked = if directory {
        dialog
            .set_title("选择要导入的文件夹")
            .blocking_pick_folder()
            .map(|f| vec![f])
    } else {
        dialog
            .set_title("选择要导入的文件")
            .add_filter(
                "资料（照片、视频、音频、PDF）",
                &[
                    "jpg", "jpeg", "png", "tif", "tiff", "heic", "mp4", "mov", "mp3", "wav", "m4a",
                    "pdf", "JPG", "JPEG", "PNG", "TIF", "TIFF", "HEIC", "MP4", "MOV", "MP3", "WAV",
                    "M4A", "PDF",
                ],
            )
            .add_filter("所有文件", &["*"])
            .blocking_pick_files()
    };
    picked
        .unwrap_or_default()
        .into_iter()
        .filter_map(|f| f.into_path().ok())
        .map(|p| p.display().to_string())
        .collect()
}

/// Clears the import flag however the import ends.
struct Importing<'a>(&'a AtomicBool);

impl Drop for Importing<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

/// Imports files and folders in the background, several at a time, reporting progress
/// on `on_event`; the registry is locked only while each file's record is written.
#[tauri::command(async)]
fn media_import_start(
    state: State<'_, AppState>,
    files: Vec<String>,
    link: Option<MediaLinkTarget>,
    on_event: tauri::ipc::Channel<MediaImportEvent>,
) -> Res<MediaImportReport> {
    if state.importing.swap(true, Ordering::SeqCst) {
        return Err(IpcError {
            code: "conflict".into(),
            message: "已有一项导入正在进行，请等它完成或取消后再导入".into(),
            fields: vec![],
        });
    }
    let _running = Importing(&state.importing);
    state.import_cancel.store(false, Ordering::SeqCst);
    let session = state.with(|r| r.media_import_session(link))?;
    let chosen = files
        .iter()
        .map(|f| state.granted(f))
        .collect::<Result<Vec<PathBuf>, IpcError>>()?;
    let files = feiyi_core::media::import::expand(&chosen);
    let threads = feiyi_core::media::import::threads_for(files.len());
    Ok(feiyi_core::media::import::run(
        session.store(),
        &files,
        threads,
        &state.import_cancel,
        &|event| {
            let _ = on_event.send(event);
        },
        &|prepared| state.commit(&session, prepared),
    ))
}

#[tauri::command(async)]
fn media_import_cancel(state: State<'_, AppState>) {
    state.import_cancel.store(true, Ordering::SeqCst);
}

// ------------------------------------------------------------ applications (申报)

#[tauri::command(async)]
fn application_profiles(state: State<'_, AppState>) -> Res<Vec<ProfileSummary>> {
    state.with(|r| r.application_profiles())
}

#[tauri::command(async)]
fn application_profile(state: State<'_, AppState>, name: String) -> Res<ExportProfile> {
    state.with(|r| r.application_profile(&name))
}

#[tauri::command(async)]
fn application_profile_save(
    state: State<'_, AppState>,
    input: ExportProfile,
) -> Res<ProfileSummary> {
    state.with(|r| r.application_profile_save(input))
}

#[tauri::command(async)]
fn application_profile_delete(state: State<'_, AppState>, name: String, reason: String) -> Res<()> {
    state.with(|r| r.application_profile_delete(&name, &reason))
}

#[tauri::command(async)]
fn application_check(
    state: State<'_, AppState>,
    item_id: String,
    profile: Option<String>,
) -> Res<PreflightReport> {
    state.with(|r| r.application_check(&item_id, profile.as_deref()))
}

#[tauri::command(async)]
fn application_export(
    state: State<'_, AppState>,
    item_id: String,
    options: PackageOptions,
) -> Res<PackageSummary> {
    state.granted(&options.out_dir)?;
    state.with(|r| r.application_export(&item_id, &options))
}

/// A folder chosen in the system dialog; `None` when the user cancels. `FEIYI_PICK_FOLDER`
/// answers instead of the dialog, so the end-to-end tests can choose an export folder.
#[tauri::command(async)]
fn pick_folder<R: tauri::Runtime>(app: tauri::AppHandle<R>, title: String) -> Option<String> {
    let picked = if let Some(folder) = std::env::var_os("FEIYI_PICK_FOLDER") {
        let folder = folder.to_string_lossy().to_string();
        (!folder.is_empty()).then_some(folder)
    } else {
        use tauri_plugin_dialog::DialogExt;
        dialog_path(app.dialog().file().set_title(title).blocking_pick_folder())
    };
    granted_pick(&app, picked)
}

/// One file chosen in the system open dialog: a spreadsheet (`kind` = `sheet`) or an
/// exchange package (`package`); `None` when the clerk cancels. In the end-to-end tests
/// `FEIYI_PICK_FILE` answers instead of the dialog: paths separated like `PATH`, of which
/// the first that fits the kind is taken — a file with a fitting extension, or the newest
/// such file inside a listed folder (where a journey has just exported a package).
#[tauri::command(async)]
fn pick_file<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    title: String,
    kind: String,
) -> Option<String> {
    let (label, exts): (&str, &[&str]) = if kind == "package" {
        ("交换包（.zip）", &["zip", "ZIP"])
    } else {
        (
            "表格（Excel、WPS、CSV）",
            &["xlsx", "xls", "ods", "csv", "XLSX", "XLS", "ODS", "CSV"],
        )
    };
    let picked = if let Some(list) = std::env::var_os("FEIYI_PICK_FILE") {
        scripted_pick(&list, exts)
    } else {
        use tauri_plugin_dialog::DialogExt;
        dialog_path(
            app.dialog()
                .file()
                .set_title(title)
                .add_filter(label, exts)
                .add_filter("所有文件", &["*"])
                .blocking_pick_file(),
        )
    };
    granted_pick(&app, picked)
}

/// Remembers what the clerk picked as a path commands may then take (see [`grants`]).
fn granted_pick<R: tauri::Runtime>(
    app: &tauri::AppHandle<R>,
    picked: Option<String>,
) -> Option<String> {
    if let Some(p) = &picked {
        app.state::<AppState>().grants.grant(Path::new(p));
    }
    picked
}

/// A path the system dialog answered, as text.
fn dialog_path(picked: Option<tauri_plugin_dialog::FilePath>) -> Option<String> {
    picked
        .and_then(|f| f.into_path().ok())
        .map(|p| p.display().to_string())
}

/// The answer `FEIYI_PICK_FILE` gives for a pick of files with one of `exts`.
fn scripted_pick(list: &std::ffi::OsStr, exts: &[&str]) -> Option<String> {
    let fits = |p: &Path| {
        p.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| exts.contains(&e))
    };
    std::env::split_paths(list).find_map(|p| {
        if p.is_dir() {
            std::fs::read_dir(&p)
                .ok()?
                .flatten()
                .map(|e| e.path())
                .filter(|f| fits(f))
                .max_by_key(|f| f.metadata().and_then(|m| m.modified()).ok())
        } else {
            fits(&p).then_some(p)
        }
        .map(|p| p.display().to_string())
    })
}

/// A file name chosen in the system save dialog; `None` when the clerk cancels.
/// `FEIYI_PICK_SAVE` (a folder) answers instead in the end-to-end tests: the file is
/// `default_name` inside it.
#[tauri::command(async)]
fn pick_save_file<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    title: String,
    default_name: String,
) -> Option<String> {
    let picked = if let Some(folder) = std::env::var_os("FEIYI_PICK_SAVE") {
        let folder = PathBuf::from(folder);
        (!folder.as_os_str().is_empty()).then(|| folder.join(&default_name).display().to_string())
    } else {
        use tauri_plugin_dialog::DialogExt;
        dialog_path(
            app.dialog()
                .file()
                .set_title(title)
                .set_file_name(&default_name)
                .add_filter("交换包（.zip）", &["zip"])
                .blocking_save_file(),
        )
    };
    granted_pick(&app, picked)
}

// ------------------------------------------------------------------ backups

#[tauri::command(async)]
fn backup_status(state: State<'_, AppState>) -> Res<BackupStatus> {
    state.with(|r| r.backup_status())
}

#[tauri::command(async)]
fn backup_create(state: State<'_, AppState>, note: Option<String>) -> Res<BackupInfo> {
    state.with(|r| r.backup_create(BackupReason::Manual, note.as_deref()))
}

#[tauri::command(async)]
fn backup_restore(state: State<'_, AppState>, id: String) -> Res<RestoreResult> {
    state.with(|r| r.backup_restore(&id))
}

// ----------------------------------------------------- list import, exchange

#[tauri::command(async)]
fn import_list_preview(
    state: State<'_, AppState>,
    request: ListImportRequest,
) -> Res<ListImportReport> {
    state.granted(&request.path)?;
    state.with(|r| r.import_list_preview(&request))
}

#[tauri::command(async)]
fn import_list_commit(
    state: State<'_, AppState>,
    request: ListImportRequest,
) -> Res<ListImportReport> {
    state.granted(&request.path)?;
    state.with(|r| r.import_list_commit(&request))
}

#[tauri::command(async)]
fn import_runs(state: State<'_, AppState>) -> Res<Vec<ImportRun>> {
    state.with(|r| r.import_runs())
}

#[tauri::command(async)]
fn import_undo(state: State<'_, AppState>, id: String, reason: String) -> Res<ImportRun> {
    state.with(|r| r.import_undo(&id, &reason))
}

#[tauri::command(async)]
fn exchange_export(
    state: State<'_, AppState>,
    request: ExchangeExportRequest,
) -> Res<ExchangeSummary> {
    state.granted(&request.out)?;
    state.with(|r| r.exchange_export(&request))
}

#[tauri::command(async)]
fn exchange_inspect(state: State<'_, AppState>, path: String) -> Res<ExchangePreview> {
    let path = state.granted(&path)?;
    state.with(|r| r.exchange_inspect(&path))
}

#[tauri::command(async)]
fn exchange_import(
    state: State<'_, AppState>,
    path: String,
    choices: Vec<ConflictChoice>,
) -> Res<ExchangePreview> {
    let path = state.granted(&path)?;
    state.with(|r| r.exchange_import(&path, &choices))
}

#[tauri::command(async)]
fn backup_policy_save(state: State<'_, AppState>, policy: BackupPolicy) -> Res<BackupStatus> {
    state.with(|r| r.backup_policy_save(policy))
}

// ----------------------------------------------------- statistics, report, reminders

#[tauri::command(async)]
fn stats_get(state: State<'_, AppState>, query: StatsQuery) -> Res<Statistics> {
    state.read(|r| r.statistics_page(&query))
}

#[tauri::command(async)]
fn stats_export_table(
    state: State<'_, AppState>,
    query: StatsQuery,
    key: String,
    path: String,
) -> Res<StatsExport> {
    let path = state.granted(&path)?;
    state.read(|r| r.stats_export_table(&query, &key, &path))
}

#[tauri::command(async)]
fn stats_export_workbook(
    state: State<'_, AppState>,
    query: StatsQuery,
    path: String,
) -> Res<StatsExport> {
    let path = state.granted(&path)?;
    state.read(|r| r.stats_export_workbook(&query, &path))
}

#[tauri::command(async)]
fn report_annual(state: State<'_, AppState>, year: i64, dir: String) -> Res<AnnualReportSummary> {
    let dir = state.granted(&dir)?;
    state.read(|r| r.annual_report(year, &dir))
}

#[tauri::command(async)]
fn reminder_revision(state: State<'_, AppState>) -> Res<String> {
    state.with(|r| r.reminders_revision())
}

// The list and every action answer with one page of each tab (`query`, default page 1
// of 50), so hundreds of thousands of reminders never cross to the window. The list (like
// the statistics and the yearly report) is computed on a read-only handle, so the register
// stays usable while a province's reminders are raised; an action raises them there too and
// holds the registry only to write the state and sort the answer.

#[tauri::command(async)]
fn reminder_list(state: State<'_, AppState>, query: Option<ReminderQuery>) -> Res<ReminderList> {
    let q = query.unwrap_or_default();
    state.read(|r| Ok(feiyi_core::reminders::page(r.reminders()?, &q)))
}

#[tauri::command(async)]
fn reminder_snooze(
    state: State<'_, AppState>,
    key: String,
    until: String,
    reason: Option<String>,
    query: Option<ReminderQuery>,
) -> Res<ReminderList> {
    state.reminder_action(query, |r, raised| {
        r.reminder_snooze_in(raised, &key, &until, reason.as_deref())
    })
}

#[tauri::command(async)]
fn reminder_dismiss(
    state: State<'_, AppState>,
    key: String,
    reason: String,
    query: Option<ReminderQuery>,
) -> Res<ReminderList> {
    state.reminder_action(query, |r, raised| {
        r.reminder_dismiss_in(raised, &key, &reason)
    })
}

#[tauri::command(async)]
fn reminder_restore(
    state: State<'_, AppState>,
    key: String,
    query: Option<ReminderQuery>,
) -> Res<ReminderList> {
    state.reminder_action(query, |r, raised| r.reminder_restore_in(raised, &key))
}

#[tauri::command(async)]
fn reminder_settings_get(state: State<'_, AppState>) -> Res<ReminderSettings> {
    state.with(|r| r.reminder_settings())
}

#[tauri::command(async)]
fn reminder_settings_save(
    state: State<'_, AppState>,
    settings: ReminderSettings,
) -> Res<ReminderSettings> {
    state.with(|r| r.reminder_settings_save(settings))
}

/// Registers every command on a builder (shared by the app and the shell tests).
pub fn with_commands<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        registry_info,
        app_first_page,
        app_controls_live,
        reference_data,
        registry_open_sample,
        registry_open_default,
        settings_set_code_template,
        settings_set_actor,
        batch_list,
        batch_get,
        batch_save,
        batch_delete,
        batch_restore,
        item_list,
        item_get,
        item_save,
        item_delete,
        item_restore,
        search_query,
        history_list,
        inheritor_list,
        inheritor_get,
        inheritor_save,
        inheritor_delete,
        inheritor_restore,
        recognition_save,
        recognition_event_add,
        recognition_list_for_item,
        training_plan_save,
        evaluation_save,
        subsidy_save,
        lineage_get,
        lineage_edge_save,
        lineage_edge_delete,
        unit_list,
        unit_get,
        unit_save,
        unit_delete,
        unit_restore,
        unit_check_save,
        plan_list,
        plan_get,
        plan_save,
        plan_delete,
        plan_restore,
        expenditure_save,
        expenditure_delete,
        activity_list,
        activity_get,
        activity_save,
        activity_delete,
        activity_restore,
        feiyi_month_info,
        history_revert,
        recycle_list,
        recycle_restore,
        search_all,
        media_list,
        media_get,
        media_describe,
        media_batch_edit,
        media_link,
        media_unlink,
        media_reorder,
        media_delete,
        media_restore,
        media_verify,
        media_fixity_status,
        media_relink,
        media_rebuild_derived,
        media_pick_files,
        media_import_start,
        media_import_cancel,
        application_profiles,
        application_profile,
        application_profile_save,
        application_profile_delete,
        application_check,
        application_export,
        pick_folder,
        pick_file,
        pick_save_file,
        backup_status,
        backup_create,
        backup_restore,
        backup_policy_save,
        import_list_preview,
        import_list_commit,
        import_runs,
        import_undo,
        exchange_export,
        exchange_inspect,
        exchange_import,
        stats_get,
        stats_export_table,
        stats_export_workbook,
        report_annual,
        reminder_list,
        reminder_revision,
        reminder_snooze,
        reminder_dismiss,
        reminder_restore,
        reminder_settings_get,
        reminder_settings_save,
    ])
}

// ------------------------------------------------------- media:// protocol

/// Open-ended ranges (`bytes=N-`) are answered with at most this many bytes, so that a
/// multi-gigabyte video is streamed in pieces, never read whole into memory.
const RANGE_CHUNK: u64 = 8 << 20;

/// Files up to this size are sent whole to a request without `Range`.
const WHOLE_LIMIT: u64 = 64 << 20;

/// The byte range to send for a `Range` header value and a file size: `(start, end)`
/// inclusive; `None` when the header asks for nothing satisfiable (416).
pub fn byte_range(header: Option<&str>, size: u64) -> Option<(u64, u64)> {
    if size == 0 {
        return None;
    }
    let Some(h) = header else {
        return Some((0, size.min(WHOLE_LIMIT.max(RANGE_CHUNK)) - 1));
    };
    // One range only: players never ask for several.
    let spec = h.trim().strip_prefix("bytes=")?.split(',').next()?.trim();
    let (a, b) = spec.split_once('-')?;
    let (start, end) = if a.is_empty() {
        let suffix: u64 = b.parse().ok()?;
        if suffix == 0 {
            return None;
        }
        (size.saturating_sub(suffix), size - 1)
    } else {
        let start: u64 = a.parse().ok()?;
        let end = if b.is_empty() {
            start.saturating_add(RANGE_CHUNK - 1)
        } else {
            b.parse().ok()?
        };
        (start, end.min(size - 1))
    };
    (start <= end && start < size).then_some((start, end))
}

/// The MIME type of a stored file, from the core's one table of accepted formats.
fn content_type(path: &Path) -> &'static str {
    path.extension()
        .and_then(|e| e.to_str())
        .and_then(|e| feiyi_core::media::Format::from_ext(&e.to_ascii_lowercase()))
        .map_or("application/octet-stream", feiyi_core::media::Format::mime)
}

fn plain(status: u16, text: &str) -> tauri::http::Response<Vec<u8>> {
    tauri::http::Response::builder()
        .status(status)
        .header("Content-Type", "text/plain; charset=utf-8")
        .body(text.as_bytes().to_vec())
        .unwrap_or_default()
}

/// Answers `media://localhost/{original|thumb|preview}/<sha256>` with the stored file,
/// honouring `Range`. Only files of the open registry's store can be reached: the path
/// comes from the SHA-256 of a live record, never from the request.
fn serve_media(
    state: &AppState,
    request: &tauri::http::Request<Vec<u8>>,
) -> tauri::http::Response<Vec<u8>> {
    use std::io::{Read, Seek, SeekFrom};
    let path = request.uri().path().trim_start_matches('/');
    let Some((what, sha)) = path.split_once('/') else {
        return plain(404, "not found");
    };
    let file = state.with(|r| match what {
        "original" => r.media_path(sha),
        "thumb" => r.media_derived_path(sha, false),
        "preview" => r.media_derived_path(sha, true),
        _ => Err(Error::field("path", "unknown")),
    });
    let Ok(file) = file else {
        return plain(404, "not found");
    };
    let Ok(mut f) = std::fs::File::open(&file) else {
        return plain(404, "not found");
    };
    let size = f.metadata().map(|m| m.len()).unwrap_or(0);
    let range = request.headers().get("range").and_then(|v| v.to_str().ok());
    let Some((start, end)) = byte_range(range, size) else {
        return tauri::http::Response::builder()
            .status(416)
            .header("Content-Range", format!("bytes */{size}"))
            .body(Vec::new())
            .unwrap_or_default();
    };
    let mut body = vec![0u8; (end - start + 1) as usize];
    if f.seek(SeekFrom::Start(start)).is_err() || f.read_exact(&mut body).is_err() {
        return plain(500, "read failed");
    }
    let partial = range.is_some() || end + 1 < size;
    let mut response = tauri::http::Response::builder()
        .status(if partial { 206 } else { 200 })
        .header("Content-Type", content_type(&file))
        .header("Accept-Ranges", "bytes")
        .header("Cache-Control", "no-cache");
    if partial {
        response = response.header("Content-Range", format!("bytes {start}-{end}/{size}"));
    }
    response.body(body).unwrap_or_default()
}

/// Re-hashes the originals in the background when the last check is a week old (or
/// there was none), without holding the registry while it reads.
fn scheduled_fixity(handle: tauri::AppHandle) {
    std::thread::spawn(move || {
        // Let the window come up and the clerk start working first.
        std::thread::sleep(std::time::Duration::from_secs(120));
        let state = handle.state::<AppState>();
        let Ok(status) = state.with(|r| r.media_fixity_status()) else {
            return;
        };
        if !status.due {
            return;
        }
        let Ok(plan) = state.with(|r| r.media_fixity_plan()) else {
            return;
        };
        match plan.check(&AtomicBool::new(false)) {
            Ok(report) => {
                let _ = state.with(|r| r.media_fixity_record(&plan, &report));
                eprintln!(
                    "[feiyi] scheduled fixity check: {} originals, ok = {}",
                    report.checked, report.ok
                );
            }
            Err(e) => eprintln!("[feiyi] scheduled fixity check failed: {e}"),
        }
    });
}

/// Makes a scheduled backup shortly after start and then whenever one falls due (checked
/// hourly), holding the registry only for the snapshot itself.
fn scheduled_backups(handle: tauri::AppHandle) {
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(20));
        loop {
            let state = handle.state::<AppState>();
            // On a reader: a province's register takes minutes to copy, and the clerk
            // keeps working meanwhile (the copy is of the register as last committed).
            match state.read(|r| r.backup_if_due()) {
                Ok(Some(b)) => eprintln!("[feiyi] scheduled backup {} made", b.id),
                Ok(None) => {}
                Err(e) => eprintln!("[feiyi] scheduled backup failed: {}", e.message),
            }
            std::thread::sleep(std::time::Duration::from_secs(3600));
        }
    });
}

/// Grants what the clerk drops onto the window (files for the media library).
fn grant_dropped<R: tauri::Runtime>(app: &tauri::AppHandle<R>, event: &tauri::DragDropEvent) {
    if let tauri::DragDropEvent::Drop { paths, .. } = event {
        let state = app.state::<AppState>();
        for p in paths {
            state.grants.grant(p);
        }
    }
}

/// How long ago this process started, read from `/proc/self/stat` (its start, in clock ticks
/// after boot) and `/proc/uptime` (now, after boot); both are kept to 10 ms. None elsewhere
/// than Linux or when they cannot be read.
fn process_age() -> Option<std::time::Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let uptime = std::fs::read_to_string("/proc/uptime").ok()?;
    process_age_from(&stat, &uptime)
}

/// `process_age` from the two files' texts. Clock ticks are the kernel's USER_HZ, 100 on
/// every Linux the app runs on.
fn process_age_from(stat: &str, uptime: &str) -> Option<std::time::Duration> {
    // The command name (2nd field) may hold spaces and parentheses: count after its last ')'.
    let after_name = &stat[stat.rfind(')')? + 1..];
    // Field 22, `starttime`, is the 20th after the name (which ends field 2).
    let start_ticks: u64 = after_name.split_whitespace().nth(19)?.parse().ok()?;
    let now_secs: f64 = uptime.split_whitespace().next()?.parse().ok()?;
    let age_ms = (now_secs * 1000.0).round() as i64 - (start_ticks * 10) as i64;
    Some(std::time::Duration::from_millis(age_ms.max(0) as u64))
}

/// `FEIYI_GPU=1` lets WebKitGTK composite the page on the GPU; see `cpu_rendering`.
const GPU_OPT_IN: &str = "FEIYI_GPU";
/// WebKitGTK's switch for its CPU (non-composited) drawing path.
const WEBKIT_NO_COMPOSITING: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// Whether to ask WebKitGTK to draw on the CPU, given the environment (`var` reads a variable).
///
/// The register is text, tables and forms; WebKitGTK's GPU compositing buys it nothing and
/// costs a cold start 0.3–0.7 s where there is no usable GPU driver (virtual desktops,
/// software GL: measured under Xvfb, README → Performance). On some GPU stacks it also leaves
/// the window blank (tauri-apps/tauri#5143, #13885: NVIDIA, DMA-BUF). So the CPU path is the
/// default, the one every end-to-end test runs on; a clerk's own setting of the WebKit
/// variable is left alone, and `FEIYI_GPU=1` opts back into the GPU.
fn cpu_rendering(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> bool {
    cfg!(target_os = "linux")
        && var(GPU_OPT_IN).is_none_or(|v| v != "1")
        && var(WEBKIT_NO_COMPOSITING).is_none()
}

/// Libraries that take WebKit's helper processes long to link unless they come first.
///
/// Debian's WebKitGTK links the flite speech synthesiser, and its `cmu_time_awb` voice has
/// 31,000 relocations against its own exported symbols. It loads near the end of a helper's
/// ~170 libraries, so the dynamic loader looks each of those symbols up through nearly all of
/// them: 31,000 of the web process's 72,000 symbol bindings, ~30 ms of its ~108 ms link
/// (`LD_DEBUG=bindings`, `perf stat` of WebKitWebProcess; README → Cold start). Preloaded, it is
/// the second object searched.
const SLOW_TO_LINK: &[&str] = &["libflite_cmu_time_awb.so"];

/// The `LD_PRELOAD` to hand WebKit's web and network processes (they inherit this process's
/// environment): the paths, as mapped in this process (`maps`, the text of
/// `/proc/self/maps`), of the libraries in `SLOW_TO_LINK`. None when `LD_PRELOAD` is already
/// set (`current`: someone's own, left alone) or none of them is loaded (another WebKit
/// build): a library this process has mapped exists, and the helpers link the same WebKit.
fn helper_preload(maps: &str, current: Option<&std::ffi::OsStr>) -> Option<String> {
    if current.is_some() {
        return None;
    }
    let mut paths: Vec<&str> = Vec::new();
    for line in maps.lines() {
        // The path is the sixth field, from its leading '/' to the end of the line.
        let Some(path) = line.find(" /").map(|at| &line[at + 1..]) else {
            continue;
        };
        let name = path.rsplit('/').next().unwrap_or(path);
        // LD_PRELOAD splits on spaces and colons; a replaced file shows as "… (deleted)".
        let listable = !path.contains([' ', ':']);
        if listable
            && SLOW_TO_LINK.iter().any(|slow| name.starts_with(slow))
            && !paths.contains(&path)
        {
            paths.push(path);
        }
    }
    (!paths.is_empty()).then(|| paths.join(":"))
}

/// Starts the desktop app.
pub fn run() {
    // Cold start is timed from the process start: the loader's work before `main` counts too.
    let now = std::time::Instant::now();
    let started = process_age()
        .and_then(|age| now.checked_sub(age))
        .unwrap_or(now);
    // Before GTK and WebKit start (they read it once), and while this is the only thread.
    if cpu_rendering(|name| std::env::var_os(name)) {
        std::env::set_var(WEBKIT_NO_COMPOSITING, "1");
    }
    if cfg!(target_os = "linux") {
        let maps = std::fs::read_to_string("/proc/self/maps").unwrap_or_default();
        if let Some(preload) = helper_preload(&maps, std::env::var_os("LD_PRELOAD").as_deref()) {
            std::env::set_var("LD_PRELOAD", preload);
        }
    }
    with_commands(tauri::Builder::default())
        .plugin(tauri_plugin_dialog::init())
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::DragDrop(e) = event {
                grant_dropped(window.app_handle(), e);
            }
        })
        .on_webview_event(|webview, event| {
            if let tauri::WebviewEvent::DragDrop(e) = event {
                grant_dropped(webview.app_handle(), e);
            }
        })
        .register_asynchronous_uri_scheme_protocol("media", |ctx, request, responder| {
            let handle = ctx.app_handle().clone();
            std::thread::spawn(move || {
                let state = handle.state::<AppState>();
                responder.respond(serve_media(&state, &request));
            });
        })
        .setup(move |app| {
            let app_data = app.path().app_data_dir()?;
            let folders = Folders::resolve(&app_data);
            eprintln!("[feiyi] registry folder: {}", folders.real.display());
            app.manage(AppState::opening(folders).started_at(started));
            scheduled_fixity(app.handle().clone());
            scheduled_backups(app.handle().clone());
            eprintln!("[feiyi] ready in {} ms", started.elapsed().as_millis());
            Ok(())
        })
        .build(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("[feiyi] 无法启动：{e}");
            std::process::exit(1);
        })
        .run(|app, event| {
            if let (tauri::RunEvent::Exit, Some(state)) = (event, app.try_state::<AppState>()) {
                state.close();
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_preload_the_slow_to_link_voice_when_it_is_mapped_and_nothing_else_is_preloaded() {
        let awb = "/usr/lib/x86_64-linux-gnu/libflite_cmu_time_awb.so.2.2";
        let maps = format!(
            "55d0c0a00000-55d0c0a01000 r--p 00000000 fe:01 131 /tmp/feiyi-desktop\n\
             7f1a2b000000-7f1a2b100000 r--p 00000000 fe:01 262 {awb}\n\
             7f1a2b100000-7f1a2b200000 r-xp 00100000 fe:01 262 {awb}\n\
             7f1a2c000000-7f1a2c001000 r--p 00000000 fe:01 263 /usr/lib/x86_64-linux-gnu/libflite.so.2.2\n\
             7f1a2d000000-7f1a2d021000 rw-p 00000000 00:00 0 \n\
             7ffd1e000000-7ffd1e021000 rw-p 00000000 00:00 0                          [stack]\n"
        );
        // Once, by the path this process mapped; other flite libraries are not slow.
        assert_eq!(helper_preload(&maps, None).as_deref(), Some(awb));
        // Someone's own LD_PRELOAD (even an empty one) is left as it is.
        assert_eq!(helper_preload(&maps, Some("/opt/x.so".as_ref())), None);
        assert_eq!(helper_preload(&maps, Some("".as_ref())), None);
        // A WebKit built without flite: nothing to preload.
        let without = maps.replace(awb, "/usr/lib/x86_64-linux-gnu/libsoup-3.0.so.0");
        assert_eq!(helper_preload(&without, None), None);
        // Upgraded under the running app, or at a path LD_PRELOAD cannot list: left out.
        let deleted = maps.replace(awb, &format!("{awb} (deleted)"));
        assert_eq!(helper_preload(&deleted, None), None);
        let odd = maps.replace("/usr/lib/", "/opt/my libs/");
        assert_eq!(helper_preload(&odd, None), None);
        assert_eq!(helper_preload("", None), None);
    }

    #[test]
    fn start_marks_say_when_the_page_began_and_each_stage_after_it() {
        let marks = StartMarks {
            script: Some(310.4),
            asked: Some(311.0),
            mounted: Some(352.0),
            answered: Some(401.0),
            drawn: Some(420.0),
            ..StartMarks::default()
        };
        assert_eq!(
            marks.describe(1000),
            "; page began at 580 ms: script +310, asked +311, mounted +352, answered +401, drawn +420"
        );
        assert_eq!(StartMarks::default().describe(1000), "");
        // Painted is the last mark: the page began `total - painted` ago.
        let marks = StartMarks {
            script: Some(150.0),
            drawn: Some(300.0),
            painted: Some(450.0),
            ..StartMarks::default()
        };
        assert_eq!(
            marks.describe(1000),
            "; page began at 550 ms: script +150, drawn +300, painted +450"
        );
        // Listed in the order reached: here the shell was mounted after the register.
        let marks = StartMarks {
            script: Some(180.0),
            ready: Some(220.0),
            view: Some(330.0),
            answered: Some(331.0),
            mounted: Some(700.0),
            drawn: Some(750.0),
            ..StartMarks::default()
        };
        assert_eq!(
            marks.describe(1400),
            "; page began at 650 ms: script +180, ready +220, view +330, answered +331, mounted +700, drawn +750"
        );
    }

    #[test]
    fn the_process_age_is_read_from_its_start_tick_and_the_uptime() {
        // Field 22 (starttime) is 12345 ticks = 123.45 s after boot; now is 124.00 s.
        let stat = format!("4242 (feiyi (desk) top) S {} 12345 0 0", "1 ".repeat(18));
        assert_eq!(
            process_age_from(&stat, "124.00 400.00\n"),
            Some(std::time::Duration::from_millis(550))
        );
        // A clock read just before the start tick does not go negative.
        assert_eq!(
            process_age_from(&stat, "123.40 1.0"),
            Some(std::time::Duration::ZERO)
        );
        assert_eq!(process_age_from("4242 (feiyi) S 1 2", "1.0 1.0"), None);
        assert_eq!(process_age_from(&stat, ""), None);
        assert!(process_age().is_some(), "this test runs on Linux");
    }

    #[test]
    fn the_page_is_drawn_on_the_cpu_unless_the_gpu_is_asked_for() {
        use std::ffi::OsString;
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| OsString::from(v))
            }
        };
        let linux = cfg!(target_os = "linux");
        assert_eq!(cpu_rendering(env(&[])), linux);
        assert_eq!(cpu_rendering(env(&[("FEIYI_GPU", "0")])), linux);
        assert!(!cpu_rendering(env(&[("FEIYI_GPU", "1")])));
        // The clerk's own WebKit setting wins, whichever way it points.
        assert!(!cpu_rendering(env(&[(
            "WEBKIT_DISABLE_COMPOSITING_MODE",
            "0"
        )])));
        assert!(!cpu_rendering(env(&[(
            "WEBKIT_DISABLE_COMPOSITING_MODE",
            "1"
        )])));
    }

    #[test]
    fn a_registry_opened_in_the_background_is_waited_for_and_closed_on_quit() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("registry");
        let state = AppState::opening(Folders {
            real: real.clone(),
            sample: dir.path().join("registry-sample"),
        });
        // The first command waits for the opening instead of failing.
        let info = state.with(|r| r.info()).unwrap();
        assert_eq!(info.kind, RegistryKind::Real);
        state.with(|r| r.set_actor("王科员")).unwrap();
        assert!(real.join("registry.sqlite-wal").exists());
        // Quitting closes the file: SQLite folds its log back in and removes it.
        state.close();
        assert!(!real.join("registry.sqlite-wal").exists());
        assert_eq!(state.with(|r| r.info()).unwrap_err().code, "closed");
        let reopened = AppState::new(Folders {
            real,
            sample: dir.path().join("registry-sample"),
        });
        assert_eq!(reopened.with(|r| r.info()).unwrap().actor, "王科员");
    }

    #[test]
    fn long_reads_run_on_a_reader_and_leave_the_registry_free() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::new(Folders {
            real: dir.path().join("registry"),
            sample: dir.path().join("registry-sample"),
        });
        state.with(|r| r.set_actor("王科员")).unwrap();
        let actor = state
            .read(|r| {
                // Meanwhile the registry itself is free for other commands.
                assert!(state.registry.try_lock().is_ok());
                Ok(r.info()?.actor)
            })
            .unwrap();
        assert_eq!(actor, "王科员");
        assert!(state.read(|r| r.reminders()).is_ok());
    }

    #[test]
    fn ranges_are_answered_in_bounded_pieces() {
        let mb = 1u64 << 20;
        assert_eq!(byte_range(None, 1000), Some((0, 999)));
        assert_eq!(byte_range(Some("bytes=0-99"), 1000), Some((0, 99)));
        assert_eq!(byte_range(Some("bytes=900-"), 1000), Some((900, 999)));
        assert_eq!(byte_range(Some("bytes=-100"), 1000), Some((900, 999)));
        assert_eq!(byte_range(Some("bytes=990-5000"), 1000), Some((990, 999)));
        assert_eq!(byte_range(Some("bytes=1000-"), 1000), None);
        assert_eq!(byte_range(Some("bytes=5-2"), 1000), None);
        assert_eq!(byte_range(Some("items=0-1"), 1000), None);
        assert_eq!(byte_range(Some("bytes=0-"), 0), None);
        // A 3 GB video: an open range and a request without Range get one piece.
        let video = 3 * 1024 * mb;
        assert_eq!(byte_range(Some("bytes=0-"), video), Some((0, 8 * mb - 1)));
        assert_eq!(byte_range(None, video), Some((0, 64 * mb - 1)));
    }

    #[test]
    fn errors_cross_ipc_as_code_message_and_fields() {
        let e = Error::Validation(vec![FieldError::new("name", "请填写项目名称")]);
        let json = serde_json::to_value(IpcError::from(e)).unwrap();
        assert_eq!(json["code"], "validation");
        assert!(json["message"].as_str().unwrap().contains("请填写项目名称"));
        assert_eq!(json["fields"][0]["field"], "name");
        let e = Error::NotFound {
            kind: "项目",
            id: "x".into(),
        };
        let json = serde_json::to_value(IpcError::from(e)).unwrap();
        assert_eq!(json["code"], "not_found");
        assert!(json.get("fields").is_none());
    }

    #[test]
    fn the_sample_registry_lives_beside_the_real_one_never_inside() {
        let f = Folders::resolve(Path::new("/home/u/.local/share/cn.feiyi.registry"));
        if std::env::var_os("FEIYI_DATA_DIR").is_none() {
            assert_eq!(
                f.real,
                Path::new("/home/u/.local/share/cn.feiyi.registry/registry")
            );
            assert_eq!(
                f.sample,
                Path::new("/home/u/.local/share/cn.feiyi.registry/registry-sample")
            );
        }
        assert!(!f.sample.starts_with(&f.real));
    }

    #[test]
    fn the_media_protocol_serves_only_the_stores_files() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("registry");
        let state = AppState::new(Folders {
            real: real.clone(),
            sample: dir.path().join("registry-sample"),
        });
        let pdf = dir.path().join("扫描件.pdf");
        std::fs::write(
            &pdf,
            b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
        )
        .unwrap();
        let report = state
            .with(|r| r.media_import(&[pdf], None, &|_| {}, &AtomicBool::new(false)))
            .unwrap();
        let sha = report.outcomes[0].sha256.clone().unwrap();
        let get = |path: &str| {
            let request = tauri::http::Request::builder()
                .uri(format!("media://localhost/{path}"))
                .body(Vec::new())
                .unwrap();
            serve_media(&state, &request)
        };
        let ok = get(&format!("original/{sha}"));
        assert_eq!(ok.status(), 200);
        assert!(ok.body().starts_with(b"%PDF"));
        // Anything that is not a live record's hash is not found: the path never comes
        // from the request.
        let other = "0".repeat(64);
        for bad in [
            "original/../registry.sqlite".to_string(),
            "original/..%2Fregistry.sqlite".to_string(),
            format!("original/{other}"),
            format!("original/{}", sha.to_uppercase()),
            format!("secret/{sha}"),
            "original/%2Fetc%2Fpasswd".to_string(),
            "original".to_string(),
        ] {
            let r = get(&bad);
            assert_eq!(r.status(), 404, "{bad}");
            assert!(
                !r.body().starts_with(b"%PDF") && !r.body().starts_with(b"SQLite"),
                "{bad}"
            );
        }
        // A deleted record's file is not served either.
        let id = report.outcomes[0].media_id.clone().unwrap();
        state.with(|r| r.media_delete(&id, "测试")).unwrap();
        assert_eq!(get(&format!("original/{sha}")).status(), 404);
    }

    #[test]
    fn a_refused_registry_keeps_the_app_up_and_says_why() {
        let dir = std::env::temp_dir().join(format!("feiyi-shell-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join(feiyi_core::api::DB_FILE),
            b"not a database at all, just text",
        )
        .unwrap();
        let state = AppState::new(Folders {
            real: dir.clone(),
            sample: dir.with_extension("sample"),
        });
        let err = state.with(|r| r.info()).unwrap_err();
        assert_eq!(err.code, "not_a_database");
        assert!(err.message.contains("未做任何改动"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
