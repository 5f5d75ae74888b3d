//! Integration tests of feiyi-core: one binary, one module per concern.

mod bindings;
mod items;
mod registry;
mod schema;
mod search;
mod support;
