//! Media files of an import: with `--uploads DIR` (a copy of WordPress's
//! `wp-content/uploads`), the files items use are copied into warraq's
//! media directory — images as their pixels only, re-encoded like an
//! upload, so no photo keeps its EXIF or GPS position — and every reference in bodies — size variants
//! (`-300x200`) and `srcset` entries included — points to them under
//! `/media/`. Without it, the old URLs stay and the report counts them.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use anyhow::Context;

use super::fields::host_of;
use super::report::Report;

const UPLOADS: &str = "/wp-content/uploads/";

pub struct Media {
    host: Option<String>,
    uploads: Option<PathBuf>,
    media_dir: PathBuf,
    dry_run: bool,
    copied: HashSet<String>,
    limits: crate::media::Limits,
}

impl Media {
    pub fn new(site: &str, uploads: Option<PathBuf>, media_dir: PathBuf, dry_run: bool) -> Media {
        Media {
            host: host_of(site),
            uploads,
            media_dir,
            dry_run,
            copied: HashSet::new(),
            limits: crate::media::Limits::of(&crate::config::MediaConfig::default()),
        }
    }

    pub fn enabled(&self) -> bool {
        self.uploads.is_some()
    }

    /// Copies an attachment's file (`2024/03/photo.jpg`, its path under
    /// uploads) and its size variants; returns the path it is served
    /// under `/media/` from, or None when there is no such file.
    pub fn copy_attachment(&mut self, file: &str) -> anyhow::Result<Option<String>> {
        let Some(uploads) = self.uploads.clone() else {
            return Ok(None);
        };
        if !self.copy(file)? {
            return Ok(None);
        }
        // WordPress's renditions sit beside the original: photo-300x200.jpg.
        let rel = Path::new(file);
        if let (Some(stem), Some(dir)) = (rel.file_stem().and_then(|s| s.to_str()), rel.parent()) {
            let ext = rel.extension().and_then(|e| e.to_str()).unwrap_or("");
            if let Ok(entries) = std::fs::read_dir(uploads.join(dir)) {
                for entry in entries.flatten() {
                    let name = entry.file_name();
                    let Some(name) = name.to_str() else { continue };
                    if is_variant(name, stem, ext) {
                        let variant = dir.join(name);
                        self.copy(&variant.to_string_lossy())?;
                    }
                }
            }
        }
        Ok(Some(file.to_string()))
    }

