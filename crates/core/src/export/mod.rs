//! The register's own exports (no UI, no database access): tables built by
//! [`crate::api::Registry`] and documents built by `application::forms` are written here.

pub mod doc;
pub mod docx;
pub mod pdf;
pub mod raster;
pub mod xlsx;

use crate::error::{Error, Result};
use std::path::Path;

/// Writes `bytes` to a temporary file beside `path`, syncs it, and renames it into place, so a
/// reader never sees half a file. `ext` names the file kind in the message when `path` is a
/// folder (`请给出 .docx 文件名`).
pub(crate) fn write_atomic(path: &Path, bytes: &[u8], ext: &str) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if path.is_dir() {
        return Err(Error::io(
            path,
            std::io::Error::other(format!("这是一个文件夹，请给出 .{ext} 文件名")),
        ));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", uuid::Uuid::now_v7().simple()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        crate::fault::write_all(&mut f, &tmp, bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}
