//! The CSV task log Rocketry's `CSVFileRepo` writes: read into a history, and written
//! (and read back whole) by a scheduler.

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
    /// A file without a header (an empty one) is an error: Rocketry writes the header when it
    /// creates the file, so it is most likely not the log meant. A byte-order mark before the
    /// header is skipped. Line numbers in errors count physical lines,
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
        if header
            .iter()
            .all(|name| name.trim_start_matches('\u{feff}').trim().is_empty())
        {
            return Err(HistoryError::new(
                HistoryErrorKind::MissingField,
                "no header: the file is empty (a Rocketry CSV log starts with a header such as \
                 `task_name,action,created`)",
            )
            .at_line(1));
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

// ------------------------------------------------------------------------------- the writer

use super::log::{LogError, TaskLog};
use super::record::{self, LogRecord, COLUMNS};
use std::fs::{File, OpenOptions};
use std::io::Write;

/// A CSV file: a header row of field names, then one row per record, `\r\n`-terminated and
/// quoted as Python's `csv` module writes (Rocketry's `CSVFileRepo` through redbird).
///
/// A new file gets the header `task_name,action,created,start,end,runtime,message,exc_text`.
/// An existing file keeps its header: rows appended to a `MinimalRecord` log
/// (`task_name,action,created`) have those three fields only, so Rocketry can go on
/// reading it. `created`, `start`, `end` are POSIX seconds and `runtime` seconds, printed
/// as Python prints floats; a missing value is an empty field.
///
/// ```
/// use tminus::history::{CsvLog, LogRecord, TaskLog};
/// use tminus::Action;
///
/// let path = std::env::temp_dir().join(format!("tminus-doc-{}.csv", std::process::id()));
/// let mut log = CsvLog::open(&path)?;
/// let at = chrono::DateTime::from_timestamp(1710151200, 250_000_000).unwrap();
/// log.append(&LogRecord::new("fetch", Action::Run, at))?;
/// let text = std::fs::read_to_string(&path).unwrap();
/// assert!(text.ends_with("fetch,run,1710151200.25,,,,,\r\n"));
/// assert_eq!(CsvLog::open(&path)?.read()?[0].created, at);
/// # std::fs::remove_file(&path).unwrap();
/// # Ok::<(), tminus::history::LogError>(())
/// ```
#[derive(Debug)]
pub struct CsvLog {
    path: PathBuf,
    file: File,
    /// Which of [`COLUMNS`] each column of the file is (`None`: a column we do not write).
    header: Vec<Option<usize>>,
}

impl CsvLog {
    /// Opens `path` for appending, creating it (with a header) when it is missing or empty.
    pub fn open(path: &Path) -> Result<CsvLog, LogError> {
        let io = |e: std::io::Error| LogError::new(format!("{}: {e}", path.display()));
        let mut file = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(path)
            .map_err(io)?;
        let header = match read_header(path)? {
            Some(header) => header,
            None => {
                file.write_all(&row(COLUMNS.iter().map(|c| c.to_string())))
                    .map_err(io)?;
                COLUMNS.iter().map(|c| c.to_string()).collect()
            }
        };
        let header: Vec<Option<usize>> = header
            .iter()
            .map(|name| COLUMNS.iter().position(|c| c == name))
            .collect();
        for (needed, name) in COLUMNS.iter().enumerate().take(3) {
            if !header.contains(&Some(needed)) {
                return Err(LogError::new(format!(
                    "{}: not a task log, its header has no `{name}` column",
                    path.display(),
                )));
            }
        }
        Ok(CsvLog {
            path: path.to_owned(),
            file,
            header,
        })
    }
}

impl TaskLog for CsvLog {
    fn read(&mut self) -> Result<Vec<LogRecord>, LogError> {
        let bytes = std::fs::read(&self.path)
            .map_err(|e| LogError::new(format!("{}: {e}", self.path.display())))?;
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(bytes.as_slice());
        let mut records = Vec::new();
        let mut row = csv::StringRecord::new();
        let _ = reader.headers();
        // Lines counted so far, up to byte `counted` (counting on from the last record).
        let (mut counted, mut lines) = (0, 0);
        loop {
            // The physical line where the record starts (fields may span lines).
            let mut start = (reader.position().byte() as usize).min(bytes.len());
            // The reader stops between a `\r` and its `\n`.
            while bytes.get(start).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
                start += 1;
            }
            lines += bytes[counted..start]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            counted = start;
            let line = lines + 1;
            match reader.read_record(&mut row) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(LogError::new(format!("{}: {e}", self.path.display()))),
            }
            let mut fields: [Option<&str>; 8] = [None; 8];
            for (i, value) in row.iter().enumerate() {
                if let Some(Some(column)) = self.header.get(i) {
                    fields[*column] = Some(value).filter(|v| !v.is_empty());
                }
            }
            let record = parse_fields(&fields)
                .map_err(|why| LogError::new(format!("{}:{line}: {why}", self.path.display())))?;
            records.push(record);
        }
        Ok(records)
    }

    fn append(&mut self, record: &LogRecord) -> Result<(), LogError> {
        let values = fields(record);
        let cells = self
            .header
            .iter()
            .map(|column| column.map_or_else(String::new, |c| values[c].clone()));
        self.file
            .write_all(&row(cells))
            .map_err(|e| LogError::new(format!("{}: {e}", self.path.display())))
    }
}

