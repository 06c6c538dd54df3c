//! Raw evaluation arguments turned into checked settings before any work starts: the zone
//! resolved, instants and the horizon parsed, the history loaded.

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use tminus::{MemoryHistory, Statement};

/// The arguments shared by `eval` and `next`.
#[derive(clap::Args, Debug, Clone)]
pub struct EvalArgs {
    /// IANA time zone of civil times (default: the TZ environment variable, else the system's
    /// zone).
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// The task that owns the statement (`daily` is once a day for this task).
    #[arg(long, value_name = "NAME", default_value = "t")]
    pub task: String,
    /// Task history: .jsonl, Rocketry's .csv log, or its SQLite log (.db, .sqlite).
    #[arg(long, value_name = "FILE")]
    pub history: Option<std::path::PathBuf>,
    /// Table of a SQLite history (default: the only table with task_name, action, created).
    #[arg(long, value_name = "NAME")]
    pub history_table: Option<String>,
    /// Read the running tasks from the history's unfinished runs.
    #[arg(long)]
    pub running_from_log: bool,
    /// Register a custom condition (a phrase or a function name); repeatable. It is false.
    #[arg(long = "cond", value_name = "NAME")]
    pub conds: Vec<String>,
    /// A statement's occurrence that falls wholly in a DST gap (the clock skips it):
    /// `skip` it, or move it `forward` to the end of the gap (see docs/semantics.md).
    #[arg(long, value_enum, value_name = "POLICY", default_value_t = Dst::Skip)]
    pub dst: Dst,
}

/// `--dst`: the window policy for DST gaps.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Dst {
    /// An occurrence the clock skips does not happen (the default).
    #[default]
    Skip,
    /// An occurrence the clock skips happens at the end of the gap, with its length.
    Forward,
}

impl EvalArgs {
    /// The custom predicates named with `--cond`.
    pub fn parse_options(&self) -> tminus::ParseOptions {
        super::parse_options(&self.conds)
    }

    /// The statement's schedule for `--task`, under `--dst`.
    pub fn schedule(&self, statement: &Statement) -> tminus::Schedule {
        statement
            .schedule()
            .with_task(self.task.clone())
            .with_dst(self.dst_policy())
    }

    /// `--dst` as the library's policy.
    pub fn dst_policy(&self) -> tminus::DstPolicy {
        match self.dst {
            Dst::Skip => tminus::DstPolicy::Skip,
            Dst::Forward => tminus::DstPolicy::Forward,
        }
    }
}

/// Zone, instant and history of a command about one statement, resolved from its arguments.
pub struct Resolved {
    /// The zone of civil times.
    pub zone: Tz,
    /// The instant asked about (`--at`, `--after`), or now.
    pub at: DateTime<Utc>,
    /// What happened.
    pub history: MemoryHistory,
}

/// Resolves the shared arguments and the instant `at` (default: now).
pub fn resolve(args: &EvalArgs, at: Option<&str>) -> Result<Resolved, String> {
    let zone = zone_or_system(args.tz.as_deref())?;
    Ok(Resolved {
        zone,
        at: instant(at, zone)?,
        history: history(args, zone)?,
    })
}

/// A zone by IANA name, e.g. `Europe/Helsinki`; an unknown name is an error with the
/// nearest name.
pub fn zone(name: &str) -> Result<Tz, String> {
    tminus::zone::named(name).map_err(|e| e.to_string())
}

/// The zone of civil times, as `date` finds it: `--tz`, else the `TZ` environment variable
/// (an IANA name, optionally after `:`, or a path ending in one under `zoneinfo/`), else
/// the system's zone, else UTC. A `--tz` or `TZ` that names no zone is an error.
pub fn zone_or_system(name: Option<&str>) -> Result<Tz, String> {
    if let Some(n) = name {
        return zone(n);
    }
    if let Some(tz) = std::env::var_os("TZ").filter(|v| !v.is_empty()) {
        let tz = tz.to_string_lossy();
        let name = tz.strip_prefix(':').unwrap_or(&tz);
        let name = name.rsplit_once("zoneinfo/").map_or(name, |(_, n)| n);
        return zone(name).map_err(|e| format!("the TZ environment variable: {e}"));
    }
    Ok(iana_time_zone::get_timezone()
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(Tz::UTC))
}

/// An instant: ISO 8601, with an offset (absolute) or without (civil time in `zone`), or `now`.
pub fn instant(text: Option<&str>, zone: Tz) -> Result<DateTime<Utc>, String> {
    match text {
        None | Some("now") => Ok(super::human::now()),
        Some(t) => tminus::history::parse_instant(t, zone).map_err(String::from),
    }
}

/// A duration in any spelling `every` takes, e.g. `9d`, `9 days`, `1h 30min`.
pub fn duration(text: &str) -> Result<TimeDelta, String> {
    tminus::parse_duration(text).map_err(|e| {
        let why = e
            .first()
            .map_or_else(String::new, |e| e.message().to_owned());
        format!("`{text}` is not a duration: {why}")
    })
}

/// The history named by the arguments, or an empty one.
pub fn history(args: &EvalArgs, zone: Tz) -> Result<MemoryHistory, String> {
    let mut history = match &args.history {
        Some(path) => MemoryHistory::load(path, args.history_table.as_deref(), zone)
            .map_err(|e| e.to_string())?,
        None => MemoryHistory::new(),
    };
    if args.running_from_log {
        history.set_running_from_log();
    }
    Ok(history)
}
