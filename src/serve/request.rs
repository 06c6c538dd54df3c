//! The JSON bodies the API accepts, and their checking into values the answers use: a
//! parsed statement, a zone, an instant, a bounded count. Every limit of the API is here.

use super::error::ApiError;
use crate::{Diagnostic, ParseOptions, Schedule, Statement};
use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The largest request body, in bytes: room for the longest statement the parser takes
/// (64 KiB) and its custom conditions, JSON-escaped.
pub const MAX_BODY: usize = 256 * 1024;
/// The most windows one request may ask for.
pub const MAX_COUNT: u64 = 1000;
/// The windows listed when a request names no count.
pub const DEFAULT_COUNT: u64 = 10;
/// The longest horizon, in days: the CLI's default (ten years and a bit).
pub const MAX_HORIZON_DAYS: u64 = 3660;
/// The most custom conditions one request may declare.
pub const MAX_CONDS: usize = 64;
/// The longest custom condition name, in bytes.
pub const MAX_COND_NAME: usize = 200;

/// A custom condition declared with the statement: a bare name (false whenever asked), or a
/// name with the value it has (`{"name": "is business day", "value": true}`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum CondDecl {
    /// Declared, false when evaluated.
    Name(String),
    /// Declared with its value.
    Valued {
        /// The phrase or function name.
        name: String,
        /// What it answers whenever asked.
        #[serde(default)]
        value: bool,
    },
}

/// `POST /api/lint` and `POST /api/parse`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatementBody {
    /// The statement text.
    pub statement: String,
    /// Custom conditions.
    #[serde(default)]
    pub conds: Vec<CondDecl>,
}

/// `POST /api/next`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NextBody {
    /// The statement text.
    pub statement: String,
    /// Custom conditions.
    #[serde(default)]
    pub conds: Vec<CondDecl>,
    /// IANA zone (default UTC).
    pub zone: Option<String>,
    /// Search from this instant (default now).
    pub after: Option<String>,
    /// How many windows (1 to [`MAX_COUNT`]).
    pub count: Option<u64>,
    /// Only windows opening before this instant.
    pub until: Option<String>,
    /// How far to search, in days (1 to [`MAX_HORIZON_DAYS`]).
    pub horizon_days: Option<u64>,
}

/// `POST /api/truth` and `POST /api/explain`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstantBody {
    /// The statement text.
    pub statement: String,
    /// Custom conditions.
    #[serde(default)]
    pub conds: Vec<CondDecl>,
    /// IANA zone (default UTC).
    pub zone: Option<String>,
    /// The instant (default now).
    pub at: Option<String>,
    /// How far `explain` looks for each part's next change, in days.
    pub horizon_days: Option<u64>,
}

/// A statement checked with its declared custom conditions.
#[derive(Debug)]
pub struct Subject {
    /// The parsed statement.
    pub statement: Statement,
    values: BTreeMap<String, bool>,
}

