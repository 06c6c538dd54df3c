//! `tminus lint` on Python sources, run as CI runs it: the binary on the Rocketry apps in
//! `tests/data/python/`, every output format, directory walking and globs.
//!
//! `app.py` is a sound app written as Rocketry's documentation writes one; `broken.py` has
//! a broken statement of each kind. Golden outputs live in `tests/cli/snapshots/`.

use crate::support::cli::stdout;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

const APP: &str = "tests/data/python/app.py";
const BROKEN: &str = "tests/data/python/broken.py";

fn tminus(args: &[&str]) -> Output {
    tminus_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

fn tminus_in(dir: &Path, args: &[&str]) -> Output {
    crate::support::cli::tminus_in(Some(dir), args, b"")
}

fn json(args: &[&str]) -> Value {
    let out = tminus(&[&["lint", "--format", "json"], args].concat());
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)))
}

/// `(line, column, code, severity)` of every diagnostic, in output order.
fn places(doc: &Value) -> Vec<(u64, u64, String, String)> {
    doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let text = |k: &str| d[k].as_str().unwrap_or_default().to_owned();
            (
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
                text("code"),
                text("severity"),
            )
        })
        .collect()
}

fn place(line: u64, column: u64, code: &str, severity: &str) -> (u64, u64, String, String) {
    (line, column, format!("tminus::{code}"), severity.to_owned())
}

/// Output with the version number replaced, so the golden files survive a release.
fn golden(o: &Output) -> String {
    stdout(o).replace(env!("CARGO_PKG_VERSION"), "[version]")
}

#[test]
fn every_broken_statement_is_found_at_its_line_and_column() {
    let doc = json(&[BROKEN]);
    assert_eq!(
        places(&doc),
        [
            place(16, 18, "syntax", "error"),
            place(21, 26, "bad-time", "error"),
            place(21, 36, "bad-time", "error"),
            place(26, 24, "unknown-task", "warning"),
            // LUNCH = "... 12:65" (line 7), used in `"weekly on Monday & " + LUNCH`: placed
            // where it is used, the definition is the related location.
            place(31, 35, "bad-time", "error"),
            // N = 0 (line 8), used in f"every {N} minutes".
            place(36, 20, "bad-duration", "error"),
            place(42, 30, "skipped", "note"),
            place(48, 21, "unknown-condition", "warning"),
            // After two `\"` escapes: the column counts the source, not the value.
            place(53, 46, "unknown-unit", "error"),
            // The second part of an implicit concatenation.
            place(60, 13, "bad-time", "error"),
            place(70, 69, "syntax", "error"),
            place(71, 48, "unknown-phrase", "error"),
        ]
    );
    assert_eq!(
        (doc["files"].as_u64(), doc["statements"].as_u64()),
        (Some(1), Some(11))
    );
    assert_eq!(tminus(&["lint", BROKEN]).status.code(), Some(1));
}

#[test]
fn messages_say_what_is_wrong_and_suggest_the_fix() {
    let doc = json(&[BROKEN]);
    let find = |code: &str| {
        doc["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|d| d["code"] == code)
            .cloned()
            .unwrap_or_default()
    };
    let task = find("tminus::unknown-task");
    assert_eq!(
        task["message"],
        "task `extarct` is not defined in the linted files"
    );
    assert_eq!(task["help"], "did you mean `extract`?");
    assert_eq!(
        find("tminus::unknown-condition")["help"],
        "did you mean `is holiday`?"
    );
    assert_eq!(
        find("tminus::unknown-unit")["statement"],
        "after task \"extract\" & every 10 minuts"
    );
    let skipped = find("tminus::skipped");
    assert_eq!(
        skipped["message"],
        "condition not checked: `hour` is not a module-level constant"
    );
    assert_eq!(skipped["statement"], Value::Null);
}

#[test]
fn a_sound_app_is_not_flagged() {
    let doc = json(&[APP]);
    assert_eq!(places(&doc), [place(98, 30, "skipped", "note")]);
    assert_eq!(doc["statements"], 12);
    // Notes never fail the run, not even with `--deny warnings`.
    assert_eq!(
        tminus(&["lint", APP, "--deny", "warnings"]).status.code(),
        Some(0)
    );
}

#[test]
fn cross_check_warnings_fail_only_when_denied() {
    let dir = scratch("deny");
    write(&dir, "app.py", "import rocketry\n@app.task('daily')\ndef extract(): ...\n\n@app.task(\"after task 'extrct'\")\ndef load(): ...\n");
    assert_eq!(tminus_in(&dir, &["lint", "app.py"]).status.code(), Some(0));
    assert_eq!(
        tminus_in(&dir, &["lint", "app.py", "--deny", "warnings"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn text_output_draws_the_python_lines() {
    let out = tminus(&["lint", BROKEN]);
    insta::assert_snapshot!("text", golden(&out));
}

#[test]
fn text_output_of_the_sound_app() {
    let out = tminus(&["lint", APP]);
    insta::assert_snapshot!("text_sound", golden(&out));
}

#[test]
fn json_output() {
    let out = tminus(&["lint", "--format", "json", BROKEN]);
    insta::assert_snapshot!("json", golden(&out));
}

#[test]
fn sarif_output() {
    let out = tminus(&["lint", "--format", "sarif", BROKEN]);
    let mut log: Value = serde_json::from_str(&golden(&out)).expect("SARIF is JSON");
    // The rules' descriptions are the tables of docs/diagnostics.md: checked for presence
    // in `sarif_has_the_structure_of_sarif_2_1_0`, left out here so a docs edit is not a
    // golden-file change.
    for rule in log["runs"][0]["tool"]["driver"]["rules"]
        .as_array_mut()
        .into_iter()
        .flatten()
    {
        rule["shortDescription"]["text"] = "[docs/diagnostics.md]".into();
        rule["fullDescription"]["text"] = "[docs/diagnostics.md]".into();
        rule["help"]["text"] = "[docs/diagnostics.md]".into();
        rule["help"]["markdown"] = "[docs/diagnostics.md]".into();
    }
    let pretty = serde_json::to_string_pretty(&log).expect("serialize");
    insta::assert_snapshot!("sarif", pretty);
}

#[test]
fn github_output() {
    let out = tminus(&["lint", "--format", "github", BROKEN]);
    insta::assert_snapshot!("github", golden(&out));
}

#[test]
fn sarif_has_the_structure_of_sarif_2_1_0() {
    let out = tminus(&["lint", "--format", "sarif", BROKEN, APP]);
    assert_eq!(out.status.code(), Some(1));
    let log: Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"]
        .as_str()
        .is_some_and(|s| s.contains("sarif-2.1.0")));
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "tminus");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules: Vec<&str> = driver["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    for rule in driver["rules"].as_array().expect("rules") {
        let short = rule["shortDescription"]["text"]
            .as_str()
            .unwrap_or_default();
        assert!(
            !short.is_empty(),
            "{rule} is described in docs/diagnostics.md"
        );
        let help = rule["help"]["markdown"].as_str().unwrap_or_default();
        assert!(help.contains("Example: `"), "{rule} has its example");
        // No link unless the docs' URL is given (`--docs-url`).
        assert!(rule["helpUri"].is_null(), "{rule}");
    }
    assert!(driver["informationUri"].is_null());
    let results = runs[0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 13);
    for r in results {
        let rule = r["ruleId"].as_str().expect("ruleId");
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index], rule, "ruleIndex points at the rule");
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().expect("level")));
        assert!(!r["message"]["text"]
            .as_str()
            .expect("message.text")
            .is_empty());
        let location = &r["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().expect("uri");
        assert!(uri == BROKEN || uri == APP, "{uri}");
        let region = &location["region"];
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(
                region[key].as_u64().is_some_and(|v| v >= 1),
                "{key} in {region}"
            );
        }
        let start = (region["startLine"].as_u64(), region["startColumn"].as_u64());
        let end = (region["endLine"].as_u64(), region["endColumn"].as_u64());
        assert!(start <= end, "{region}");
    }
    let mut sorted = rules.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), rules.len(), "one rule per code");
}

