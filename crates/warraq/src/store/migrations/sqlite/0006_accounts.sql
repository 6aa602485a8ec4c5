-- The back office's people and access (see web/admin/): accounts with roles,
-- sessions, API tokens, sign-in throttling, second factors, the audit log;
-- and what articles need for a newsroom's workflow: who owns each one, a
-- revision that grows with every save, and the statuses `unpublished`
-- (taken off the site) and `trash` (deleted, kept until emptied).

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'author', 'contributor')),
    -- The byline profile this person writes under.
    author_id INTEGER REFERENCES authors(id) ON DELETE SET NULL,
    lang TEXT NOT NULL DEFAULT 'ar',
    password_hash TEXT NOT NULL,
    -- Base32 TOTP secret once enrolled, and the last 30-second step used,
    -- so that a code is accepted once.
    totp_secret TEXT,
    totp_last_step INTEGER NOT NULL DEFAULT 0,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

CREATE TABLE recovery_codes (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at INTEGER,
    PRIMARY KEY (user_id, code_hash)
);

-- Sessions are known by the SHA-256 of their cookie, so a copy of the
-- database signs nobody in. `pending` holds a session that passed the
-- password and waits for the second factor.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    pending INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    seen_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at INTEGER
);
CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens (user_id, name) WHERE revoked_at IS NULL;

-- Failed sign-ins by `email:…` and by `addr:…`, shared by every node.
CREATE TABLE login_failures (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_at INTEGER NOT NULL
);

-- Append-only: the triggers refuse to change or remove an entry.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    user_id INTEGER,
    actor TEXT NOT NULL,
    address TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Statuses: SQLite cannot alter a CHECK, so the column is replaced, as in 0005.
DROP INDEX articles_by_lang_date;
DROP INDEX articles_by_date;
ALTER TABLE articles ADD COLUMN state TEXT NOT NULL DEFAULT 'draft'
    CHECK (state IN ('draft', 'review', 'published', 'private', 'unpublished', 'trash'));
UPDATE articles SET state = status;
ALTER TABLE articles DROP COLUMN status;
ALTER TABLE articles RENAME COLUMN state TO status;
CREATE INDEX articles_by_lang_date ON articles (status, lang, published_at DESC, id DESC);
CREATE INDEX articles_by_date ON articles (status, published_at DESC, id DESC);

ALTER TABLE articles ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
ALTER TABLE articles ADD COLUMN owner_id INTEGER REFERENCES users(id) ON DELETE SET NULL;
CREATE INDEX articles_by_owner ON articles (owner_id, status);
