-- The database is the source of truth for what changed.
--
-- Every write appends one row per touched article to `changes` in its own
-- transaction; every process follows the log from its last position (page
-- caches, search, most read, related articles), so a write by any process
-- reaches all of them. SQLite has one writer at a time, so sequence numbers
-- become visible in order.
CREATE TABLE changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('created', 'updated', 'published', 'unpublished', 'deleted')),
    at INTEGER NOT NULL
);

CREATE INDEX changes_by_article ON changes (article_id);

-- Up to when scheduled articles have been logged as published when their
-- time came (see store/changes.rs): one row.
CREATE TABLE change_clock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    due_checked INTEGER NOT NULL
);
INSERT INTO change_clock (id, due_checked) VALUES (1, CAST(strftime('%s', 'now') AS INTEGER));

-- Lists and lookups at archive scale: every public list query walks one of
-- these in order and stops after a page.
DROP INDEX articles_by_date;
CREATE INDEX articles_by_lang_date ON articles (status, lang, published_at DESC, id DESC);
CREATE INDEX articles_by_date ON articles (status, published_at DESC, id DESC);

-- The junction tables carry the article's language and, while it is
-- published, its publication time, so section, tag and author lists are
-- read from one index in order instead of joining and sorting (the language
-- rides at the end of the index: lists with and without one use it alike).
ALTER TABLE article_sections ADD COLUMN lang TEXT NOT NULL DEFAULT '';
ALTER TABLE article_sections ADD COLUMN published_at INTEGER;
ALTER TABLE article_tags ADD COLUMN lang TEXT NOT NULL DEFAULT '';
ALTER TABLE article_tags ADD COLUMN published_at INTEGER;
ALTER TABLE article_authors ADD COLUMN lang TEXT NOT NULL DEFAULT '';
ALTER TABLE article_authors ADD COLUMN published_at INTEGER;

UPDATE article_sections SET
    lang = (SELECT a.lang FROM articles a WHERE a.id = article_id),
    published_at = (SELECT a.published_at FROM articles a WHERE a.id = article_id AND a.status = 'published');
UPDATE article_tags SET
    lang = (SELECT a.lang FROM articles a WHERE a.id = article_id),
    published_at = (SELECT a.published_at FROM articles a WHERE a.id = article_id AND a.status = 'published');
UPDATE article_authors SET
    lang = (SELECT a.lang FROM articles a WHERE a.id = article_id),
    published_at = (SELECT a.published_at FROM articles a WHERE a.id = article_id AND a.status = 'published');

DROP INDEX article_sections_by_section;
DROP INDEX article_tags_by_tag;
DROP INDEX article_authors_by_author;
CREATE INDEX article_sections_list ON article_sections (section_id, published_at DESC, article_id DESC, lang);
CREATE INDEX article_tags_list ON article_tags (tag_id, published_at DESC, article_id DESC, lang);
CREATE INDEX article_authors_list ON article_authors (author_id, published_at DESC, article_id DESC, lang);

-- Related articles, computed in the background when an article changes and
-- read as they are when a page is rendered, most related first.
CREATE TABLE article_related (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    -- No foreign key: a list naming an article since deleted is read past.
    related_id INTEGER NOT NULL,
    PRIMARY KEY (article_id, position)
);
