//! Thumbnails and previews: small JPEGs rendered from a stored photo, upright per its
//! EXIF orientation. They are derived files (see [`crate::media::store::Derived`]): the
//! original is never touched, and they can be rendered again at any time.
//!
//! A JPEG is decoded at a reduced DCT scale (1/2, 1/4 or 1/8, the smallest still at
//! least the wanted size), so a 20 MB camera JPEG is never decoded at full resolution
//! (at 1/8, the usual case, by [`super::jpeg_dc`], which reads only the blocks' averages);
//! PNG and TIFF are decoded whole with `image`. Scaling uses `fast_image_resize`. HEIC photos, videos, audio and PDF
//! documents get no thumbnail here.

use crate::media::Format;
use fast_image_resize as fir;
use image::metadata::Orientation;
use image::{DynamicImage, ImageReader, RgbImage};
use std::fs::File;
use std::io::{BufReader, Cursor, Read};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

/// Longest edge of a grid thumbnail, in pixels.
pub const THUMB_EDGE: u32 = 320;
/// Longest edge of a viewer preview (for formats the webview cannot show, e.g. TIFF), in pixels.
pub const PREVIEW_EDGE: u32 = 2048;

/// JPEG quality of rendered files.
const QUALITY: u8 = 80;

/// The most memory a JPEG decode may use for its buffers.
const MAX_JPEG_BUFFER: usize = 512 << 20;

/// Renders a JPEG (quality ~80) no larger than `edge` on its longest side, upright per the EXIF orientation.
/// JPEGs are decoded at reduced DCT scale (1/2, 1/4 or 1/8: the smallest scale still >= edge) so a 20 MB
/// camera JPEG is never decoded at full resolution; PNG/TIFF are decoded with `image`. HEIC, video, audio
/// and PDF return Err(Chinese reason, e.g. "HEIC 照片暂不能生成缩略图").
///
/// A picture smaller than `edge` is not enlarged. Transparent areas are shown on white.
/// Never panics on a broken file: every failure is an `Err` with a Chinese reason.
pub fn render(
    path: &Path,
    format: Format,
    orientation: Option<u16>,
    edge: u32,
) -> Result<Vec<u8>, String> {
    match format {
        Format::Jpeg | Format::Png | Format::Tiff => {}
        Format::Heic => return Err("HEIC 照片暂不能生成缩略图".into()),
        Format::Mp4 | Format::Mov => return Err("视频暂不能生成缩略图".into()),
        Format::Mp3 | Format::Wav | Format::M4a => return Err("音频没有缩略图".into()),
        Format::Pdf => return Err("PDF 文档暂不能生成缩略图".into()),
    }
    if edge == 0 {
        return Err("缩略图尺寸不能为 0".into());
    }
    let label = format.label();
    match catch_unwind(AssertUnwindSafe(|| {
        render_image(path, format, orientation, edge)
    })) {
        Ok(result) => result.map_err(|why| format!("{label}无法生成缩略图：{why}")),
        Err(_) => Err(format!("{label}无法生成缩略图：文件结构异常")),
    }
}

fn render_image(
    path: &Path,
    format: Format,
    orientation: Option<u16>,
    edge: u32,
) -> Result<Vec<u8>, String> {
    let decoded = match format {
        Format::Jpeg => decode_jpeg_scaled(path, edge)?,
        Format::Png => decode_whole(path, image::ImageFormat::Png)?,
        _ => decode_whole(path, image::ImageFormat::Tiff)?,
    };
    let mut rgb = flatten(shrink(decoded, edge)?);
    if let Some(o) = orientation
        .and_then(|o| u8::try_from(o).ok())
        .and_then(Orientation::from_exif)
    {
        let mut upright = DynamicImage::ImageRgb8(rgb);
        upright.apply_orientation(o);
        rgb = upright.into_rgb8();
    }
    let mut out = Cursor::new(Vec::new());
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, QUALITY)
        .encode_image(&rgb)
        .map_err(|e| format!("编码失败（{e}）"))?;
    Ok(out.into_inner())
}

