-- First-party view counts. Hits arrive in memory and are flushed here in
-- one transaction per interval as increments, so several nodes sharing one
-- database add up exactly. Hourly buckets older than 7 days are rolled up
-- into daily ones.

CREATE TABLE hits_hourly (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    hour INTEGER NOT NULL,          -- hours since the Unix epoch (UTC)
    views INTEGER NOT NULL,
    PRIMARY KEY (article_id, hour)
);
CREATE INDEX hits_hourly_by_hour ON hits_hourly (hour);

CREATE TABLE hits_daily (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    day INTEGER NOT NULL,           -- days since the Unix epoch (UTC)
    views INTEGER NOT NULL,
    PRIMARY KEY (article_id, day)
);
CREATE INDEX hits_daily_by_day ON hits_daily (day);

CREATE TABLE article_views (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    views INTEGER NOT NULL
);
