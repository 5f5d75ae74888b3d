//! Recognising a file's format from its first bytes, and checking its extension against it.
//!
//! The library accepts a few formats only: photos (JPEG, PNG, TIFF, HEIC), videos
//! (MP4, MOV), audio (MP3, WAV, M4A) and PDF documents. The kind stored with a file
//! comes from its content; an extension that names another format is refused.

/// A format the library accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JPEG photo.
    Jpeg,
    /// PNG image.
    Png,
    /// TIFF image (scans).
    Tiff,
    /// HEIC/HEIF photo (phones).
    Heic,
    /// MP4 video.
    Mp4,
    /// QuickTime video.
    Mov,
    /// MP3 audio.
    Mp3,
    /// WAV audio.
    Wav,
    /// MPEG-4 audio.
    M4a,
    /// PDF document.
    Pdf,
}

/// What the library accepts, for messages.
pub const ACCEPTED: &str =
    "照片（JPEG、PNG、TIFF、HEIC）、视频（MP4、MOV）、音频（MP3、WAV、M4A）和 PDF 文档";

impl Format {
    /// 照片, 视频, 音频 or 文档.
    pub fn kind(self) -> &'static str {
        match self {
            Format::Jpeg | Format::Png | Format::Tiff | Format::Heic => "照片",
            Format::Mp4 | Format::Mov => "视频",
            Format::Mp3 | Format::Wav | Format::M4a => "音频",
            Format::Pdf => "文档",
        }
    }

    /// The MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Tiff => "image/tiff",
            Format::Heic => "image/heic",
            Format::Mp4 => "video/mp4",
            Format::Mov => "video/quicktime",
            Format::Mp3 => "audio/mpeg",
            Format::Wav => "audio/wav",
            Format::M4a => "audio/mp4",
            Format::Pdf => "application/pdf",
        }
    }

    /// A Chinese name for messages, e.g. `JPEG 照片`.
    pub fn label(self) -> &'static str {
        match self {
            Format::Jpeg => "JPEG 照片",
            Format::Png => "PNG 图片",
            Format::Tiff => "TIFF 图片",
            Format::Heic => "HEIC 照片",
            Format::Mp4 => "MP4 视频",
            Format::Mov => "MOV 视频",
            Format::Mp3 => "MP3 音频",
            Format::Wav => "WAV 录音",
            Format::M4a => "M4A 音频",
            Format::Pdf => "PDF 文档",
        }
    }

    /// The usual extension, used when a file has none.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Tiff => "tif",
            Format::Heic => "heic",
            Format::Mp4 => "mp4",
            Format::Mov => "mov",
            Format::Mp3 => "mp3",
            Format::Wav => "wav",
            Format::M4a => "m4a",
            Format::Pdf => "pdf",
        }
    }

    /// The format an extension (lowercase, without the dot) names, if accepted.
    pub fn from_ext(ext: &str) -> Option<Format> {
        Some(match ext {
            "jpg" | "jpeg" | "jpe" | "jfif" => Format::Jpeg,
            "png" => Format::Png,
            "tif" | "tiff" => Format::Tiff,
            "heic" | "heif" | "hif" => Format::Heic,
            "mp4" | "m4v" => Format::Mp4,
            "mov" | "qt" => Format::Mov,
            "mp3" => Format::Mp3,
            "wav" | "wave" => Format::Wav,
            "m4a" => Format::M4a,
            "pdf" => Format::Pdf,
            _ => return None,
        })
    }

    /// MP4, MOV and M4A share one container (ISO base media): their extensions are
    /// used interchangeably by cameras and recorders.
    fn is_mpeg4_family(self) -> bool {
        matches!(self, Format::Mp4 | Format::Mov | Format::M4a)
    }
}

/// How many leading bytes [`sniff`] looks at.
pub const HEAD_LEN: usize = 4096;

/// The format the first bytes of a file show, if it is one the library accepts.
pub fn sniff(head: &[u8]) -> Option<Format> {
    let at = |i: usize, magic: &[u8]| head.get(i..i + magic.len()) == Some(magic);
    if at(0, &[0xFF, 0xD8, 0xFF]) {
        return Some(Format::Jpeg);
    }
    if at(0, b"\x89PNG\r\n\x1a\n") {
        return Some(Format::Png);
    }
    // Classic TIFF, then BigTIFF (large scans).
    if at(0, b"II*\0") || at(0, b"MM\0*") || at(0, b"II+\0") || at(0, b"MM\0+") {
        return Some(Format::Tiff);
    }
    if at(0, b"RIFF") && at(8, b"WAVE") {
        return Some(Format::Wav);
    }
    if at(0, b"%PDF-") {
        return Some(Format::Pdf);
    }
    if at(4, b"ftyp") {
        return ftyp(head);
    }
    // Old QuickTime files start with a movie atom, not `ftyp`.
    if ["moov", "mdat", "wide", "free", "skip", "pnot"]
        .iter()
        .any(|a| at(4, a.as_bytes()))
    {
        return Some(Format::Mov);
    }
    if at(0, b"ID3") || mpeg_audio_frame(head) {
        return Some(Format::Mp3);
    }
    None
}

