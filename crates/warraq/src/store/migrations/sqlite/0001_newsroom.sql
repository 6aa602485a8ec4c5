-- The newsroom: sections, authors, tags and articles.
-- Times are Unix seconds (UTC); display converts to the site's time zone.

CREATE TABLE sections (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE section_names (
    section_id INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (section_id, lang)
);

CREATE TABLE authors (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE
);

CREATE TABLE author_profiles (
    author_id INTEGER NOT NULL REFERENCES authors(id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    bio TEXT NOT NULL,
    PRIMARY KEY (author_id, lang)
);

CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    lang TEXT NOT NULL,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (lang, slug)
);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    lang TEXT NOT NULL,
    slug TEXT NOT NULL,
    headline TEXT NOT NULL,
    standfirst TEXT NOT NULL,
    body_html TEXT NOT NULL,
    cover_url TEXT,
    cover_alt TEXT,
    cover_caption TEXT,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    published_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (lang, slug)
);

CREATE INDEX articles_by_date ON articles (status, lang, published_at DESC);

CREATE TABLE article_authors (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES authors(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (article_id, author_id)
);
CREATE INDEX article_authors_by_author ON article_authors (author_id);

CREATE TABLE article_sections (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    section_id INTEGER NOT NULL REFERENCES sections(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (article_id, section_id)
);
CREATE INDEX article_sections_by_section ON article_sections (section_id);

CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_by_tag ON article_tags (tag_id);
