//! The shell's security configuration, checked as data: the webview gets only what it
//! needs. (Cargo also builds the desktop binary for this integration test, which the
//! real-window journeys then drive.)

use std::path::Path;

fn json(path: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn source(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// The names between `start` and the next `]` of `text`, one per comma.
fn names_after(text: &str, start: &str) -> Vec<String> {
    let from = text.find(start).unwrap() + start.len();
    let to = from + text[from..].find(']').unwrap();
    text[from..to]
        .split(',')
        .map(|n| n.trim().trim_matches('"').to_string())
        .filter(|n| !n.is_empty())
        .collect()
}

#[test]
fn the_webview_may_call_the_apps_commands_and_nothing_else() {
    let cap = json("capabilities/default.json");
    assert_eq!(cap["windows"], serde_json::json!(["main"]));
    let perms: Vec<String> = cap["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    let mut handled = names_after(&source("src/lib.rs"), "generate_handler![");
    let mut manifest = names_after(&source("build.rs"), "const COMMANDS: &[&str] = &[");
    handled.sort();
    manifest.sort();
    assert_eq!(
        handled, manifest,
        "build.rs lists exactly the registered commands"
    );
    let mut expected: Vec<String> = ["core:event:allow-listen", "core:event:allow-unlisten"]
        .iter()
        .map(|s| s.to_string())
        .chain(
            handled
                .iter()
                .map(|c| format!("allow-{}", c.replace('_', "-"))),
        )
        .collect();
    let mut granted = perms.clone();
    expected.sort();
    granted.sort();
    assert_eq!(
        granted, expected,
        "one permission per command, events for file drops; no fs, shell, http or dialog"
    );
    // No plugin's default set, no file-system, shell, dialog, http or opener permission.
    assert!(!perms.iter().any(|p| p.ends_with(":default")
        || ["fs:", "shell:", "dialog:", "http:", "opener:"]
            .iter()
            .any(|x| p.starts_with(x))));
}

#[test]
fn the_content_security_policy_is_strict() {
    let conf = json("tauri.conf.json");
    let csp = conf["app"]["security"]["csp"].as_str().unwrap();
    assert!(csp.contains("default-src 'self'"));
    assert!(
        csp.contains("script-src 'self';"),
        "no inline or remote scripts: {csp}"
    );
    assert!(csp.contains("object-src 'none'"));
    assert!(
        !csp.contains("http://*") && !csp.contains("https:"),
        "no remote origins: {csp}"
    );
}

#[test]
fn the_desktop_binary_is_built_for_the_journeys() {
    let bin = Path::new(env!("CARGO_BIN_EXE_feiyi-desktop"));
    assert!(bin.is_file(), "{}", bin.display());
}
