//! The media library over HTTP, on SQLite and PostgreSQL: a phone photo
//! with its GPS position goes in, and no file served carries EXIF; every
//! copy has the size and type it claims; what is not an image, is too
//! large or claims too many pixels is refused with a message that says
//! so; the back office's upload form is CSRF-guarded; covers from the
//! library reach pages with srcset and their size, and need alt text to
//! be published.

mod common;

use std::io::Cursor;

use common::staff::*;
use common::{test_config, Backend, TestSite};
use serde_json::{json, Value};
use warraq::model::Role;

on_both_backends!(
    no_served_file_carries_exif,
    png_webp_and_gif_uploads,
    refusals_say_what_was_wrong,
    uploads_over_the_limit_are_refused,
    covers_from_the_library,
    the_back_office_library,
    listing_and_describing,
    the_demo_has_covers,
);

// ---------------------------------------------------------------------
// Helpers: images, multipart bodies, the media API.
// ---------------------------------------------------------------------

/// A `width`×`height` picture with something in it (not one flat colour).
fn picture(width: u32, height: u32) -> image::DynamicImage {
    image::DynamicImage::ImageRgba8(image::RgbaImage::from_fn(width, height, |x, y| {
        image::Rgba([
            (x % 251) as u8,
            (y % 241) as u8,
            ((x + y) % 7 * 30) as u8,
            255,
        ])
    }))
}

fn encoded(image: &image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    match format {
        image::ImageFormat::Jpeg => {
            image::DynamicImage::ImageRgb8(image.to_rgb8()).write_to(&mut out, format)
        }
        _ => image.write_to(&mut out, format),
    }
    .unwrap();
    out.into_inner()
}

/// Where a phone put the photographer: three rationals, 31° 57′ 42.4242″.
fn gps_latitude() -> Vec<u8> {
    [31u32, 1, 57, 1, 424_242, 10_000]
        .iter()
        .flat_map(|n| n.to_le_bytes())
        .collect()
}

/// An APP1 Exif segment as a phone writes one: IFD0 with the orientation
/// (6: turn 90° clockwise to show) and a GPS IFD with a latitude.
fn exif_segment() -> Vec<u8> {
    let entry = |tag: u16, kind: u16, count: u32, value: [u8; 4]| -> Vec<u8> {
        let mut e = Vec::new();
        e.extend(tag.to_le_bytes());
        e.extend(kind.to_le_bytes());
        e.extend(count.to_le_bytes());
        e.extend(value);
        e
    };
    let mut tiff = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes());
    // IFD0 at 8: two entries, then the next-IFD offset; the GPS IFD after.
    let gps_at = 8 + 2 + 2 * 12 + 4;
    tiff.extend(2u16.to_le_bytes());
    tiff.extend(entry(0x0112, 3, 1, [6, 0, 0, 0]));
    tiff.extend(entry(0x8825, 4, 1, (gps_at as u32).to_le_bytes()));
    tiff.extend(0u32.to_le_bytes());
    let data_at = gps_at + 2 + 2 * 12 + 4;
    tiff.extend(2u16.to_le_bytes());
    tiff.extend(entry(0x0001, 2, 2, *b"N\0\0\0"));
    tiff.extend(entry(0x0002, 5, 3, (data_at as u32).to_le_bytes()));
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(gps_latitude());
    let mut segment = vec![0xff, 0xe1];
    segment.extend(((2 + 6 + tiff.len()) as u16).to_be_bytes());
    segment.extend(b"Exif\0\0");
    segment.extend(tiff);
    segment
}

/// A JPEG `width`×`height` as stored, with [`exif_segment`] after its SOI.
fn phone_photo(width: u32, height: u32) -> Vec<u8> {
    let plain = encoded(&picture(width, height), image::ImageFormat::Jpeg);
    assert_eq!(&plain[..2], &[0xff, 0xd8]);
    let mut photo = plain[..2].to_vec();
    photo.extend(exif_segment());
    photo.extend(&plain[2..]);
    photo
}