/// JPEGs up to this size are read whole, for the DC-only decoder; larger ones are streamed.
const MAX_JPEG_IN_MEMORY: u64 = 64 << 20;

/// Decodes a JPEG at the smallest DCT scale whose longest side is still at least `edge`.
/// At 1/8 scale (a thumbnail of a camera photo) the common baseline JPEG is decoded by
/// [`super::jpeg_dc`], which only reads the blocks' averages; everything else, and any
/// file that decoder leaves alone, goes to `jpeg-decoder`.
fn decode_jpeg_scaled(path: &Path, edge: u32) -> Result<DynamicImage, String> {
    let mut file = File::open(path).map_err(|e| format!("无法打开文件（{e}）"))?;
    let size = file
        .metadata()
        .map_err(|e| format!("无法读取文件（{e}）"))?
        .len();
    if size > MAX_JPEG_IN_MEMORY {
        return decode_jpeg_with(BufReader::new(file), edge);
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.read_to_end(&mut bytes)
        .map_err(|e| format!("无法读取文件（{e}）"))?;
    if let Some(small) = super::jpeg_dc::decode(&bytes, edge) {
        let bad_size = || "解码结果的大小与图像尺寸不符".to_string();
        let (w, h) = (small.width, small.height);
        return Ok(if small.grey {
            DynamicImage::ImageLuma8(
                image::GrayImage::from_raw(w, h, small.pixels).ok_or_else(bad_size)?,
            )
        } else {
            DynamicImage::ImageRgb8(RgbImage::from_raw(w, h, small.pixels).ok_or_else(bad_size)?)
        });
    }
    decode_jpeg_with(Cursor::new(bytes), edge)
}

/// Decodes a JPEG with `jpeg-decoder` at the smallest DCT scale still at least `edge`.
fn decode_jpeg_with(reader: impl Read, edge: u32) -> Result<DynamicImage, String> {
    let mut decoder = jpeg_decoder::Decoder::new(reader);
    decoder.set_max_decoding_buffer_size(MAX_JPEG_BUFFER);
    let want = u16::try_from(edge).unwrap_or(u16::MAX);
    // Scaled so that at least one side (so the longest) is >= `want`.
    let (w, h) = decoder
        .scale(want, want)
        .map_err(|e| format!("文件头无法解析（{e}）"))?;
    let pixels = decoder.decode().map_err(|e| format!("解码失败（{e}）"))?;
    let info = decoder
        .info()
        .ok_or_else(|| "解码失败（没有图像信息）".to_string())?;
    let (w, h) = (u32::from(w), u32::from(h));
    let bad_size = || "解码结果的大小与图像尺寸不符".to_string();
    let image = match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => {
            DynamicImage::ImageRgb8(RgbImage::from_raw(w, h, pixels).ok_or_else(bad_size)?)
        }
        jpeg_decoder::PixelFormat::L8 => {
            DynamicImage::ImageLuma8(image::GrayImage::from_raw(w, h, pixels).ok_or_else(bad_size)?)
        }
        jpeg_decoder::PixelFormat::L16 => {
            // Big-endian 16-bit samples; keep the high byte.
            let gray: Vec<u8> = pixels.chunks_exact(2).map(|p| p[0]).collect();
            DynamicImage::ImageLuma8(image::GrayImage::from_raw(w, h, gray).ok_or_else(bad_size)?)
        }
        jpeg_decoder::PixelFormat::CMYK32 => DynamicImage::ImageRgb8(
            RgbImage::from_raw(w, h, cmyk_to_rgb(&pixels)).ok_or_else(bad_size)?,
        ),
    };
    Ok(image)
}

/// CMYK as `jpeg-decoder` returns it (0 = no ink) to RGB, the naive way (no colour profile).
fn cmyk_to_rgb(cmyk: &[u8]) -> Vec<u8> {
    let mut rgb = Vec::with_capacity(cmyk.len() / 4 * 3);
    for p in cmyk.chunks_exact(4) {
        let k = 255 - u16::from(p[3]);
        for &c in &p[..3] {
            // Both factors are <= 255, so the result is too.
            rgb.push(((255 - u16::from(c)) * k / 255) as u8);
        }
    }
    rgb
}

