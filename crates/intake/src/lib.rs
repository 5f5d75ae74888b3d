//! Reading files that come from outside the registry: spreadsheets a clerk imports and
//! exchange packages a colleague sends. Nothing here touches the registry; every reader
//! returns plain values or a [`IntakeError`] in Chinese, and enforces size limits before
//! it allocates, so that a hostile file costs little. The crate has no heavy dependencies
//! so that `cargo fuzz` can build it quickly (see `fuzz/`).

pub mod archive;
pub mod sheet;

/// Why a file was refused; the message is Chinese and names the sheet, row or entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct IntakeError(pub String);

/// The crate's result type.
pub type Result<T, E = IntakeError> = std::result::Result<T, E>;
