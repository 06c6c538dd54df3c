//! `tminus lint` on a Rocketry app of several modules whose conditions are written with
//! `rocketry.conds` objects, strings and constants imported from one module into another
//! (`tests/data/python/warehouse/`), in every output format.
//!
//! The app marks each planted mistake in its source (`# MISTAKE: <code>` on the line where
//! it must be reported, or on a comment line just above), each condition that cannot be
//! checked (`# NOTE:`), and each constant whose mistake is reported where it is used
//! (`# DEFINED: <code>`). The tests read those marks, so the expectations live beside the
//! code they are about: every mistake found at its use site, no other finding, nothing
//! unchecked without a note, the constant's definition as the related location.

use crate::support::cli::stdout;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Output;

const APP: &str = "tests/data/python/warehouse";

fn tminus(args: &[&str]) -> Output {
    crate::support::cli::tminus_in(Some(Path::new(env!("CARGO_MANIFEST_DIR"))), args, b"")
}

fn lint(format: &str) -> Output {
    tminus(&["lint", "--format", format, APP])
}

fn json() -> Value {
    let out = lint("json");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)))
}

/// A place the app's marks name: `(file, line, code)`.
type Mark = (String, u64, String);

/// The marks `# <KIND>: <code>` of every module; a mark on a line of its own is about
/// the next line. `NOTE` marks stand for `tminus::skipped`.
fn marks(kind: &str) -> BTreeSet<Mark> {
    let mut found = BTreeSet::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(APP);
    for entry in std::fs::read_dir(&dir).expect("the app's folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "py") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a module");
        let file = format!("{APP}/{}", path.file_name().unwrap().to_string_lossy());
        for (i, line) in text.lines().enumerate() {
            let Some((code, rest)) = line.split_once(&format!("# {kind}:")) else {
                continue;
            };
            let on_its_own = code.trim().is_empty();
            let line = i as u64 + if on_its_own { 2 } else { 1 };
            let code = match kind {
                "NOTE" => "skipped".to_owned(),
                _ => rest
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .trim_end_matches(',')
                    .to_owned(),
            };
            found.insert((file.clone(), line, format!("tminus::{code}")));
        }
    }
    found
}

fn text(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or_default().to_owned()
}

/// `(file, line, code)` of every finding.
fn findings(doc: &Value) -> BTreeSet<Mark> {
    diagnostics(doc)
        .iter()
        .map(|d| {
            (
                text(d, "file"),
                d["line"].as_u64().unwrap_or(0),
                text(d, "code"),
            )
        })
        .collect()
}

fn diagnostics(doc: &Value) -> &Vec<Value> {
    doc["diagnostics"].as_array().expect("diagnostics")
}

#[test]
fn every_planted_mistake_is_found_where_it_is_used_and_nothing_else() {
    let doc = json();
    let mut expected = marks("MISTAKE");
    expected.extend(marks("NOTE"));
    assert_eq!(expected.len(), 13, "the app's marks: {expected:#?}");
    assert_eq!(findings(&doc), expected);
    assert_eq!(
        diagnostics(&doc).len(),
        expected.len(),
        "one finding per mark"
    );
}

#[test]
fn a_mistake_in_a_constant_points_at_its_definition_as_the_related_location() {
    let doc = json();
    let mut related = BTreeSet::new();
    for d in diagnostics(&doc) {
        for r in d["related"].as_array().expect("related") {
            assert_ne!(
                text(r, "file"),
                text(d, "file"),
                "the use is elsewhere: {d}"
            );
            assert!(text(r, "message").contains("defined here"), "{r}");
            related.insert((
                text(r, "file"),
                r["line"].as_u64().unwrap_or(0),
                text(d, "code"),
            ));
        }
    }
    assert_eq!(related, marks("DEFINED"));
}

#[test]
fn a_module_that_does_not_import_rocketry_is_not_linted_for_conditions() {
    let doc = json();
    let downloads = format!("{APP}/downloads.py");
    assert!(diagnostics(&doc)
        .iter()
        .all(|d| text(d, "file") != downloads));
    // The same file passes on its own too, although it calls a method named `task`.
    let out = tminus(&["lint", "--format", "json", &downloads]);
    let alone: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(diagnostics(&alone).len(), 0, "{alone}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_module_linted_alone_notes_what_it_imports_from_modules_not_linted() {
    let etl = format!("{APP}/etl.py");
    let out = tminus(&["lint", "--format", "json", &etl]);
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    let notes: Vec<String> = diagnostics(&doc)
        .iter()
        .filter(|d| text(d, "code") == "tminus::skipped")
        .map(|d| text(d, "message"))
        .collect();
    assert!(
        notes.iter().any(|m| m.contains(
            "`SYNC_EVERY` is imported from `schedules`, which is not among the linted files"
        )),
        "{notes:#?}"
    );
    // Tasks of the modules not linted may be named anywhere: only near-misses are reported.
    let tasks: Vec<String> = diagnostics(&doc)
        .iter()
        .filter(|d| text(d, "code") == "tminus::unknown-task")
        .map(|d| text(d, "message"))
        .collect();
    assert_eq!(
        tasks,
        ["task `transfrom` is not defined in the linted files"]
    );
}

#[test]
fn the_exit_code_fails_on_the_errors() {
    assert_eq!(lint("text").status.code(), Some(1));
}

/// Output with the version number replaced, so the golden files survive a release.
fn golden(o: &Output) -> String {
    stdout(o).replace(env!("CARGO_PKG_VERSION"), "[version]")
}

#[test]
fn text_output() {
    insta::assert_snapshot!("text", golden(&lint("text")));
}

#[test]
fn json_output() {
    insta::assert_snapshot!("json", golden(&lint("json")));
}

#[test]
fn sarif_output() {
    let out = lint("sarif");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("sarif");
    let run = &doc["runs"][0];
    assert!(text(&run["tool"]["driver"], "informationUri").starts_with("https://"));
    for rule in run["tool"]["driver"]["rules"].as_array().expect("rules") {
        assert!(
            text(rule, "helpUri").contains("/docs/diagnostics.md#"),
            "{rule}"
        );
    }
    let results = run["results"].as_array().expect("results");
    let fingerprints: BTreeSet<String> = results
        .iter()
        .map(|r| text(&r["partialFingerprints"], "tminusFinding/v1"))
        .collect();
    assert_eq!(
        fingerprints.len(),
        results.len(),
        "one fingerprint per result"
    );
    let related = results
        .iter()
        .filter(|r| r["relatedLocations"].is_array())
        .count();
    assert_eq!(
        related,
        marks("DEFINED").len() + 1,
        "cron-never is used twice"
    );
    insta::assert_snapshot!("sarif", golden(&out));
}

#[test]
fn github_output() {
    let out = golden(&lint("github"));
    // A second annotation marks the definition of each constant that holds a mistake.
    let notices = out
        .lines()
        .filter(|l| l.starts_with("::notice file=tests/data/python/warehouse/schedules.py"))
        .count();
    assert_eq!(notices, 3);
    insta::assert_snapshot!("github", out);
}
