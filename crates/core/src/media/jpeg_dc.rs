//! DC-only decoding of baseline JPEGs, for thumbnails: the picture at 1/8 of its size,
//! each 8×8 block given by its average (its DC coefficient) — what a 1/8-scale IDCT
//! gives, and what `jpeg-decoder` returns at that scale. The AC coefficients are
//! decoded only to be skipped: nothing is dequantised, transformed, upsampled or colour
//! converted at full size, and no coefficient is stored. Reading the entropy-coded data
//! is then the whole cost: a 12-MP camera JPEG becomes a 500×375 picture several times
//! faster than `jpeg-decoder` makes it (see `bench/latest.md`, thumbnails).
//!
//! Only the common case is handled: Huffman-coded baseline (or extended) 8-bit JPEGs
//! in one interleaved scan, grey or YCbCr. Anything else — progressive or arithmetic
//! coding, 12-bit samples, CMYK or RGB, several scans, a damaged stream — gives `None`,
//! and the caller decodes the file with `jpeg-decoder`, which reports what is wrong.

/// A JPEG decoded at 1/8 scale.
#[derive(Debug)]
pub(crate) struct Eighth {
    /// Width: the full width / 8, rounded up.
    pub width: u32,
    /// Height: the full height / 8, rounded up.
    pub height: u32,
    /// `true`: one grey sample per pixel; `false`: RGB.
    pub grey: bool,
    /// Row-major samples.
    pub pixels: Vec<u8>,
}

/// Lookahead of the fast Huffman table, in bits.
const LOOK: u32 = 9;

/// Largest 1/8-scale planes handled here (samples, all components); bigger goes to `jpeg-decoder`.
const MAX_SAMPLES: usize = 64 << 20;

/// A Huffman table (ITU T.81 Annex C, F.2.2.3).
struct Huff {
    /// The next `LOOK` bits → `length << 8 | symbol` for codes of at most `LOOK` bits, else 0.
    fast: Vec<u16>,
    /// Largest code of each length (index 1–16), -1 when there is none.
    maxcode: [i32; 17],
    /// Index into `values` of a code of each length, minus that code.
    delta: [i32; 17],
    values: Vec<u8>,
}

impl Huff {
    fn new(counts: &[u8], values: &[u8]) -> Option<Huff> {
        let mut fast = vec![0u16; 1 << LOOK];
        let mut maxcode = [-1i32; 17];
        let mut delta = [0i32; 17];
        let mut code: i32 = 0;
        let mut k: i32 = 0;
        for len in 1..=16u32 {
            let n = i32::from(counts[len as usize - 1]);
            delta[len as usize] = k - code;
            for _ in 0..n {
                let symbol = *values.get(usize::try_from(k).ok()?)?;
                if len <= LOOK {
                    let first = (code as usize) << (LOOK - len);
                    let entry = (len as u16) << 8 | u16::from(symbol);
                    fast.get_mut(first..first + (1 << (LOOK - len)))?
                        .fill(entry);
                }
                code += 1;
                k += 1;
            }
            if n > 0 {
                maxcode[len as usize] = code - 1;
            }
            if code > 1 << len {
                return None; // more codes than the length allows
            }
            code <<= 1;
        }
        Some(Huff {
            fast,
            maxcode,
            delta,
            values: values.to_vec(),
        })
    }
}

/// Reads the entropy-coded data bit by bit (most significant first), removing stuffed
/// zero bytes; at a marker or at the end it feeds zero bits and counts them.
struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    acc: u64,
    /// Valid bits at the top of `acc`.
    n: u32,
    /// A marker (or the end) was reached: zero bits are fed from then on.
    stopped: bool,
    /// Zero bits fed since then.
    fed: u32,
}

impl<'a> Bits<'a> {
    fn new(data: &'a [u8], pos: usize) -> Self {
        Bits {
            data,
            pos,
            acc: 0,
            n: 0,
            stopped: false,
            fed: 0,
        }
    }

