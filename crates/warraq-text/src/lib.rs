//! Pure text processing for warraq.
//!
//! Everything here works on strings and returns strings: no IO, no async, no
//! global state beyond immutable configuration. That keeps it easy to test,
//! fuzz and benchmark on its own, and lets every other part of warraq (the
//! renderer, feeds, search, the `.txt` view) share one definition of what a
//! safe body and a clean text are.

pub mod analysis;
pub mod blocks;
pub mod digits;
pub mod php;
pub mod plain;
pub mod sanitize;
pub mod shortcode;
pub mod wpautop;

pub use plain::{clean_text, is_known_shortcode, KNOWN_SHORTCODES};
pub use sanitize::{sanitize_body, sanitize_rendered};
