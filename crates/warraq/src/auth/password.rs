//! Passwords, hashed with argon2id (the crate's defaults: 19 MiB, two
//! passes, OWASP's recommendation) in the PHC string format, so that the
//! parameters travel with each hash and can be raised later.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// Shorter passwords are refused; longer ones are not limited in kind.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Longer passwords are refused too: hashing megabytes is a way to tie up
/// the server.
const MAX_PASSWORD_BYTES: usize = 1024;

/// The PHC string of a new password, or what is wrong with it.
pub fn hash_password(password: &str) -> Result<String, String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!(
            "the password must have at least {MIN_PASSWORD_CHARS} characters"
        ));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(format!(
            "the password must be at most {MAX_PASSWORD_BYTES} bytes"
        ));
    }
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).expect("the system's random source");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes make a salt");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| format!("cannot hash the password: {e}"))
}

/// True when `password` matches `hash`. With no hash (an unknown e-mail)
/// a hash is checked all the same, so that the answer takes as long as
/// for a known account and does not tell which accounts exist.
pub fn verify_password(password: &str, hash: Option<&str>) -> bool {
    const DECOY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$\
                         2mCyHmYvdHdQhWPSUbnZM1dPnhzB9yI+3hp3hKqOg/0";
    let (hash, real) = match hash {
        Some(h) => (h, true),
        None => (DECOY, false),
    };
    if password.len() > MAX_PASSWORD_BYTES {
        return false;
    }
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let ok = Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    ok && real
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_matches_its_hash_only() {
        let hash = hash_password("كلمة سرّ طويلة").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("كلمة سرّ طويلة", Some(&hash)));
        assert!(!verify_password("كلمة سر طويلة", Some(&hash)));
        assert_ne!(hash, hash_password("كلمة سرّ طويلة").unwrap());
    }

    #[test]
    fn short_and_huge_passwords_are_refused() {
        assert!(hash_password("short").is_err());
        assert!(hash_password(&"x".repeat(2000)).is_err());
    }

    #[test]
    fn the_decoy_is_a_valid_hash_that_lets_nobody_in() {
        assert!(PasswordHash::new(
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2mCyHmYvdHdQhWPSUbnZM1dPnhzB9yI+3hp3hKqOg/0"
        )
        .is_ok());
        assert!(!verify_password("anything at all", None));
    }
}
