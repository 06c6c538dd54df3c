//! [`ClusterLog`]: the PostgreSQL task log as one instance of a cluster sees it. A launch
//! is a claim, written in the transaction that writes its `run` record; a finish closes
//! the claim, unless the cluster has closed it with `crash` already.
//!
//! # The claim key: the task and its previous run
//!
//! A claim's key is `(task, id of the task's latest run record the claiming scheduler
//! knows)`, unique in `T_claims`. Two schedulers that decide on the same view of the log
//! ask for the same key, and the database gives it to one. A scheduler whose view is stale
//! (it has not fetched a run another one launched) asks for a key that is already taken and
//! is refused, then fetches. So every launch of a task was decided on a view holding every
//! earlier launch of that task: what a single scheduler would have decided.
//!
//! Why not a window start: not every statement has one (`after task 'extract' succeeded`
//! opens on an event; a statement that stays true after a run relaunches inside one
//! window, as Rocketry does), and a stale scheduler can compute a different window start
//! for `every 10 minutes` than a fresh one, since the window starts from the last run.
//! Why not `SELECT … FOR UPDATE SKIP LOCKED` (graphile-worker, River, db-scheduler's
//! lock-and-fetch): it hands out rows of a queue that someone filled beforehand, and
//! a lock lasts only as long as its transaction. tminus has no queue (every instance
//! computes the windows itself from the statements), so there is nothing to lock; and
//! "this launch happened" must outlive the transaction anyway, which is what a unique row
//! is. The unique key also costs one index probe and never waits on another instance
//! except for a concurrent insert of the very same key.

use super::member::{self, Gone, Heartbeat, Shared};
use super::schema::Tables;
use super::ClusterOptions;
use crate::history::postgres::LogTable;
use crate::history::{record, LogError, LogRecord, LogUrl, TaskLog, Wake};
use crate::Action;
use chrono::{DateTime, TimeDelta, Utc};
use postgres::Client;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// A run this instance launched and has not closed.
struct OwnRun {
    after_run: i64,
    /// The instance name it was claimed under.
    owner: String,
}

/// A PostgreSQL task log shared by several schedulers, each one an instance of a cluster
/// with a lease (see `docs/cluster.md`). Joining registers the instance and starts its
/// heartbeat thread; dropping the log leaves the cluster.
///
/// ```no_run
/// use tminus::run::{ClusterLog, ClusterOptions, Scheduler, Task};
///
/// let url = "postgres://postgres@127.0.0.1:5432/test?schema=etl".parse()?;
/// let log = ClusterLog::join(&url, &ClusterOptions::default())?;
/// let mut scheduler = Scheduler::new(chrono_tz::UTC).log(Box::new(log));
/// scheduler.add(Task::command("extract", "every 10 minutes", ["./extract.sh"])?)?;
/// scheduler.run()?; // run the same on two more machines: each window launches once
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ClusterLog {
    client: Client,
    /// The connection URL and the instance's first name, to connect again.
    url: String,
    base: String,
    /// How long a write is retried while the server cannot be reached.
    lease: std::time::Duration,
    table: LogTable,
    tables: Tables,
    shared: Arc<Shared>,
    heartbeat: Option<std::thread::JoinHandle<()>>,
    /// The highest id fetched, and the ids this connection wrote above it.
    seen: Option<i64>,
    own: HashSet<i64>,
    /// Each task's latest `run` record id in the view the scheduler has.
    last_run: HashMap<String, i64>,
    open: HashMap<(String, DateTime<Utc>), OwnRun>,
    inherits: bool,
    last_sign: Option<DateTime<Utc>>,
}

/// The start of the run `record` is about, to the microsecond (as the log keeps it): a
/// finish names its run by it.
fn run_start(record: &LogRecord) -> DateTime<Utc> {
    crate::Event::new(Action::Run, record.start.unwrap_or(record.created)).at
}

impl std::fmt::Debug for ClusterLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClusterLog")
            .field("table", &self.tables.log)
            .field("instance", &self.shared.instance())
            .finish_non_exhaustive()
    }
}