impl Subject {
    /// The statement compiled for evaluation, each custom condition answering its value.
    pub fn schedule(&self) -> Schedule {
        self.values
            .iter()
            .fold(self.statement.schedule(), |s, (name, &value)| {
                s.with_predicate(name.clone(), move |_: &crate::PredicateCall<'_>| value)
            })
    }
}

/// The custom conditions as parse options and their values, checked against the limits.
pub fn declared(conds: &[CondDecl]) -> Result<(ParseOptions, BTreeMap<String, bool>), ApiError> {
    if conds.len() > MAX_CONDS {
        let why = format!("at most {MAX_CONDS} custom conditions, got {}", conds.len());
        return Err(ApiError::invalid_value("conds", why));
    }
    let mut values = BTreeMap::new();
    for decl in conds {
        let (name, value) = match decl {
            CondDecl::Name(name) => (name, false),
            CondDecl::Valued { name, value } => (name, *value),
        };
        let name = name.trim();
        if name.is_empty() || name.len() > MAX_COND_NAME {
            let why = format!("a name must have 1 to {MAX_COND_NAME} bytes");
            return Err(ApiError::invalid_value("conds", why));
        }
        values.insert(name.to_owned(), value);
    }
    let options = values
        .keys()
        .fold(ParseOptions::new(), |o, name| o.register(name.as_str()));
    Ok((options, values))
}

/// The statement parsed with its custom conditions, or its diagnostics as a 422.
pub fn subject(text: &str, conds: &[CondDecl]) -> Result<Subject, ApiError> {
    let (options, values) = declared(conds)?;
    match Statement::parse_with(text, &options) {
        Ok(statement) => Ok(Subject { statement, values }),
        Err(errors) => Err(ApiError::invalid_statement(
            errors.errors().iter().map(Diagnostic::from).collect(),
        )),
    }
}

/// A zone by IANA name; UTC when none is given.
pub fn zone(name: Option<&str>) -> Result<Tz, ApiError> {
    match name {
        None => Ok(Tz::UTC),
        Some(n) => {
            crate::zone::named(n).map_err(|e| ApiError::invalid_value("zone", e.to_string()))
        }
    }
}

/// An instant: ISO 8601 with an offset, or civil time in `zone`; now when none is given.
/// Kept to the microsecond, the evaluator's resolution.
pub fn instant(field: &str, text: Option<&str>, zone: Tz) -> Result<DateTime<Utc>, ApiError> {
    match text {
        None => Ok(Utc::now().trunc_subsecs(6)),
        Some(t) => crate::history::parse_instant(t, zone)
            .map(|at| at.trunc_subsecs(6))
            .map_err(|why| ApiError::invalid_value(field, why)),
    }
}

/// How many windows: [`DEFAULT_COUNT`] when none is given, else 1 to [`MAX_COUNT`].
pub fn count(count: Option<u64>) -> Result<usize, ApiError> {
    match count.unwrap_or(DEFAULT_COUNT) {
        n @ 1..=MAX_COUNT => Ok(n as usize),
        n => Err(ApiError::invalid_value(
            "count",
            format!("{n} is out of range: ask for 1 to {MAX_COUNT} windows"),
        )),
    }
}

/// A horizon in days: `default` when none is given, else 1 to [`MAX_HORIZON_DAYS`].
pub fn horizon(days: Option<u64>, default: u64) -> Result<TimeDelta, ApiError> {
    match days.unwrap_or(default) {
        n @ 1..=MAX_HORIZON_DAYS => Ok(TimeDelta::days(n as i64)),
        n => Err(ApiError::invalid_value(
            "horizon_days",
            format!("{n} is out of range: 1 to {MAX_HORIZON_DAYS} days"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_bounded() {
        assert_eq!(count(None).unwrap(), 10);
        assert_eq!(count(Some(MAX_COUNT)).unwrap(), 1000);
        assert_eq!(count(Some(0)).unwrap_err().code(), "invalid-value");
        assert_eq!(count(Some(u64::MAX)).unwrap_err().code(), "invalid-value");
    }

    #[test]
    fn horizons_are_bounded() {
        assert_eq!(horizon(None, 400).unwrap(), TimeDelta::days(400));
        assert!(horizon(Some(0), 400).is_err());
        assert!(horizon(Some(MAX_HORIZON_DAYS + 1), 400).is_err());
    }

    #[test]
    fn unknown_zone_is_a_value_error() {
        assert_eq!(
            zone(Some("Mars/Olympus")).unwrap_err().code(),
            "invalid-value"
        );
        assert_eq!(zone(Some("Europe/Helsinki")).unwrap(), Tz::Europe__Helsinki);
    }

    #[test]
    fn declared_conditions_answer_their_value() {
        let conds = vec![CondDecl::Valued {
            name: "is business day".into(),
            value: true,
        }];
        let s = subject("is business day", &conds).unwrap();
        let h = crate::MemoryHistory::new();
        assert!(s.schedule().is_true(Utc::now(), Tz::UTC, &h));
        let undeclared = subject("is business day", &[]).unwrap_err();
        assert_eq!(undeclared.code(), "invalid-statement");
    }

    #[test]
    fn too_many_or_empty_conditions_are_refused() {
        let many: Vec<CondDecl> = (0..=MAX_CONDS)
            .map(|i| CondDecl::Name(format!("c{i}")))
            .collect();
        assert!(declared(&many).is_err());
        assert!(declared(&[CondDecl::Name("  ".into())]).is_err());
    }
}
