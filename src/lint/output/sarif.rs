//! `--format sarif`: a SARIF 2.1.0 log, the format GitHub code scanning and other tools
//! upload. One run; its tool's rules are the diagnostic codes that occur, described from
//! the tables of `docs/diagnostics.md` (so the docs and the rules cannot drift); each
//! finding is a result at its file, line and column.
//!
//! Each rule carries its documentation in the log (`shortDescription`, `fullDescription`
//! and `help`, with the example that triggers it), since tminus cannot know where its docs
//! are published: `informationUri` and each rule's `helpUri` (the section of
//! `diagnostics.md` that lists its code) are written only when the run is given the URL of
//! the `docs/` folder (`--docs-url` or `TMINUS_DOCS_URL`); SARIF wants both absolute. A
//! finding in a constant lists the constant's definition under `relatedLocations`, and
//! every result has a `partialFingerprints` entry, so code scanning can follow a finding
//! across commits that move its line.

use crate::lint::placed::{LintRun, Placed};
use crate::Severity;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The diagnostic codes' documentation, whose table rows describe the rules.
const DIAGNOSTICS_MD: &str = include_str!("../../../docs/diagnostics.md");

/// The key of our entry in `partialFingerprints`; the version changes when the way it is
/// computed does.
const FINGERPRINT: &str = "tminusFinding/v1";

/// The SARIF log of `run`; `docs` is the URL of the `docs/` folder, when known.
pub fn document(run: &LintRun, docs: Option<&str>) -> Value {
    let rules = rule_indices(run);
    let mut seen: BTreeMap<u64, usize> = BTreeMap::new();
    let results: Vec<Value> = run
        .findings
        .iter()
        .map(|f| {
            let hash = fingerprint(f);
            let n = seen.entry(hash).or_default();
            *n += 1;
            let mut r = result(f, rules[f.diagnostic.code.as_str()]);
            r["partialFingerprints"] = json!({FINGERPRINT: format!("{hash:016x}:{n}")});
            r
        })
        .collect();
    let mut driver = json!({
        "name": "tminus",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": rules.keys().map(|code| rule(code, docs)).collect::<Vec<_>>(),
    });
    if let Some(docs) = docs {
        driver["informationUri"] = json!(docs);
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            // Our columns count characters, not SARIF's default UTF-16 code units.
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

/// Each code that occurs, with its index among the rules (sorted by code).
fn rule_indices(run: &LintRun) -> BTreeMap<&str, usize> {
    let mut codes: BTreeMap<&str, usize> = run
        .findings
        .iter()
        .map(|f| (f.diagnostic.code.as_str(), 0))
        .collect();
    for (i, index) in codes.values_mut().enumerate() {
        *index = i;
    }
    codes
}

fn rule(code: &str, docs: Option<&str>) -> Value {
    let mut rule = json!({"id": code, "name": code.trim_start_matches("tminus::")});
    if let (Some(docs), Some(section)) = (docs, documented_section(code)) {
        rule["helpUri"] = json!(format!("{docs}/diagnostics.md#{section}"));
    }
    if let Some([example, meaning]) = documented_row(code) {
        let short = meaning.split("; ").next().unwrap_or(&meaning);
        rule["shortDescription"] = json!({"text": short});
        rule["fullDescription"] = json!({"text": meaning});
        rule["help"] = json!({
            "text": format!("{meaning}. Example: {example}"),
            "markdown": format!("**`{code}`**: {meaning}.\n\nExample: {example}"),
        });
    }
    rule
}

/// The "example" and "meaning" cells of `code`'s row in `docs/diagnostics.md`.
fn documented_row(code: &str) -> Option<[String; 2]> {
    let row_start = format!("| `{code}` |");
    let row = DIAGNOSTICS_MD.lines().find(|l| l.starts_with(&row_start))?;
    // Cells are separated by ` | `; an escaped `\|` inside a cell is not a separator.
    let cells: Vec<&str> = row.trim_matches('|').split(" | ").collect();
    let cell = |i: usize| cells.get(i).map(|c| c.trim().replace("\\|", "|"));
    Some([cell(1)?, cell(2)?])
}

/// The anchor of the heading above `code`'s row in `docs/diagnostics.md`, as GitHub
/// writes it: lower case, spaces to `-`, other punctuation dropped.
fn documented_section(code: &str) -> Option<String> {
    let row_start = format!("| `{code}` |");
    let row = DIAGNOSTICS_MD.find(&row_start)?;
    let heading = DIAGNOSTICS_MD[..row].lines().rev().find_map(|l| {
        l.strip_prefix('#')
            .map(|h| h.trim_start_matches('#').trim())
    })?;
    Some(
        heading
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                _ => None,
            })
            .collect(),
    )
}

