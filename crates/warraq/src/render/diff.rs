//! Word-level differences between two versions of a text, for the
//! revision screen and the "saved meanwhile" view of the editor. Words are
//! compared whole, so Arabic reads as words, not letters; spaces and line
//! breaks are kept as they were, so the result lays out like the text.

use serde::Serialize;

/// A run of the new text that is the same, added or removed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Piece {
    /// `same`, `added` or `removed`.
    pub kind: &'static str,
    pub text: String,
}

/// Past this many word pairs, the changed middle is shown as removed then
/// added rather than matched word by word: a diff must not take a request's
/// memory or time, whatever two texts it is given.
const MAX_CELLS: usize = 4_000_000;

/// Words and the spaces between them, each a token of its own.
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_space = None;
    for (i, c) in text.char_indices() {
        let space = c.is_whitespace();
        if in_space.is_some_and(|s| s != space) {
            out.push(&text[start..i]);
            start = i;
        }
        in_space = Some(space);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// The pieces that turn `old` into `new`.
pub fn word_diff(old: &str, new: &str) -> Vec<Piece> {
    let a = tokens(old);
    let b = tokens(new);
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (mid_a, mid_b) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut ops: Vec<(&'static str, &str)> = Vec::new();
    ops.extend(a[..prefix].iter().map(|t| ("same", *t)));
    if mid_a.len().saturating_mul(mid_b.len()) > MAX_CELLS {
        ops.extend(mid_a.iter().map(|t| ("removed", *t)));
        ops.extend(mid_b.iter().map(|t| ("added", *t)));
    } else {
        ops.extend(lcs_ops(mid_a, mid_b));
    }
    ops.extend(a[a.len() - suffix..].iter().map(|t| ("same", *t)));
    merge(ops)
}

/// The longest common subsequence of two token lists, as operations.
fn lcs_ops<'t>(a: &[&'t str], b: &[&'t str]) -> Vec<(&'static str, &'t str)> {
    let (n, m) = (a.len(), b.len());
    // lengths[i][j]: LCS of a[i..] and b[j..].
    let width = m + 1;
    let mut lengths = vec![0u32; (n + 1) * width];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lengths[i * width + j] = if a[i] == b[j] {
                lengths[(i + 1) * width + j + 1] + 1
            } else {
                lengths[(i + 1) * width + j].max(lengths[i * width + j + 1])
            };
        }
    }
    let mut out = Vec::with_capacity(n + m);
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i] == b[j] {
            out.push(("same", a[i]));
            i += 1;
            j += 1;
        } else if lengths[(i + 1) * width + j] >= lengths[i * width + j + 1] {
            out.push(("removed", a[i]));
            i += 1;
        } else {
            out.push(("added", b[j]));
            j += 1;
        }
    }
    out.extend(a[i..].iter().map(|t| ("removed", *t)));
    out.extend(b[j..].iter().map(|t| ("added", *t)));
    out
}

/// Gathers each run of changes into what was removed, then what was added;
/// a space kept between two changes belongs to the run, so "two words"
/// replacing one reads as one change, not three.
fn merge(ops: Vec<(&'static str, &str)>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    let (mut removed, mut added) = (String::new(), String::new());
    let flush = |out: &mut Vec<Piece>, removed: &mut String, added: &mut String| {
        // Spaces both sides end with are not part of the change.
        let mut kept = String::new();
        if !removed.is_empty() && !added.is_empty() {
            while let (Some(r), Some(a)) = (removed.chars().last(), added.chars().last()) {
                if r != a || !r.is_whitespace() {
                    break;
                }
                kept.insert(0, r);
                removed.pop();
                added.pop();
            }
        }
        for (kind, text) in [("removed", removed), ("added", added)] {
            if !text.is_empty() {
                out.push(Piece {
                    kind,
                    text: std::mem::take(text),
                });
            }
        }
        if !kept.is_empty() {
            out.push(Piece {
                kind: "same",
                text: kept,
            });
        }
    };
    for (i, &(kind, text)) in ops.iter().enumerate() {
        let inside_run = kind == "same"
            && text.trim().is_empty()
            && (!removed.is_empty() || !added.is_empty())
            && ops.get(i + 1).is_some_and(|(k, _)| *k != "same");
        match kind {
            "removed" => removed.push_str(text),
            "added" => added.push_str(text),
            _ if inside_run => {
                removed.push_str(text);
                added.push_str(text);
            }
            _ => {
                flush(&mut out, &mut removed, &mut added);
                match out.last_mut() {
                    Some(last) if last.kind == "same" => last.text.push_str(text),
                    _ => out.push(Piece {
                        kind: "same",
                        text: text.to_string(),
                    }),
                }
            }
        }
    }
    flush(&mut out, &mut removed, &mut added);
    out
}

/// Whether the two texts differ at all.
pub fn changed(pieces: &[Piece]) -> bool {
    pieces.iter().any(|p| p.kind != "same")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .map(|p| match p.kind {
                "added" => format!("[+{}]", p.text),
                "removed" => format!("[-{}]", p.text),
                _ => p.text.clone(),
            })
            .collect()
    }

    #[test]
    fn arabic_words_are_compared_whole() {
        let d = word_diff(
            "أقرّ البرلمان الموازنة العامة مساء الأحد",
            "أقرّ مجلس النواب الموازنة العامة مساء الاثنين",
        );
        assert_eq!(
            show(&d),
            "أقرّ [-البرلمان][+مجلس النواب] الموازنة العامة مساء [-الأحد][+الاثنين]"
        );
    }

    #[test]
    fn a_changed_diacritic_or_hamza_is_a_changed_word() {
        let d = word_diff("قال الوزير إن الخطة", "قال الوزير أن الخطة");
        assert_eq!(show(&d), "قال الوزير [-إن][+أن] الخطة");
    }

    #[test]
    fn equal_texts_have_no_change_and_keep_their_spacing() {
        let text = "سطر أول\n\nسطر ثانٍ with English";
        let d = word_diff(text, text);
        assert!(!changed(&d));
        assert_eq!(show(&d), text);
    }

    #[test]
    fn additions_at_either_end_and_from_nothing() {
        assert_eq!(show(&word_diff("", "جديد")), "[+جديد]");
        assert_eq!(show(&word_diff("قديم", "")), "[-قديم]");
        assert_eq!(
            show(&word_diff("وسط النص", "بداية وسط النص نهاية")),
            "[+بداية ]وسط النص[+ نهاية]"
        );
    }

    #[test]
    fn texts_too_long_to_match_still_show_every_word() {
        let old: String = (0..3000).map(|i| format!("a{i} ")).collect();
        let new: String = (0..3000).map(|i| format!("b{i} ")).collect();
        let d = word_diff(&old, &new);
        let removed: String = d
            .iter()
            .filter(|p| p.kind == "removed")
            .map(|p| p.text.as_str())
            .collect();
        let added: String = d
            .iter()
            .filter(|p| p.kind == "added")
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(removed.split_whitespace().count(), 3000);
        assert_eq!(added.split_whitespace().count(), 3000);
    }
}