/// The markers of a JPEG's segments before its image data.
fn jpeg_markers(bytes: &[u8]) -> Vec<u8> {
    let mut markers = Vec::new();
    let mut at = 2;
    while at + 4 <= bytes.len() && bytes[at] == 0xff {
        let marker = bytes[at + 1];
        markers.push(marker);
        if marker == 0xda {
            break;
        }
        let len = u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]) as usize;
        at += 2 + len;
    }
    markers
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A multipart/form-data body: its content type and bytes.
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "warraq-test-boundary-7d1c";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    if let Some((filename, bytes)) = file {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n\
                 Content-Type: image/jpeg\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// POSTs a multipart body (see [`multipart`]) to `path`, with the header
/// that says who sends it (`authorization`, `cookie`), if any.
async fn post_multipart(
    site: &TestSite,
    path: &str,
    who: Option<(&str, &str)>,
    (kind, body): (String, Vec<u8>),
) -> reqwest::Response {
    let mut req = site
        .client
        .post(site.url(path))
        .header("content-type", kind)
        .body(body);
    if let Some((name, value)) = who {
        req = req.header(name, value);
    }
    req.send().await.unwrap()
}

/// POSTs an upload to the API with `token`: the status and the JSON.
async fn upload(
    site: &TestSite,
    token: &str,
    filename: &str,
    bytes: &[u8],
    fields: &[(&str, &str)],
) -> (u16, Value) {
    let bearer = format!("Bearer {token}");
    let body = multipart(fields, Some((filename, bytes)));
    let r = post_multipart(
        site,
        "/api/v1/media",
        Some(("authorization", &bearer)),
        body,
    )
    .await;
    // Not `json_answer`: its error codes are those of the JSON API's
    // statuses, and an upload also answers 413 (`too_large`) and 415
    // (`unsupported_media_type`).
    let status = r.status().as_u16();
    (status, json_of(r).await)
}

/// The back office's upload form as its page sends it, with `fields` (the
/// CSRF token first, as the page puts it) and `file`, after `query`.
async fn upload_form(
    site: &TestSite,
    session: &Session,
    query: &str,
    fields: &[(&str, &str)],
    file: (&str, &[u8]),
) -> reqwest::Response {
    let path = format!("/admin/media{query}");
    let cookie = session.header();
    let body = multipart(fields, Some(file));
    post_multipart(site, &path, Some(("cookie", &cookie)), body).await
}

/// A real 1×1 PNG whose header claims `width`×`height` (its CRC made to
/// match).
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut png = encoded(&picture(1, 1), image::ImageFormat::Png);
    assert_eq!(&png[12..16], b"IHDR");
    png[16..20].copy_from_slice(&width.to_be_bytes());
    png[20..24].copy_from_slice(&height.to_be_bytes());
    let mut crc = flate2::Crc::new();
    crc.update(&png[12..29]);
    png[29..33].copy_from_slice(&crc.sum().to_be_bytes());
    png
}

