-- A photo for each byline profile, shown on the author's page; edited in
-- the back office with the rest of the profile (see service/site.rs).
ALTER TABLE authors ADD COLUMN photo_url TEXT NOT NULL DEFAULT '';
