//! The task log that lives only as long as the process: the library's default.

use super::{LogError, LogRecord, TaskLog};

/// Records kept in memory.
///
/// ```
/// use tminus::run::{LogRecord, MemoryLog, TaskLog};
/// use tminus::Action;
///
/// let mut log = MemoryLog::new();
/// log.append(&LogRecord::new("fetch", Action::Run, chrono::Utc::now()))?;
/// assert_eq!(log.read()?.len(), 1);
/// # Ok::<(), tminus::run::LogError>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct MemoryLog {
    records: Vec<LogRecord>,
}

impl MemoryLog {
    /// An empty log.
    pub fn new() -> MemoryLog {
        MemoryLog::default()
    }

    /// A log that already holds `records` (as if a previous run had written them).
    pub fn from_records(records: Vec<LogRecord>) -> MemoryLog {
        MemoryLog { records }
    }
}

impl TaskLog for MemoryLog {
    fn read(&mut self) -> Result<Vec<LogRecord>, LogError> {
        Ok(self.records.clone())
    }

    fn append(&mut self, record: &LogRecord) -> Result<(), LogError> {
        self.records.push(record.clone());
        Ok(())
    }
}