/// The header of the file at `path`, `None` when it is empty.
fn read_header(path: &Path) -> Result<Option<Vec<String>>, LogError> {
    let file = File::open(path).map_err(|e| LogError::new(format!("{}: {e}", path.display())))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(file);
    match reader.records().next() {
        None => Ok(None),
        Some(Ok(header)) => Ok(Some(header.iter().map(str::to_owned).collect())),
        Some(Err(e)) => Err(LogError::new(format!("{}: {e}", path.display()))),
    }
}

/// One CSV row, `\r\n`-terminated, quoted where needed.
fn row(cells: impl Iterator<Item = String>) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let cells: Vec<String> = cells.collect();
    // The csv crate writes nothing for a row of one empty field; never the case here.
    let _ = writer.write_record(&cells);
    writer.into_inner().unwrap_or_default()
}

/// The record's values as text, in [`COLUMNS`] order (missing values empty).
pub(crate) fn fields(record: &LogRecord) -> [String; 8] {
    let float = |v: Option<f64>| v.map_or_else(String::new, record::python_float);
    [
        record.task_name.clone(),
        record.action.as_str().to_owned(),
        record::python_float(record.created_seconds()),
        float(record.start.map(record::seconds)),
        float(record.end.map(record::seconds)),
        float(record.runtime.map(record::duration_seconds)),
        record.message.clone().unwrap_or_default(),
        record.exc_text.clone().unwrap_or_default(),
    ]
}

/// A record from its fields as text, in [`COLUMNS`] order.
pub(crate) fn parse_fields(fields: &[Option<&str>; 8]) -> Result<LogRecord, String> {
    let task = fields[0].ok_or("`task_name` is empty")?;
    let action = fields[1].ok_or("`action` is empty")?;
    let action =
        Action::parse(action).ok_or_else(|| format!("`action` is `{action}`, not an action"))?;
    let number = |i: usize| -> Result<Option<f64>, String> {
        fields[i]
            .map(|v| {
                v.trim()
                    .parse::<f64>()
                    .map_err(|_| format!("`{}` is `{v}`, not a number", COLUMNS[i]))
            })
            .transpose()
    };
    let instant = |i: usize| -> Result<Option<chrono::DateTime<chrono::Utc>>, String> {
        number(i)?
            .map(|s| {
                record::from_seconds(s).ok_or_else(|| format!("`{}` is out of range", COLUMNS[i]))
            })
            .transpose()
    };
    let created = instant(2)?.ok_or("`created` is empty")?;
    let mut record = LogRecord::new(task, action, created);
    record.start = instant(3)?;
    record.end = instant(4)?;
    record.runtime = number(5)?.and_then(record::duration_from_seconds);
    record.message = fields[6].map(str::to_owned);
    record.exc_text = fields[7].map(str::to_owned);
    Ok(record)
}

#[cfg(test)]
mod log_tests {
    use super::super::log::TaskLog;
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn appends_to_a_minimal_record_log_in_its_layout() {
        let path = std::env::temp_dir().join(format!("tminus-csv-min-{}.csv", std::process::id()));
        std::fs::write(
            &path,
            "task_name,action,created\r\nfetch,run,1710151500.25\r\n",
        )
        .unwrap();
        let mut log = CsvLog::open(&path).unwrap();
        let at = chrono::Utc.timestamp_opt(1_710_151_501, 0).unwrap();
        let done = LogRecord::finish("fetch", Action::Fail, at, at).with_message("a, \"b\"\nc");
        log.append(&done).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.ends_with("fetch,fail,1710151501.0\r\n"), "{text:?}");
        let records = log.read().unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records[1].message, None);
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn messages_with_commas_quotes_and_newlines_round_trip() {
        let path = std::env::temp_dir().join(format!("tminus-csv-rich-{}.csv", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let mut log = CsvLog::open(&path).unwrap();
        let at = chrono::Utc.timestamp_opt(1_710_151_501, 5_000).unwrap();
        let mut done = LogRecord::finish("t", Action::Fail, at, at).with_message("a, \"b\"\nc");
        done.exc_text = Some("Traceback\n  line".into());
        log.append(&done).unwrap();
        assert_eq!(CsvLog::open(&path).unwrap().read().unwrap(), [done]);
        std::fs::remove_file(&path).unwrap();
    }
}
