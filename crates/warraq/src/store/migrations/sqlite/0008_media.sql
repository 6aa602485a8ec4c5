-- The media library: what an upload is (its size, type, the smaller copies
-- made of it for srcset) besides what the importer already kept, who
-- uploaded it and whom to credit.
ALTER TABLE media ADD COLUMN credit TEXT NOT NULL DEFAULT '';
ALTER TABLE media ADD COLUMN width INTEGER;
ALTER TABLE media ADD COLUMN height INTEGER;
ALTER TABLE media ADD COLUMN mime TEXT;
-- JSON: [{"width", "url", "type"}], smallest first.
ALTER TABLE media ADD COLUMN sizes TEXT NOT NULL DEFAULT '[]';
-- No foreign key: a removed account leaves its uploads.
ALTER TABLE media ADD COLUMN uploaded_by INTEGER;
-- A cover chosen by its URL is looked up by it.
CREATE INDEX media_by_url ON media (url);
-- The library lists newest first.
CREATE INDEX media_by_date ON media (created_at DESC, id DESC);

-- A cover from the library carries its size and copies along, so that
-- pages reserve its space and offer a srcset without a second lookup.
ALTER TABLE articles ADD COLUMN cover_width INTEGER;
ALTER TABLE articles ADD COLUMN cover_height INTEGER;
ALTER TABLE articles ADD COLUMN cover_sizes TEXT NOT NULL DEFAULT '[]';