/// The `srcset` entries (`url 320w`) of an image's copies of type `kind`.
fn copies(m: &Value, kind: &str) -> Vec<String> {
    m["sizes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["type"] == kind)
        .map(|s| format!("{} {}w", s["url"].as_str().unwrap(), s["width"]))
        .collect()
}

/// Fetches a served file: its content type and bytes.
async fn fetch(site: &TestSite, url: &str) -> (String, Vec<u8>) {
    let r = site.get(url).await;
    assert_eq!(r.status(), 200, "GET {url}");
    let kind = r.headers()["content-type"].to_str().unwrap().to_string();
    (kind, r.bytes().await.unwrap().to_vec())
}

/// Every file of an uploaded image: (url, width the API says, type).
fn served_files(m: &Value) -> Vec<(String, u64, String)> {
    let mut files = vec![(
        m["url"].as_str().unwrap().to_string(),
        m["width"].as_u64().unwrap(),
        m["mime"].as_str().unwrap().to_string(),
    )];
    for s in m["sizes"].as_array().unwrap() {
        files.push((
            s["url"].as_str().unwrap().to_string(),
            s["width"].as_u64().unwrap(),
            s["type"].as_str().unwrap().to_string(),
        ));
    }
    files
}

fn decoded(bytes: &[u8]) -> image::DynamicImage {
    image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .unwrap()
        .decode()
        .unwrap()
}

fn config_with(widths: &[u32], max_upload_mb: u64) -> warraq::config::Config {
    let mut config = test_config();
    config.media.widths = widths.to_vec();
    config.media.max_upload_mb = max_upload_mb;
    config
}

// ---------------------------------------------------------------------
// The tests.
// ---------------------------------------------------------------------

async fn no_served_file_carries_exif(backend: Backend) {
    let site = TestSite::start(backend, config_with(&[320, 640, 1024], 20), false).await;
    let token = token_of_new(&site, "photo@news.example", Role::Contributor).await;
    // Stored sideways (1200×800) with the note "turn 90°", like a phone's.
    let photo = phone_photo(1200, 800);
    assert!(contains(&photo, b"Exif\0\0") && contains(&photo, &gps_latitude()));
    assert!(
        jpeg_markers(&photo).contains(&0xe1),
        "the upload has its APP1"
    );
    let fields = [
        ("alt", "متظاهرون أمام البلدية"),
        ("caption", "ساحة البلدية صباح الأحد"),
        ("credit", "رنا حداد"),
    ];
    let (status, m) = upload(&site, &token, "IMG_0042.JPG", &photo, &fields).await;
    assert_eq!(status, 201, "{m}");
    // Upright: the original is now 800 wide and 1200 tall.
    assert_eq!(
        (m["width"].as_u64(), m["height"].as_u64()),
        (Some(800), Some(1200))
    );
    assert_eq!(m["mime"], "image/jpeg");
    assert_eq!(m["alt"], "متظاهرون أمام البلدية");
    assert_eq!(m["credit"], "رنا حداد");
    let url = m["url"].as_str().unwrap();
    assert!(
        url.starts_with("/media/") && url.ends_with(".jpg") && url.contains("img-0042-"),
        "{url}"
    );
    // Widths under the image's own: 320 and 640, each in WebP and JPEG.
    let sizes: Vec<(u64, &str)> = m["sizes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["width"].as_u64().unwrap(), s["type"].as_str().unwrap()))
        .collect();
    assert_eq!(
        sizes,
        [
            (320, "image/webp"),
            (320, "image/jpeg"),
            (640, "image/webp"),
            (640, "image/jpeg")
        ]
    );
    let files = served_files(&m);
    assert_eq!(files.len(), 5);
    for (url, width, kind) in files {
        let (served_kind, bytes) = fetch(&site, &url).await;
        assert_eq!(served_kind, kind, "{url}");
        assert!(!contains(&bytes, b"Exif"), "{url} carries EXIF");
        assert!(
            !contains(&bytes, &gps_latitude()),
            "{url} carries the GPS position"
        );
        if kind == "image/jpeg" {
            let markers = jpeg_markers(&bytes);
            assert!(
                !markers.iter().any(|m| (0xe1..=0xef).contains(m)),
                "{url}: APPn {markers:x?}"
            );
        } else {
            assert!(
                !contains(&bytes, b"XMP ") && !contains(&bytes, b"ICCP"),
                "{url}"
            );
        }
        let image = decoded(&bytes);
        assert_eq!(image.width() as u64, width, "{url}");
        assert_eq!(
            image.height() as u64,
            width * 1200 / 800,
            "{url}: aspect ratio"
        );
    }
    // The record is what the API gives for it.
    let id = m["id"].as_i64().unwrap();
    let (status, one) = get_with(&site, &format!("/api/v1/media/{id}"), &token).await;
    assert_eq!(status, 200);
    assert_eq!(one["sizes"], m["sizes"]);
    site.stop().await;
}

async fn png_webp_and_gif_uploads(backend: Backend) {
    let site = TestSite::start(backend, config_with(&[320, 640, 1600], 20), false).await;
    let token = token_of_new(&site, "author@news.example", Role::Author).await;
    for (format, name, kind, with_own) in [
        (image::ImageFormat::Png, "خريطة.png", "image/png", true),
        (image::ImageFormat::WebP, "chart.webp", "image/webp", false),
        (image::ImageFormat::Gif, "animation.gif", "image/gif", true),
    ] {
        // The name says JPEG, the browser says JPEG: the bytes decide.
        let bytes = encoded(&picture(700, 350), format);
        let (status, m) = upload(&site, &token, &name.replace(".png", ".jpg"), &bytes, &[]).await;
        assert_eq!(status, 201, "{name}: {m}");
        assert_eq!(m["mime"], kind, "{name}");
        assert!(
            m["url"].as_str().unwrap().ends_with(&format!(
                ".{}",
                kind.trim_start_matches("image/").replace("jpeg", "jpg")
            )),
            "{m}"
        );
        let mut expected = Vec::new();
        for w in [320, 640] {
            expected.push((w, "image/webp".to_string()));
            if with_own {
                expected.push((w, kind.to_string()));
            }
        }
        let got: Vec<(u64, String)> = m["sizes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["width"].as_u64().unwrap(),
                    s["type"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(got, expected, "{name}");
        for (url, width, kind) in served_files(&m) {
            let (served, bytes) = fetch(&site, &url).await;
            assert_eq!(served, kind, "{url}");
            let image = decoded(&bytes);
            assert_eq!(
                (image.width() as u64, image.height() as u64),
                (width, width / 2),
                "{url}"
            );
        }
    }
    site.stop().await;
}

async fn refusals_say_what_was_wrong(backend: Backend) {
    let site = TestSite::start(backend, config_with(&[320], 20), false).await;
    let token = token_of_new(&site, "author@news.example", Role::Author).await;
    // Text named like a photo.
    let (status, e) = upload(
        &site,
        &token,
        "photo.jpg",
        "هذا ليس صورة بل نص عادي".as_bytes(),
        &[],
    )
    .await;
    assert_eq!(status, 415, "{e}");
    assert_eq!(e["error"]["code"], "unsupported_media_type");
    let message = e["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("not an image: the file is text"),
        "{message}"
    );
    assert!(message.contains("JPEG, PNG, WebP or GIF"), "{message}");
    let (status, e) = upload(&site, &token, "scan.jpg", b"%PDF-1.7\n%...", &[]).await;
    assert_eq!(status, 415);
    assert!(
        e["error"]["message"].as_str().unwrap().contains("PDF"),
        "{e}"
    );

    // A decompression bomb: a real PNG whose header claims 60000×60000
    // (3.6 billion pixels, 10 GB decoded), refused from the header.
    let bomb = png_claiming(60_000, 60_000);
    let (status, e) = upload(&site, &token, "bomb.png", &bomb, &[]).await;
    assert_eq!(status, 422, "{e}");
    assert_eq!(e["error"]["fields"][0]["field"], "file");
    assert_eq!(e["error"]["fields"][0]["code"], "too_many_pixels");
    assert_eq!(
        e["error"]["fields"][0]["message"],
        "the image is 60000×60000 pixels (3600 megapixels); the limit is 50 megapixels"
    );
    // One side too long, within the pixel limit.
    let tall = png_claiming(100, 20_000);
    let (status, e) = upload(&site, &token, "tall.png", &tall, &[]).await;
    assert_eq!(status, 422);
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no side may be longer than 12000"),
        "{e}"
    );
    // A JPEG cut short.
    let mut cut = encoded(&picture(400, 300), image::ImageFormat::Jpeg);
    cut.truncate(300);
    let (status, e) = upload(&site, &token, "cut.jpg", &cut, &[]).await;
    assert_eq!(status, 422, "{e}");
    assert_eq!(e["error"]["fields"][0]["code"], "damaged");
    // No file, and no credentials.
    let no_file = multipart(&[("alt", "x")], None);
    let bearer = format!("Bearer {token}");
    let who = Some(("authorization", bearer.as_str()));
    let r = post_multipart(&site, "/api/v1/media", who, no_file.clone()).await;
    let (status, e) = json_answer("POST", "/api/v1/media", r).await;
    assert_eq!(status, 400);
    assert!(
        e["error"]["message"].as_str().unwrap().contains("\"file\""),
        "{e}"
    );
    let r = post_multipart(&site, "/api/v1/media", None, no_file).await;
    assert_eq!(r.status(), 401);
    // Nothing refused left a record or a file behind.
    let (_, list) = get_with(&site, "/api/v1/media", &token).await;
    assert_eq!(list["total"], 0);
    assert!(!site.db.media_dir().exists() || walk(&site.db.media_dir()).is_empty());
    site.stop().await;
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

async fn uploads_over_the_limit_are_refused(backend: Backend) {
    let site = TestSite::start(backend, config_with(&[320], 1), false).await;
    let token = token_of_new(&site, "author@news.example", Role::Author).await;
    let big = vec![0xffu8; 1024 * 1024 + 10];
    let (status, e) = upload(&site, &token, "big.jpg", &big, &[]).await;
    assert_eq!(status, 413, "{e}");
    assert_eq!(e["error"]["code"], "too_large");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("the limit is 1 MB"),
        "{e}"
    );
    // Far over the limit: refused the same way, whatever the body size.
    let huge = vec![0u8; 3 * 1024 * 1024];
    let (status, e) = upload(&site, &token, "huge.jpg", &huge, &[]).await;
    assert_eq!(status, 413, "{e}");
    // Just under it, an image is taken.
    let photo = phone_photo(600, 400);
    assert!(photo.len() < 1024 * 1024);
    let (status, _) = upload(&site, &token, "ok.jpg", &photo, &[]).await;
    assert_eq!(status, 201);
    site.stop().await;
}

async fn covers_from_the_library(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let token = token_of_new(&site, "author@news.example", Role::Editor).await;
    let (_, m) = upload(
        &site,
        &token,
        "غلاف.jpg",
        &encoded(&picture(2000, 1000), image::ImageFormat::Jpeg),
        &[("caption", "الساحة")],
    )
    .await;
    let url = m["url"].as_str().unwrap().to_string();
    // Alt text is needed to publish with a cover (not to save a draft).
    let mut article = draft("مقال بصورة رئيسية");
    article["cover"] = json!({ "url": url, "caption": "الساحة" });
    article["status"] = json!("published");
    let (status, e) = post_article(&site, &token, &article).await;
    assert_eq!(status, 422, "{e}");
    let fields = e["error"]["fields"].as_array().unwrap();
    assert_eq!(fields.len(), 1, "{e}");
    assert_eq!(fields[0]["field"], "cover.alt");
    assert_eq!(fields[0]["code"], "missing");
    article["status"] = json!("draft");
    let (status, _) = post_article(&site, &token, &article).await;
    assert_eq!(status, 201, "a draft may wait for its alt text");
    article["cover"]["alt"] = json!("ساحة البلدية مكتظة بالناس");
    article["status"] = json!("published");
    article["headline"] = json!("مقال منشور بصورة رئيسية");
    let (status, a) = post_article(&site, &token, &article).await;
    assert_eq!(status, 201, "{a}");
    // The cover carries the library's size and copies.
    assert_eq!(a["cover"]["url"], url.as_str());
    assert_eq!(
        (a["cover"]["width"].as_u64(), a["cover"]["height"].as_u64()),
        (Some(2000), Some(1000))
    );
    assert_eq!(a["cover"]["sizes"], m["sizes"]);

    site.caught_up().await;
    let page = site.text(a["url"].as_str().unwrap(), 200).await;
    let figure = between(&page, "<figure class=\"cover\">", "</figure>").expect("a cover figure");
    // A photograph offers its JPEG copies (lossless WebP ones would weigh
    // several times more), then the image itself as the widest.
    let jpegs = copies(&m, "image/jpeg");
    assert_eq!(jpegs.len(), 4, "{m}");
    assert!(
        figure.contains(&format!(r#"srcset="{}, {url} 2000w""#, jpegs.join(", "))),
        "{figure}"
    );
    assert!(
        !figure.contains("<source") && !figure.contains(".webp"),
        "{figure}"
    );
    assert!(
        figure.contains(&format!("{url} 2000w\"")),
        "the image itself is the widest: {figure}"
    );
    assert!(figure.contains(r#"width="2000" height="1000""#), "{figure}");
    assert!(
        figure.contains(r#"fetchpriority="high""#) && !figure.contains("loading=\"lazy\""),
        "{figure}"
    );
    assert!(
        figure.contains(r#"alt="ساحة البلدية مكتظة بالناس""#),
        "{figure}"
    );
    // Link previews get the widest JPEG copy up to 1600 pixels, absolute.
    let shared = m["sizes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["type"] == "image/jpeg")
        .max_by_key(|s| s["width"].as_u64())
        .unwrap();
    let absolute = format!("https://news.example{}", shared["url"].as_str().unwrap());
    assert!(
        page.contains(&format!(
            r#"<meta property="og:image" content="{absolute}">"#
        )),
        "og:image"
    );
    let w = shared["width"].as_u64().unwrap();
    assert!(page.contains(&format!(
        r#"<meta property="og:image:width" content="{w}">"#
    )));
    assert!(page.contains(&format!(
        r#"<meta property="og:image:height" content="{}">"#,
        w / 2
    )));
    assert!(
        page.contains(&format!("\"image\":[\"{absolute}\"]")),
        "JSON-LD image"
    );
    // A drawing (PNG) offers its WebP copies first.
    let (_, png) = upload(
        &site,
        &token,
        "رسم.png",
        &encoded(&picture(900, 450), image::ImageFormat::Png),
        &[("alt", "رسم بياني")],
    )
    .await;
    let cover = json!({ "cover": { "url": png["url"], "alt": "رسم بياني" } });
    let (status, _) = patch(&site, &article_path(&a["id"]), &token, &cover).await;
    assert_eq!(status, 200);
    site.caught_up().await;
    let page_png = site.text(a["url"].as_str().unwrap(), 200).await;
    let webp = copies(&png, "image/webp");
    assert!(
        page_png.contains(&format!(
            r#"<picture><source type="image/webp" srcset="{}""#,
            webp.join(", ")
        )),
        "{page_png:.3000}"
    );
    // Cards are lazy, with their size and srcset.
    let home = site.text("/", 200).await;
    let lead = between(&home, "class=\"lead\"", "</section>").unwrap();
    assert!(
        lead.contains("مقال منشور بصورة رئيسية"),
        "the newest article leads"
    );
    assert!(
        lead.contains("srcset=") && lead.contains(r#"width="900" height="450""#),
        "{lead}"
    );
    assert!(lead.contains(r#"loading="lazy""#), "{lead}");
    site.stop().await;
}

async fn the_back_office_library(backend: Backend) {
    let site = TestSite::start(backend, config_with(&[320], 20), false).await;
    add_user(&site, "writer@news.example", Role::Contributor).await;
    let me = sign_in(&site, "writer@news.example").await;
    let page = me.page(&site, "/admin/media").await;
    assert!(page.contains(r#"enctype="multipart/form-data""#) && page.contains(r#"name="csrf""#));
    assert!(
        page.contains(r#"href="/admin/media" aria-current="page""#),
        "the nav link"
    );
    let photo = encoded(&picture(640, 480), image::ImageFormat::Jpeg);
    let file = ("من الميدان.jpg", photo.as_slice());
    // Forged: no token, a wrong one, the right one in the query string.
    let alt = ("alt", "صورة مزوّرة");
    let in_query = format!("?csrf={}", me.csrf);
    for (fields, query) in [
        (vec![alt], ""),
        (vec![("csrf", "wrong"), alt], ""),
        (vec![alt], in_query.as_str()),
    ] {
        let r = upload_form(&site, &me, query, &fields, file).await;
        assert_eq!(r.status(), 403);
    }
    assert!(
        site.store
            .media_list("", 1, 10)
            .await
            .unwrap()
            .items
            .is_empty(),
        "nothing forged was taken"
    );
    // With the session's token, as the page sends it.
    let fields = [
        ("csrf", me.csrf.as_str()),
        ("alt", "متطوعون يوزعون الخبز"),
        ("caption", "حيّ الزرقاء"),
        ("credit", "فريق الورّاق"),
    ];
    let r = upload_form(&site, &me, "", &fields, file).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/admin/media?done=media_uploaded");
    let stored = site.store.media_list("", 1, 10).await.unwrap().items;
    assert_eq!(stored.len(), 1);
    let item = &stored[0];
    assert_eq!((item.width, item.height), (Some(640), Some(480)));
    assert_eq!(item.title, "من الميدان");
    assert!(
        item.file.as_deref().unwrap().contains("من-الميدان-"),
        "{:?}",
        item.file
    );
    let page = me.page(&site, "/admin/media?done=media_uploaded").await;
    assert!(
        page.contains("متطوعون يوزعون الخبز") && page.contains(&item.sizes[1].url),
        "the grid shows it"
    );
    // Not an image: the page again, saying why, in the user's language.
    let token = [("csrf", me.csrf.as_str())];
    let r = upload_form(&site, &me, "", &token, ("notes.jpg", b"just some notes")).await;
    assert_eq!(r.status(), 415);
    let text = r.text().await.unwrap();
    assert!(
        text.contains("لم تُقبل الصورة") && text.contains("not an image: the file is text"),
        "{text:.500}"
    );
    // Changing its words: the uploader may.
    let r = me
        .post(
            &site,
            &format!("/admin/media/{}", item.id),
            &[
                ("alt", "متطوعون يوزّعون الخبز صباحاً"),
                ("caption", ""),
                ("credit", "فريق الورّاق"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let changed = site.store.media(item.id).await.unwrap().unwrap();
    assert_eq!(changed.alt, "متطوعون يوزّعون الخبز صباحاً");
    assert_eq!(changed.caption, "");
    // The article form offers the library.
    let form = me.page(&site, "/admin/articles/new").await;
    assert!(form.contains("data-media-pick=\"cover\"") && form.contains("media.js"));
    let script = site.text("/admin/static/media.js", 200).await;
    assert!(script.contains("/api/v1/media"));
    site.stop().await;
}

async fn listing_and_describing(backend: Backend) {
    let site = TestSite::start(backend, config_with(&[320], 20), false).await;
    let author = token_of_new(&site, "author@news.example", Role::Author).await;
    let other = token_of_new(&site, "other@news.example", Role::Author).await;
    let editor = add_user(&site, "editor@news.example", Role::Editor).await;
    let editor = token_for(&site, &editor).await;
    let photo = encoded(&picture(400, 300), image::ImageFormat::Png);
    let mut ids = Vec::new();
    for alt in [
        "سوق الخضار في إربد",
        "Olive harvest near Jenin",
        "سوق الذهب 100%",
    ] {
        let (status, m) = upload(&site, &author, "x.png", &photo, &[("alt", alt)]).await;
        assert_eq!(status, 201);
        ids.push(m["id"].as_i64().unwrap());
    }
    let listed = |v: &Value| -> Vec<i64> {
        v["media"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_i64().unwrap())
            .collect()
    };
    let (_, all) = get_with(&site, "/api/v1/media", &other).await;
    assert_eq!(listed(&all), [ids[2], ids[1], ids[0]], "newest first");
    let (_, found) = get_with(&site, "/api/v1/media?q=%D8%B3%D9%88%D9%82", &other).await;
    assert_eq!(listed(&found), [ids[2], ids[0]], "سوق");
    let (_, found) = get_with(&site, "/api/v1/media?q=olive", &other).await;
    assert_eq!(listed(&found), [ids[1]], "case does not matter");
    let (_, found) = get_with(&site, "/api/v1/media?q=%25", &other).await;
    assert_eq!(listed(&found), [ids[2]], "a % is only a character");
    let (_, none) = get_with(&site, "/api/v1/media?page=2", &other).await;
    assert_eq!((none["total"].as_u64(), listed(&none).len()), (Some(3), 0));
    // The words: the uploader and editors change them, others not.
    let path = format!("/api/v1/media/{}", ids[0]);
    let (status, _) = patch(&site, &path, &other, &json!({ "alt": "x" })).await;
    assert_eq!(status, 403);
    let (status, m) = patch(&site, &path, &author, &json!({ "caption": "صباح السبت" })).await;
    assert_eq!(status, 200, "{m}");
    assert_eq!(
        (m["alt"].as_str(), m["caption"].as_str()),
        (Some("سوق الخضار في إربد"), Some("صباح السبت"))
    );
    let (status, m) = patch(&site, &path, &editor, &json!({ "credit": "وكالة الأنباء" })).await;
    assert_eq!(status, 200);
    assert_eq!(m["credit"], "وكالة الأنباء");
    let (status, _) = patch(&site, &path, &editor, &json!({ "title": "x" })).await;
    assert_eq!(status, 400, "unknown fields are refused");
    let (status, _) = get_with(&site, "/api/v1/media/999999", &editor).await;
    assert_eq!(status, 404);
    let r = site.get("/api/v1/media").await;
    assert_eq!(r.status(), 401, "staff only");
    site.stop().await;
}

async fn the_demo_has_covers(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let token = token_of_new(&site, "editor@news.example", Role::Editor).await;
    let (_, library) = get_with(&site, "/api/v1/media", &token).await;
    assert!(library["total"].as_u64().unwrap() >= 12, "{library:.200}");
    let (_, list) = get_with(&site, "/api/v1/articles?limit=100", &token).await;
    let articles = list["articles"].as_array().unwrap();
    let covered: Vec<&Value> = articles.iter().filter(|a| a["cover"].is_object()).collect();
    assert!(
        covered.len() * 2 > articles.len(),
        "{} of {} have covers",
        covered.len(),
        articles.len()
    );
    for a in &covered {
        let cover = &a["cover"];
        assert!(!cover["alt"].as_str().unwrap().is_empty(), "{}", a["url"]);
        assert_eq!(
            (cover["width"].as_u64(), cover["height"].as_u64()),
            (Some(1600), Some(900))
        );
        assert!(cover["sizes"].as_array().unwrap().len() >= 2);
    }
    let (kind, bytes) = fetch(&site, covered[0]["cover"]["url"].as_str().unwrap()).await;
    assert_eq!(kind, "image/jpeg");
    assert_eq!(decoded(&bytes).width(), 1600);
    let home = site.text("/", 200).await;
    assert!(home.contains("srcset=") && home.contains(r#"loading="lazy""#));
    site.stop().await;
}
