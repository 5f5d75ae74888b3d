-- What could not be read from a media file on import (a JSON array of Chinese
-- sentences), so that the library says so instead of showing an empty field as if
-- the fact were unknown by nature.
ALTER TABLE media ADD COLUMN unread TEXT;
