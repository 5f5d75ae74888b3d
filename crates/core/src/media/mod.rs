//! The media store on disk: originals under their SHA-256, written atomically, never modified.
//!
//! Only this module touches the store. [`store`] writes and reads originals;
//! [`sniff`] tells a file's format from its content; [`structure`] checks, while a
//! file is copied, that it is whole; [`intake`] puts these together for one file
//! offered for import and leaves it staged, ready to be committed once its record
//! can be written.

pub mod geo;
pub mod import;
mod jpeg_dc;
pub mod meta;
pub mod sniff;
pub mod store;
pub mod structure;
pub mod thumbs;

pub use sniff::Format;
pub use store::{StageError, Staged, Store, Stored};

use std::io::{BufReader, Cursor, Read};
use std::sync::atomic::AtomicBool;

/// A file copied into the store's temporary area and found acceptable.
#[derive(Debug)]
pub struct Accepted {
    /// The copy, hashed; commit it to keep it, drop it to discard it.
    pub staged: Staged,
    /// Its format (from the content).
    pub format: Format,
    /// The extension to store it under (lowercase).
    pub ext: String,
    /// Pixel width and height of a photo whose header could be read.
    pub dimensions: Option<(u32, u32)>,
}

/// What became of a file offered to the store.
#[derive(Debug)]
pub enum Intake {
    /// Acceptable; staged.
    Accepted(Box<Accepted>),
    /// Refused; nothing is left in the store.
    Rejected {
        /// SHA-256 of the content, when it was read through.
        sha256: Option<String>,
        /// Chinese explanation naming the file.
        message: String,
    },
    /// The cancel flag was raised; nothing is left in the store.
    Cancelled,
}

fn rejected(name: &str, why: impl std::fmt::Display) -> Intake {
    Intake::Rejected {
        sha256: None,
        message: format!("“{name}”{why}，未导入。"),
    }
}

/// The extension of a file name, if any.
fn extension(name: &str) -> Option<&str> {
    std::path::Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
}

/// Reads the whole of `reader` (the content of a file called `name`) into the store's
/// temporary area, once: sniffs its format from the first bytes, checks the name's
/// extension against it, hashes and checks the structure while copying, and reads a
/// photo's header for its size. `progress` gets the bytes copied so far.
pub fn intake(
    store: &Store,
    name: &str,
    reader: &mut dyn Read,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(u64),
) -> Intake {
    let mut head = Vec::with_capacity(sniff::HEAD_LEN);
    if let Err(e) = (&mut *reader)
        .take(sniff::HEAD_LEN as u64)
        .read_to_end(&mut head)
    {
        return rejected(name, format_args!("读取失败（{e}）"));
    }
    if head.is_empty() {
        return rejected(name, "是空文件（0 字节）");
    }
    let Some(content) = sniff::sniff(&head) else {
        return rejected(
            name,
            format_args!("的文件类型无法识别；资料库只收{}", sniff::ACCEPTED),
        );
    };
    let (format, ext) = match sniff::reconcile(extension(name), content) {
        Ok(ok) => ok,
        Err(sniff::Mismatch::Unaccepted(ext)) => {
            return rejected(
                name,
                format_args!(
                    "的扩展名 .{ext} 不是资料库收录的类型（内容是{}）；资料库只收{}",
                    content.label(),
                    sniff::ACCEPTED
                ),
            )
        }
        Err(sniff::Mismatch::Lies { ext, named }) => {
            return rejected(
                name,
                format_args!(
                    "的扩展名 .{ext} 表示{}，但内容是{}，扩展名与内容不符；请核对文件、改正扩展名后再导入",
                    named.label(),
                    content.label()
                ),
            )
        }
    };
    let mut check = structure::Structure::new(content);
    let mut source = Cursor::new(head).chain(reader);
    let staged = match store.stage(&mut source, cancel, &mut |chunk, done| {
        check.feed(chunk);
        progress(done);
    }) {
        Ok(s) => s,
        Err(StageError::Cancelled) => return Intake::Cancelled,
        Err(StageError::Read(e)) => return rejected(name, format_args!("读取失败（{e}）")),
        Err(StageError::Store(e)) => {
            return Intake::Rejected {
                sha256: None,
                message: format!("“{name}”未能存入资料库：{e}"),
            }
        }
    };
    let sha256 = Some(staged.sha256().to_string());
    if let Err(why) = check.finish(staged.size()) {
        return Intake::Rejected {
            sha256,
            message: format!("“{name}”{why}，未导入。"),
        };
    }
    let dimensions = match format {
        Format::Jpeg | Format::Png | Format::Tiff => {
            let header = staged.reader().ok().and_then(|f| {
                image::ImageReader::new(BufReader::new(f))
                    .with_guessed_format()
                    .ok()?
                    .into_dimensions()
                    .ok()
            });
            match header {
                Some(d) => Some(d),
                None => {
                    return Intake::Rejected {
                        sha256,
                        message: format!(
                            "“{name}”的文件头无法解析，不是有效的{}（可能已损坏），未导入。",
                            format.label()
                        ),
                    }
                }
            }
        }
        _ => None,
    };
    Intake::Accepted(Box::new(Accepted {
        staged,
        format,
        ext,
        dimensions,
    }))
}
