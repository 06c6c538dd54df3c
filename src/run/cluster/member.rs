//! Membership: joining (registering a lease), the heartbeat thread that renews it, takes
//! over the runs of instances whose lease ran out, and wakes the scheduler when other
//! instances write to the log.
//!
//! All instants that decide anything (a lease's expiry, whether it ran out) are the
//! database's `clock_timestamp()`; this machine's clock only measures how long to sleep.

use super::schema::Tables;
use super::ClusterOptions;
use crate::history::postgres::LogTable;
use crate::history::{LogError, LogRecord, Wake};
use crate::Action;
use chrono::{DateTime, Utc};
use postgres::fallible_iterator::FallibleIterator;
use postgres::{Client, GenericClient, NoTls};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How often the heartbeat thread looks at its stop flag while it waits.
const STOP_CHECK: Duration = Duration::from_millis(200);

/// What the scheduler's side ([`super::ClusterLog`]) and the heartbeat thread share.
pub(crate) struct Shared {
    /// The instance's current name (it changes when a lost lease is replaced).
    pub instance: Mutex<String>,
    /// The database's clock minus this machine's, in microseconds.
    pub offset_micros: AtomicI64,
    wake: Mutex<Option<Wake>>,
    /// A wake-up was sent and the scheduler has not fetched since: further ones would
    /// only repeat it.
    pub pending: AtomicBool,
    pub stop: AtomicBool,
}

impl Shared {
    pub fn new(instance: String, offset_micros: i64) -> Shared {
        Shared {
            instance: Mutex::new(instance),
            offset_micros: AtomicI64::new(offset_micros),
            wake: Mutex::new(None),
            pending: AtomicBool::new(false),
            stop: AtomicBool::new(false),
        }
    }

    pub fn instance(&self) -> String {
        self.instance.lock().map(|i| i.clone()).unwrap_or_default()
    }

    pub fn set_wake(&self, wake: Wake) {
        if let Ok(mut slot) = self.wake.lock() {
            *slot = Some(wake);
        }
    }

    /// Tells the scheduler to fetch new records, unless it has been told already.
    pub fn wake(&self) {
        if let Ok(slot) = self.wake.lock() {
            if let Some(wake) = slot.as_ref() {
                if !self.pending.swap(true, Ordering::AcqRel) {
                    wake();
                }
            }
        }
    }
}

/// What an instance learns when it joins.
pub(crate) struct Joined {
    /// No other instance is registered and no claim is open: runs the log shows open
    /// were left by a scheduler that is gone.
    pub inherits: bool,
    /// The newest renewal of another instance.
    pub last_sign: Option<DateTime<Utc>>,
    pub offset_micros: i64,
}

/// POSIX seconds (as the database's `extract(epoch …)` gives them) as an instant.
pub(crate) fn instant(seconds: f64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros((seconds * 1e6).round() as i64).unwrap_or_default()
}

fn micros(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}

fn lease_seconds(options: &ClusterOptions) -> f64 {
    options.lease.num_microseconds().unwrap_or(i64::MAX) as f64 / 1e6
}

/// The default instance name: `HOST:PID:XXXX`.
pub(crate) fn default_name() -> String {
    let host = nix::unistd::gethostname()
        .ok()
        .and_then(|h| h.into_string().ok())
        .unwrap_or_else(|| "localhost".into());
    let nanos = Utc::now().timestamp_subsec_nanos();
    let salt = (nanos ^ std::process::id().rotate_left(16)) & 0xffff;
    format!("{host}:{}:{salt:04x}", std::process::id())
}

fn sql_error(tables: &Tables) -> impl Fn(postgres::Error) -> LogError + '_ {
    move |e| {
        LogError::new(format!(
            "PostgreSQL log {} (cluster): {}",
            tables.log,
            crate::history::postgres::reason(&e)
        ))
    }
}

/// A connection to `url` named `tminus NAME` (as `pg_stat_activity` shows it).
pub(crate) fn connect(url: &str, name: &str) -> Result<Client, postgres::Error> {
    let mut config: postgres::Config = url.parse()?;
    config.application_name(&format!("tminus {name}"));
    config.connect(NoTls)
}

/// Under the join lock: takes over instances whose lease ran out, looks at who else is
/// there, and registers `instance`.
pub(crate) fn join(
    client: &mut Client,
    tables: &Tables,
    table: &LogTable,
    instance: &str,
    options: &ClusterOptions,
) -> Result<Joined, LogError> {
    let error = sql_error(tables);
    take_over(client, tables, table, instance, Gone::Expired)?;
    let others = client
        .query_one(
            &format!(
                "SELECT count(*), extract(epoch FROM max(renewed))::float8, \
                 (SELECT count(*) FROM {} WHERE state = 'open') FROM {}",
                tables.claims, tables.instances
            ),
            &[],
        )
        .map_err(&error)?;
    let (count, newest, open): (i64, Option<f64>, i64) =
        (others.get(0), others.get(1), others.get(2));
    register(client, tables, instance, options)?;
    Ok(Joined {
        inherits: count == 0 && open == 0,
        last_sign: newest.map(instant),
        offset_micros: offset(client).map_err(&error)?,
    })
}

