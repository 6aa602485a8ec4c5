//! Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): SHA-1,
//! six digits, 30-second steps, as every authenticator app expects.

use hmac::{Hmac, Mac};
use sha1::Sha1;

const STEP_SECONDS: i64 = 30;
const DIGITS: u32 = 6;
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A shared TOTP secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Totp {
    key: Vec<u8>,
}

impl Totp {
    /// A new random secret of 20 bytes (160 bits, RFC 4226's advice).
    pub fn generate() -> Totp {
        let mut key = vec![0u8; 20];
        getrandom::getrandom(&mut key).expect("the system's random source");
        Totp { key }
    }

    /// A secret from its base32 form (spaces, case and padding ignored).
    pub fn from_base32(text: &str) -> Option<Totp> {
        let mut key = Vec::new();
        let (mut buffer, mut bits) = (0u32, 0u32);
        for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
            let value = BASE32
                .iter()
                .position(|b| *b as char == c.to_ascii_uppercase())? as u32;
            buffer = (buffer << 5) | value;
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                key.push((buffer >> bits) as u8);
                buffer &= (1 << bits) - 1;
            }
        }
        (key.len() >= 10).then_some(Totp { key })
    }

    pub fn to_base32(&self) -> String {
        let mut out = String::new();
        let (mut buffer, mut bits) = (0u32, 0u32);
        for byte in &self.key {
            buffer = (buffer << 8) | *byte as u32;
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                out.push(BASE32[((buffer >> bits) & 31) as usize] as char);
            }
            buffer &= (1 << bits) - 1;
        }
        if bits > 0 {
            out.push(BASE32[((buffer << (5 - bits)) & 31) as usize] as char);
        }
        out
    }

    /// The time step a Unix time falls in.
    pub fn step_of(unix_seconds: i64) -> i64 {
        unix_seconds.div_euclid(STEP_SECONDS)
    }

    /// The code of one time step.
    pub fn code_at_step(&self, step: i64) -> String {
        let mut mac = Hmac::<Sha1>::new_from_slice(&self.key).expect("HMAC takes any key");
        mac.update(&(step as u64).to_be_bytes());
        let hash = mac.finalize().into_bytes();
        let offset = (hash[19] & 0x0f) as usize;
        let value = u32::from_be_bytes([
            hash[offset] & 0x7f,
            hash[offset + 1],
            hash[offset + 2],
            hash[offset + 3],
        ]) % 10u32.pow(DIGITS);
        format!("{value:0width$}", width = DIGITS as usize)
    }

    /// The step whose code `code` is, among the step of `unix_seconds` and
    /// its two neighbours (clocks drift; people type slowly) — but never a
    /// step at or before `last_used`, so that each code works once.
    pub fn verify(&self, code: &str, unix_seconds: i64, last_used: i64) -> Option<i64> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let now = Self::step_of(unix_seconds);
        (now - 1..=now + 1)
            .filter(|step| *step > last_used)
            .find(|step| super::same_secret(&self.code_at_step(*step), &code))
    }
}

/// The `otpauth://` URI authenticator apps read (from a QR code, or typed).
pub fn otpauth_uri(issuer: &str, account: &str, secret: &Totp) -> String {
    let enc = |s: &str| {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        enc(issuer),
        enc(account),
        secret.to_base32(),
        enc(issuer)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 secret "12345678901234567890".
    #[test]
    fn rfc_6238_test_vectors() {
        let totp = Totp {
            key: b"12345678901234567890".to_vec(),
        };
        for (time, code) in [
            (59, "94287082"),
            (1111111109, "07081804"),
            (1111111111, "14050471"),
            (1234567890, "89005924"),
            (2000000000, "69279037"),
            (20000000000, "65353130"),
        ] {
            // The RFC prints eight digits; six are their last six.
            assert_eq!(
                totp.code_at_step(Totp::step_of(time)),
                code[2..],
                "t={time}"
            );
        }
    }

    #[test]
    fn base32_round_trips() {
        let totp = Totp::generate();
        let text = totp.to_base32();
        assert_eq!(text.len(), 32);
        assert_eq!(Totp::from_base32(&text.to_lowercase()), Some(totp));
        // RFC 4648's example.
        assert_eq!(
            Totp {
                key: b"foobar".to_vec()
            }
            .to_base32(),
            "MZXW6YTBOI"
        );
        assert!(Totp::from_base32("not base32!").is_none());
    }

    #[test]
    fn a_code_works_once_and_only_near_its_time() {
        let totp = Totp::generate();
        let now = 1_800_000_000;
        let code = totp.code_at_step(Totp::step_of(now));
        let step = totp.verify(&code, now, 0).unwrap();
        assert_eq!(totp.verify(&code, now, step), None, "reused");
        assert!(totp.verify(&code, now + 30, 0).is_some(), "one step late");
        assert_eq!(totp.verify(&code, now + 300, 0), None, "ten steps late");
        assert_eq!(totp.verify("12345", now, 0), None);
        assert_eq!(totp.verify("abcdef", now, 0), None);
    }

    #[test]
    fn otpauth_uris_name_the_newsroom() {
        let uri = otpauth_uri("الورّاق", "rania@example.org", &Totp::generate());
        assert!(uri.starts_with("otpauth://totp/%D8%A7"));
        assert!(uri.contains("&digits=6&period=30"));
    }
}