impl ClusterLog {
    /// Connects to the PostgreSQL log `url` names, creates the log and the cluster's
    /// tables when missing, takes over instances whose lease ran out, and registers this
    /// instance. `Err` for a URL that is not `postgres://`.
    pub fn join(url: &LogUrl, options: &ClusterOptions) -> Result<ClusterLog, LogError> {
        let LogUrl::Postgres { url, schema, table } = url else {
            return Err(LogError::new(format!(
                "`{url}`: only a PostgreSQL log can be shared by several schedulers"
            )));
        };
        if options.lease < ClusterOptions::MIN_LEASE {
            return Err(LogError::new("a lease is at least 1 second"));
        }
        let tables = Tables::new(schema.as_deref(), table);
        let error = |e: postgres::Error| tables.error(url, &e);
        let base = options
            .instance
            .clone()
            .unwrap_or_else(member::default_name);
        let mut client = member::connect(url, &base).map_err(error)?;
        // One instance at a time creates the tables and registers: concurrent `CREATE
        // TABLE IF NOT EXISTS` can fail, and `inherits` needs to know who came first.
        tables.join_lock(&mut client, true).map_err(error)?;
        let joined = (|| {
            let log_table = LogTable::open(&mut client, url, schema.as_deref(), table)?;
            tables.create(&mut client)?;
            let joined = member::join(&mut client, &tables, &log_table, &base, options)?;
            Ok::<_, LogError>((log_table, joined))
        })();
        tables.join_lock(&mut client, false).map_err(error)?;
        let (log_table, joined) = joined?;
        let shared = Arc::new(Shared::new(base.clone(), joined.offset_micros));
        let heartbeat = Heartbeat {
            url: url.clone(),
            tables: tables.clone(),
            table: log_table.clone(),
            options: options.clone(),
            base: base.clone(),
            generation: 1,
            shared: shared.clone(),
        }
        .spawn();
        Ok(ClusterLog {
            client,
            url: url.clone(),
            base,
            lease: options.lease.to_std().unwrap_or_default(),
            table: log_table,
            tables,
            shared,
            heartbeat: Some(heartbeat),
            seen: None,
            own: HashSet::new(),
            last_run: HashMap::new(),
            open: HashMap::new(),
            inherits: joined.inherits,
            last_sign: joined.last_sign,
        })
    }

    /// The instance's name in the cluster now (`NAME#2` … after a lost lease).
    pub fn instance(&self) -> String {
        self.shared.instance()
    }

    /// Takes the records in `records` into the view: each task's latest run.
    fn learn(&mut self, records: &[(i64, LogRecord)]) {
        for (id, record) in records {
            if record.action == Action::Run {
                let last = self.last_run.entry(record.task_name.clone()).or_insert(0);
                *last = (*last).max(*id);
            }
        }
    }

    /// Whether the connection is up, connecting again when it was lost (a restarted
    /// server, a dropped link). After a reconnection, claims this instance holds but does
    /// not know of (a claim whose commit was sent when the connection broke: it never
    /// launched) are closed with `crash`, as a takeover would.
    fn reconnect(&mut self) -> bool {
        if !self.client.is_closed() {
            return true;
        }
        let Ok(client) = member::connect(&self.url, &self.base) else {
            return false;
        };
        self.client = client;
        let me = self.shared.instance();
        let known: Vec<(String, i64)> = self
            .open
            .iter()
            .map(|((task, _), run)| (task.clone(), run.after_run))
            .collect();
        let _ =
            member::close_unknown_claims(&mut self.client, &self.tables, &self.table, &me, &known);
        true
    }

    /// Runs `write`, reconnecting and trying again while the connection is down, for at
    /// most one lease; then its error.
    fn patiently<T>(
        &mut self,
        mut write: impl FnMut(&mut ClusterLog) -> Result<T, LogError>,
    ) -> Result<T, LogError> {
        let give_up = std::time::Instant::now() + self.lease;
        loop {
            let connected = self.reconnect();
            let result = match connected {
                true => write(self),
                false => Err(LogError::new(format!(
                    "PostgreSQL log {}: the server cannot be reached",
                    self.tables.log
                ))),
            };
            match result {
                Err(_) if self.client.is_closed() && std::time::Instant::now() < give_up => {
                    std::thread::sleep(std::time::Duration::from_millis(250));
                }
                other => return other,
            }
        }
    }

