-- Every save of an article, as it was saved: who, when, and its fields as
-- the write API takes them (JSON), so that a revision can be shown and
-- restored through the same save as any other.
CREATE TABLE revisions (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    at INTEGER NOT NULL,
    user_id INTEGER,
    actor TEXT NOT NULL,
    content TEXT NOT NULL,
    PRIMARY KEY (article_id, revision)
);