fn register(
    client: &mut Client,
    tables: &Tables,
    instance: &str,
    options: &ClusterOptions,
) -> Result<(), LogError> {
    let host = instance.split(':').next().unwrap_or(instance).to_owned();
    client
        .execute(
            &format!(
                "INSERT INTO {} (id, host, pid, started, renewed, expires) VALUES \
                 ($1, $2, $3, clock_timestamp(), clock_timestamp(), \
                 clock_timestamp() + make_interval(secs => $4))",
                tables.instances
            ),
            &[
                &instance,
                &host,
                &i64::from(std::process::id()),
                &lease_seconds(options),
            ],
        )
        .map_err(|e| {
            LogError::new(format!(
                "PostgreSQL log {}: cannot register instance `{instance}` (is another one \
                 running under that name?): {}",
                tables.log,
                crate::history::postgres::reason(&e)
            ))
        })
        .map(drop)
}

/// The database's clock minus this machine's, in microseconds, measured on `client`
/// (half the round trip is the error bound).
fn offset(client: &mut impl GenericClient) -> Result<i64, postgres::Error> {
    let before = Utc::now();
    let row = client.query_one("SELECT extract(epoch FROM clock_timestamp())::float8", &[])?;
    let after = Utc::now();
    let db = micros(instant(row.get(0)));
    Ok(db - (micros(before) + micros(after)) / 2)
}

/// Whose runs [`take_over`] closes.
pub(crate) enum Gone<'a> {
    /// Every instance but the caller whose lease ran out.
    Expired,
    /// The caller, leaving.
    Leaving(&'a str),
}

/// Deletes the instances that are gone and records `crash` for the runs they left open,
/// in one transaction (so that two instances never both close one run). Returns how
/// many runs it closed.
pub(crate) fn take_over(
    client: &mut Client,
    tables: &Tables,
    table: &LogTable,
    me: &str,
    gone: Gone<'_>,
) -> Result<usize, LogError> {
    let error = sql_error(tables);
    let mut tx = client.transaction().map_err(&error)?;
    let dead = match gone {
        Gone::Expired => tx.query(
            &format!(
                "DELETE FROM {} WHERE expires < clock_timestamp() AND id <> $1 \
                 RETURNING id, extract(epoch FROM renewed)::float8, \
                 extract(epoch FROM expires)::float8",
                tables.instances
            ),
            &[&me],
        ),
        Gone::Leaving(id) => tx.query(
            &format!(
                "DELETE FROM {} WHERE id = $1 RETURNING id, extract(epoch FROM renewed)::float8, \
                 extract(epoch FROM clock_timestamp())::float8",
                tables.instances
            ),
            &[&id],
        ),
    }
    .map_err(&error)?;
    if dead.is_empty() {
        return tx.commit().map_err(&error).map(|_| 0);
    }
    let ids: Vec<String> = dead.iter().map(|r| r.get(0)).collect();
    let runs = tx
        .query(
            &format!(
                "UPDATE {} SET state = 'crashed', closed = clock_timestamp(), closed_by = $2 \
                 WHERE instance = ANY($1) AND state = 'open' \
                 RETURNING task_name, run_start, instance",
                tables.claims
            ),
            &[&ids, &me],
        )
        .map_err(&error)?;
    if !runs.is_empty() {
        tables.lock_writes(&mut tx).map_err(&error)?;
        for run in &runs {
            let (task, start, owner): (String, f64, String) = (run.get(0), run.get(1), run.get(2));
            let start = instant(start);
            let owner_row = dead.iter().find(|d| d.get::<_, String>(0) == owner);
            let renewed = owner_row.map(|d| instant(d.get(1)));
            // The crash is dated when the instance died to the cluster (its lease ran
            // out), not when it was noticed: catch-up counts a downtime from it.
            let at = owner_row
                .map(|d| instant(d.get(2)))
                .unwrap_or(start)
                .max(start);
            let why = match (&gone, renewed) {
                (Gone::Leaving(_), _) => format!("instance {owner} left while it ran"),
                (Gone::Expired, Some(renewed)) => format!(
                    "instance {owner} stopped renewing its lease (last renewed {}); taken \
                     over by {me}",
                    renewed.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
                ),
                (Gone::Expired, None) => format!("instance {owner} is gone; taken over by {me}"),
            };
            let mut record = LogRecord::new(&task, Action::Crash, at).with_message(why);
            record.start = Some(start);
            table.insert(&mut tx, &record)?;
        }
        tables.notify(&mut tx, me).map_err(&error)?;
    }
    tx.commit().map_err(&error)?;
    Ok(runs.len())
}