    /// Copies `uploads/rel` into the media directory; false when it is not
    /// there (or `rel` tries to leave the directory).
    fn copy(&mut self, rel: &str) -> anyhow::Result<bool> {
        let Some(uploads) = &self.uploads else {
            return Ok(false);
        };
        if !safe(rel) {
            return Ok(false);
        }
        if self.copied.contains(rel) {
            return Ok(true);
        }
        let from = uploads.join(rel);
        if !from.is_file() {
            return Ok(false);
        }
        if !self.dry_run {
            let to = self.media_dir.join(rel);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("creating {}", parent.display()))?;
            }
            let bytes =
                std::fs::read(&from).with_context(|| format!("reading {}", from.display()))?;
            // A photo is served as its pixels only, as an upload would be:
            // what the camera wrote around them (the GPS position above
            // all) stays behind. Files that are not images come as they are.
            let kept = match crate::media::process(&bytes, &self.limits, &[]) {
                Ok(done) => done.original.bytes,
                Err(crate::media::MediaError::NotAnImage(_)) => bytes,
                Err(e) => {
                    tracing::warn!("{}: not copied: {e}", from.display());
                    return Ok(false);
                }
            };
            std::fs::write(&to, kept).with_context(|| format!("writing {}", to.display()))?;
        }
        self.copied.insert(rel.to_string());
        Ok(true)
    }

    /// How many files were copied.
    pub fn copied(&self) -> u64 {
        self.copied.len() as u64
    }

    /// `html` with each upload URL of the site that names a file in the
    /// uploads copy pointing at `/media/…`; the others are reported.
    pub fn rewrite(&mut self, html: &str, report: &mut Report) -> anyhow::Result<String> {
        let mut out = String::with_capacity(html.len());
        let mut rest = html;
        while let Some(at) = rest.find(UPLOADS) {
            // Back to the start of the URL: after a quote, space, '(' or ','.
            let start = rest[..at]
                .rfind(|c: char| {
                    matches!(c, '"' | '\'' | '(' | ',' | '=' | '>') || c.is_whitespace()
                })
                .map(|i| i + 1)
                .unwrap_or(0);
            let prefix = &rest[start..at];
            let on_site = prefix.is_empty() || host_of(prefix) == self.host;
            let path_start = at + UPLOADS.len();
            let end = rest[path_start..]
                .find(|c: char| {
                    matches!(c, '"' | '\'' | ')' | '<' | '>' | '?' | '#' | ',') || c.is_whitespace()
                })
                .map(|i| path_start + i)
                .unwrap_or(rest.len());
            let rel = &rest[path_start..end];
            out.push_str(&rest[..start]);
            if on_site && !rel.is_empty() && self.copy(rel)? {
                out.push_str("/media/");
                out.push_str(rel);
            } else {
                if on_site {
                    report.old_upload(&rest[start..end]);
                }
                out.push_str(&rest[start..end]);
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

/// `photo-300x200.jpg` is a rendition of `photo.jpg`.
fn is_variant(name: &str, stem: &str, ext: &str) -> bool {
    let Some(size) = name
        .strip_prefix(stem)
        .and_then(|r| r.strip_prefix('-'))
        .and_then(|r| r.strip_suffix(ext))
        .and_then(|r| r.strip_suffix('.'))
    else {
        return false;
    };
    let mut parts = size.split('x');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(w), Some(h), None)
            if !w.is_empty() && !h.is_empty()
                && w.bytes().all(|b| b.is_ascii_digit())
                && h.bytes().all(|b| b.is_ascii_digit())
    )
}

/// A relative path with only normal components: nothing above the
/// uploads directory can be named.
fn safe(rel: &str) -> bool {
    !rel.is_empty()
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants() {
        assert!(is_variant("market-300x200.jpg", "market", "jpg"));
        assert!(!is_variant("market-old.jpg", "market", "jpg"));
        assert!(!is_variant("market.jpg", "market", "jpg"));
    }

    /// A JPEG as a phone writes it: an Exif segment with a GPS position
    /// right after the start marker.
    fn photo_with_gps() -> Vec<u8> {
        let mut jpeg = Vec::new();
        let pixels = ::image::RgbImage::from_pixel(64, 48, ::image::Rgb([200, 120, 40]));
        ::image::DynamicImage::ImageRgb8(pixels)
            .write_to(
                &mut std::io::Cursor::new(&mut jpeg),
                ::image::ImageFormat::Jpeg,
            )
            .unwrap();
        let payload = b"Exif\0\0MM\0*GPSLatitude 33.8938 GPSLongitude 35.5018";
        let len = (payload.len() + 2) as u16;
        let mut segment = vec![0xFF, 0xE1];
        segment.extend_from_slice(&len.to_be_bytes());
        segment.extend_from_slice(payload);
        jpeg.splice(2..2, segment);
        jpeg
    }

    #[test]
    fn photos_come_without_their_gps_position() {
        let dir = std::env::temp_dir().join(format!("warraq-media-gps-{}", std::process::id()));
        let uploads = dir.join("uploads/2024/03");
        std::fs::create_dir_all(&uploads).unwrap();
        std::fs::write(uploads.join("port.jpg"), photo_with_gps()).unwrap();
        std::fs::write(uploads.join("notes.pdf"), b"%PDF-1.4 notes").unwrap();
        let mut media = Media::new(
            "https://akhbar.example",
            Some(dir.join("uploads")),
            dir.join("media"),
            false,
        );
        assert!(media.copy("2024/03/port.jpg").unwrap());
        assert!(media.copy("2024/03/notes.pdf").unwrap());
        let served = std::fs::read(dir.join("media/2024/03/port.jpg")).unwrap();
        let has = |bytes: &[u8], needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
        assert!(
            has(&photo_with_gps(), b"GPSLatitude"),
            "the fixture carries it"
        );
        assert!(!has(&served, b"Exif") && !has(&served, b"GPSLatitude"));
        assert_eq!(::image::load_from_memory(&served).unwrap().width(), 64);
        assert_eq!(
            std::fs::read(dir.join("media/2024/03/notes.pdf")).unwrap(),
            b"%PDF-1.4 notes"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn no_escape_from_uploads() {
        assert!(safe("2024/03/a.jpg"));
        assert!(!safe("../etc/passwd"));
        assert!(!safe("/etc/passwd"));
    }

    #[test]
    fn rewrites_what_the_copy_holds() {
        let dir = std::env::temp_dir().join(format!("warraq-media-{}", std::process::id()));
        let uploads = dir.join("uploads/2024/03");
        std::fs::create_dir_all(&uploads).unwrap();
        std::fs::write(uploads.join("a.jpg"), b"x").unwrap();
        std::fs::write(uploads.join("a-300x200.jpg"), b"x").unwrap();
        let mut media = Media::new(
            "https://akhbar.example",
            Some(dir.join("uploads")),
            dir.join("media"),
            false,
        );
        let mut report = Report::default();
        let html = "<img src=\"https://akhbar.example/wp-content/uploads/2024/03/a.jpg\" \
                    srcset=\"https://akhbar.example/wp-content/uploads/2024/03/a-300x200.jpg 300w, \
                    https://akhbar.example/wp-content/uploads/2024/03/b.jpg 600w\">";
        let out = media.rewrite(html, &mut report).unwrap();
        assert!(out.contains("src=\"/media/2024/03/a.jpg\""), "{out}");
        assert!(out.contains("/media/2024/03/a-300x200.jpg 300w"), "{out}");
        assert!(out.contains("https://akhbar.example/wp-content/uploads/2024/03/b.jpg"));
        assert_eq!(report.old_upload_urls, 1);
        assert!(dir.join("media/2024/03/a-300x200.jpg").is_file());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
