//! `[caption]`, `[embed]`, `[audio]`, `[video]` and `[gallery]`: figures and
//! players, as WordPress renders them, without third-party scripts.

use warraq_text::shortcode::Shortcode;

use crate::render::theme::escape_html;

/// `[caption id align width caption]<img …> text[/caption]`: the image and
/// its caption as a figure. The caption is the text after the image, or the
/// `caption` attribute of older WordPress versions.
pub fn caption(sc: &Shortcode, content: &str) -> String {
    let (image, text) = split_image(content);
    let text = match sc.attr("caption") {
        Some(c) if text.trim().is_empty() => escape_html(c).into_owned(),
        _ => text.trim().to_string(),
    };
    let align = sc
        .attr("align")
        .filter(|a| a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    let class = match align {
        Some(a) => format!("wp-caption {a}"),
        None => "wp-caption".to_string(),
    };
    let caption = if text.is_empty() {
        String::new()
    } else {
        format!("<figcaption>{text}</figcaption>")
    };
    format!("<figure class=\"{class}\">{image}{caption}</figure>")
}

/// The leading `<img>` of a caption's content (with a link around it if
/// there is one), and the rest.
fn split_image(content: &str) -> (&str, &str) {
    let trimmed = content.trim_start();
    let end = if trimmed.starts_with("<a ") || trimmed.starts_with("<a>") {
        trimmed.find("</a>").map(|i| i + 4)
    } else if trimmed.starts_with("<img") {
        trimmed.find('>').map(|i| i + 1)
    } else {
        None
    };
    match end {
        Some(end) => (&trimmed[..end], &trimmed[end..]),
        None => ("", content),
    }
}

/// `[embed]URL[/embed]`: YouTube and Vimeo as privacy-friendly players,
/// anything else as a plain link.
pub fn embed(sc: &Shortcode, content: &str) -> String {
    let url = content.trim();
    let url = if url.is_empty() {
        sc.attr("src")
            .or(sc.positional.first().map(String::as_str))
            .unwrap_or("")
    } else {
        url
    };
    let url = url.replace("&amp;", "&");
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return String::new();
    }
    let size = |name: &str, default: u32| {
        sc.attr(name)
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(default)
            .min(2000)
    };
    match player(&url) {
        Some(src) => format!(
            "<figure class=\"embed\"><iframe src=\"{}\" width=\"{}\" height=\"{}\" loading=\"lazy\" referrerpolicy=\"strict-origin\" allowfullscreen></iframe></figure>",
            escape_html(&src),
            size("width", 560),
            size("height", 315)
        ),
        None => format!("<p class=\"embed\"><a href=\"{0}\">{0}</a></p>", escape_html(&url)),
    }
}

/// The player URL for a video page, on the hosts the sanitiser admits.
fn player(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.trim_start_matches("www.").trim_start_matches("m.");
    let id_ok = |id: &str| {
        !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    match host {
        "youtube.com" => {
            let query = path.strip_prefix("watch?")?;
            let id = query.split('&').find_map(|kv| kv.strip_prefix("v="))?;
            id_ok(id).then(|| format!("https://www.youtube-nocookie.com/embed/{id}"))
        }
        "youtu.be" => {
            let id = path.split(['?', '/']).next()?;
            id_ok(id).then(|| format!("https://www.youtube-nocookie.com/embed/{id}"))
        }
        "vimeo.com" => {
            let id = path.split(['?', '/']).next()?;
            (id_ok(id) && id.chars().all(|c| c.is_ascii_digit()))
                .then(|| format!("https://player.vimeo.com/video/{id}"))
        }
        _ => None,
    }
}

/// The source URLs a media shortcode names, in WordPress's attribute order.
fn sources<'a>(sc: &'a Shortcode, formats: &[&str]) -> Vec<&'a str> {
    std::iter::once("src")
        .chain(formats.iter().copied())
        .filter_map(|name| sc.attr(name))
        .filter(|u| !u.trim().is_empty())
        .collect()
}

fn player_element(tag: &str, extra: &str, sources: &[&str]) -> String {
    if sources.is_empty() {
        return String::new();
    }
    let inner: String = sources
        .iter()
        .map(|s| format!("<source src=\"{}\">", escape_html(s)))
        .collect();
    let fallback = format!("<a href=\"{0}\">{0}</a>", escape_html(sources[0]));
    format!("<{tag} controls preload=\"none\"{extra}>{inner}{fallback}</{tag}>")
}

/// `[audio src mp3 ogg wav m4a]`.
pub fn audio(sc: &Shortcode) -> String {
    player_element(
        "audio",
        "",
        &sources(sc, &["mp3", "ogg", "oga", "wav", "m4a", "flac"]),
    )
}

