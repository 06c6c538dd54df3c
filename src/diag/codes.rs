//! Every diagnostic code tminus reports, in one table.
//!
//! Codes are stable (`docs/diagnostics.md` says what each means and names a statement that
//! triggers it); every other place names them through the constants here, never as string
//! literals: the error kinds ([`crate::ErrorKind::code`], cron errors nested under
//! [`crate::ErrorKind::Cron`]), the parser's warnings, the optimizer's findings
//! ([`crate::opt::FindingKind::code`]) and the command line's own checks. A test reads the
//! tables of `docs/diagnostics.md` and checks that they list exactly [`ALL`].

// Errors of parsing and lowering: the statement is rejected.

/// The text does not fit the grammar.
pub const SYNTAX: &str = "tminus::syntax";
/// Nothing to parse.
pub const EMPTY: &str = "tminus::empty";
/// A parenthesis without its partner.
pub const UNBALANCED_PAREN: &str = "tminus::unbalanced-paren";
/// Nested deeper than the limit.
pub const NESTING_LIMIT: &str = "tminus::nesting-limit";
/// Longer than the limit.
pub const TOO_LONG: &str = "tminus::too-long";
/// A control character.
pub const INVALID_CHAR: &str = "tminus::invalid-char";
/// Not UTF-8 (a statement given as bytes, or a Python file).
pub const INVALID_UTF8: &str = "tminus::invalid-utf8";
/// A phrase no family matches and that was not registered.
pub const UNKNOWN_PHRASE: &str = "tminus::unknown-phrase";
/// A time of day that does not exist or is not a time.
pub const BAD_TIME: &str = "tminus::bad-time";
/// A bare number where a time of day is needed.
pub const BARE_NUMBER: &str = "tminus::bare-number";
/// A point outside its cycle.
pub const OUT_OF_RANGE: &str = "tminus::out-of-range";
/// Not a weekday name.
pub const UNKNOWN_WEEKDAY: &str = "tminus::unknown-weekday";
/// A literal of the wrong kind for the unit.
pub const WRONG_LITERAL: &str = "tminus::wrong-literal";
/// A range the phrase does not take.
pub const RANGE_NOT_ALLOWED: &str = "tminus::range-not-allowed";
/// A duration unit Rocketry does not know.
pub const UNKNOWN_UNIT: &str = "tminus::unknown-unit";
/// A zero, negative or over-long duration.
pub const BAD_DURATION: &str = "tminus::bad-duration";
/// A name Rocketry cannot read.
pub const BAD_NAME: &str = "tminus::bad-name";
/// A number too large.
pub const BAD_NUMBER: &str = "tminus::bad-number";
/// A cron value outside its field.
pub const CRON_OUT_OF_RANGE: &str = "tminus::cron-out-of-range";
/// Not 5 or 6 cron fields.
pub const CRON_FIELD_COUNT: &str = "tminus::cron-field-count";
/// A cron range whose start is after its end.
pub const CRON_BAD_RANGE: &str = "tminus::cron-bad-range";
/// A cron step of zero, too large, or not a number.
pub const CRON_BAD_STEP: &str = "tminus::cron-bad-step";
/// Not a month or weekday name.
pub const CRON_UNKNOWN_NAME: &str = "tminus::cron-unknown-name";
/// A cron field that cannot be read.
pub const CRON_SYNTAX: &str = "tminus::cron-syntax";
/// A cron extension where it cannot be.
pub const CRON_UNSUPPORTED: &str = "tminus::cron-unsupported";

// Warnings of the parser: the statement is valid but suspicious.

/// A wrong ordinal suffix (`2st`).
pub const ORDINAL_SUFFIX: &str = "tminus::ordinal-suffix";
/// A double-quoted name, which Rocketry 2.5 rejects.
pub const DOUBLE_QUOTED_NAME: &str = "tminus::double-quoted-name";

// Warnings of the optimizer.

/// No instant satisfies the statement.
pub const NEVER_TRUE: &str = "tminus::never-true";
/// One alternative of `|` is never true.
pub const NEVER_TRUE_CLAUSE: &str = "tminus::never-true-clause";
/// The time conditions cover every instant.
pub const ALWAYS_TRUE: &str = "tminus::always-true";
/// A clause the others already decide.
pub const REDUNDANT_CLAUSE: &str = "tminus::redundant-clause";
/// `between X and X`.
pub const EMPTY_BETWEEN: &str = "tminus::empty-between";
/// Cron fields that never match.
pub const CRON_NEVER: &str = "tminus::cron-never";
/// `~~a`: two negations that cancel.
pub const DOUBLE_NEGATION: &str = "tminus::double-negation";

// The command line's own checks.

