//! `tminus lint` on Rocketry apps of several modules whose conditions are written with
//! `rocketry.conds` objects, strings and constants imported from one module into another
//! (`tests/data/python/warehouse/`, and `tests/data/python/newsroom/`, which reaches
//! constants through module attributes too), in every output format.
//!
//! Each app marks each planted mistake in its source (`# MISTAKE: <code>` on the line where
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
const NEWSROOM: &str = "tests/data/python/newsroom";

fn tminus(args: &[&str]) -> Output {
    crate::support::cli::tminus_in(Some(Path::new(env!("CARGO_MANIFEST_DIR"))), args, b"")
}

fn lint(format: &str) -> Output {
    lint_app(APP, format)
}

fn lint_app(app: &str, format: &str) -> Output {
    tminus(&["lint", "--format", format, app])
}

fn json() -> Value {
    json_of(&lint("json"))
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

/// A place the app's marks name: `(file, line, code)`.
type Mark = (String, u64, String);

/// The marks `# <KIND>: <code>` of every module; a mark on a line of its own is about
/// the next line. `NOTE` marks stand for `tminus::skipped`.
fn marks(kind: &str) -> BTreeSet<Mark> {
    marks_of(APP, kind)
}

fn marks_of(app: &str, kind: &str) -> BTreeSet<Mark> {
    let mut found = BTreeSet::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(app);
    for entry in std::fs::read_dir(&dir).expect("the app's folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "py") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a module");
        let file = format!("{app}/{}", path.file_name().unwrap().to_string_lossy());
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
    // Where the docs are published is not known unless given: no made-up URL, and each
    // rule carries its documentation in the log.
    assert!(run["tool"]["driver"]["informationUri"].is_null());
    for rule in run["tool"]["driver"]["rules"].as_array().expect("rules") {
        assert!(rule["helpUri"].is_null(), "{rule}");
        assert!(text(&rule["help"], "text").contains("Example: `"), "{rule}");
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

/// `--docs-url` (or `TMINUS_DOCS_URL`) names the `docs/` folder: the tool links to it and
/// each rule to the section of `diagnostics.md` that lists its code.
#[test]
fn sarif_links_to_the_docs_only_when_told_where_they_are() {
    let docs = "https://docs.example.org/tminus/v1/docs";
    let flag = tminus(&[
        "lint",
        "--format",
        "sarif",
        "--docs-url",
        &format!("{docs}/"),
        APP,
    ]);
    let by_env = crate::support::cli::tminus_env(
        &[("TMINUS_DOCS_URL", docs)],
        &["lint", "--format", "sarif", APP],
    );
    for out in [flag, by_env] {
        let doc = json_of(&out);
        let driver = &doc["runs"][0]["tool"]["driver"];
        assert_eq!(text(driver, "informationUri"), docs);
        let help: BTreeSet<String> = driver["rules"]
            .as_array()
            .expect("rules")
            .iter()
            .map(|r| text(r, "helpUri"))
            .collect();
        let section = |s: &str| format!("{docs}/diagnostics.md#{s}");
        let expected: BTreeSet<String> = [
            section("errors-the-statement-is-rejected"),
            section("from-the-optimizer"),
            section("source-file-lint"),
        ]
        .into();
        assert_eq!(help, expected);
    }
    for bad in ["docs/diagnostics.md", "ftp://example.org/docs", "https://"] {
        let out = tminus(&["lint", "--format", "sarif", "--docs-url", bad, APP]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("is not an http or https URL"), "{err}");
    }
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

// ---------------------------------------------------------------------------------------
// The newsroom: an app the linter was not written against, read back from every format.

/// The findings `(file, line, code)` and the related locations `(file, line, code of the
/// finding)` that one output format reports.
#[derive(Debug, PartialEq, Eq)]
struct Reported {
    findings: BTreeSet<Mark>,
    related: BTreeSet<Mark>,
    /// How many findings were written (a set would hide a finding written twice).
    count: usize,
}

fn from_json(doc: &Value) -> Reported {
    let mut related = BTreeSet::new();
    for d in diagnostics(doc) {
        for r in d["related"].as_array().expect("related") {
            let line = r["line"].as_u64().unwrap_or(0);
            related.insert((text(r, "file"), line, text(d, "code")));
        }
    }
    Reported {
        findings: findings(doc),
        related,
        count: diagnostics(doc).len(),
    }
}

fn from_sarif(doc: &Value) -> Reported {
    let place = |l: &Value| {
        let physical = &l["physicalLocation"];
        let line = physical["region"]["startLine"].as_u64().unwrap_or(0);
        (text(&physical["artifactLocation"], "uri"), line)
    };
    let results = doc["runs"][0]["results"].as_array().expect("results");
    let (mut findings, mut related) = (BTreeSet::new(), BTreeSet::new());
    for r in results {
        let code = text(r, "ruleId");
        let (file, line) = place(&r["locations"][0]);
        findings.insert((file, line, code.clone()));
        for l in r["relatedLocations"].as_array().into_iter().flatten() {
            let (file, line) = place(l);
            related.insert((file, line, code.clone()));
        }
    }
    Reported {
        findings,
        related,
        count: results.len(),
    }
}

/// `::error file=F,line=L,col=C,title=CODE::MESSAGE`; a related location is a `::notice`
/// whose message says where the constant is used.
fn from_github(out: &str) -> Reported {
    let (mut findings, mut related, mut count) = (BTreeSet::new(), BTreeSet::new(), 0);
    for line in out.lines().filter(|l| l.starts_with("::")) {
        let (head, message) = line[2..].split_once("::").expect("a workflow command");
        let (_, properties) = head.split_once(' ').expect("properties");
        let property = |key: &str| {
            properties
                .split(',')
                .find_map(|p| p.strip_prefix(&format!("{key}=")))
                .unwrap_or_default()
                .replace("%3A", ":")
        };
        let mark = (
            property("file"),
            property("line").parse().expect("a line number"),
            property("title"),
        );
        if message.contains("(used at ") {
            related.insert(mark);
        } else {
            findings.insert(mark);
            count += 1;
        }
    }
    Reported {
        findings,
        related,
        count,
    }
}

/// The drawing on stderr: `[CODE] Level: message`, then `╭─[ FILE:LINE:COLUMN ]`, and a
/// `= note: FILE:LINE:COLUMN: ... is defined here` line for a definition in another file.
fn from_text(err: &str) -> Reported {
    let (mut findings, mut related, mut count) = (BTreeSet::new(), BTreeSet::new(), 0);
    let mut code = String::new();
    let place = |at: &str| {
        let mut parts = at.trim().rsplitn(3, ':');
        let (_column, line) = (parts.next(), parts.next().expect("a line"));
        let file = parts.next().expect("a file").to_owned();
        (file, line.parse::<u64>().expect("a line number"))
    };
    for line in err.lines() {
        if let Some(rest) = line.strip_prefix('[') {
            code = rest.split(']').next().unwrap_or_default().to_owned();
        } else if let Some((_, at)) = line.split_once("╭─[ ") {
            let (file, line) = place(at.trim_end_matches(" ]"));
            findings.insert((file, line, code.clone()));
            count += 1;
        } else if let Some(note) = line.trim_start().strip_prefix("= note: ") {
            if note.contains("is defined here") {
                let at = note.split(": `").next().expect("a place");
                let (file, line) = place(at);
                related.insert((file, line, code.clone()));
            }
        }
    }
    Reported {
        findings,
        related,
        count,
    }
}

/// What every format must report for the newsroom: each `MISTAKE` and `NOTE` mark once,
/// each `DEFINED` mark as the related location of the finding at the constant's use.
fn newsroom_expected() -> Reported {
    let mut findings = marks_of(NEWSROOM, "MISTAKE");
    findings.extend(marks_of(NEWSROOM, "NOTE"));
    Reported {
        count: findings.len(),
        findings,
        related: marks_of(NEWSROOM, "DEFINED"),
    }
}

#[test]
fn the_newsroom_marks_every_kind_of_mistake() {
    let expected = newsroom_expected();
    let codes: BTreeSet<&str> = expected.findings.iter().map(|m| m.2.as_str()).collect();
    for code in [
        "bad-time",
        "unknown-unit",
        "cron-out-of-range",
        "cron-never",
        "unknown-task",
        "unknown-condition",
        "syntax",
        "never-true",
        "redundant-clause",
        "skipped",
    ] {
        assert!(codes.contains(format!("tminus::{code}").as_str()), "{code}");
    }
    assert_eq!(expected.findings.len(), 17, "{:#?}", expected.findings);
    assert_eq!(expected.related.len(), 2, "{:#?}", expected.related);
}

#[test]
fn the_newsroom_in_json_every_mistake_at_its_use_and_nothing_else() {
    let out = lint_app(NEWSROOM, "json");
    assert_eq!(out.status.code(), Some(1), "the app has errors");
    assert_eq!(from_json(&json_of(&out)), newsroom_expected());
}

#[test]
fn the_newsroom_in_sarif_every_mistake_at_its_use_and_nothing_else() {
    let out = lint_app(NEWSROOM, "sarif");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(from_sarif(&json_of(&out)), newsroom_expected());
}

#[test]
fn the_newsroom_in_github_annotations_every_mistake_at_its_use_and_nothing_else() {
    let out = lint_app(NEWSROOM, "github");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(from_github(&stdout(&out)), newsroom_expected());
}

#[test]
fn the_newsroom_in_text_every_mistake_at_its_use_and_nothing_else() {
    let out = lint_app(NEWSROOM, "text");
    assert_eq!(out.status.code(), Some(1));
    let drawn = stdout(&out);
    assert_eq!(from_text(&drawn), newsroom_expected());
    // The summary counts each mark once, by the level of its code.
    let expected = newsroom_expected();
    let level = |code: &str| match code {
        "tminus::skipped" => 2,
        "tminus::unknown-task" | "tminus::unknown-condition" | "tminus::redundant-clause" => 1,
        _ => 0,
    };
    let mut counts = [0; 3];
    for mark in &expected.findings {
        counts[level(&mark.2)] += 1;
    }
    let [errors, warnings, notes] = counts;
    // Nothing is left unchecked without a note: every condition the Rocketry modules give
    // (each `@app.task(...)` has one, plus its `end_cond=`) is a statement checked or a
    // skipped note.
    let statements = newsroom_conditions() - notes;
    assert_eq!(
        drawn.lines().last().unwrap_or_default(),
        format!(
            "{statements} statements checked: {errors} errors, {warnings} warnings, {notes} notes"
        )
    );
}

/// The conditions written in the newsroom's Rocketry modules, counted in their source.
fn newsroom_conditions() -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(NEWSROOM);
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("the app's folder") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let rocketry = text.contains("from rocketry") || text.contains("import rocketry");
        if path.extension().is_some_and(|e| e == "py") && rocketry {
            count += text.matches("@app.task(").count() + text.matches("end_cond=").count();
        }
    }
    assert_eq!(count, 35, "the newsroom's conditions");
    count
}

#[test]
fn the_newsroom_celery_workers_and_helpers_are_left_alone() {
    for file in ["media.py", "storage.py"] {
        let path = format!("{NEWSROOM}/{file}");
        let doc = json_of(&lint_app(NEWSROOM, "json"));
        assert!(
            diagnostics(&doc).iter().all(|d| text(d, "file") != path),
            "{path}"
        );
        // Linted alone too: the Celery `@app.task(...)` and `progress.task(...)` are not
        // Rocketry's.
        let alone = json_of(&tminus(&["lint", "--format", "json", &path]));
        assert_eq!(diagnostics(&alone).len(), 0, "{alone}");
    }
}
