//! The core's one error type, with stable machine codes and Chinese messages.
//!
//! Shells branch on [`Error::code`] and show the `Display` text, which is written
//! for a bureau clerk. Field-level problems travel as [`FieldError`]s so that a form
//! can mark the exact input.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use ts_rs::TS;

/// A problem with one input field, named as the form names it (camelCase, dotted for nesting).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FieldError {
    /// Field path, e.g. `name`, `texts.summary`, `listings.0.level`.
    pub field: String,
    /// Chinese explanation.
    pub message: String,
}

impl FieldError {
    /// A field error.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Input failed validation; nothing was written.
    #[error("输入有误：{}", summarize(.0))]
    Validation(Vec<FieldError>),
    /// No record with that id.
    #[error("找不到{kind}：{id}")]
    NotFound {
        /// Chinese name of the record kind.
        kind: &'static str,
        /// The id asked for.
        id: String,
    },
    /// The record is in the recycle bin.
    #[error("{kind}已删除（在回收站中），请先恢复：{id}")]
    Deleted {
        /// Chinese name of the record kind.
        kind: &'static str,
        /// The id.
        id: String,
    },
    /// The change contradicts existing data (e.g. a code already taken).
    #[error("{0}")]
    Conflict(String),
    /// The application package was not exported: the pre-flight check found errors and the
    /// user gave no reason to override them. Nothing was written.
    #[error("申报体检发现 {count} 个错误，未导出申报材料。请先改正；确需带着错误导出时，请填写原因后越过。")]
    PreflightErrors {
        /// Number of errors found.
        count: i64,
    },
    /// The file is an SQLite database but not a Feiyi registry.
    #[error("“{}”不是非遗名录的数据文件（可能是其他软件的数据库），未做任何改动。", .path.display())]
    ForeignFile {
        /// The file.
        path: PathBuf,
    },
    /// The file is not a database at all.
    #[error("“{}”不是有效的数据库文件，可能已损坏或不是名录文件，未做任何改动。", .path.display())]
    NotADatabase {
        /// The file.
        path: PathBuf,
    },
    /// The file was written by a newer version of the app.
    #[error("“{}”由更新版本的非遗名录写入（数据版本 {found}，本程序支持到 {supported}），请升级软件后再打开；文件未做任何改动。", .path.display())]
    NewerVersion {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The newest this build knows.
        supported: i64,
    },
    /// A file could not be read or written.
    #[error("文件读写失败：{}：{source}", .path.display())]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A file the user fed in (spreadsheet, exchange package, backup) was refused before
    /// anything was written: damaged, wrong format, unsafe paths, too large. Nothing changed.
    #[error("“{}”无法使用：{reason}。未做任何改动。", .path.display())]
    BadInput {
        /// The file.
        path: PathBuf,
        /// Why, in Chinese, naming the sheet, row, entry or field where there is one.
        reason: String,
    },
    /// The disk (or the registry's file system) is full. The write was abandoned whole;
    /// what was committed before is intact.
    #[error("磁盘空间不足，无法写入“{}”。此次操作未完成，已有数据没有受到影响；请腾出空间后重试。", .path.display())]
    DiskFull {
        /// The file being written.
        path: PathBuf,
    },
    /// The database engine failed.
    #[error("数据库错误：{0}")]
    Db(rusqlite::Error),
    /// Input could not be parsed (JSON from a file, say).
    #[error("无法解析{what}：{detail}")]
    Parse {
        /// What was being parsed.
        what: String,
        /// Why it failed.
        detail: String,
    },
}

fn summarize(fields: &[FieldError]) -> String {
    fields
        .iter()
        .map(|f| f.message.as_str())
        .collect::<Vec<_>>()
        .join("；")
}

impl Error {
    /// The stable machine code of this error, for shells to branch on.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Validation(_) => "validation",
            Error::NotFound { .. } => "not_found",
            Error::Deleted { .. } => "deleted",
            Error::Conflict(_) => "conflict",
            Error::PreflightErrors { .. } => "preflight_errors",
            Error::ForeignFile { .. } => "foreign_file",
            Error::NotADatabase { .. } => "not_a_database",
            Error::NewerVersion { .. } => "newer_version",
            Error::Io { .. } => "io",
            Error::BadInput { .. } => "bad_input",
            Error::DiskFull { .. } => "disk_full",
            Error::Db(_) => "db",
            Error::Parse { .. } => "parse",
        }
    }

    /// The field errors, if this is a validation error.
    pub fn fields(&self) -> &[FieldError] {
        match self {
            Error::Validation(f) => f,
            _ => &[],
        }
    }

    /// Whether this is a problem with the user's data (exit 1) rather than with I/O or usage (exit 2).
    pub fn is_domain(&self) -> bool {
        !matches!(
            self,
            Error::Io { .. } | Error::Parse { .. } | Error::DiskFull { .. }
        )
    }

    /// A validation error for one field.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Validation(vec![FieldError::new(field, message)])
    }

    /// An I/O failure on `path`; a full disk (ENOSPC, ERROR_DISK_FULL) becomes [`Error::DiskFull`].
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        let path = path.into();
        if is_disk_full(&source) {
            return Error::DiskFull { path };
        }
        Error::Io { path, source }
    }

    /// A refused input file.
    pub(crate) fn bad_input(path: impl Into<PathBuf>, reason: impl Into<String>) -> Self {
        Error::BadInput {
            path: path.into(),
            reason: reason.into(),
        }
    }
}

/// Whether an I/O error means "no space left" (Linux ENOSPC 28, EDQUOT 122; Windows
/// ERROR_DISK_FULL 112, ERROR_HANDLE_DISK_FULL 39).
pub fn is_disk_full(e: &std::io::Error) -> bool {
    if e.kind() == std::io::ErrorKind::StorageFull || e.kind() == std::io::ErrorKind::QuotaExceeded
    {
        return true;
    }
    match e.raw_os_error() {
        #[cfg(unix)]
        Some(28) | Some(122) => true,
        #[cfg(windows)]
        Some(112) | Some(39) => true,
        _ => false,
    }
}

impl From<rusqlite::Error> for Error {
    /// SQLite's "database or disk is full" becomes [`Error::DiskFull`] (on the registry
    /// database, whose path the engine does not tell), so the user reads the same
    /// sentence whichever layer ran out of space.
    fn from(e: rusqlite::Error) -> Self {
        if let rusqlite::Error::SqliteFailure(f, _) = &e {
            if f.code == rusqlite::ErrorCode::DiskFull {
                return Error::DiskFull {
                    path: PathBuf::from(crate::api::DB_FILE),
                };
            }
        }
        Error::Db(e)
    }
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
