-- What a newsroom brings from WordPress (see import/): workflow statuses,
-- SEO fields, editions linked as translations, section hierarchy, static
-- pages, media, redirects from every old URL, and the keys that make a
-- second import of the same site update instead of duplicate.

-- Statuses: `review` (submitted, waiting for an editor) and `private` (kept,
-- never public) join draft and published. SQLite cannot alter a CHECK, so
-- the column is replaced; the list indexes that name it go and come back.
DROP INDEX articles_by_lang_date;
DROP INDEX articles_by_date;
ALTER TABLE articles ADD COLUMN state TEXT NOT NULL DEFAULT 'draft'
    CHECK (state IN ('draft', 'review', 'published', 'private'));
UPDATE articles SET state = status;
ALTER TABLE articles DROP COLUMN status;
ALTER TABLE articles RENAME COLUMN state TO status;
CREATE INDEX articles_by_lang_date ON articles (status, lang, published_at DESC, id DESC);
CREATE INDEX articles_by_date ON articles (status, published_at DESC, id DESC);

-- The page <title> and meta description when they differ from the headline
-- and standfirst (Yoast's fields), a canonical URL elsewhere, noindex.
ALTER TABLE articles ADD COLUMN seo_title TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN meta_description TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN canonical_url TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN noindex INTEGER NOT NULL DEFAULT 0;
-- The other language's edition of the same story (no foreign key: either
-- may be deleted, the link then leads nowhere and is ignored).
ALTER TABLE articles ADD COLUMN translation_id INTEGER;

ALTER TABLE sections ADD COLUMN parent_id INTEGER REFERENCES sections(id) ON DELETE SET NULL;

-- Static pages, served at their hierarchical path (`about/team`).
CREATE TABLE pages (
    id INTEGER PRIMARY KEY,
    lang TEXT NOT NULL,
    path TEXT NOT NULL,
    title TEXT NOT NULL,
    body_html TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'review', 'published', 'private')),
    seo_title TEXT NOT NULL DEFAULT '',
    meta_description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    published_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (lang, path)
);

-- Media records: where the file is served from (`url`: under /media/ when
-- warraq holds the file, else where it was), what it shows.
CREATE TABLE media (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    file TEXT,
    title TEXT NOT NULL,
    alt TEXT NOT NULL,
    caption TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

-- Old URLs → where they live now. `source` is a decoded path without its
-- trailing slash (`/2019/05/01/old-slug`), or `/?p=ID` for WordPress's
-- query links. The target is an article or page (its current URL is looked
-- up when asked, so a later slug change does not break the chain) or a
-- fixed location.
CREATE TABLE redirects (
    source TEXT PRIMARY KEY,
    article_id INTEGER REFERENCES articles(id) ON DELETE CASCADE,
    page_id INTEGER REFERENCES pages(id) ON DELETE CASCADE,
    location TEXT
);

-- (site, WordPress id) → what it became, and a digest of what it was, so
-- a second import updates what changed and skips what did not.
CREATE TABLE import_keys (
    site TEXT NOT NULL,
    wp_id INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('article', 'page', 'media')),
    local_id INTEGER NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (site, wp_id)
);
