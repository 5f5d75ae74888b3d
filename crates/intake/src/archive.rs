//! ZIP archives opened safely: entry names, sizes and compression ratios checked before reading.
