//! Parser tests, one binary: each module's first line says what it covers.

/// Statement generators shared with other test binaries.
mod support;

/// The `tminus lint` and `tminus parse` commands, run as a user would.
#[path = "parse/cli.rs"]
mod cli;
/// Every error code, and golden renderings of the diagnostics.
#[path = "parse/diagnostics.rs"]
mod diagnostics;
/// Hostile input: huge, deeply nested, NUL bytes, invalid UTF-8.
#[path = "parse/hostile.rs"]
mod hostile;
/// Rocketry's own parse verdicts (`tests/data/oracle/corpus-parse.jsonl`).
#[path = "parse/oracle.rs"]
mod oracle;
/// print -> parse round trips on generated statements.
#[path = "parse/roundtrip.rs"]
mod roundtrip;
