//! The top-stories digest as a WhatsApp message: a greeting, then numbered
//! headlines in WhatsApp's `*bold*`, one line of standfirst each and the
//! link on its own line; no other markup, at most 4,096 characters.

use super::Urls;
use crate::model::Article;

/// WhatsApp's limit for one message.
pub const MAX_CHARS: usize = 4096;
/// A standfirst longer than this is cut at a word boundary.
const STANDFIRST_CHARS: usize = 200;

pub fn whatsapp_digest(greeting: &str, articles: &[Article], urls: &Urls) -> String {
    let mut message = plain(greeting);
    for (i, a) in articles.iter().enumerate() {
        let item = format!(
            "\n\n{}. *{}*\n{}\n{}",
            i + 1,
            plain(&a.headline),
            shorten(&plain(&a.standfirst), STANDFIRST_CHARS),
            urls.absolute(&urls.article(a)),
        );
        // Whole items only: a cut link is worse than one story fewer.
        if message.chars().count() + item.chars().count() > MAX_CHARS {
            break;
        }
        message.push_str(&item);
    }
    message
}

/// Text with WhatsApp's formatting characters removed, on one line, so a
/// headline's asterisk cannot turn the rest of the message bold.
fn plain(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '*' | '_' | '~' | '`'))
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let at = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end_matches(['،', ',', '؛', ';']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_characters_never_leak() {
        assert_eq!(plain("*عاجل*: _خبر_ ~مهم~\n`x`"), "عاجل: خبر مهم x");
    }

    #[test]
    fn long_standfirsts_are_cut_at_a_word() {
        let long = "كلمة، ".repeat(100);
        let short = shorten(long.trim(), 50);
        assert!(
            short.ends_with('…') && short.chars().count() <= 51,
            "{short}"
        );
        assert!(!short.contains("،…"));
    }
}