/// An MPEG audio frame header: 11 sync bits, a layer, a valid bit-rate index.
fn mpeg_audio_frame(head: &[u8]) -> bool {
    match head {
        [a, b, c, ..] => *a == 0xFF && b & 0xE0 == 0xE0 && (b >> 1) & 0b11 != 0 && c >> 4 != 0b1111,
        _ => false,
    }
}

/// The ISO base media formats, told apart by the brands of their `ftyp` box.
fn ftyp(head: &[u8]) -> Option<Format> {
    let major = head.get(8..12)?;
    let size = head
        .get(0..4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
        .unwrap_or(0)
        .min(head.len());
    let compatible: Vec<&[u8]> = head
        .get(16..size.max(16))
        .unwrap_or(&[])
        .chunks_exact(4)
        .collect();
    let has = |brand: &[u8]| compatible.contains(&brand);
    match major {
        b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"hevm" | b"hevs" => {
            Some(Format::Heic)
        }
        b"mif1" | b"msf1" if !has(b"avif") && !has(b"avis") => Some(Format::Heic),
        b"mif1" | b"msf1" | b"avif" | b"avis" | b"crx " => None,
        b"M4A " | b"M4B " | b"M4P " => Some(Format::M4a),
        b"qt  " => Some(Format::Mov),
        _ => Some(Format::Mp4),
    }
}

/// Why a file's name does not fit its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    /// The extension is not one the library accepts.
    Unaccepted(String),
    /// The extension names another accepted format.
    Lies {
        /// The extension.
        ext: String,
        /// The format it names.
        named: Format,
    },
}

/// Checks a file's extension against its content; returns the format to store (the
/// extension decides between MP4, MOV and M4A) and the extension for the stored file.
pub fn reconcile(ext: Option<&str>, content: Format) -> Result<(Format, String), Mismatch> {
    let Some(ext) = ext.map(str::to_ascii_lowercase).filter(|e| !e.is_empty()) else {
        return Ok((content, content.ext().to_string()));
    };
    let Some(named) = Format::from_ext(&ext) else {
        return Err(Mismatch::Unaccepted(ext));
    };
    if named == content {
        return Ok((content, ext));
    }
    if named.is_mpeg4_family() && content.is_mpeg4_family() {
        let format = if named == Format::M4a || content == Format::M4a {
            Format::M4a
        } else {
            named
        };
        return Ok((format, ext));
    }
    Err(Mismatch::Lies { ext, named })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes_name_the_format() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(Format::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some(Format::Png));
        assert_eq!(sniff(b"II*\0...."), Some(Format::Tiff));
        assert_eq!(sniff(b"MM\0+\0\x08\0\0"), Some(Format::Tiff));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WAVEfmt "), Some(Format::Wav));
        assert_eq!(sniff(b"%PDF-1.4\n"), Some(Format::Pdf));
        assert_eq!(
            sniff(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic"),
            Some(Format::Heic)
        );
        assert_eq!(sniff(b"\0\0\0\x18ftypmif1\0\0\0\0mif1avif"), None);
        assert_eq!(
            sniff(b"\0\0\0\x18ftypisom\0\0\x02\0isomiso2"),
            Some(Format::Mp4)
        );
        assert_eq!(sniff(b"\0\0\0\x14ftypqt  \0\0\0\0qt  "), Some(Format::Mov));
        assert_eq!(
            sniff(b"\0\0\0\x18ftypM4A \0\0\0\0M4A mp42"),
            Some(Format::M4a)
        );
        assert_eq!(sniff(b"ID3\x04\0\0\0\0\0\0"), Some(Format::Mp3));
        assert_eq!(sniff(&[0xFF, 0xFB, 0x90, 0x64]), Some(Format::Mp3));
        assert_eq!(sniff(b"hello, world"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn extensions_must_match_the_content() {
        assert_eq!(
            reconcile(Some("JPG"), Format::Jpeg),
            Ok((Format::Jpeg, "jpg".into()))
        );
        assert_eq!(
            reconcile(None, Format::Png),
            Ok((Format::Png, "png".into()))
        );
        assert_eq!(
            reconcile(Some("jpg"), Format::Png),
            Err(Mismatch::Lies {
                ext: "jpg".into(),
                named: Format::Jpeg
            })
        );
        assert_eq!(
            reconcile(Some("txt"), Format::Pdf),
            Err(Mismatch::Unaccepted("txt".into()))
        );
        assert_eq!(
            reconcile(Some("m4a"), Format::Mp4),
            Ok((Format::M4a, "m4a".into()))
        );
        assert_eq!(
            reconcile(Some("mp4"), Format::Mov),
            Ok((Format::Mp4, "mp4".into()))
        );
        assert!(reconcile(Some("mp4"), Format::Heic).is_err());
    }
}