    /// Appends `record` in a transaction of its own, in write order, and notifies.
    fn insert(&mut self, record: &LogRecord) -> Result<i64, LogError> {
        let me = self.shared.instance();
        let mut tx = self.client.transaction().map_err(|e| self.table.error(e))?;
        let error = |e| self.table.error(e);
        self.tables.lock_writes(&mut tx).map_err(error)?;
        let id = self.table.insert(&mut tx, record)?;
        self.tables.notify(&mut tx, &me).map_err(error)?;
        tx.commit().map_err(error)?;
        self.own.insert(id);
        Ok(id)
    }
}

impl ClusterLog {
    /// One attempt at [`TaskLog::claim_run`].
    fn claim_once(&mut self, record: &mut LogRecord) -> Result<bool, LogError> {
        let me = self.shared.instance();
        let task = record.task_name.as_str();
        let after_run = self.last_run.get(task).copied().unwrap_or(0);
        let start = run_start(record);
        let (tables, table) = (&self.tables, &self.table);
        let error = |e| table.error(e);
        let mut tx = self.client.transaction().map_err(error)?;
        // The instance row is locked (FOR SHARE) so that a takeover deleting it waits for
        // this claim and then closes it, instead of missing it.
        let won = tx
            .query_opt(
                &format!(
                    "INSERT INTO {claims} (task_name, after_run, instance, run_start) \
                     SELECT $1, $2, id, $4 FROM {instances} \
                     WHERE id = $3 AND expires > clock_timestamp() FOR SHARE \
                     ON CONFLICT DO NOTHING RETURNING 1",
                    claims = tables.claims,
                    instances = tables.instances
                ),
                &[&task, &after_run, &me, &record::seconds(start)],
            )
            .map_err(error)?;
        if won.is_none() {
            tx.rollback().map_err(error)?;
            return Ok(false);
        }
        tables.lock_writes(&mut tx).map_err(error)?;
        let at = tables.stamp(&mut tx).map_err(error)?;
        let mut stamped = record.clone();
        stamped.created = at;
        stamped.start = Some(at);
        let id = table.insert(&mut tx, &stamped)?;
        tx.execute(
            &format!(
                "UPDATE {} SET run = $3, run_start = $4 WHERE task_name = $1 AND after_run = $2",
                tables.claims
            ),
            &[&task, &after_run, &id, &record::seconds(at)],
        )
        .map_err(error)?;
        tables.notify(&mut tx, &me).map_err(error)?;
        tx.commit().map_err(error)?;
        self.own.insert(id);
        self.learn(&[(id, stamped.clone())]);
        self.open.insert(
            (stamped.task_name.clone(), at),
            OwnRun {
                after_run,
                owner: me,
            },
        );
        *record = stamped;
        Ok(true)
    }

    /// One attempt at [`TaskLog::close_run`] for `run`.
    fn close_once(&mut self, record: &mut LogRecord, run: &OwnRun) -> Result<bool, LogError> {
        let task = record.task_name.as_str();
        let (tables, table) = (&self.tables, &self.table);
        let error = |e| table.error(e);
        let mut tx = self.client.transaction().map_err(error)?;
        let closed = tx
            .execute(
                &format!(
                    "UPDATE {} SET state = 'closed', closed = clock_timestamp(), \
                     closed_by = instance \
                     WHERE task_name = $1 AND after_run = $2 AND instance = $3 \
                     AND state = 'open'",
                    tables.claims
                ),
                &[&task, &run.after_run, &run.owner],
            )
            .map_err(error)?;
        if closed == 0 {
            // Taken over: the log says `crash` for this run. The outcome is kept beside
            // the claim; as a finish in the log it would close whatever run of the task
            // came next (runs and finishes pair up by order).
            tx.execute(
                &format!(
                    "UPDATE {} SET late_action = $3, late_at = $4, late_message = $5 \
                     WHERE task_name = $1 AND after_run = $2",
                    tables.claims
                ),
                &[
                    &task,
                    &run.after_run,
                    &record.action.as_str(),
                    &record.created_seconds(),
                    &record.message,
                ],
            )
            .map_err(error)?;
            tx.commit().map_err(error)?;
            return Ok(false);
        }
        tables.lock_writes(&mut tx).map_err(error)?;
        let start = run_start(record);
        let at = tables.stamp(&mut tx).map_err(error)?.max(start);
        let mut stamped = record.clone();
        stamped.created = at;
        stamped.end = Some(at);
        stamped.runtime = Some(at - start);
        let id = table.insert(&mut tx, &stamped)?;
        let me = self.shared.instance();
        tables.notify(&mut tx, &me).map_err(error)?;
        tx.commit().map_err(error)?;
        self.own.insert(id);
        *record = stamped;
        Ok(true)
    }
}

