//! Uploaded bytes → checked, decoded, upright pixels → new files. No I/O:
//! the caller writes what comes out.
//!
//! Nothing of the upload is ever kept as it came: every file made here is
//! an encoding of the decoded pixels, so whatever a camera or phone wrote
//! around them (EXIF with the GPS position, XMP, ICC profiles, comments,
//! data appended after the image) is gone.

use std::io::Cursor;

use ::image::codecs::gif::GifEncoder;
use ::image::codecs::jpeg::JpegEncoder;
use ::image::codecs::png::PngEncoder;
use ::image::codecs::webp::WebPEncoder;
use ::image::imageops::FilterType;
use ::image::metadata::Orientation;
use ::image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader};

use super::{Format, Limits, MediaError};

/// JPEG quality of what warraq writes: visually the same as a camera's
/// file at a fraction of its size.
const JPEG_QUALITY: u8 = 85;

/// One file made from an upload.
pub struct Encoded {
    pub width: u32,
    pub height: u32,
    pub format: Format,
    pub bytes: Vec<u8>,
}

/// What an upload becomes: the image at its own size (upright, in its own
/// format) and its smaller copies, widest first.
pub struct Processed {
    pub original: Encoded,
    pub renditions: Vec<Encoded>,
}

/// Checks and converts an upload. `widths` are those of the smaller
/// copies; only those below the image's width are made, each in WebP and,
/// when that is another format, in the upload's own.
pub fn process(bytes: &[u8], limits: &Limits, widths: &[u32]) -> Result<Processed, MediaError> {
    if bytes.len() > limits.max_bytes {
        return Err(MediaError::TooLarge {
            size: bytes.len(),
            limit: limits.max_bytes,
        });
    }
    let format = sniff(bytes)?;
    // The header alone first: a small file may claim an enormous image,
    // and that is refused before any pixel memory is asked for.
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), format.image_format())
        .into_dimensions()
        .map_err(|e| damaged(format, e))?;
    limits.check(width, height)?;

    let mut reader = ImageReader::with_format(Cursor::new(bytes), format.image_format());
    reader.limits(limits.decoder());
    let mut decoder = reader.into_decoder().map_err(|e| damaged(format, e))?;
    // Phones store a photo sideways with a note to turn it; the note goes
    // with the metadata, so the pixels are turned now.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    // A GIF's (or WebP's) animation is reduced to its first frame.
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| damaged(format, e))?;
    image.apply_orientation(orientation);

    let original = encode(&image, format)?;
    let mut renditions = Vec::new();
    let mut wanted: Vec<u32> = widths
        .iter()
        .copied()
        .filter(|w| *w < image.width())
        .collect();
    wanted.sort_unstable_by(|a, b| b.cmp(a));
    wanted.dedup();
    // Each copy is made from the next wider one: far less work than from
    // the full image every time, and no visible difference at ratios of
    // two or so.
    let (width, height) = (image.width(), image.height());
    let mut source = image;
    for w in wanted {
        let h = scaled_height(width, height, w);
        let smaller = source.resize_exact(w, h, FilterType::Lanczos3);
        renditions.push(encode(&smaller, Format::WebP)?);
        if format != Format::WebP {
            renditions.push(encode(&smaller, format)?);
        }
        source = smaller;
    }
    Ok(Processed {
        original,
        renditions,
    })
}

/// The height of a copy `w` pixels wide, keeping the aspect ratio.
fn scaled_height(width: u32, height: u32, w: u32) -> u32 {
    let h = (u64::from(height) * u64::from(w) + u64::from(width) / 2) / u64::from(width);
    (h as u32).max(1)
}

/// The format of an upload, from its first bytes (never its name or the
/// type the browser claimed).
fn sniff(bytes: &[u8]) -> Result<Format, MediaError> {
    let guessed = ::image::guess_format(bytes).ok();
    match guessed {
        Some(ImageFormat::Jpeg) => Ok(Format::Jpeg),
        Some(ImageFormat::Png) => Ok(Format::Png),
        Some(ImageFormat::WebP) => Ok(Format::WebP),
        Some(ImageFormat::Gif) => Ok(Format::Gif),
        other => Err(MediaError::NotAnImage(describe(bytes, other))),
    }
}

