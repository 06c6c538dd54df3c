//! JSON Lines task logs: the record shape of the Rocketry oracle's `history` entries.

use super::*;

impl MemoryHistory {
    /// Reads JSON Lines: one record per line,
    /// `{"task": "t", "action": "success", "at": "2024-03-11T10:05:00"}`.
    ///
    /// * `task`: the task name, a non-empty string.
    /// * `action`: `run`, `success`, `fail`, `terminate`, `inaction` or `crash`.
    /// * `at`, one of:
    ///   * ISO 8601 with an offset or `Z` (`2024-03-11T10:05:00+02:00`): that instant;
    ///   * ISO 8601 without an offset: a civil time in `zone`. A time that the clocks skip
    ///     (spring forward) is read with the offset in force before the skip, so it lands
    ///     after the gap by as much as it was into it (Helsinki `2024-03-31T03:30` is
    ///     `04:30+03:00`). A time that happens twice (fall back) is the earlier instant.
    ///     Both are what Python's `datetime.timestamp()` does, and so the Rocketry oracle;
    ///   * a JSON number: POSIX seconds, rounded to the microsecond (ties to even).
    ///
    ///   The date is `YYYY-MM-DD`, optionally followed by `T` (or a space) and `HH:MM`,
    ///   `HH:MM:SS` or `HH:MM:SS.f` with 1 to 9 fractional digits, truncated to
    ///   microseconds; a bare date is midnight. Offsets are `Z`, `±HH:MM`, `±HHMM` or `±HH`.
    ///
    /// Other keys are ignored. Blank lines and lines starting with `#` are skipped, and so is
    /// a UTF-8 byte-order mark at the start. Records
    /// may come in any order; equal instants keep file order.
    ///
    /// ```
    /// use tminus::{History, HistoryErrorKind, MemoryHistory};
    ///
    /// let zone = chrono_tz::Europe::Helsinki;
    /// let log = "# morning\n{\"task\": \"t\", \"action\": \"run\", \"at\": 1710151500.5}\n";
    /// let history = MemoryHistory::from_jsonl(log.as_bytes(), zone)?;
    /// assert_eq!(history.events("t")[0].at.timestamp_millis(), 1_710_151_500_500);
    ///
    /// let bad = "{\"task\": \"t\", \"action\": \"sucess\", \"at\": 0}";
    /// let error = MemoryHistory::from_jsonl(bad.as_bytes(), zone).unwrap_err();
    /// assert_eq!(error.kind(), HistoryErrorKind::UnknownAction);
    /// assert_eq!(error.line(), Some(1));
    /// # Ok::<(), tminus::HistoryError>(())
    /// ```
    pub fn from_jsonl(reader: impl BufRead, zone: Tz) -> Result<MemoryHistory, HistoryError> {
        let mut records = Vec::new();
        for (index, line) in lines(reader).enumerate() {
            let number = index + 1;
            let text = line.map_err(|e| e.at_line(number))?;
            // A byte-order mark some editors write first is not part of the record.
            let text = text.trim_start_matches('\u{feff}').trim();
            if text.is_empty() || text.starts_with('#') {
                continue;
            }
            let record = record(text, zone).map_err(|e| e.at_line(number))?;
            records.push(record);
        }
        Ok(MemoryHistory::from_log(records))
    }
}

/// The lines of `reader` (without their terminators), as UTF-8.
pub(super) fn lines(
    mut reader: impl BufRead,
) -> impl Iterator<Item = Result<String, HistoryError>> {
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let mut bytes = Vec::new();
        match reader.read_until(b'\n', &mut bytes) {
            Ok(0) => None,
            Ok(_) => Some(utf8_line(bytes)),
            Err(error) => {
                done = true;
                Some(Err(io_error(error)))
            }
        }
    })
}

fn utf8_line(bytes: Vec<u8>) -> Result<String, HistoryError> {
    String::from_utf8(bytes).map_err(|error| {
        HistoryError::new(HistoryErrorKind::Json, "the line is not valid UTF-8").with_source(error)
    })
}

/// One non-blank, non-comment line.
pub(super) fn record(text: &str, zone: Tz) -> Result<(String, Event), HistoryError> {
    let value: Value = serde_json::from_str(text).map_err(json_error)?;
    let Value::Object(map) = value else {
        return Err(HistoryError::new(
            HistoryErrorKind::Json,
            "expected a JSON object like {\"task\": \"t\", \"action\": \"run\", \"at\": \"2024-03-11T10:05:00\"}",
        ));
    };
    let task = task_name(string_field(&map, "task")?, "task")?;
    let action = action_named(string_field(&map, "action")?, "action")?;
    let at = at_field(&map, zone)?;
    Ok((task, Event { action, at }))
}

/// `Ok(None)` when the key is absent or null; an error when it holds a non-string.
fn string_field<'a>(
    map: &'a Map<String, Value>,
    key: &str,
) -> Result<Option<&'a str>, HistoryError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(HistoryError::new(
            HistoryErrorKind::BadValue,
            format!("`{key}` must be a string, found {other}"),
        )
        .in_column(key)),
    }
}

fn at_field(map: &Map<String, Value>, zone: Tz) -> Result<DateTime<Utc>, HistoryError> {
    match map.get("at") {
        None | Some(Value::Null) => Err(missing("at")),
        Some(Value::String(text)) => {
            instant::from_iso(text, zone).map_err(|why| bad_instant(text, "at", why))
        }
        Some(Value::Number(number)) => match number.as_f64() {
            Some(seconds) => instant_from_seconds(seconds, &number.to_string(), "at"),
            None => Err(bad_instant(&number.to_string(), "at", "not a number")),
        },
        Some(other) => Err(bad_instant(
            &other.to_string(),
            "at",
            "expected an ISO 8601 string or a number of POSIX seconds",
        )),
    }
}

fn json_error(error: serde_json::Error) -> HistoryError {
    let full = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    let what = full.strip_suffix(&suffix).unwrap_or(&full);
    HistoryError::new(
        HistoryErrorKind::Json,
        format!("malformed JSON at column {}: {what}", error.column()),
    )
    .with_source(error)
}
