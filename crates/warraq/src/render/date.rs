//! Dates as the newsroom writes them: `dd.mm.yyyy` by default, in the site's
//! time zone, with Western or Arabic-Indic digits.

use jiff::{tz::TimeZone, Timestamp};

use crate::config::Digits;

#[derive(Clone, Debug)]
pub struct DateFormat {
    pattern: String,
    digits: Digits,
    tz: TimeZone,
}

impl DateFormat {
    pub fn new(pattern: &str, digits: Digits, tz: TimeZone) -> Self {
        DateFormat {
            pattern: pattern.to_string(),
            digits,
            tz,
        }
    }

    pub fn format(&self, at: Timestamp) -> String {
        let date = at.to_zoned(self.tz.clone()).date();
        let text = self
            .pattern
            .replace("yyyy", &format!("{:04}", date.year()))
            .replace("mm", &format!("{:02}", date.month()))
            .replace("dd", &format!("{:02}", date.day()));
        match self.digits {
            Digits::Western => text,
            Digits::ArabicIndic => warraq_text::digits::arabic_indic(&text),
        }
    }

    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    /// The date in the site's time zone, for dated URLs.
    pub fn civil(&self, at: Timestamp) -> jiff::civil::Date {
        at.to_zoned(self.tz.clone()).date()
    }

    /// RFC 2822, as RSS wants it, with the site's offset.
    pub fn rfc2822(&self, at: Timestamp) -> String {
        at.to_zoned(self.tz.clone())
            .strftime("%a, %d %b %Y %H:%M:%S %z")
            .to_string()
    }

    /// RFC 3339 with the site's offset, as structured data and feeds want.
    pub fn iso(&self, at: Timestamp) -> String {
        at.to_zoned(self.tz.clone())
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> Timestamp {
        "2024-07-30T21:30:00Z".parse().unwrap()
    }

    #[test]
    fn default_pattern_in_site_time_zone() {
        let f = DateFormat::new(
            "dd.mm.yyyy",
            Digits::Western,
            TimeZone::get("Asia/Beirut").unwrap(),
        );
        // 21:30 UTC is already the next day in Beirut.
        assert_eq!(f.format(at()), "31.07.2024");
        assert_eq!(f.iso(at()), "2024-07-31T00:30:00+03:00");
        assert_eq!(f.rfc2822(at()), "Wed, 31 Jul 2024 00:30:00 +0300");
    }

    #[test]
    fn arabic_indic_digits() {
        let f = DateFormat::new("dd/mm/yyyy", Digits::ArabicIndic, TimeZone::UTC);
        assert_eq!(f.format(at()), "٣٠/٠٧/٢٠٢٤");
    }
}
