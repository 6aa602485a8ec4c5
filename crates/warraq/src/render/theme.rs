//! The theme: templates, locale files and static assets. The default theme
//! is embedded in the binary; a `theme_dir` in the config overrides it file by
//! file, so a newsroom can change one template without copying the rest.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context;
use include_dir::{include_dir, Dir};
use minijinja::{Environment, Value};

use crate::model::Lang;

static DEFAULT: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../../themes/default");
/// The back office's templates, strings and stylesheet: embedded only, so
/// that a public theme cannot change what staff sign in to.
static ADMIN: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../../themes/admin");

pub struct StaticFile {
    pub bytes: &'static [u8],
    pub content_type: &'static str,
    pub etag: String,
}

pub struct Theme {
    env: Environment<'static>,
    locales: HashMap<Lang, Value>,
    statics: HashMap<String, StaticFile>,
}

impl Theme {
    /// The public theme: the embedded default, overridden file by file by
    /// `dir`.
    pub fn load(dir: Option<&Path>) -> anyhow::Result<Theme> {
        Theme::from_parts(&DEFAULT, dir, "/static/")
    }

    /// The back office's theme.
    pub fn admin() -> anyhow::Result<Theme> {
        Theme::from_parts(&ADMIN, None, "/admin/static/")
    }

    fn from_parts(
        embedded: &'static Dir<'static>,
        dir: Option<&Path>,
        static_prefix: &'static str,
    ) -> anyhow::Result<Theme> {
        let read = |rel: &str| -> anyhow::Result<Option<&'static str>> {
            if let Some(dir) = dir {
                let path = dir.join(rel);
                if path.is_file() {
                    let text = std::fs::read_to_string(&path)
                        .with_context(|| format!("cannot read theme file {}", path.display()))?;
                    return Ok(Some(Box::leak(text.into_boxed_str())));
                }
            }
            Ok(embedded.get_file(rel).and_then(|f| f.contents_utf8()))
        };

        let mut statics = HashMap::new();
        let static_dir = embedded.get_dir("static").context("theme has no static/")?;
        for file in all_files(static_dir) {
            let rel = file.path().display().to_string();
            let name = rel.trim_start_matches("static/").to_string();
            let bytes: &'static [u8] = match read(&rel)? {
                Some(text) => text.as_bytes(),
                None => file.contents(),
            };
            statics.insert(
                name.clone(),
                StaticFile {
                    bytes,
                    content_type: content_type(&name),
                    etag: etag(bytes),
                },
            );
        }

        let mut env = Environment::new();
        env.set_formatter(html_formatter);
        let templates = embedded
            .get_dir("templates")
            .context("theme has no templates/")?;
        for file in templates.files() {
            let rel = file.path().display().to_string();
            let name = rel.trim_start_matches("templates/").to_string();
            let source = read(&rel)?.with_context(|| format!("template {rel} is not UTF-8"))?;
            env.add_template_owned(name, source)
                .with_context(|| format!("in template {rel}"))?;
        }
        let versions: HashMap<String, String> = statics
            .iter()
            .map(|(name, f)| (name.clone(), f.etag[1..9].to_string()))
            .collect();
        // Static URLs carry their content hash, so browsers may keep them
        // forever and still see a new stylesheet the day it changes.
        env.add_function("asset", move |name: &str| -> String {
            match versions.get(name) {
                Some(v) => format!("{static_prefix}{name}?v={v}"),
                None => format!("{static_prefix}{name}"),
            }
        });

        let mut locales = HashMap::new();
        for lang in Lang::ALL {
            let rel = format!("locales/{}.toml", lang.code());
            let text = read(&rel)?.with_context(|| format!("theme has no {rel}"))?;
            let table: toml::Table =
                toml::from_str(text).with_context(|| format!("in theme file {rel}"))?;
            locales.insert(lang, Value::from_serialize(&table));
        }
        Ok(Theme {
            env,
            locales,
            statics,
        })
    }

    /// The interface strings of `lang`, as templates see them (`t.key`).
    pub fn locale(&self, lang: Lang) -> &Value {
        &self.locales[&lang]
    }

    /// One interface string, for the few texts made outside templates.
    pub fn text(&self, lang: Lang, key: &str) -> String {
        self.locale(lang)
            .get_attr(key)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(|| key.to_string())
    }

    pub fn render(&self, template: &str, ctx: Value) -> anyhow::Result<String> {
        self.env
            .get_template(template)?
            .render(ctx)
            .with_context(|| format!("rendering {template}"))
    }

    pub fn static_file(&self, name: &str) -> Option<&StaticFile> {
        self.statics.get(name)
    }
}

/// minijinja's HTML escaping also escapes '/', which bloats every URL of a
/// page six-fold; only the five characters that matter in HTML are escaped.
fn html_formatter(
    out: &mut minijinja::Output,
    state: &minijinja::State,
    value: &Value,
) -> Result<(), minijinja::Error> {
    match value.as_str() {
        Some(s)
            if !value.is_safe() && matches!(state.auto_escape(), minijinja::AutoEscape::Html) =>
        {
            out.write_str(&escape_html(s))
                .map_err(minijinja::Error::from)
        }
        _ => minijinja::escape_formatter(out, state, value),
    }
}

pub fn escape_html(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains(['&', '<', '>', '"', '\'']) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Every file under `dir`, its subdirectories included (`static/demo/…`).
fn all_files<'a>(dir: &'a Dir<'a>) -> Vec<&'a include_dir::File<'a>> {
    let mut files: Vec<_> = dir.files().collect();
    for sub in dir.dirs() {
        files.extend(all_files(sub));
    }
    files
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("woff2") => "font/woff2",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// A strong validator for a body: a quoted hash of its bytes.
/// A strong validator that stays the same across restarts, nodes and Rust
/// versions: SipHash-2-4 (128 bits, fixed keys) of the bytes.
pub fn etag(bytes: &[u8]) -> String {
    use siphasher::sip128::Hasher128;
    use std::hash::Hasher;
    let mut h = siphasher::sip128::SipHasher24::new();
    h.write(bytes);
    format!("\"{:032x}\"", h.finish128().as_u128())
}