#[test]
fn github_annotations_use_the_level_of_each_finding() {
    let out = stdout(&tminus(&["lint", "--format", "github", BROKEN]));
    let lines: Vec<&str> = out.lines().collect();
    // 12 findings, and a notice at the definition of each of the two constants that hold one.
    assert_eq!(lines.len(), 14);
    assert!(lines.contains(&"::warning file=tests/data/python/broken.py,line=26,col=24,title=tminus%3A%3Aunknown-task::task `extarct` is not defined in the linted files%0Ahelp: did you mean `extract`?"));
    assert!(lines
        .iter()
        .any(|l| l.starts_with("::notice file=tests/data/python/broken.py,line=42,col=30,")));
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("::error ")).count(),
        9
    );
}

#[test]
fn directories_are_walked_for_python_respecting_gitignore() {
    let dir = scratch("walk");
    let bad = "from rocketry import Rocketry\napp.task('every 10 minuts')\n";
    write(&dir, "src/jobs.py", bad);
    write(&dir, "src/legacy/old.py", bad);
    write(&dir, "src/build/generated.py", bad);
    write(&dir, "src/.venv/lib.py", bad);
    write(&dir, "src/schedules.txt", "every 10 minuts\n");
    write(&dir, "src/.gitignore", "build/\n");
    let files = |args: &[&str]| -> Vec<String> {
        let out = tminus_in(&dir, &[&["lint", "--format", "json"], args].concat());
        let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
        doc["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|d| d["file"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(files(&["src"]), ["src/jobs.py", "src/legacy/old.py"]);
    assert_eq!(files(&["src", "--exclude", "legacy"]), ["src/jobs.py"]);
    assert_eq!(
        files(&["src", "--include", "legacy/*.py"]),
        ["src/legacy/old.py"]
    );
    // A file named on the command line is read whatever its extension.
    assert_eq!(files(&["src/schedules.txt"]), ["src/schedules.txt"]);
}

#[test]
fn a_python_syntax_error_is_reported_not_a_crash() {
    let dir = scratch("syntax");
    write(&dir, "app.py", "@app.task('daily'\ndef extract(): ...\n");
    let doc: Value =
        serde_json::from_slice(&tminus_in(&dir, &["lint", "--format", "json", "app.py"]).stdout)
            .expect("json");
    assert_eq!(doc["diagnostics"][0]["code"], "tminus::python-syntax");
    assert_eq!(doc["diagnostics"][0]["line"], 1);
}

#[test]
fn the_pre_commit_hook_is_declared() {
    let hooks = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .expect("hooks file");
    for line in [
        "- id: tminus-lint",
        "entry: tminus lint",
        "language: rust",
        "types: [python]",
    ] {
        assert!(hooks.contains(line), "{line}");
    }
}

/// A fresh directory for one test, removed when the test ends.
struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch(name: &str) -> Scratch {
    let dir =
        std::env::temp_dir().join(format!("tminus-lint-python-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    Scratch(dir)
}

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("dirs");
    std::fs::write(path, text).expect("write");
}
