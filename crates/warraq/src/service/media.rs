//! The media library as articles use it.

use super::{CoverInput, Newsroom};
use crate::model::Cover;

impl Newsroom {
    /// A cover as given; when its URL is an image of the library, with
    /// the size and smaller copies the library knows of it, so that pages
    /// reserve its space and offer a srcset.
    pub(super) async fn cover_of(&self, c: &CoverInput) -> anyhow::Result<Cover> {
        let url = c.url.trim();
        let known = if url.starts_with("/media/") {
            self.store.media_at(url).await?
        } else {
            None
        };
        Ok(Cover {
            url: url.to_string(),
            alt: c.alt.trim().to_string(),
            caption: c.caption.trim().to_string(),
            width: known.as_ref().and_then(|m| m.width),
            height: known.as_ref().and_then(|m| m.height),
            sizes: known.map(|m| m.sizes).unwrap_or_default(),
        })
    }
}
