//! The media library's one job: uploaded bytes → a checked image and its
//! smaller copies in the media directory, and a record of them.
//!
//! [`process`] is pure CPU work (format from the bytes, limits from the
//! header, decode, turn upright, re-encode, resize); [`upload`] runs it on
//! a blocking thread, writes the files (each to a temporary name, then
//! renamed) under `YYYY/MM/` and stores the record. What is served is
//! never the uploaded file — see `process.rs` for why that strips EXIF.

mod process;

use std::path::{Path, PathBuf};

use crate::config::MediaConfig;
use crate::model::{slugify, Rendition};
use crate::store::{MediaItem, NewMedia, Store};

pub use process::{process, Encoded, Processed};

/// No side of an image may be longer, whatever the pixel limit.
pub const MAX_SIDE: u32 = 12_000;

/// Uploads being decoded at once: each may hold a few hundred megabytes
/// of pixels at the limits, so a burst of uploads queues instead.
static PROCESSING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    WebP,
    Gif,
}

impl Format {
    pub fn ext(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::WebP => "webp",
            Format::Gif => "gif",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::WebP => "image/webp",
            Format::Gif => "image/gif",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Format::Jpeg => "JPEG",
            Format::Png => "PNG",
            Format::WebP => "WebP",
            Format::Gif => "GIF",
        }
    }

    fn image_format(self) -> ::image::ImageFormat {
        match self {
            Format::Jpeg => ::image::ImageFormat::Jpeg,
            Format::Png => ::image::ImageFormat::Png,
            Format::WebP => ::image::ImageFormat::WebP,
            Format::Gif => ::image::ImageFormat::Gif,
        }
    }
}

/// What an upload may be.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_bytes: usize,
    /// Width × height.
    pub max_pixels: u64,
}

impl Limits {
    pub fn of(config: &MediaConfig) -> Limits {
        Limits {
            max_bytes: config.max_upload_bytes(),
            max_pixels: config.max_megapixels.saturating_mul(1_000_000),
        }
    }

    fn check(&self, width: u32, height: u32) -> Result<(), MediaError> {
        let pixels = u64::from(width) * u64::from(height);
        if pixels > self.max_pixels {
            return Err(MediaError::TooManyPixels(format!(
                "the image is {width}×{height} pixels ({} megapixels); the limit is {} megapixels",
                megapixels(pixels),
                megapixels(self.max_pixels)
            )));
        }
        if width > MAX_SIDE || height > MAX_SIDE {
            return Err(MediaError::TooManyPixels(format!(
                "the image is {width}×{height} pixels; no side may be longer than {MAX_SIDE}"
            )));
        }
        if width == 0 || height == 0 {
            return Err(MediaError::Damaged(format!(
                "the image is {width}×{height} pixels"
            )));
        }
        Ok(())
    }

    /// The decoder's own ceiling, in case a file's header and its data
    /// disagree: the pixels allowed, at 16 bits per channel with alpha.
    fn decoder(&self) -> ::image::Limits {
        let mut limits = ::image::Limits::default();
        limits.max_alloc = Some(self.max_pixels.saturating_mul(8));
        limits
    }
}

/// Millions, to one decimal when that says more than the whole number.
fn megapixels(pixels: u64) -> String {
    if pixels % 1_000_000 == 0 || pixels >= 100_000_000 {
        format!("{}", pixels.div_ceil(1_000_000))
    } else {
        format!("{:.1}", pixels as f64 / 1_000_000.0)
    }
}

/// Why an upload was refused.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("the file is {} MB; the limit is {} MB", mb(*.size), mb(*.limit))]
    TooLarge { size: usize, limit: usize },
    #[error("not an image: {0}; upload a JPEG, PNG, WebP or GIF")]
    NotAnImage(String),
    /// Too many pixels (what decompression bombs claim).
    #[error("{0}")]
    TooManyPixels(String),
    #[error("{0}")]
    Damaged(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

fn mb(bytes: usize) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if mb.fract() == 0.0 {
        format!("{mb}")
    } else {
        format!("{mb:.1}")
    }
}

/// An upload, as the back office or the API received it.
pub struct Upload {
    pub bytes: Vec<u8>,
    /// The name it had on the uploader's computer: only the words of the
    /// new file's name come from it.
    pub filename: String,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub uploaded_by: Option<i64>,
}

/// The files of one processed upload: paths relative to the media
/// directory, and what goes in each.
pub struct Files {
    pub original: String,
    pub files: Vec<(String, Vec<u8>)>,
    pub sizes: Vec<Rendition>,
}

/// Names the files of `done` `{dir}/{stem}.{ext}`, `{stem}-{w}w.webp`
/// and `{stem}-{w}w.{ext}`, where `dir` is `YYYY/MM` and `stem` a slug of
/// the uploaded name and a random suffix. Slugs hold letters, digits and
/// dashes only: no name can leave its directory.
pub fn name_files(done: Processed, filename: &str, dir: &str) -> Files {
    let stem = format!("{dir}/{}-{}", name_slug(filename), suffix());
    let original = format!("{stem}.{}", done.original.format.ext());
    let mut sizes = Vec::new();
    let mut files = vec![(original.clone(), done.original.bytes)];
    for r in done.renditions {
        let path = format!("{stem}-{}w.{}", r.width, r.format.ext());
        sizes.push(Rendition {
            width: r.width,
            url: url_of(&path),
            mime: r.format.mime().into(),
        });
        files.push((path, r.bytes));
    }
    sizes.sort_by(|a, b| a.width.cmp(&b.width).then(b.mime.cmp(&a.mime)));
    Files {
        original,
        files,
        sizes,
    }
}