    /// Fills `acc` to at least 57 bits.
    #[inline]
    fn refill(&mut self) {
        // Eight bytes at once when none of them is 0xFF. Bits below `n` are then the next
        // bytes of the stream, which later refills OR in again at the same place.
        if !self.stopped {
            if let Some(w) = self.data.get(self.pos..self.pos + 8) {
                let w = u64::from_be_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
                let x = !w; // a 0xFF byte of `w` is a zero byte of `x`
                if x.wrapping_sub(0x0101_0101_0101_0101) & !x & 0x8080_8080_8080_8080 == 0 {
                    self.acc |= w >> self.n;
                    self.pos += ((63 - self.n) >> 3) as usize;
                    self.n |= 56;
                    return;
                }
            }
        }
        while self.n <= 56 {
            let mut byte = 0u8;
            if self.stopped {
                self.fed = self.fed.saturating_add(8);
            } else {
                match self.data.get(self.pos) {
                    None => {
                        self.stopped = true;
                        self.fed = self.fed.saturating_add(8);
                    }
                    Some(&0xFF) => {
                        if self.data.get(self.pos + 1) == Some(&0) {
                            byte = 0xFF;
                            self.pos += 2;
                        } else {
                            self.stopped = true; // a marker: left for `restart`
                            self.fed = self.fed.saturating_add(8);
                        }
                    }
                    Some(&b) => {
                        byte = b;
                        self.pos += 1;
                    }
                }
            }
            self.acc |= u64::from(byte) << (56 - self.n);
            self.n += 8;
        }
    }

    #[inline]
    fn peek(&self, k: u32) -> u32 {
        (self.acc >> (64 - k)) as u32
    }

    #[inline]
    fn consume(&mut self, k: u32) {
        self.acc <<= k;
        self.n -= k;
    }

    /// One Huffman symbol; at least 16 bits must be in `acc`.
    #[inline]
    fn symbol(&mut self, h: &Huff) -> Option<u8> {
        let e = h.fast[self.peek(LOOK) as usize];
        if e != 0 {
            self.consume(u32::from(e >> 8));
            return Some(e as u8);
        }
        let bits = self.peek(16) as i32;
        for len in LOOK + 1..=16 {
            let code = bits >> (16 - len);
            if code <= h.maxcode[len as usize] {
                self.consume(len);
                let i = usize::try_from(code + h.delta[len as usize]).ok()?;
                return h.values.get(i).copied();
            }
        }
        None
    }

    /// `s` more bits as a signed difference (F.2.2.1, EXTEND); at least `s` bits in `acc`.
    #[inline]
    fn extend(&mut self, s: u32) -> i32 {
        if s == 0 {
            return 0;
        }
        let v = self.peek(s) as i32;
        self.consume(s);
        if v < 1 << (s - 1) {
            v - (1 << s) + 1
        } else {
            v
        }
    }

    /// Whether any zero bit fed after the data was consumed (the data ran short).
    fn overrun(&self) -> bool {
        self.fed > self.n
    }

    /// At a restart interval: the bits left go, and the marker must be `RST<n>`.
    fn restart(&mut self, n: u8) -> Option<()> {
        if self.overrun() {
            return None;
        }
        let mut p = self.pos;
        if self.data.get(p) != Some(&0xFF) {
            return None;
        }
        while self.data.get(p) == Some(&0xFF) {
            p += 1;
        }
        if *self.data.get(p)? != 0xD0 + n {
            return None;
        }
        self.pos = p + 1;
        self.acc = 0;
        self.n = 0;
        self.stopped = false;
        self.fed = 0;
        Some(())
    }
}

/// A frame component.
#[derive(Clone, Copy)]
struct Component {
    id: u8,
    h: usize,
    v: usize,
    tq: usize,
    dc: usize,
    ac: usize,
}

/// A big-endian u16 at `i`.
fn be16(d: &[u8], i: usize) -> Option<usize> {
    Some(usize::from(u16::from_be_bytes([
        *d.get(i)?,
        *d.get(i + 1)?,
    ])))
}

