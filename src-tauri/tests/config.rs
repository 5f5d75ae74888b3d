//! The shell's security configuration, checked as data: the webview gets only what it
//! needs. (Cargo also builds the desktop binary for this integration test, which the
//! real-window journeys then drive.)

use std::path::Path;

fn json(path: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_webview_may_call_the_apps_commands_and_nothing_else() {
    let cap = json("capabilities/default.json");
    assert_eq!(cap["windows"], serde_json::json!(["main"]));
    let perms: Vec<&str> = cap["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(
        perms,
        ["core:default"],
        "no fs, shell, http or dialog permissions for the webview"
    );
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
