//! The media store on disk: originals under their SHA-256, written atomically, never modified.
