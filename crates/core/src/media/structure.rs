//! Streaming checks that a file is whole: fed each buffer as it is copied into the
//! store (so a file is read once), they tell at the end whether it was cut short.
//!
//! - JPEG: the markers are walked (segments skipped by their lengths, entropy-coded
//!   data scanned) until the end-of-image marker; data after it (phone trailers,
//!   motion-photo videos) is allowed.
//! - PNG: chunks are walked until `IEND`.
//! - MP4, MOV, M4A, HEIC: top-level boxes are walked; one that runs past the end of
//!   the file means the file was cut short.
//! - WAV: the RIFF header's size must fit in the file.
//! - PDF: `%%EOF` must appear in the last kilobyte.

use super::sniff::Format;

/// How many trailing bytes of a PDF are searched for `%%EOF` (as readers do).
const PDF_TAIL: usize = 1024;

/// A check in progress.
#[derive(Debug)]
pub struct Structure {
    state: State,
}

#[derive(Debug)]
enum State {
    Jpeg(Jpeg),
    Png(Chunks),
    Boxes(Boxes),
    Wav { header: Vec<u8> },
    Pdf { tail: Vec<u8> },
    Unchecked,
}

impl Structure {
    /// A check for a file of `format`.
    pub fn new(format: Format) -> Self {
        let state = match format {
            Format::Jpeg => State::Jpeg(Jpeg::default()),
            Format::Png => State::Png(Chunks::default()),
            Format::Mp4 | Format::Mov | Format::M4a | Format::Heic => {
                State::Boxes(Boxes::default())
            }
            Format::Wav => State::Wav { header: Vec::new() },
            Format::Pdf => State::Pdf { tail: Vec::new() },
            Format::Tiff | Format::Mp3 => State::Unchecked,
        };
        Self { state }
    }

    /// Takes the next bytes of the file.
    pub fn feed(&mut self, buf: &[u8]) {
        match &mut self.state {
            State::Jpeg(j) => j.feed(buf),
            State::Png(c) => c.feed(buf),
            State::Boxes(b) => b.feed(buf),
            State::Wav { header } => {
                let need = 8usize.saturating_sub(header.len()).min(buf.len());
                header.extend_from_slice(&buf[..need]);
            }
            State::Pdf { tail } => {
                if buf.len() >= PDF_TAIL {
                    tail.clear();
                    tail.extend_from_slice(&buf[buf.len() - PDF_TAIL..]);
                } else {
                    tail.extend_from_slice(buf);
                    let excess = tail.len().saturating_sub(PDF_TAIL);
                    tail.drain(..excess);
                }
            }
            State::Unchecked => {}
        }
    }

    /// The verdict once the whole file (`total` bytes) has been fed: `Err` says, in
    /// Chinese and without the file's name, what is wrong.
    pub fn finish(&self, total: u64) -> Result<(), String> {
        match &self.state {
            State::Jpeg(j) if !j.done() => {
                Err("不是完整的 JPEG 照片（缺少结束标记，可能只复制了一部分或已损坏）".into())
            }
            State::Png(c) if !c.done() => {
                Err("不是完整的 PNG 图片（缺少结束块，可能只复制了一部分或已损坏）".into())
            }
            State::Boxes(b) if b.cut_short() => {
                Err("不完整（文件中的数据块超出了文件末尾，可能只复制了一部分或已损坏）".into())
            }
            State::Wav { header } => {
                let riff = header
                    .get(4..8)
                    .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as u64 + 8)
                    .unwrap_or(u64::MAX);
                if riff > total {
                    Err(format!(
                        "不是完整的 WAV 录音（文件头记载 {riff} 字节，实际只有 {total} 字节，可能只复制了一部分）"
                    ))
                } else {
                    Ok(())
                }
            }
            State::Pdf { tail } if !tail.windows(5).any(|w| w == b"%%EOF") => {
                Err("不是完整的 PDF 文件（结尾缺少 %%EOF 标记，可能未下载或复制完整）".into())
            }
            _ => Ok(()),
        }
    }
}

/// The JPEG marker walk.
#[derive(Debug, Default)]
enum JpegState {
    /// Bytes of the start-of-image marker seen so far.
    #[default]
    Start,
    StartD8,
    /// Expecting `FF` before a marker code.
    Marker,
    /// After `FF`: the marker code.
    Code,
    /// First length byte of a segment (after a marker code).
    Len1 {
        sos: bool,
    },
    /// Second length byte.
    Len2 {
        sos: bool,
        hi: u8,
    },
    /// Inside a segment: bytes left to skip; entropy-coded data follows a start-of-scan.
    Skip {
        left: u64,
        sos: bool,
    },
    /// Entropy-coded data.
    Entropy,
    /// `FF` inside entropy-coded data.
    EntropyFf,
    /// End of image seen.
    Done,
    /// Not a JPEG after all.
    Broken,
}

