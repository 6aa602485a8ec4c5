//! The secrets of the back office, with no storage and no HTTP: password
//! hashes, random tokens and their digests, and time-based one-time codes.
//! The store keeps what these make; the web layer and the command line use
//! them to let people in.

mod password;
mod totp;

pub use password::{hash_password, verify_password, MIN_PASSWORD_CHARS};
pub use totp::{otpauth_uri, Totp};

use base64::Engine;
use sha2::{Digest, Sha256};

/// `n` bytes from the operating system's random source, as URL-safe
/// base64 without padding: session ids, CSRF tokens, API tokens.
pub fn random_token(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    getrandom::getrandom(&mut bytes).expect("the system's random source");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The SHA-256 of a high-entropy secret (a session id, an API token, a
/// recovery code), in hex: what the database keeps instead of the secret.
/// Passwords are not high-entropy and go through [`hash_password`].
pub fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new API token: a recognisable prefix, then 32 random bytes.
pub fn new_api_token() -> String {
    format!("wq_{}", random_token(32))
}

/// Ten one-time recovery codes, `xxxxx-xxxxx` in lower-case letters and
/// digits without look-alikes (about 50 bits each).
pub fn recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    (0..10)
        .map(|_| {
            let mut bytes = [0u8; 10];
            getrandom::getrandom(&mut bytes).expect("the system's random source");
            let chars: String = bytes
                .iter()
                .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
                .collect();
            format!("{}-{}", &chars[..5], &chars[5..])
        })
        .collect()
}

/// A recovery code as typed: spaces and case do not matter, the dash is
/// optional.
pub fn normalize_recovery_code(code: &str) -> String {
    let plain: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if plain.len() == 10 {
        format!("{}-{}", &plain[..5], &plain[5..])
    } else {
        plain
    }
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// HMAC-SHA256 of `message` under `key`, in hex: what a signed link carries.
pub fn sign(key: &[u8], message: &str) -> String {
    use hmac::Mac;
    let mut mac = hmac::Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(message.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether `signature` (hex) is [`sign`]'s of `message`, compared in
/// constant time.
pub fn signed(key: &[u8], message: &str, signature: &str) -> bool {
    use hmac::Mac;
    let Some(bytes) = hex_bytes(signature) else {
        return false;
    };
    let mut mac = hmac::Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(message.as_bytes());
    mac.verify_slice(&bytes).is_ok()
}

fn hex_bytes(hex: &str) -> Option<Vec<u8>> {
    if hex.len() % 2 != 0 || !hex.is_ascii() {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_digests_fixed() {
        assert_ne!(random_token(32), random_token(32));
        assert_eq!(random_token(32).len(), 43);
        assert_eq!(
            digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(new_api_token().starts_with("wq_"));
    }

    #[test]
    fn recovery_codes_read_back_however_typed() {
        let codes = recovery_codes();
        assert_eq!(codes.len(), 10);
        for code in &codes {
            assert_eq!(code.len(), 11);
            assert_eq!(
                &normalize_recovery_code(&code.to_uppercase().replace('-', " ")),
                code
            );
        }
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }
}
