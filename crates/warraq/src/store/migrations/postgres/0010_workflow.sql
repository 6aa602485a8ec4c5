-- The newsroom's day around an article: the note an editor sends back with
-- a story, who has it open (edit locks), the copies the editor keeps while
-- someone types (autosaves, never over the article itself), and the keys
-- every node signs preview links with.

ALTER TABLE articles ADD COLUMN review_note TEXT NOT NULL DEFAULT '';

-- One holder per article; a lock whose holder stopped reporting (seen_at)
-- for a while is free to take. Taking over is explicit: it replaces the row.
CREATE TABLE edit_locks (
    article_id BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    taken_at BIGINT NOT NULL,
    seen_at BIGINT NOT NULL
);

-- One autosaved copy per user and article (article 0: a new article not
-- yet saved), as the write API's fields (JSON), with the revision it was
-- made from.
CREATE TABLE autosaves (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    article_id BIGINT NOT NULL,
    revision BIGINT NOT NULL,
    content TEXT NOT NULL,
    saved_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, article_id)
);

-- Secrets every node shares (the preview-link key): made once by whichever
-- process needs one first.
CREATE TABLE site_keys (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