/// A hash of what identifies a finding apart from its line number: the code, the file,
/// the text of its primary line (trimmed) and the message. FNV-1a, which is stable across
/// builds and platforms (the standard library's hasher is not).
fn fingerprint(f: &Placed) -> u64 {
    let at = f.labels.first().map_or(0, |l| l.start).min(f.text.len());
    let start = f.text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let end = f.text[at..]
        .find(['\n', '\r'])
        .map_or(f.text.len(), |i| at + i);
    let line = f.text.get(start..end).unwrap_or("").trim();
    let key = [
        f.diagnostic.code.as_str(),
        &f.file,
        line,
        &f.diagnostic.message,
    ]
    .join("\0");
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |h: u64, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

fn result(f: &Placed, rule_index: usize) -> Value {
    let d = &f.diagnostic;
    let text = match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.message),
        None => d.message.clone(),
    };
    let region = json!({
        "startLine": f.start.line,
        "startColumn": f.start.column,
        "endLine": f.end.line,
        "endColumn": f.end.column,
    });
    let mut result = json!({
        "ruleId": d.code,
        "ruleIndex": rule_index,
        "level": level(d.severity),
        "message": {"text": text},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(&f.file)}, "region": region}}],
    });
    if let Some(statement) = &f.statement {
        result["properties"] = json!({"statement": statement});
    }
    if !f.related.is_empty() {
        let related: Vec<Value> = f
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let region = json!({
                    "startLine": r.start.line,
                    "startColumn": r.start.column,
                    "endLine": r.end.line,
                    "endColumn": r.end.column,
                });
                json!({
                    "id": i,
                    "physicalLocation": {"artifactLocation": {"uri": uri(&r.file)}, "region": region},
                    "message": {"text": r.message},
                })
            })
            .collect();
        result["relatedLocations"] = json!(related);
    }
    result
}

/// A URI for a path as the user gave it: relative paths stay relative references (as code
/// scanning wants them, relative to the checkout), absolute ones become `file://` URIs;
/// `/` separators, no leading `./`, and anything outside RFC 3986's unreserved characters
/// percent-encoded (`<expr 1>` becomes `%3Cexpr%201%3E`).
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::with_capacity(path.len());
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_references() {
        assert_eq!(uri("./src/app.py"), "src/app.py");
        assert_eq!(uri("<expr 1>"), "%3Cexpr%201%3E");
        assert_eq!(uri("/srv/app.py"), "file:///srv/app.py");
    }

    #[test]
    fn rules_are_described_from_the_docs() {
        let [example, meaning] = documented_row("tminus::unknown-unit").expect("documented");
        assert_eq!(example, "`every 10 minuts`");
        assert!(meaning.contains("duration unit"), "{meaning}");
        assert!(documented_row("tminus::no-such-code").is_none());
        let [example, _] = documented_row("tminus::double-negation").expect("documented");
        assert_eq!(example, "`~~daily`");
    }

    #[test]
    fn help_uris_name_the_section_of_the_code() {
        assert_eq!(
            documented_section("tminus::skipped").as_deref(),
            Some("source-file-lint")
        );
        assert_eq!(
            documented_section("tminus::unknown-unit").as_deref(),
            Some("errors-the-statement-is-rejected")
        );
    }
}
