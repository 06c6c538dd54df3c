//! `--format sarif`: a SARIF 2.1.0 log, the format GitHub code scanning and other tools
//! upload. One run; its tool's rules are the diagnostic codes that occur, described from
//! the tables of `docs/diagnostics.md` (so the docs and the rules cannot drift); each
//! finding is a result at its file, line and column.

use crate::lint::placed::{LintRun, Placed};
use crate::Severity;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The diagnostic codes' documentation, whose table rows describe the rules.
const DIAGNOSTICS_MD: &str = include_str!("../../../docs/diagnostics.md");

/// The SARIF log of `run`.
pub fn document(run: &LintRun) -> Value {
    let rules = rule_indices(run);
    let results: Vec<Value> = run
        .findings
        .iter()
        .map(|f| result(f, rules[f.diagnostic.code.as_str()]))
        .collect();
    let driver = json!({
        "name": "tminus",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": rules.keys().map(|code| rule(code)).collect::<Vec<_>>(),
    });
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

fn rule(code: &str) -> Value {
    let mut rule = json!({"id": code, "name": code.trim_start_matches("tminus::")});
    if let Some(meaning) = documented_meaning(code) {
        let short = meaning.split("; ").next().unwrap_or(&meaning);
        rule["shortDescription"] = json!({"text": short});
        rule["fullDescription"] = json!({"text": meaning});
    }
    rule
}

/// The "meaning" cell of `code`'s row in `docs/diagnostics.md`.
fn documented_meaning(code: &str) -> Option<String> {
    let row_start = format!("| `{code}` |");
    let row = DIAGNOSTICS_MD.lines().find(|l| l.starts_with(&row_start))?;
    // Cells are separated by ` | `; an escaped `\|` inside a cell is not a separator.
    let cells: Vec<&str> = row.trim_matches('|').split(" | ").collect();
    cells.get(2).map(|c| c.trim().replace("\\|", "|"))
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
        let meaning = documented_meaning("tminus::unknown-unit").expect("documented");
        assert!(meaning.contains("duration unit"), "{meaning}");
        assert!(documented_meaning("tminus::no-such-code").is_none());
    }
}