/// Closes with `crash` the open claims of `me` that are not in `known` (task, previous
/// run): claims whose commit reached the server while the connection broke, so that the
/// instance never learned it had won them and never launched them.
pub(crate) fn close_unknown_claims(
    client: &mut Client,
    tables: &Tables,
    table: &LogTable,
    me: &str,
    known: &[(String, i64)],
) -> Result<usize, LogError> {
    let error = sql_error(tables);
    let (tasks, after): (Vec<String>, Vec<i64>) = known.iter().cloned().unzip();
    let mut tx = client.transaction().map_err(&error)?;
    let runs = tx
        .query(
            &format!(
                "UPDATE {} SET state = 'crashed', closed = clock_timestamp(), closed_by = $1 \
                 WHERE instance = $1 AND state = 'open' AND (task_name, after_run) NOT IN \
                 (SELECT * FROM unnest($2::text[], $3::bigint[])) \
                 RETURNING task_name, run_start, extract(epoch FROM clock_timestamp())::float8",
                tables.claims
            ),
            &[&me, &tasks, &after],
        )
        .map_err(&error)?;
    if !runs.is_empty() {
        tables.lock_writes(&mut tx).map_err(&error)?;
        for run in &runs {
            let start = instant(run.get(1));
            let task: String = run.get(0);
            let at = instant(run.get(2)).max(start);
            let mut record = LogRecord::new(&task, Action::Crash, at).with_message(format!(
                "instance {me} lost its connection while claiming this run; it never started"
            ));
            record.start = Some(start);
            table.insert(&mut tx, &record)?;
        }
        tables.notify(&mut tx, me).map_err(&error)?;
    }
    tx.commit().map_err(&error)?;
    Ok(runs.len())
}

/// The heartbeat thread: renews the lease a few times per lease, takes over dead
/// instances after each renewal, and turns other instances' notifications into wake-ups.
pub(crate) struct Heartbeat {
    pub url: String,
    pub tables: Tables,
    pub table: LogTable,
    pub options: ClusterOptions,
    /// The name without a generation suffix.
    pub base: String,
    pub generation: u32,
    pub shared: Arc<Shared>,
}

impl Heartbeat {
    pub fn spawn(self) -> std::thread::JoinHandle<()> {
        std::thread::Builder::new()
            .name("tminus-heartbeat".into())
            .spawn(move || self.serve())
            .expect("spawning the heartbeat thread")
    }

    fn connect(&self) -> Option<Client> {
        let mut client = connect(&self.url, &self.base).ok()?;
        client
            .batch_execute(&format!("LISTEN {}", self.tables.channel))
            .ok()?;
        Some(client)
    }

    fn serve(mut self) {
        let every = self
            .options
            .heartbeat()
            .to_std()
            .unwrap_or(Duration::from_secs(1));
        let mut client: Option<Client> = None;
        let mut next_beat = Instant::now() + every;
        while !self.shared.stop.load(Ordering::Acquire) {
            let Some(db) = client.as_mut() else {
                client = self.connect();
                match client {
                    // Records may have come while no one listened: re-read.
                    Some(_) => self.shared.wake(),
                    None => std::thread::sleep(STOP_CHECK.min(every)),
                }
                continue;
            };
            let now = Instant::now();
            if now >= next_beat {
                next_beat = now + every;
                if self.beat(db).is_err() {
                    client = None;
                }
                // A bounded re-read, in case a notification was lost.
                self.shared.wake();
                continue;
            }
            let wait = (next_beat - now).min(STOP_CHECK);
            let me = self.shared.instance();
            let heard = {
                let mut notifications = db.notifications();
                let mut iter = notifications.timeout_iter(wait);
                iter.next().map(|n| n.map(|n| n.payload() != me))
            };
            match heard {
                Ok(Some(true)) => self.shared.wake(),
                Ok(_) => {}
                Err(_) => client = None,
            }
        }
    }

    /// Renews the lease (or, when it ran out, joins again under a new name), measures the
    /// clock offset, and takes over dead instances.
    fn beat(&mut self, client: &mut Client) -> Result<(), LogError> {
        let error = sql_error(&self.tables);
        let me = self.shared.instance();
        let renewed = client
            .execute(
                &format!(
                    "UPDATE {} SET renewed = clock_timestamp(), \
                     expires = clock_timestamp() + make_interval(secs => $2) \
                     WHERE id = $1 AND expires > clock_timestamp()",
                    self.tables.instances
                ),
                &[&me, &lease_seconds(&self.options)],
            )
            .map_err(&error)?;
        if renewed == 0 {
            // The lease ran out (this process was frozen, or cut off): the instance is
            // dead to the cluster, whose takeover closes its runs. Join again as a new one.
            if self.shared.stop.load(Ordering::Acquire) {
                return Ok(());
            }
            self.generation += 1;
            let name = format!("{}#{}", self.base, self.generation);
            register(client, &self.tables, &name, &self.options)?;
            if let Ok(mut instance) = self.shared.instance.lock() {
                *instance = name;
            }
        }
        let offset = offset(client).map_err(&error)?;
        self.shared.offset_micros.store(offset, Ordering::Release);
        let me = self.shared.instance();
        take_over(client, &self.tables, &self.table, &me, Gone::Expired)?;
        Ok(())
    }
}
