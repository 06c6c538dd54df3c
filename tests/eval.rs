//! Evaluator tests, one binary: each module's first line says what it covers.

/// Oracle cases and generators shared with other test binaries.
mod support;

/// DST: gaps, folds, odd offsets and skipped days, zone by zone.
#[path = "eval/dst.rs"]
mod dst;
/// Reading task histories: Rocketry's own log files, JSON Lines, and their errors.
#[path = "eval/history.rs"]
mod history;
/// Rocketry 2.5.1's own verdicts (`tests/data/oracle/corpus-eval.jsonl`).
#[path = "eval/oracle.rs"]
mod oracle;
/// `next_window` against a brute-force scan of `is_true` (proptest).
#[path = "eval/props.rs"]
mod props;
/// Rocketry's own scans (`tests/data/oracle/corpus-scan.jsonl`).
#[path = "eval/scan.rs"]
mod scan;