/// `[video src mp4 webm ogv m4v poster width height]`.
pub fn video(sc: &Shortcode) -> String {
    let mut extra = String::new();
    if let Some(poster) = sc.attr("poster") {
        extra.push_str(&format!(" poster=\"{}\"", escape_html(poster)));
    }
    for dim in ["width", "height"] {
        if let Some(v) = sc.attr(dim).and_then(|v| v.parse::<u32>().ok()) {
            extra.push_str(&format!(" {dim}=\"{}\"", v.min(4000)));
        }
    }
    player_element(
        "video",
        &extra,
        &sources(sc, &["mp4", "webm", "ogv", "m4v", "mov"]),
    )
}

/// `[gallery urls="a.jpg,b.jpg"]` as a list of figures. WordPress names
/// gallery images by attachment `ids`; those resolve once a media library is
/// imported — until then such a gallery renders nothing.
pub fn gallery(sc: &Shortcode) -> String {
    let urls: Vec<&str> = sc
        .attr("urls")
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .collect();
    if urls.is_empty() {
        return String::new();
    }
    let figures: String = urls
        .iter()
        .map(|u| {
            format!(
                "<li><figure><img src=\"{}\" alt=\"\" loading=\"lazy\"></figure></li>",
                escape_html(u)
            )
        })
        .collect();
    format!("<ul class=\"gallery\">{figures}</ul>")
}

#[cfg(test)]
mod tests {
    use super::*;
    use warraq_text::shortcode::{parse, Node};

    fn one(input: &str) -> Shortcode {
        match parse(input, &|_| true).into_iter().next() {
            Some(Node::Shortcode(sc)) => sc,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn captions_become_figures() {
        let sc = one(r#"[caption id="attachment_7" align="alignright" width="300"]x[/caption]"#);
        assert_eq!(
            caption(&sc, r#"<img src="/a.jpg" alt="سوق"> سوق الحميدية في دمشق"#),
            r#"<figure class="wp-caption alignright"><img src="/a.jpg" alt="سوق"><figcaption>سوق الحميدية في دمشق</figcaption></figure>"#
        );
        let old = one(r#"[caption caption="“صورة” قديمة"]x[/caption]"#);
        assert_eq!(
            caption(&old, r#"<a href="/big.jpg"><img src="/a.jpg"></a>"#),
            r#"<figure class="wp-caption"><a href="/big.jpg"><img src="/a.jpg"></a><figcaption>“صورة” قديمة</figcaption></figure>"#
        );
        let hostile = one(r#"[caption align="x&quot; onclick=&quot;y"]x[/caption]"#);
        assert!(caption(&hostile, "نص").starts_with("<figure class=\"wp-caption\">"));
    }

    #[test]
    fn embeds_only_known_players() {
        let sc = one("[embed]x[/embed]");
        assert!(
            embed(&sc, "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1")
                .contains("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")
        );
        assert!(embed(&sc, "https://youtu.be/dQw4w9WgXcQ")
            .contains("youtube-nocookie.com/embed/dQw4w9WgXcQ"));
        assert!(embed(&sc, "https://vimeo.com/76979871")
            .contains("https://player.vimeo.com/video/76979871"));
        assert_eq!(
            embed(&sc, "https://example.org/x?a=1&b=2"),
            r#"<p class="embed"><a href="https://example.org/x?a=1&amp;b=2">https://example.org/x?a=1&amp;b=2</a></p>"#
        );
        assert_eq!(embed(&sc, "javascript:alert(1)"), "");
        assert!(!embed(&sc, "https://youtube.com/watch?v=\"><script>").contains("iframe"));
    }

    #[test]
    fn players() {
        assert_eq!(
            audio(&one(r#"[audio mp3="/a.mp3" ogg="/a.ogg"]"#)),
            r#"<audio controls preload="none"><source src="/a.mp3"><source src="/a.ogg"><a href="/a.mp3">/a.mp3</a></audio>"#
        );
        let v = video(&one(
            r#"[video mp4="/v.mp4" poster="/p.jpg" width="640" height="x"]"#,
        ));
        assert!(
            v.starts_with(r#"<video controls preload="none" poster="/p.jpg" width="640">"#),
            "{v}"
        );
        assert_eq!(audio(&one("[audio]")), "");
    }

    #[test]
    fn galleries_of_named_images() {
        assert_eq!(gallery(&one(r#"[gallery ids="1,2"]"#)), "");
        let g = gallery(&one(r#"[gallery urls="/a.jpg, /b.jpg"]"#));
        assert_eq!(g.matches("<img").count(), 2);
    }
}