#[derive(Debug, Default)]
struct Jpeg {
    state: JpegState,
}

impl Jpeg {
    fn done(&self) -> bool {
        matches!(self.state, JpegState::Done)
    }

    fn after_code(code: u8) -> JpegState {
        match code {
            0xD9 => JpegState::Done,
            0xFF => JpegState::Code,
            // Stand-alone markers: start of image, restart markers, TEM; stray 00 tolerated.
            0x00 | 0x01 | 0xD0..=0xD8 => JpegState::Marker,
            c => JpegState::Len1 { sos: c == 0xDA },
        }
    }

    fn feed(&mut self, buf: &[u8]) {
        use JpegState as S;
        let mut i = 0;
        while i < buf.len() {
            let b = buf[i];
            self.state = match std::mem::take(&mut self.state) {
                S::Start if b == 0xFF => S::StartD8,
                S::StartD8 if b == 0xD8 => S::Marker,
                S::Start | S::StartD8 | S::Broken => {
                    self.state = S::Broken;
                    return;
                }
                // Fill bytes between segments are tolerated, as decoders do.
                S::Marker => {
                    if b == 0xFF {
                        S::Code
                    } else {
                        S::Marker
                    }
                }
                S::Code => Self::after_code(b),
                S::Len1 { sos } => S::Len2 { sos, hi: b },
                S::Len2 { sos, hi } => {
                    let len = u16::from_be_bytes([hi, b]) as u64;
                    if len < 2 {
                        self.state = S::Broken;
                        return;
                    }
                    match (len - 2, sos) {
                        (0, true) => S::Entropy,
                        (0, false) => S::Marker,
                        (left, sos) => S::Skip { left, sos },
                    }
                }
                S::Skip { left, sos } => {
                    let take = left.min((buf.len() - i) as u64);
                    i += take as usize;
                    let left = left - take;
                    self.state = match (left, sos) {
                        (0, true) => S::Entropy,
                        (0, false) => S::Marker,
                        (left, sos) => S::Skip { left, sos },
                    };
                    continue;
                }
                S::Entropy => match buf[i..].iter().position(|&x| x == 0xFF) {
                    Some(p) => {
                        i += p + 1;
                        self.state = S::EntropyFf;
                        continue;
                    }
                    None => {
                        self.state = S::Entropy;
                        return;
                    }
                },
                S::EntropyFf => match b {
                    0x00 | 0xD0..=0xD7 => S::Entropy,
                    code => Self::after_code(code),
                },
                S::Done => {
                    self.state = S::Done;
                    return;
                }
            };
            i += 1;
        }
    }
}

/// The PNG chunk walk: after the 8-byte signature, length, type, data and CRC.
#[derive(Debug, Default)]
struct Chunks {
    /// Bytes of the signature or of the current chunk header collected.
    header: Vec<u8>,
    signature_seen: bool,
    /// Data and CRC bytes left in the current chunk.
    left: u64,
    /// `IEND` header seen (its CRC may still be coming).
    end: bool,
}

impl Chunks {
    fn done(&self) -> bool {
        self.end && self.left == 0
    }

    fn feed(&mut self, mut buf: &[u8]) {
        while !buf.is_empty() && !self.done() {
            if self.left > 0 {
                let take = self.left.min(buf.len() as u64);
                self.left -= take;
                buf = &buf[take as usize..];
                continue;
            }
            // The signature and every chunk header are 8 bytes.
            let need = (8 - self.header.len()).min(buf.len());
            self.header.extend_from_slice(&buf[..need]);
            buf = &buf[need..];
            if self.header.len() < 8 {
                return;
            }
            if !self.signature_seen {
                self.signature_seen = true;
            } else {
                let h = &self.header;
                self.left = u32::from_be_bytes([h[0], h[1], h[2], h[3]]) as u64 + 4;
                self.end = &h[4..8] == b"IEND";
            }
            self.header.clear();
        }
    }
}

/// The ISO base media box walk over the top-level boxes.
#[derive(Debug, Default)]
struct Boxes {
    header: Vec<u8>,
    /// Bytes left in the current box.
    left: u64,
    /// A box of size 0 runs to the end of the file.
    to_end: bool,
    broken: bool,
}

impl Boxes {
    /// Whether the file ended inside a box (or the boxes made no sense).
    fn cut_short(&self) -> bool {
        self.broken || (!self.to_end && self.left > 0)
    }

