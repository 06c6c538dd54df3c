//! Where the dashboard's facts come from: a running scheduler's [`Handle`] (its status,
//! and its log records followed through the handle's subscription into a bounded buffer),
//! or a tasks file and its log read from outside (`tminus serve --tasks`), re-read at most
//! every few seconds.

use super::super::error::ApiError;
use crate::run::{status_from_log, Handle, LogRecord, Task, TaskLog, TaskStatus};
use chrono::Utc;
use chrono_tz::Tz;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::broadcast::error::RecvError;

/// The most records a live dashboard keeps in memory (the oldest go first).
pub const KEPT_RECORDS: usize = 50_000;
/// How often a dashboard on a log re-reads it.
const REREAD: Duration = Duration::from_secs(2);

/// Log records numbered in the order they were written (`seq` 0 is the first record
/// this dashboard saw), the oldest dropped past [`KEPT_RECORDS`].
#[derive(Debug, Default)]
pub struct Records {
    first: u64,
    records: VecDeque<LogRecord>,
}

impl Records {
    fn push(&mut self, record: LogRecord) {
        self.records.push_back(record);
        if self.records.len() > KEPT_RECORDS {
            self.records.pop_front();
            self.first += 1;
        }
    }

    fn replace(&mut self, records: Vec<LogRecord>) {
        let skip = records.len().saturating_sub(KEPT_RECORDS);
        self.first = skip as u64;
        self.records = records.into_iter().skip(skip).collect();
    }

    /// The records numbered after `after` (all when `None`), at most the last `limit`.
    pub fn since(&self, after: Option<u64>, limit: usize) -> Vec<(u64, LogRecord)> {
        let start = after.map_or(0, |a| a.saturating_add(1)).max(self.first);
        let end = self.first + self.records.len() as u64;
        let start = start.max(end.saturating_sub(limit as u64));
        (start..end)
            .map(|seq| (seq, self.records[(seq - self.first) as usize].clone()))
            .collect()
    }

    /// The records of one task, oldest first.
    pub fn of_task(&self, task: &str) -> Vec<LogRecord> {
        self.records
            .iter()
            .filter(|r| r.task_name == task)
            .cloned()
            .collect()
    }

    /// The number the next record will get.
    pub fn next_seq(&self) -> u64 {
        self.first + self.records.len() as u64
    }
}

/// A running scheduler or a log read from outside.
pub enum Source {
    /// `tminus run --ui`: the scheduler's handle.
    Live(Handle),
    /// `tminus serve --tasks`: the file's tasks and its log.
    Log {
        /// The log, re-read when older than [`REREAD`].
        log: Mutex<(Box<dyn TaskLog>, Option<Instant>)>,
    },
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Live(_) => f.write_str("Source::Live"),
            Source::Log { .. } => f.write_str("Source::Log"),
        }
    }
}

/// Follows a running scheduler's log into `records`: first what the log holds, then each
/// new record; a follower that fell behind reads the log again.
pub async fn follow(handle: Handle, records: Arc<Mutex<Records>>) {
    // Subscribe before reading, so that no record falls between the two; records that
    // are in both are recognised at the seam and skipped.
    let mut rx = handle.subscribe();
    let mut seam = reread(&handle, &records).await;
    loop {
        match rx.recv().await {
            Ok(record) => {
                if seam.contains(&record) {
                    continue;
                }
                seam.clear();
                lock(&records).push(record);
            }
            Err(RecvError::Lagged(_)) => seam = reread(&handle, &records).await,
            Err(RecvError::Closed) => return,
        }
    }
}

/// Replaces the buffer with the log's records; gives back the last few, the seam.
async fn reread(handle: &Handle, records: &Mutex<Records>) -> Vec<LogRecord> {
    match handle.records_async().await {
        Ok(Ok(all)) => {
            let seam = all.iter().rev().take(64).cloned().collect();
            lock(records).replace(all);
            seam
        }
        _ => Vec::new(),
    }
}

/// The statuses of a dashboard on a log: its records re-read when stale, then
/// [`status_from_log`] as `tminus status` does.
pub fn log_status(
    source: &Mutex<(Box<dyn TaskLog>, Option<Instant>)>,
    records: &Mutex<Records>,
    tasks: &[Task],
    zone: Tz,
) -> Result<Vec<TaskStatus>, ApiError> {
    refresh(source, records)?;
    let all: Vec<LogRecord> = lock(records).records.iter().cloned().collect();
    Ok(status_from_log(tasks, &all, zone, Utc::now()))
}

/// Re-reads the log into `records` when the last read is older than [`REREAD`].
pub fn refresh(
    source: &Mutex<(Box<dyn TaskLog>, Option<Instant>)>,
    records: &Mutex<Records>,
) -> Result<(), ApiError> {
    let mut guard = lock(source);
    let (log, read_at) = &mut *guard;
    if read_at.is_some_and(|t| t.elapsed() < REREAD) {
        return Ok(());
    }
    let all = log
        .read()
        .map_err(|e| ApiError::conflict(format!("cannot read the task log: {e}")))?;
    *read_at = Some(Instant::now());
    lock(records).replace(all);
    Ok(())
}

/// Locks a mutex; a poisoned one (a panic elsewhere) still holds consistent data here,
/// since every writer replaces or appends whole records.
pub fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Action;
    use chrono::TimeZone;

    fn record(i: i64) -> LogRecord {
        let at =
            Utc.with_ymd_and_hms(2024, 3, 11, 10, 0, 0).unwrap() + chrono::TimeDelta::seconds(i);
        LogRecord::new("t", Action::Run, at)
    }

    #[test]
    fn records_are_numbered_and_bounded() {
        let mut r = Records::default();
        for i in 0..5 {
            r.push(record(i));
        }
        let seqs: Vec<u64> = r.since(Some(2), 100).iter().map(|(s, _)| *s).collect();
        assert_eq!(seqs, [3, 4]);
        assert_eq!(r.since(None, 2).len(), 2);
        assert_eq!(r.since(Some(10), 100).len(), 0);
        r.replace((0..(KEPT_RECORDS as i64 + 3)).map(record).collect());
        assert_eq!(r.next_seq(), KEPT_RECORDS as u64 + 3);
        assert_eq!(r.since(Some(0), 1)[0].0, KEPT_RECORDS as u64 + 2);
        assert_eq!(r.since(None, usize::MAX)[0].0, 3);
    }
}