/// What a file that is not an image the library takes seems to be.
fn describe(bytes: &[u8], guessed: Option<ImageFormat>) -> String {
    if bytes.is_empty() {
        return "the file is empty".into();
    }
    if let Some(format) = guessed {
        return format!("the file is a {format:?} image, which the media library does not take");
    }
    let start = &bytes[..bytes.len().min(16)];
    let signatures: [(&[u8], &str); 6] = [
        (b"%PDF", "a PDF document"),
        (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
        (b"\x1f\x8b", "gzip-compressed data"),
        (
            b"<svg",
            "an SVG drawing (SVG can carry scripts, so it is not taken)",
        ),
        (b"<?xml", "an XML document"),
        (b"\x00\x00\x00", "a video or other media file"),
    ];
    if let Some((_, what)) = signatures.iter().find(|(sig, _)| start.starts_with(sig)) {
        return format!("the file is {what}");
    }
    let head = &bytes[..bytes.len().min(512)];
    let text = match std::str::from_utf8(head) {
        Ok(t) => Some(t),
        // A multi-byte character cut at the end of the sample is still text.
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).ok(),
        Err(_) => None,
    };
    match text {
        Some(t) if !t.chars().any(|c| c.is_control() && !c.is_whitespace()) => {
            let sample: String = t.chars().take(24).collect();
            format!("the file is text, starting {sample:?}")
        }
        _ => format!(
            "the file starts with the bytes {}",
            start
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    }
}

/// A decoder's failure, in words that say which file kind it was.
fn damaged(format: Format, e: ImageError) -> MediaError {
    match e {
        ImageError::Limits(l) => MediaError::TooManyPixels(format!(
            "decoding the image would take more memory than allowed ({l})"
        )),
        other => MediaError::Damaged(format!(
            "the {} file cannot be read (damaged or cut short?): {other}",
            format.name()
        )),
    }
}

/// `image` in `format`, with nothing but its pixels.
fn encode(image: &DynamicImage, format: Format) -> Result<Encoded, MediaError> {
    let mut bytes = Vec::new();
    let written = match format {
        Format::Jpeg => {
            image.write_with_encoder(JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY))
        }
        Format::Png => image.write_with_encoder(PngEncoder::new(&mut bytes)),
        // The only WebP encoder `image` has is lossless.
        Format::WebP => image.write_with_encoder(WebPEncoder::new_lossless(&mut bytes)),
        Format::Gif => image.write_with_encoder(GifEncoder::new(&mut bytes)),
    };
    written
        .map_err(|e| MediaError::Internal(anyhow::anyhow!("encoding a {}: {e}", format.name())))?;
    Ok(Encoded {
        width: image.width(),
        height: image.height(),
        format,
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits {
            max_bytes: 1 << 20,
            max_pixels: 1_000_000,
        }
    }

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let image = DynamicImage::ImageRgb8(::image::RgbImage::from_fn(width, height, |x, y| {
            ::image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        }));
        encode(&image, Format::Jpeg).unwrap().bytes
    }

    #[test]
    fn copies_keep_the_aspect_ratio_and_skip_wider_widths() {
        let done = process(&jpeg(900, 600), &limits(), &[320, 640, 1024]).unwrap();
        assert_eq!((done.original.width, done.original.height), (900, 600));
        let sizes: Vec<_> = done
            .renditions
            .iter()
            .map(|r| (r.width, r.height, r.format))
            .collect();
        assert_eq!(
            sizes,
            [
                (640, 427, Format::WebP),
                (640, 427, Format::Jpeg),
                (320, 213, Format::WebP),
                (320, 213, Format::Jpeg)
            ]
        );
    }

    #[test]
    fn what_is_not_an_image_is_named() {
        let said = |bytes: &[u8]| match process(bytes, &limits(), &[]) {
            Err(MediaError::NotAnImage(m)) => m,
            Err(e) => panic!("{e}"),
            Ok(_) => panic!("taken"),
        };
        assert_eq!(said(b""), "the file is empty");
        assert!(said(b"%PDF-1.7\n...").contains("PDF"));
        assert!(
            said("مرحبا، هذا ملف نصي".as_bytes()).starts_with("the file is text, starting \"مرحبا")
        );
        assert!(
            said(b"BM\x00\x00\x00\x00").contains("Bmp"),
            "{}",
            said(b"BM\x00\x00\x00\x00")
        );
        assert_eq!(
            said(&[0xde, 0xad, 0xbe, 0xef]),
            "the file starts with the bytes de ad be ef"
        );
    }

    #[test]
    fn limits_are_checked_before_decoding() {
        let big = jpeg(1200, 900);
        match process(&big, &limits(), &[]) {
            Err(MediaError::TooManyPixels(m)) => {
                assert_eq!(
                    m,
                    "the image is 1200×900 pixels (1.1 megapixels); the limit is 1 megapixels"
                );
            }
            _ => panic!("a 1.08-megapixel image passed a 1-megapixel limit"),
        }
        let small = Limits {
            max_bytes: 100,
            ..limits()
        };
        assert!(matches!(
            process(&big, &small, &[]),
            Err(MediaError::TooLarge { limit: 100, .. })
        ));
        let mut cut = jpeg(64, 64);
        cut.truncate(200);
        assert!(matches!(
            process(&cut, &limits(), &[]),
            Err(MediaError::Damaged(_))
        ));
    }
}