/// Decodes `data` at 1/8 scale when it is a JPEG this module handles and its 1/8-scale
/// longest side is at least `edge` (else a larger scale is needed): see the module docs.
pub(crate) fn decode(data: &[u8], edge: u32) -> Option<Eighth> {
    if data.get(..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut pos = 2;
    let mut frame: Option<(usize, usize, Vec<Component>)> = None;
    let mut dc_tables: [Option<Huff>; 4] = [None, None, None, None];
    let mut ac_tables: [Option<Huff>; 4] = [None, None, None, None];
    let mut quant: [Option<u16>; 4] = [None; 4];
    let mut restart = 0usize;
    let mut adobe: Option<u8> = None;
    loop {
        if *data.get(pos)? != 0xFF {
            return None;
        }
        while data.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let marker = *data.get(pos)?;
        pos += 1;
        if matches!(marker, 0x01 | 0xD0..=0xD7) {
            continue; // standalone
        }
        if matches!(marker, 0xD8 | 0xD9) {
            return None;
        }
        let len = be16(data, pos)?;
        if len < 2 {
            return None;
        }
        let seg = data.get(pos + 2..pos + len)?;
        pos += len;
        match marker {
            0xC0 | 0xC1 => {
                if frame.is_some() || *seg.first()? != 8 {
                    return None;
                }
                let (height, width, nf) = (be16(seg, 1)?, be16(seg, 3)?, usize::from(*seg.get(5)?));
                if height == 0 || width == 0 || !(nf == 1 || nf == 3) {
                    return None;
                }
                let mut comps = Vec::with_capacity(nf);
                for c in seg.get(6..6 + 3 * nf)?.chunks_exact(3) {
                    let (h, v, tq) = (
                        usize::from(c[1] >> 4),
                        usize::from(c[1] & 15),
                        usize::from(c[2]),
                    );
                    if !(1..=4).contains(&h) || !(1..=4).contains(&v) || tq > 3 {
                        return None;
                    }
                    comps.push(Component {
                        id: c[0],
                        h,
                        v,
                        tq,
                        dc: 0,
                        ac: 0,
                    });
                }
                frame = Some((width, height, comps));
            }
            // Progressive, lossless, hierarchical, arithmetic coding: not here.
            0xC2 | 0xC3 | 0xC5..=0xCF => return None,
            0xC4 => {
                let mut s = seg;
                while !s.is_empty() {
                    let (class, id) = (s[0] >> 4, usize::from(s[0] & 15));
                    let counts = s.get(1..17)?;
                    let total: usize = counts.iter().map(|&c| usize::from(c)).sum();
                    let values = s.get(17..17 + total)?;
                    if id > 3 || total > 256 {
                        return None;
                    }
                    let table = Some(Huff::new(counts, values)?);
                    match class {
                        0 => dc_tables[id] = table,
                        1 => ac_tables[id] = table,
                        _ => return None,
                    }
                    s = &s[17 + total..];
                }
            }
            0xDB => {
                let mut s = seg;
                while !s.is_empty() {
                    let (wide, id) = (s[0] >> 4, usize::from(s[0] & 15));
                    if id > 3 {
                        return None;
                    }
                    let (q0, size) = match wide {
                        0 => (u16::from(*s.get(1)?), 65),
                        1 => (u16::from_be_bytes([*s.get(1)?, *s.get(2)?]), 129),
                        _ => return None,
                    };
                    s.get(..size)?;
                    quant[id] = Some(q0);
                    s = &s[size..];
                }
            }
            0xDD => restart = be16(seg, 0)?,
            0xEE if seg.starts_with(b"Adobe") => adobe = Some(*seg.get(11)?),
            0xDA => {
                let (width, height, mut comps) = frame?;
                let ns = usize::from(*seg.first()?);
                if ns != comps.len() {
                    return None; // one scan per component (or some): not here
                }
                let tail = seg.get(1 + 2 * ns..4 + 2 * ns)?;
                if tail != [0, 63, 0] {
                    return None;
                }
                let mut order = Vec::with_capacity(ns);
                for s in seg.get(1..1 + 2 * ns)?.chunks_exact(2) {
                    let i = comps.iter().position(|c| c.id == s[0])?;
                    if order.contains(&i) {
                        return None;
                    }
                    comps[i].dc = usize::from(s[1] >> 4);
                    comps[i].ac = usize::from(s[1] & 15);
                    order.push(i);
                }
                if order.windows(2).any(|w| w[0] > w[1]) {
                    return None; // scan order must be frame order (Y, Cb, Cr)
                }
                let grey = comps.len() == 1;
                if !grey {
                    // YCbCr only: an Adobe transform other than 1, or R, G, B ids, is RGB.
                    let rgb_ids = comps.iter().map(|c| c.id).eq([b'R', b'G', b'B']);
                    if adobe.is_some_and(|t| t != 1) || (adobe.is_none() && rgb_ids) {
                        return None;
                    }
                }
                let (w8, h8) = (width.div_ceil(8), height.div_ceil(8));
                if w8.max(h8) < edge as usize {
                    return None;
                }
                let scan = Scan {
                    width,
                    height,
                    comps: order.iter().map(|&i| comps[i]).collect(),
                    restart,
                };
                let planes = scan.decode(data, pos, &dc_tables, &ac_tables, &quant)?;
                return Some(assemble(&scan, planes, w8, h8, grey));
            }
            _ => {} // APPn, COM, DNL…: skipped
        }
    }
}

/// The one scan of a frame.
struct Scan {
    width: usize,
    height: usize,
    /// In scan order.
    comps: Vec<Component>,
    restart: usize,
}

/// A component's DC samples (already pixels), one per block.
struct Plane {
    width: usize,
    samples: Vec<u8>,
}

impl Scan {
    fn decode(
        &self,
        data: &[u8],
        start: usize,
        dc_tables: &[Option<Huff>; 4],
        ac_tables: &[Option<Huff>; 4],
        quant: &[Option<u16>; 4],
    ) -> Option<Vec<Plane>> {
        let single = self.comps.len() == 1;
        let hmax = self.comps.iter().map(|c| c.h).max()?;
        let vmax = self.comps.iter().map(|c| c.v).max()?;
        // A single component is not interleaved: its MCU is one block.
        let (mcux, mcuy) = if single {
            (self.width.div_ceil(8), self.height.div_ceil(8))
        } else {
            (
                self.width.div_ceil(8 * hmax),
                self.height.div_ceil(8 * vmax),
            )
        };
        let mut planes = Vec::with_capacity(self.comps.len());
        let mut tables = Vec::with_capacity(self.comps.len());
        let mut total = 0usize;
        for c in &self.comps {
            let (h, v) = if single { (1, 1) } else { (c.h, c.v) };
            let (w, ht) = (mcux.checked_mul(h)?, mcuy.checked_mul(v)?);
            total = total.checked_add(w.checked_mul(ht)?)?;
            if total > MAX_SAMPLES {
                return None;
            }
            planes.push(Plane {
                width: w,
                samples: vec![0u8; w * ht],
            });
            tables.push((
                dc_tables.get(c.dc)?.as_ref()?,
                ac_tables.get(c.ac)?.as_ref()?,
                i64::from((*quant.get(c.tq)?)?),
                h,
                v,
            ));
        }
        let mut bits = Bits::new(data, start);
        let mut pred = vec![0i32; self.comps.len()];
        let mut left = self.restart;
        let mut rst = 0u8;
        for my in 0..mcuy {
            for mx in 0..mcux {
                if self.restart > 0 {
                    if left == 0 {
                        bits.restart(rst)?;
                        rst = (rst + 1) & 7;
                        pred.fill(0);
                        left = self.restart;
                    }
                    left -= 1;
                }
                for (ci, &(dc, ac, q, h, v)) in tables.iter().enumerate() {
                    let plane = &mut planes[ci];
                    for by in 0..v {
                        for bx in 0..h {
                            if bits.n < 32 {
                                bits.refill();
                            }
                            let s = u32::from(bits.symbol(dc)?);
                            if s > 11 {
                                return None;
                            }
                            pred[ci] = pred[ci].wrapping_add(bits.extend(s));
                            // The 1×1 inverse DCT, as `jpeg-decoder` computes it.
                            let px = ((i64::from(pred[ci]) * q + 1024) / 8).clamp(0, 255);
                            let at = (my * v + by) * plane.width + mx * h + bx;
                            plane.samples[at] = px as u8;
                            let mut k = 1;
                            while k < 64 {
                                if bits.n < 32 {
                                    bits.refill();
                                }
                                let rs = u32::from(bits.symbol(ac)?);
                                let (r, s) = (rs >> 4, rs & 15);
                                // The coefficient's own bits are skipped, not read.
                                bits.consume(s);
                                if s == 0 {
                                    if r != 15 {
                                        break; // end of block
                                    }
                                    k += 16;
                                } else {
                                    k += r + 1;
                                }
                            }
                        }
                    }
                }
            }
        }
        if bits.overrun() {
            return None;
        }
        Some(planes)
    }
}

/// The 1/8-scale picture from the planes: chroma repeated over the blocks it covers,
/// YCbCr converted to RGB as `jpeg-decoder` does (JFIF, 14-bit fixed point).
fn assemble(scan: &Scan, planes: Vec<Plane>, w8: usize, h8: usize, grey: bool) -> Eighth {
    let (width, height) = (w8 as u32, h8 as u32);
    if grey {
        let p = &planes[0];
        let mut pixels = Vec::with_capacity(w8 * h8);
        for row in p.samples.chunks_exact(p.width).take(h8) {
            pixels.extend_from_slice(&row[..w8]);
        }
        return Eighth {
            width,
            height,
            grey,
            pixels,
        };
    }
    // Planes by component in frame order (scan order equals it here: Y, Cb, Cr).
    let hmax = scan.comps.iter().map(|c| c.h).max().unwrap_or(1);
    let vmax = scan.comps.iter().map(|c| c.v).max().unwrap_or(1);
    let sample = |ci: usize, x: usize, y: usize| -> i32 {
        let c = &scan.comps[ci];
        let p = &planes[ci];
        i32::from(p.samples[(y * c.v / vmax) * p.width + x * c.h / hmax])
    };
    const F: i32 = 14;
    let f2f = |x: f32| (x * (1 << F) as f32 + 0.5) as i32;
    let (rcr, gcb, gcr, bcb) = (f2f(1.402), f2f(0.34414), f2f(0.71414), f2f(1.772));
    let clamp = |v: i32| (v >> F).clamp(0, 255) as u8;
    let mut pixels = Vec::with_capacity(w8 * h8 * 3);
    for y in 0..h8 {
        for x in 0..w8 {
            let l = sample(0, x, y) * (1 << F) + (1 << (F - 1));
            let cb = sample(1, x, y) - 128;
            let cr = sample(2, x, y) - 128;
            pixels.push(clamp(l + rcr * cr));
            pixels.push(clamp(l - gcb * cb - gcr * cr));
            pixels.push(clamp(l + bcb * cb));
        }
    }
    Eighth {
        width,
        height,
        grey,
        pixels,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::codecs::jpeg::JpegEncoder;

    fn picture(w: u32, h: u32) -> image::RgbImage {
        image::RgbImage::from_fn(w, h, |x, y| {
            let n = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503)).rotate_left(7) % 29;
            image::Rgb([
                ((x / 3 + n) % 256) as u8,
                ((y / 2) % 256) as u8,
                (((x + y) / 5 + n) % 256) as u8,
            ])
        })
    }

    fn reference(jpeg: &[u8], edge: u16) -> (Vec<u8>, u16, u16) {
        let mut d = jpeg_decoder::Decoder::new(std::io::Cursor::new(jpeg));
        let (w, h) = d.scale(edge, edge).unwrap();
        (d.decode().unwrap(), w, h)
    }

    /// Mean absolute difference per sample.
    fn mad(a: &[u8], b: &[u8]) -> f64 {
        assert_eq!(a.len(), b.len());
        let sum: u64 = a
            .iter()
            .zip(b)
            .map(|(x, y)| u64::from(x.abs_diff(*y)))
            .sum();
        sum as f64 / a.len() as f64
    }

    #[test]
    fn grey_is_what_jpeg_decoder_gives_at_one_eighth() {
        let img = image::DynamicImage::ImageRgb8(picture(803, 411)).into_luma8();
        let mut jpeg = Vec::new();
        JpegEncoder::new_with_quality(&mut jpeg, 90)
            .encode_image(&img)
            .unwrap();
        let ours = decode(&jpeg, 64).unwrap();
        let (theirs, w, h) = reference(&jpeg, 64);
        assert!(ours.grey);
        assert_eq!((ours.width, ours.height), (u32::from(w), u32::from(h)));
        assert_eq!((ours.width, ours.height), (101, 52));
        assert_eq!(ours.pixels, theirs);
    }

    #[test]
    fn colour_is_close_to_jpeg_decoder_at_one_eighth() {
        for (w, h) in [(1600, 1200), (997, 1203)] {
            let mut jpeg = Vec::new();
            JpegEncoder::new_with_quality(&mut jpeg, 92)
                .encode_image(&picture(w, h))
                .unwrap();
            let ours = decode(&jpeg, 100).unwrap();
            let (theirs, tw, th) = reference(&jpeg, 100);
            assert!(!ours.grey);
            assert_eq!((ours.width, ours.height), (u32::from(tw), u32::from(th)));
            // Chroma is repeated here, interpolated there: a few levels apart at most.
            assert!(
                mad(&ours.pixels, &theirs) < 3.0,
                "{}",
                mad(&ours.pixels, &theirs)
            );
        }
    }

    #[test]
    fn what_it_does_not_handle_goes_to_jpeg_decoder() {
        let mut jpeg = Vec::new();
        JpegEncoder::new_with_quality(&mut jpeg, 80)
            .encode_image(&picture(640, 480))
            .unwrap();
        // 1/8 of 640 is 80: too small for a 320-pixel thumbnail.
        assert!(decode(&jpeg, 320).is_none());
        assert!(decode(&jpeg, 80).is_some());
        // Cut short: the data runs out.
        assert!(decode(&jpeg[..jpeg.len() / 2], 80).is_none());
        // Not a JPEG, an empty file, a progressive frame.
        assert!(decode(b"GIF89a", 1).is_none());
        assert!(decode(&[], 1).is_none());
        let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        let mut progressive = jpeg.clone();
        progressive[sof + 1] = 0xC2;
        assert!(decode(&progressive, 80).is_none());
        // Garbage after the header never panics.
        let sos = jpeg.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
        let mut broken = jpeg.clone();
        for (i, b) in broken[sos + 20..].iter_mut().enumerate() {
            *b = (i * 37 % 251) as u8;
        }
        let _ = decode(&broken, 80);
    }

    #[test]
    fn restart_markers_are_followed() {
        // A grey 32×16 picture, two MCUs per restart interval, made by hand: every block
        // is DC only (category 0 after the first) with one 1-bit DC table and a one-symbol
        // AC table holding only the end of block.
        let mut j = vec![0xFF, 0xD8];
        j.extend([0xFF, 0xDB, 0, 67, 0, 8]); // DQT: q0 = 8
        j.extend([1u8; 63]);
        j.extend([0xFF, 0xC0, 0, 11, 8, 0, 16, 0, 32, 1, 1, 0x11, 0]); // SOF0 32×16 grey
                                                                       // DHT DC 0: codes "0" → category 0, "10" → category 2.
        let dht = |class_id: u8, counts: [u8; 16], values: &[u8]| {
            let len = 2 + 1 + 16 + values.len();
            let mut seg = vec![0xFF, 0xC4, 0, len as u8, class_id];
            seg.extend(counts);
            seg.extend(values);
            seg
        };
        let mut counts = [0u8; 16];
        counts[..2].copy_from_slice(&[1, 1]);
        // DC table 0: codes "0" → category 0, "10" → category 2.
        j.extend(dht(0x00, counts, &[0, 2]));
        // AC table 0: code "0" → end of block.
        let mut counts = [0u8; 16];
        counts[0] = 1;
        j.extend(dht(0x10, counts, &[0x00]));
        j.extend([0xFF, 0xDD, 0, 4, 0, 2]); // DRI: 2 MCUs
        j.extend([0xFF, 0xDA, 0, 8, 1, 1, 0x00, 0, 63, 0]);
        // 8 blocks, 4 intervals. Each interval: block 1 DC "10"+"11" (+3), EOB "0";
        // block 2 DC "0", EOB "0" → bits 10110 00 + padding 1 → 0b1011_0001.
        for n in 0..4u8 {
            j.push(0b1011_0001);
            if n < 3 {
                j.extend([0xFF, 0xD0 + n]);
            }
        }
        j.extend([0xFF, 0xD9]);
        let ours = decode(&j, 1).unwrap();
        // DC 3 × q 8 → (24 + 1024) / 8 = 131, in every block: the predictor restarts.
        assert_eq!((ours.width, ours.height), (4, 2));
        assert_eq!(ours.pixels, vec![131; 8]);
        let (theirs, _, _) = reference(&j, 1);
        assert_eq!(ours.pixels, theirs);
        // A wrong restart number is refused.
        let at = j.windows(2).position(|w| w == [0xFF, 0xD1]).unwrap();
        let mut wrong = j.clone();
        wrong[at + 1] = 0xD5;
        assert!(decode(&wrong, 1).is_none());
    }

    #[test]
    fn damaged_and_mutated_files_never_panic() {
        // Camera photos come from anywhere: every truncation point and thousands of byte
        // flips of a real JPEG must give a picture or None (then the full decoder, which
        // reports the damage), never a panic.
        let mut jpeg = Vec::new();
        JpegEncoder::new_with_quality(&mut jpeg, 85)
            .encode_image(&picture(96, 72))
            .unwrap();
        for cut in 0..jpeg.len() {
            let _ = decode(&jpeg[..cut], 8);
        }
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..4000 {
            let mut m = jpeg.clone();
            for _ in 0..1 + next() % 4 {
                let at = (next() % m.len() as u64) as usize;
                m[at] = next() as u8;
            }
            let _ = decode(&m, (next() % 64) as u32);
        }
    }
}
