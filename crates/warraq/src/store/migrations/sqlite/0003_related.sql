-- Related articles: editors' pins (shown first, in order) and a per-article
-- switch for the "read also" block inside the body.

ALTER TABLE articles ADD COLUMN read_also INTEGER NOT NULL DEFAULT 1;

CREATE TABLE article_related_pins (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    related_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (article_id, related_id)
);