    fn feed(&mut self, mut buf: &[u8]) {
        while !buf.is_empty() && !self.to_end && !self.broken {
            if self.left > 0 {
                let take = self.left.min(buf.len() as u64);
                self.left -= take;
                buf = &buf[take as usize..];
                continue;
            }
            // Size and type; a size of 1 means a 64-bit size follows the type.
            let want = match self.header.get(0..4) {
                Some([0, 0, 0, 1]) => 16,
                _ => 8,
            };
            let need = (want - self.header.len()).min(buf.len());
            self.header.extend_from_slice(&buf[..need]);
            buf = &buf[need..];
            if self.header.len() < want {
                return;
            }
            let h = &self.header;
            let size = match u32::from_be_bytes([h[0], h[1], h[2], h[3]]) {
                0 => {
                    self.to_end = true;
                    return;
                }
                1 if want == 8 => continue,
                1 => u64::from_be_bytes([h[8], h[9], h[10], h[11], h[12], h[13], h[14], h[15]]),
                s => s as u64,
            };
            if size < want as u64 {
                self.broken = true;
                return;
            }
            self.left = size - want as u64;
            self.header.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(format: Format, bytes: &[u8], chunk: usize) -> Result<(), String> {
        let mut s = Structure::new(format);
        for c in bytes.chunks(chunk.max(1)) {
            s.feed(c);
        }
        s.finish(bytes.len() as u64)
    }

    fn jpeg() -> Vec<u8> {
        let mut v = vec![0xFF, 0xD8];
        v.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x06, b'J', b'F', 0xFF, 0xD9]); // APP0 holding FF D9
        v.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x03, 0x01]); // SOS
        v.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56]); // entropy data
        v.extend_from_slice(&[0xFF, 0xD9]);
        v
    }

    #[test]
    fn a_jpeg_needs_its_end_marker_outside_segments() {
        let whole = jpeg();
        for chunk in [1, 2, 3, 7, 1000] {
            assert_eq!(check(Format::Jpeg, &whole, chunk), Ok(()), "chunk {chunk}");
            let mut trailer = whole.clone();
            trailer.extend_from_slice(b"SEFT trailer");
            assert_eq!(check(Format::Jpeg, &trailer, chunk), Ok(()));
            for cut in 1..whole.len() {
                assert!(
                    check(Format::Jpeg, &whole[..cut], chunk).is_err(),
                    "cut at {cut}, chunk {chunk}"
                );
            }
        }
    }

    #[test]
    fn png_chunks_end_with_iend() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend_from_slice(&[0, 0, 0, 2]);
        png.extend_from_slice(b"IHDRab1234");
        png.extend_from_slice(&[0, 0, 0, 0]);
        png.extend_from_slice(b"IEND1234");
        for chunk in [1, 5, 100] {
            assert_eq!(check(Format::Png, &png, chunk), Ok(()));
            assert!(check(Format::Png, &png[..png.len() - 1], chunk).is_err());
            assert!(check(Format::Png, &png[..20], chunk).is_err());
        }
    }

    #[test]
    fn boxes_must_not_run_past_the_end() {
        let mut mp4 = vec![0, 0, 0, 16];
        mp4.extend_from_slice(b"ftypisom\0\0\0\0");
        mp4.extend_from_slice(&[0, 0, 0, 12]);
        mp4.extend_from_slice(b"mdat1234");
        assert_eq!(check(Format::Mp4, &mp4, 3), Ok(()));
        assert!(check(Format::Mp4, &mp4[..mp4.len() - 2], 3).is_err());
        let mut large = mp4.clone();
        large.extend_from_slice(&[0, 0, 0, 1]);
        large.extend_from_slice(b"mdat");
        large.extend_from_slice(&20u64.to_be_bytes());
        large.extend_from_slice(b"abcd");
        assert_eq!(check(Format::Mp4, &large, 5), Ok(()));
        assert!(check(Format::Mp4, &large[..large.len() - 1], 5).is_err());
    }

    #[test]
    fn wav_size_and_pdf_end() {
        let mut wav = b"RIFF".to_vec();
        wav.extend_from_slice(&8u32.to_le_bytes());
        wav.extend_from_slice(b"WAVEdata");
        assert_eq!(check(Format::Wav, &wav, 3), Ok(()));
        let err = check(Format::Wav, &wav[..12], 3).unwrap_err();
        assert!(err.contains("16 字节") && err.contains("12 字节"), "{err}");
        let pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n";
        assert_eq!(check(Format::Pdf, pdf, 4), Ok(()));
        assert!(check(Format::Pdf, &pdf[..pdf.len() - 4], 4).is_err());
    }
}
