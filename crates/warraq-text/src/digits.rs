//! Writing numbers for readers: Western (0-9) or Arabic-Indic (٠-٩) digits,
//! thousands grouped; and numbers typed in either, read back.

/// `text` with every ASCII digit written as its Arabic-Indic form.
pub fn arabic_indic(text: &str) -> String {
    text.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) if c.is_ascii_digit() => char::from_u32(0x0660 + d).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// `text` with Arabic-Indic (٠-٩) and Persian (۰-۹) digits written as
/// ASCII ones: a number typed on an Arabic keyboard, read back.
pub fn western(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{0660}'..='\u{0669}' => {
                char::from_u32('0' as u32 + (c as u32 - 0x0660)).unwrap_or(c)
            }
            '\u{06F0}'..='\u{06F9}' => {
                char::from_u32('0' as u32 + (c as u32 - 0x06F0)).unwrap_or(c)
            }
            _ => c,
        })
        .collect()
}

/// `n` in decimal, with `separator` between groups of three digits when
/// one is given, in Arabic-Indic digits when `indic`.
pub fn grouped(n: u64, separator: Option<char>, indic: bool) -> String {
    let plain = n.to_string();
    let mut out = String::with_capacity(plain.len() * 3);
    for (i, c) in plain.chars().enumerate() {
        if let Some(separator) = separator {
            if i > 0 && (plain.len() - i) % 3 == 0 {
                out.push(separator);
            }
        }
        out.push(c);
    }
    if indic {
        arabic_indic(&out)
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_digits_read_back() {
        assert_eq!(western("١٢٣"), "123");
        assert_eq!(western("۴۵"), "45");
        assert_eq!(western("رقم ٧ و 8"), "رقم 7 و 8");
    }

    #[test]
    fn digits_and_groups() {
        assert_eq!(arabic_indic("01.12.2026"), "٠١.١٢.٢٠٢٦");
        assert_eq!(arabic_indic("٣ and 3"), "٣ and ٣");
        assert_eq!(grouped(0, Some(','), false), "0");
        assert_eq!(grouped(999, Some(','), false), "999");
        assert_eq!(grouped(1234567, Some(','), false), "1,234,567");
        assert_eq!(grouped(12345, Some('٬'), true), "١٢٬٣٤٥");
        assert_eq!(grouped(2024, None, true), "٢٠٢٤");
    }
}
