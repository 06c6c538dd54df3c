//! The CSV task log, in the layout of Rocketry's `CSVFileRepo`.

use super::record::{self, COLUMNS};
use super::{LogError, LogRecord, TaskLog};
use crate::Action;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

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
/// use tminus::run::{CsvLog, LogRecord, TaskLog};
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
/// # Ok::<(), tminus::run::LogError>(())
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
        loop {
            // The physical line where the record starts (fields may span lines).
            let mut start = (reader.position().byte() as usize).min(bytes.len());
            // The reader stops between a `\r` and its `\n`.
            while bytes.get(start).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
                start += 1;
            }
            let line = bytes[..start].iter().filter(|b| **b == b'\n').count() + 1;
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
mod tests {
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
