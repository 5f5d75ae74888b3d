//! Integration tests of feiyi-core: one binary, one module per concern.

#![allow(clippy::unwrap_used)] // a panic is the test's failure report

mod application;
mod backup;
mod bad_input;
mod bindings;
mod crash;
mod exchange;
mod export_docx;
mod export_pdf;
mod export_xlsx;
mod history;
mod import;
mod items;
mod media;
mod media_files;
mod media_import;
mod package;
mod people;
mod protection;
mod registry;
mod reminders;
mod report;
mod schema;
mod search;
mod stats;
mod support;
mod synth;