/// Decodes a PNG or TIFF whole, within `image`'s default memory limits.
fn decode_whole(path: &Path, format: image::ImageFormat) -> Result<DynamicImage, String> {
    let file = File::open(path).map_err(|e| format!("无法打开文件（{e}）"))?;
    let mut reader = ImageReader::new(BufReader::new(file));
    reader.set_format(format);
    reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => "图像太大，超出可处理的内存".to_string(),
        e => format!("解码失败（{e}）"),
    })
}

/// Scales `image` down so that its longest side is `edge`; never enlarges it.
/// Bilinear convolution (as `image`'s Triangle filter) with `fast_image_resize`, which
/// is several times faster than `image::imageops::resize`.
fn shrink(image: DynamicImage, edge: u32) -> Result<DynamicImage, String> {
    let (w, h) = (image.width(), image.height());
    let longest = w.max(h);
    if longest <= edge {
        return Ok(image);
    }
    let scaled = |side: u32| -> u32 {
        let s = (u64::from(side) * u64::from(edge) + u64::from(longest) / 2) / u64::from(longest);
        u32::try_from(s).unwrap_or(edge).clamp(1, edge)
    };
    let (nw, nh) = if w >= h {
        (edge, scaled(h))
    } else {
        (scaled(w), edge)
    };
    let mut small = DynamicImage::new(nw, nh, image.color());
    let options = fir::ResizeOptions::new()
        .resize_alg(fir::ResizeAlg::Convolution(fir::FilterType::Bilinear));
    fir::Resizer::new()
        .resize(&image, &mut small, &options)
        .map_err(|e| format!("缩放失败（{e}）"))?;
    Ok(small)
}

/// 8-bit RGB, transparent areas blended onto white.
fn flatten(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    let (w, h) = rgba.dimensions();
    let mut rgb = RgbImage::new(w, h);
    for (out, px) in rgb.pixels_mut().zip(rgba.pixels()) {
        let a = u32::from(px[3]);
        for c in 0..3 {
            let v = (u32::from(px[c]) * a + 255 * (255 - a) + 127) / 255;
            out[c] = v.min(255) as u8;
        }
    }
    rgb
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shrink_keeps_aspect_and_never_enlarges() {
        let img = DynamicImage::ImageRgb8(RgbImage::new(1000, 10));
        let s = shrink(img, 320).unwrap();
        assert_eq!((s.width(), s.height()), (320, 3));
        let img = DynamicImage::ImageLumaA8(image::GrayAlphaImage::new(10, 5000));
        let s = shrink(img, 320).unwrap();
        assert_eq!((s.width(), s.height()), (1, 320));
        let img = DynamicImage::ImageRgb16(image::ImageBuffer::new(2000, 1000));
        let s = shrink(img, 320).unwrap();
        assert_eq!(
            (s.width(), s.height(), s.color()),
            (320, 160, image::ColorType::Rgb16)
        );
        let img = DynamicImage::ImageRgb8(RgbImage::new(100, 50));
        let s = shrink(img, 320).unwrap();
        assert_eq!((s.width(), s.height()), (100, 50));
    }

    #[test]
    fn cmyk_white_and_black() {
        assert_eq!(
            cmyk_to_rgb(&[0, 0, 0, 0, 0, 0, 0, 255]),
            vec![255, 255, 255, 0, 0, 0]
        );
        assert_eq!(cmyk_to_rgb(&[255, 0, 0, 0]), vec![0, 255, 255]);
    }

    #[test]
    fn transparent_is_white() {
        let img = DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
            2,
            2,
            image::Rgba([0, 0, 0, 0]),
        ));
        assert_eq!(flatten(img).get_pixel(0, 0).0, [255, 255, 255]);
    }
}
