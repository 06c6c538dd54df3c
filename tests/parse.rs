//! Parser tests, one binary: each module's first line says what it covers.

/// Rocketry's own parse verdicts (`tests/data/oracle/corpus-parse.jsonl`).
#[path = "parse/oracle.rs"]
mod oracle;
/// Every error code, and golden renderings of the diagnostics.
#[path = "parse/diagnostics.rs"]
mod diagnostics;
/// print -> parse round trips on generated statements.
#[path = "parse/roundtrip.rs"]
mod roundtrip;
/// Hostile input: huge, deeply nested, NUL bytes, invalid UTF-8.
#[path = "parse/hostile.rs"]
mod hostile;
/// The `tminus lint` and `tminus parse` commands, run as a user would.
#[path = "parse/cli.rs"]
mod cli;
