-- The search index's write buffer (issue 8). FTS5 keeps the new index entries of a write
-- transaction in memory and writes them out as a new segment, to be merged with the
-- others, each time they pass `hashsize` bytes (1 MB by default). A trigram index of
-- Chinese texts passes 1 MB every few dozen records: importing an exchange package of
-- 1,000 items spent a third of its time flushing and merging segments. With 8 MB that
-- share fell to a few percent and the import took ~10 % less time (a larger buffer was
-- no faster: FTS5's hash chains grow longer). The buffer is held only while a
-- transaction writes the index.
INSERT INTO search_text(search_text, rank) VALUES ('hashsize', 8388608);
INSERT INTO search_gram(search_gram, rank) VALUES ('hashsize', 8388608);
