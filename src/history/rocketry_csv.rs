//! The CSV task log Rocketry's `CSVFileRepo` writes.

use super::*;

impl MemoryHistory {
    /// Reads the CSV file Rocketry's `CSVFileRepo` writes.
    ///
    /// Rocketry 2.5.1 (through redbird 0.7.1) writes a header row with the record model's
    /// field names, then one row per record, `\r\n`-terminated and quoted as Python's
    /// `csv` module does. With `MinimalRecord` that is `task_name,action,created`;
    /// `created` is POSIX seconds as Python prints a float (`1710151500.4565208`). Richer
    /// models (`LogRecord`, `TaskRunRecord`, …) add columns such as `msg`, `exc_text`
    /// (multi-line tracebacks), `start`, `run_id`; they are ignored.
    ///
    /// Columns are found by header name (`task_name`, `action`, `created`), so their order
    /// does not matter. (Rocketry itself reads by position, using its model's field order.)
    /// An empty file is an empty history. Line numbers in errors count physical lines,
    /// header included.
    ///
    /// ```
    /// use tminus::{Action, History, MemoryHistory};
    ///
    /// let csv = "task_name,action,created\r\nfetch,run,1710151500.25\r\n";
    /// let history = MemoryHistory::from_rocketry_csv(csv.as_bytes())?;
    /// assert_eq!(history.events("fetch")[0].action, Action::Run);
    /// # Ok::<(), tminus::HistoryError>(())
    /// ```
    pub fn from_rocketry_csv(reader: impl Read) -> Result<MemoryHistory, HistoryError> {
        let lines = LineCounter::new(reader);
        let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(lines);
        let header = match csv.headers() {
            Ok(header) => header.clone(),
            Err(error) => return Err(csv_error(error, csv.get_mut())),
        };
        if header.is_empty() {
            return Ok(MemoryHistory::new());
        }
        let columns = Columns::find(&header)?;
        let mut records = Vec::new();
        let mut row = csv::StringRecord::new();
        loop {
            match csv.read_record(&mut row) {
                Ok(false) => break,
                Ok(true) => {}
                Err(error) => return Err(csv_error(error, csv.get_mut())),
            }
            let line = row.position().map(|p| csv.get_mut().line_at(p.byte()));
            let record = columns.record(&row).map_err(|e| match line {
                Some(line) => e.at_line(line),
                None => e,
            })?;
            records.push(record);
        }
        Ok(MemoryHistory::from_log(records))
    }
}

/// Where the three columns Rocketry reads are.
pub(super) struct Columns {
    task: usize,
    action: usize,
    created: usize,
}

impl Columns {
    pub(super) fn find(header: &csv::StringRecord) -> Result<Columns, HistoryError> {
        let names: Vec<&str> = header
            .iter()
            .map(|name| name.trim_start_matches('\u{feff}').trim())
            .collect();
        let index = |column: &str| {
            names
                .iter()
                .position(|name| *name == column)
                .ok_or_else(|| {
                    HistoryError::new(
                        HistoryErrorKind::MissingField,
                        format!(
                            "the header has no column `{column}` (found: {})",
                            names.join(", ")
                        ),
                    )
                    .in_column(column)
                    .at_line(1)
                })
        };
        Ok(Columns {
            task: index("task_name")?,
            action: index("action")?,
            created: index("created")?,
        })
    }

    /// One data row; an empty cell counts as missing (redbird reads it as None).
    pub(super) fn record(&self, row: &csv::StringRecord) -> Result<(String, Event), HistoryError> {
        let cell = |index: usize| row.get(index).filter(|text| !text.is_empty());
        let task = task_name(cell(self.task), "task_name")?;
        let action = action_named(cell(self.action), "action")?;
        let created = cell(self.created).ok_or_else(|| missing("created"))?;
        let at = instant_from_text(created, "created")?;
        Ok((task, Event { action, at }))
    }
}

pub(super) fn csv_error<R>(error: csv::Error, lines: &mut LineCounter<R>) -> HistoryError {
    let line = error.position().map(|p| lines.line_at(p.byte()));
    let converted = match error.kind() {
        csv::ErrorKind::Io(_) => HistoryError::new(HistoryErrorKind::Io, error.to_string()),
        _ => HistoryError::new(HistoryErrorKind::Csv, csv_message(&error)),
    };
    let converted = converted.with_source(error);
    match line {
        Some(line) => converted.at_line(line),
        None => converted,
    }
}

/// A reader that remembers where its line breaks are, to turn the byte offsets the
/// `csv` crate reports into line numbers. (Its own line count lags on `\r\n` files,
/// which is what Rocketry writes, and counts the blank lines it skips as part of the
/// next record.) `\n`, `\r\n` and a lone `\r` each end a line.
pub(super) struct LineCounter<R> {
    inner: R,
    bytes_read: u64,
    previous: Option<u8>,
    line_start: u64,
    /// Line breaks not yet passed: (offset of the break's last byte, ends a blank line).
    breaks_ahead: std::collections::VecDeque<(u64, bool)>,
    lines_behind: usize,
}

impl<R> LineCounter<R> {
    pub(super) fn new(inner: R) -> Self {
        LineCounter {
            inner,
            bytes_read: 0,
            previous: None,
            line_start: 0,
            breaks_ahead: std::collections::VecDeque::new(),
            lines_behind: 0,
        }
    }

    /// The 1-based line of the first non-blank line starting after the line breaks at
    /// or before byte `offset`. Offsets must not decrease between calls.
    pub(super) fn line_at(&mut self, offset: u64) -> usize {
        while let Some(&(at, _)) = self.breaks_ahead.front() {
            if at > offset {
                break;
            }
            self.pass_break();
        }
        while self.breaks_ahead.front().is_some_and(|(_, blank)| *blank) {
            self.pass_break();
        }
        self.lines_behind + 1
    }

    fn pass_break(&mut self) {
        self.breaks_ahead.pop_front();
        self.lines_behind += 1;
    }

    /// Notes one byte at `offset`.
    fn see(&mut self, offset: u64, byte: u8) {
        match (self.previous, byte) {
            (Some(b'\r'), b'\n') => self.line_break(offset, offset.saturating_sub(1)),
            (_, b'\n') => self.line_break(offset, offset),
            (Some(b'\r'), _) => {
                let at = offset.saturating_sub(1);
                self.line_break(at, at)
            }
            _ => {}
        }
        self.previous = Some(byte);
    }

    /// A line break ending at `last` whose first byte is `first`.
    fn line_break(&mut self, last: u64, first: u64) {
        self.breaks_ahead
            .push_back((last, first == self.line_start));
        self.line_start = last + 1;
    }
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let count = self.inner.read(buf)?;
        let filled = buf.get(..count).unwrap_or(buf);
        for (offset, byte) in (self.bytes_read..).zip(filled) {
            self.see(offset, *byte);
        }
        self.bytes_read += filled.len() as u64;
        Ok(count)
    }
}

fn csv_message(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::Utf8 { err, .. } => {
            format!("field {} is not valid UTF-8", err.field() + 1)
        }
        _ => error.to_string(),
    }
}
