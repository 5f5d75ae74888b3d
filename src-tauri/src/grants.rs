//! Which file-system paths the webview may name.
//!
//! The webview never chooses a path on its own: every path a command takes must be one
//! the clerk picked in a system dialog (the shell's `pick_*` commands) or dropped onto
//! the window (the shell sees the drop itself), or lie inside a folder so chosen. A
//! script that got into the webview can therefore not make the app read, import,
//! overwrite or export to any other place.

use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// The paths granted in this run of the app.
#[derive(Debug, Default)]
pub struct Grants {
    paths: Mutex<Vec<PathBuf>>,
}

/// Lexically normalised absolute path, or `None` for a relative path or one with `..`.
fn normal(path: &Path) -> Option<PathBuf> {
    if !path.is_absolute() {
        return None;
    }
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => return None,
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    Some(out)
}

/// The path with symbolic links resolved when it exists (so a link inside a granted
/// folder cannot lead outside it); the lexical form otherwise (a file to be created).
fn resolved(path: &Path) -> Option<PathBuf> {
    let n = normal(path)?;
    match std::fs::canonicalize(&n) {
        Ok(c) => Some(c),
        Err(_) => {
            // A new file: resolve its folder, keep its name.
            let parent = n.parent()?;
            let name = n.file_name()?;
            Some(std::fs::canonicalize(parent).ok()?.join(name))
        }
    }
}

impl Grants {
    /// Grants `path` (a picked or dropped file or folder, or a file to be saved).
    pub fn grant(&self, path: &Path) {
        if let Some(p) = resolved(path) {
            if let Ok(mut g) = self.paths.lock() {
                if !g.contains(&p) {
                    g.push(p);
                }
            }
        }
    }

    /// Whether `path` is granted or lies inside a granted folder.
    pub fn allows(&self, path: &Path) -> bool {
        let Some(p) = resolved(path) else {
            return false;
        };
        self.paths
            .lock()
            .map(|g| {
                g.iter()
                    .any(|granted| p == *granted || p.starts_with(granted) && granted.is_dir())
            })
            .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_chosen_paths_and_what_lies_inside_chosen_folders_are_allowed() {
        let root = tempfile::tempdir().unwrap();
        let chosen = root.path().join("chosen");
        let other = root.path().join("other");
        std::fs::create_dir_all(chosen.join("sub")).unwrap();
        std::fs::create_dir_all(&other).unwrap();
        std::fs::write(chosen.join("sub/a.jpg"), b"x").unwrap();
        std::fs::write(other.join("secret.txt"), b"x").unwrap();
        let file = root.path().join("list.xlsx");
        std::fs::write(&file, b"x").unwrap();

        let g = Grants::default();
        assert!(!g.allows(&file));
        g.grant(&file);
        g.grant(&chosen);
        assert!(g.allows(&file));
        assert!(g.allows(&chosen.join("sub/a.jpg")));
        assert!(
            g.allows(&chosen.join("new-export.zip")),
            "a new file in a chosen folder"
        );
        assert!(!g.allows(&other.join("secret.txt")));
        assert!(
            !g.allows(&chosen.join("../other/secret.txt")),
            "no way out with .."
        );
        assert!(!g.allows(Path::new("relative/list.xlsx")));
        // A granted file is not a folder: nothing "inside" it.
        assert!(!g.allows(&file.join("x")));
        // A file to be saved is granted before it exists.
        let save = root.path().join("out.zip");
        g.grant(&save);
        assert!(g.allows(&save));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_inside_a_chosen_folder_cannot_lead_out() {
        let root = tempfile::tempdir().unwrap();
        let chosen = root.path().join("chosen");
        let other = root.path().join("other");
        std::fs::create_dir_all(&chosen).unwrap();
        std::fs::create_dir_all(&other).unwrap();
        std::fs::write(other.join("secret.txt"), b"x").unwrap();
        std::os::unix::fs::symlink(&other, chosen.join("link")).unwrap();
        let g = Grants::default();
        g.grant(&chosen);
        assert!(!g.allows(&chosen.join("link/secret.txt")));
    }
}