/// The URL a file of the media directory is served at.
pub fn url_of(path: &str) -> String {
    let encoded: Vec<String> = path.split('/').map(crate::render::encode_segment).collect();
    format!("/media/{}", encoded.join("/"))
}

/// The words of a file name without its extension, as a slug (Arabic
/// kept), short enough for any file system.
fn name_slug(filename: &str) -> String {
    // Browsers send a bare name; some old ones the whole path.
    let base = filename.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = match base.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => base,
    };
    let slug: String = slugify(stem).chars().take(60).collect();
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "image".into()
    } else {
        slug.into()
    }
}

fn suffix() -> String {
    let mut bytes = [0u8; 5];
    getrandom::getrandom(&mut bytes).expect("the system's random source");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes each file under `root`: to a temporary name first, renamed into
/// place once whole, so that a reader never gets half a file.
pub fn write_files(root: &Path, files: &[(String, Vec<u8>)]) -> std::io::Result<()> {
    for (rel, bytes) in files {
        let path = root.join(rel);
        let parent = path.parent().unwrap_or(root);
        std::fs::create_dir_all(parent)?;
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
        let temporary = parent.join(format!(".{name}.{}.part", suffix()));
        std::fs::write(&temporary, bytes)?;
        if let Err(e) = std::fs::rename(&temporary, &path) {
            let _ = std::fs::remove_file(&temporary);
            return Err(e);
        }
    }
    Ok(())
}

/// The record of the files of an image `width`×`height` in `format`.
pub fn record(width: u32, height: u32, format: Format, files: &Files, title: &str) -> NewMedia {
    NewMedia {
        url: url_of(&files.original),
        file: files.original.clone(),
        title: title.to_string(),
        width,
        height,
        mime: format.mime().into(),
        sizes: files.sizes.clone(),
        ..NewMedia::default()
    }
}

/// Takes an upload into the library: checked and converted on a blocking
/// thread, written under `media_dir`, recorded in `store`.
pub async fn upload(
    store: &Store,
    media_dir: &Path,
    config: &MediaConfig,
    upload: Upload,
) -> Result<MediaItem, MediaError> {
    let limits = Limits::of(config);
    let widths = config.widths.clone();
    let root: PathBuf = media_dir.to_path_buf();
    let month = jiff::Timestamp::now().strftime("%Y/%m").to_string();
    let filename = upload.filename.clone();
    let _turn = PROCESSING
        .acquire()
        .await
        .map_err(|e| MediaError::Internal(e.into()))?;
    let (new, paths) = tokio::task::spawn_blocking(move || {
        let done = process(&upload.bytes, &limits, &widths)?;
        let (width, height, format) = (
            done.original.width,
            done.original.height,
            done.original.format,
        );
        let files = name_files(done, &filename, &month);
        write_files(&root, &files.files).map_err(|e| {
            anyhow::anyhow!("writing into the media directory {}: {e}", root.display())
        })?;
        let mut new = record(width, height, format, &files, &title_of(&filename));
        new.alt = upload.alt;
        new.caption = upload.caption;
        new.credit = upload.credit;
        new.uploaded_by = upload.uploaded_by;
        let paths: Vec<String> = files.files.into_iter().map(|(p, _)| p).collect();
        Ok::<_, MediaError>((new, paths))
    })
    .await
    .map_err(|e| MediaError::Internal(e.into()))??;
    match store.insert_media(&new).await {
        Ok(item) => Ok(item),
        Err(e) => {
            // Files no record names would never be listed or removed.
            for path in &paths {
                let _ = std::fs::remove_file(media_dir.join(path));
            }
            Err(MediaError::Internal(e))
        }
    }
}

/// A record's title: the uploaded name without its extension.
fn title_of(filename: &str) -> String {
    let base = filename.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    stem.trim().chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_words_of_the_upload_only() {
        assert_eq!(
            name_slug("صورة المظاهرة في عمّان.JPG"),
            "صورة-المظاهرة-في-عمان"
        );
        assert_eq!(name_slug("../../etc/passwd"), "passwd");
        assert_eq!(name_slug("C:\\Users\\x\\..\\IMG_0042.jpeg"), "img-0042");
        assert_eq!(name_slug("...."), "image");
        assert_eq!(name_slug(".jpg"), "jpg");
        assert_eq!(name_slug(""), "image");
        assert_eq!(title_of("/home/x/صورة المظاهرة.jpg"), "صورة المظاهرة");
    }

    #[test]
    fn urls_are_percent_encoded_paths() {
        assert_eq!(
            url_of("2026/05/صورة-ab12.jpg"),
            "/media/2026/05/%D8%B5%D9%88%D8%B1%D8%A9-ab12.jpg"
        );
    }

    #[test]
    fn sizes_are_said_in_numbers() {
        assert_eq!(mb(20 * 1024 * 1024), "20");
        assert_eq!(mb(3 * 1024 * 1024 / 2), "1.5");
        assert_eq!(megapixels(900_000_000), "900");
        assert_eq!(megapixels(50_000_000), "50");
        let bomb = Limits {
            max_bytes: 1,
            max_pixels: 50_000_000,
        }
        .check(30_000, 30_000)
        .unwrap_err()
        .to_string();
        assert_eq!(
            bomb,
            "the image is 30000×30000 pixels (900 megapixels); the limit is 50 megapixels"
        );
        let tall = Limits {
            max_bytes: 1,
            max_pixels: 50_000_000,
        }
        .check(400, 20_000)
        .unwrap_err()
        .to_string();
        assert!(tall.contains("no side may be longer than 12000"), "{tall}");
    }
}
