//! What the targets share: the panic policy.
//!
//! libfuzzer-sys installs a panic hook that aborts on *every* panic, even one that
//! `feiyi_intake::sheet` catches around calamine and turns into an `IntakeError` — which
//! the app handles and is not a crash. So by default [`init`] replaces that hook with a
//! silent one that only remembers the message, and [`run`] aborts (a crash for the
//! fuzzer, message printed) only when a panic escapes the reader. With
//! `FEIYI_FUZZ_STRICT=1` libfuzzer's aborting hook stays, to list the panics calamine
//! raises even when they are caught.

use std::sync::Mutex;

static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Installs the panic policy (once, from `fuzz_target!(init: …)`).
pub fn init() {
    if std::env::var_os("FEIYI_FUZZ_STRICT").is_some() {
        return;
    }
    std::panic::set_hook(Box::new(|info| {
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = Some(info.to_string());
        }
    }));
}

/// Runs `f`; a panic escaping it is reported with its message and aborts the process.
pub fn run<T>(f: impl FnOnce() -> T) {
    if std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).is_err() {
        let msg = LAST_PANIC
            .lock()
            .ok()
            .and_then(|mut m| m.take())
            .unwrap_or_default();
        eprintln!("panic escaped the reader: {msg}");
        std::process::abort();
    }
}