/// A `--jsonl` input line that cannot be read.
pub const INPUT: &str = "tminus::input";
/// A task named in a Python file that the file does not define.
pub const UNKNOWN_TASK: &str = "tminus::unknown-task";
/// A phrase that a Python file neither uses from the language nor registers.
pub const UNKNOWN_CONDITION: &str = "tminus::unknown-condition";
/// A condition built at run time, which cannot be checked.
pub const SKIPPED: &str = "tminus::skipped";
/// A Python file that does not parse.
pub const PYTHON_SYNTAX: &str = "tminus::python-syntax";

// The tasks file of `tminus run` (`UNKNOWN_TASK` is also used there, for a dependency on a
// task the file does not define).

/// A tasks file that is not valid TOML or does not fit its schema.
pub const TASKS_FILE: &str = "tminus::tasks-file";
/// A file that cannot be read.
pub const IO: &str = "tminus::io";
/// A time zone that is not an IANA name.
pub const UNKNOWN_ZONE: &str = "tminus::unknown-zone";
/// A task-log URL that cannot be read.
pub const BAD_LOG_URL: &str = "tminus::bad-log-url";
/// An execution mode a command cannot run in.
pub const BAD_EXECUTION: &str = "tminus::bad-execution";
/// An unknown `catch_up` policy.
pub const BAD_CATCH_UP: &str = "tminus::bad-catch-up";
/// A task without a command.
pub const EMPTY_COMMAND: &str = "tminus::empty-command";
/// A cluster lease shorter than the minimum.
pub const BAD_LEASE: &str = "tminus::bad-lease";

/// Every code, in the order of `docs/diagnostics.md`.
pub const ALL: &[&str] = &[
    SYNTAX,
    EMPTY,
    UNBALANCED_PAREN,
    NESTING_LIMIT,
    TOO_LONG,
    INVALID_CHAR,
    INVALID_UTF8,
    UNKNOWN_PHRASE,
    BAD_TIME,
    BARE_NUMBER,
    OUT_OF_RANGE,
    UNKNOWN_WEEKDAY,
    WRONG_LITERAL,
    RANGE_NOT_ALLOWED,
    UNKNOWN_UNIT,
    BAD_DURATION,
    BAD_NAME,
    BAD_NUMBER,
    CRON_OUT_OF_RANGE,
    CRON_FIELD_COUNT,
    CRON_BAD_RANGE,
    CRON_BAD_STEP,
    CRON_UNKNOWN_NAME,
    CRON_SYNTAX,
    CRON_UNSUPPORTED,
    INPUT,
    ORDINAL_SUFFIX,
    DOUBLE_QUOTED_NAME,
    NEVER_TRUE,
    NEVER_TRUE_CLAUSE,
    ALWAYS_TRUE,
    REDUNDANT_CLAUSE,
    EMPTY_BETWEEN,
    CRON_NEVER,
    DOUBLE_NEGATION,
    UNKNOWN_TASK,
    UNKNOWN_CONDITION,
    SKIPPED,
    PYTHON_SYNTAX,
    TASKS_FILE,
    IO,
    UNKNOWN_ZONE,
    BAD_LOG_URL,
    BAD_EXECUTION,
    BAD_CATCH_UP,
    EMPTY_COMMAND,
    BAD_LEASE,
];

/// Whether `code` is one of tminus's codes.
///
/// ```
/// use tminus::diag::codes;
/// assert!(codes::is_known(codes::NEVER_TRUE));
/// assert!(!codes::is_known("tminus::no-such-code"));
/// ```
pub fn is_known(code: &str) -> bool {
    ALL.contains(&code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The codes in the first column of the tables of `docs/diagnostics.md`.
    fn documented() -> BTreeSet<String> {
        let docs = include_str!("../../docs/diagnostics.md");
        docs.lines()
            .filter_map(|line| line.strip_prefix("| `tminus::"))
            .filter_map(|rest| rest.split_once('`'))
            .map(|(name, _)| format!("tminus::{name}"))
            .collect()
    }

    #[test]
    fn the_table_and_the_docs_list_the_same_codes() {
        let table: BTreeSet<String> = ALL.iter().map(|c| c.to_string()).collect();
        assert_eq!(table.len(), ALL.len(), "a code is listed twice");
        let documented = documented();
        let missing: Vec<_> = table.difference(&documented).collect();
        let unknown: Vec<_> = documented.difference(&table).collect();
        assert!(
            missing.is_empty(),
            "not in docs/diagnostics.md: {missing:?}"
        );
        assert!(
            unknown.is_empty(),
            "documented but not in the table: {unknown:?}"
        );
    }

    #[test]
    fn every_constant_is_in_the_table() {
        let constants: BTreeSet<&str> = include_str!("codes.rs")
            .lines()
            .filter_map(|line| line.strip_prefix("pub const "))
            .filter_map(|line| line.split_once(": &str = \""))
            .map(|(_, code)| code.trim_end_matches("\";"))
            .collect();
        let table: BTreeSet<&str> = ALL.iter().copied().collect();
        assert_eq!(constants, table);
    }
}
