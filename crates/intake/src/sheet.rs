//! Spreadsheets (XLSX, XLS, ODS, CSV) read into rows of trimmed strings.
