//! The media library: import into the content-addressed store, duplicates, links, fixity.
