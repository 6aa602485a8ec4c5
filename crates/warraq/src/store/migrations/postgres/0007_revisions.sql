-- Every save of an article, as it was saved: who, when, and its fields as
-- the write API takes them (JSON), so that a revision can be shown and
-- restored through the same save as any other.
CREATE TABLE revisions (
    article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    revision BIGINT NOT NULL,
    at BIGINT NOT NULL,
    user_id BIGINT,
    actor TEXT NOT NULL,
    content TEXT NOT NULL,
    PRIMARY KEY (article_id, revision)
);
