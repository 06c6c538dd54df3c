//! The pages in Debian's Chromium, headless, driven by playwright-core (the scripts in
//! `tests/web/browser/`, run with node's test runner against a real server process).
//!
//! Without Chromium, node or `npm ci` in `tests/web/browser/`, these tests say so and pass
//! on a developer's machine, but fail under CI (`CI` set), where `.ci/run` installs them.

use crate::support::server::Server;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The folder of the browser scripts.
fn scripts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/web/browser")
}

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// What is missing to run the browser tests, if anything.
fn missing() -> Vec<String> {
    let mut missing = Vec::new();
    if !chromium().exists() {
        missing.push(format!(
            "{} (apt-get install chromium)",
            chromium().display()
        ));
    }
    if Command::new("node").arg("--version").output().is_err() {
        missing.push("node".into());
    }
    if !scripts().join("node_modules/playwright-core").exists() {
        missing.push("playwright-core (npm ci in tests/web/browser)".into());
    }
    missing
}

/// Whether the browser tests can run; under CI a missing piece fails the test.
fn ready() -> bool {
    let missing = missing();
    if missing.is_empty() {
        return true;
    }
    let under_ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false");
    assert!(
        !under_ci,
        "browser tests cannot run under CI, missing: {}",
        missing.join(", ")
    );
    eprintln!("browser tests skipped, missing: {}", missing.join(", "));
    false
}

/// Runs one script of `tests/web/browser/` against `url`; fails with its report.
pub fn run_script(script: &str, url: &str, env: &[(&str, &str)]) {
    let mut command = Command::new("node");
    command
        .args(["--test", "--test-reporter=spec", script])
        .current_dir(scripts())
        .env("TMINUS_URL", url)
        .env("CHROMIUM", chromium());
    for (k, v) in env {
        command.env(k, v);
    }
    let out = command.output().expect("node runs");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{script} failed:\n{report}");
    assert!(
        report.contains("fail 0"),
        "{script} reported failures:\n{report}"
    );
}

#[test]
fn playground() {
    if !ready() {
        return;
    }
    let server = Server::start(&[]);
    run_script("playground.test.mjs", &server.url(), &[]);
}

#[test]
fn dashboard() {
    if !ready() {
        return;
    }
    use crate::dashboard::{run_with_ui, tasks_dir, wait_for, TOKEN};
    let dir = tasks_dir("browser-dashboard");
    let server = run_with_ui(&dir, &[("TMINUS_UI_TOKEN", TOKEN)]);
    wait_for(&server, "/api/log", |v| {
        v["records"].as_array().is_some_and(|r| r.len() >= 2)
    });
    run_script(
        "dashboard.test.mjs",
        &server.url(),
        &[("TMINUS_TOKEN", TOKEN)],
    );
}