impl TaskLog for ClusterLog {
    /// Every record. The first call also sets where [`TaskLog::fetch_new`] starts and the
    /// view claims are made from; later calls (a handle asking for the records) leave both
    /// alone, so the scheduler's view only moves with what it is given.
    fn read(&mut self) -> Result<Vec<LogRecord>, LogError> {
        let (records, last) = self.table.read_after(&mut self.client, 0)?;
        if self.seen.is_none() {
            self.seen = Some(last);
            self.learn(&records);
        }
        Ok(records.into_iter().map(|(_, r)| r).collect())
    }

    fn append(&mut self, record: &LogRecord) -> Result<(), LogError> {
        let id = self.patiently(|log| log.insert(record))?;
        if record.action == Action::Run {
            self.learn(&[(id, record.clone())]);
        }
        Ok(())
    }

    fn claim_run(&mut self, record: &mut LogRecord) -> Result<bool, LogError> {
        // Without the database there is no claim, so no launch.
        if !self.reconnect() {
            return Ok(false);
        }
        match self.claim_once(record) {
            Err(_) if self.client.is_closed() => Ok(false),
            other => other,
        }
    }

    fn close_run(&mut self, record: &mut LogRecord) -> Result<bool, LogError> {
        let key = (record.task_name.clone(), run_start(record));
        let closed = self.patiently(|log| match log.open.get(&key) {
            Some(run) => {
                let run = OwnRun {
                    after_run: run.after_run,
                    owner: run.owner.clone(),
                };
                log.close_once(record, &run)
            }
            None => log.insert(record).map(|_| true),
        });
        if closed.is_ok() {
            self.open.remove(&key);
        }
        closed
    }

    fn fetch_new(&mut self) -> Result<Vec<LogRecord>, LogError> {
        self.shared.pending.store(false, Ordering::Release);
        let seen = match self.seen {
            Some(seen) => seen,
            None => return Ok(Vec::new()),
        };
        if !self.reconnect() {
            return Ok(Vec::new()); // the heartbeat wakes the loop again
        }
        let (records, last) = match self.table.read_after(&mut self.client, seen) {
            Err(_) if self.client.is_closed() => return Ok(Vec::new()),
            other => other?,
        };
        self.seen = Some(last);
        let records: Vec<(i64, LogRecord)> = records
            .into_iter()
            .filter(|(id, _)| !self.own.contains(id))
            .collect();
        self.own.retain(|id| *id > last);
        self.learn(&records);
        Ok(records.into_iter().map(|(_, r)| r).collect())
    }

    fn watch(&mut self, wake: Wake) {
        self.shared.set_wake(wake);
    }

    fn inherits_open_runs(&self) -> bool {
        self.inherits
    }

    fn last_sign_of_life(&self) -> Option<DateTime<Utc>> {
        self.last_sign
    }

    fn clock_offset(&self) -> TimeDelta {
        TimeDelta::microseconds(self.shared.offset_micros.load(Ordering::Acquire))
    }
}

impl Drop for ClusterLog {
    /// Leaves the cluster: stops the heartbeat, deletes the instance's row, and closes
    /// with `crash` any run it still had open (a scheduler that shut down cleanly has
    /// none).
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Release);
        let me = self.shared.instance();
        let _ = member::take_over(
            &mut self.client,
            &self.tables,
            &self.table,
            &me,
            Gone::Leaving(&me),
        );
        if let Some(heartbeat) = self.heartbeat.take() {
            let _ = heartbeat.join();
        }
    }
}
