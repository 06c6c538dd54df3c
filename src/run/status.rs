//! Where each task stands: what a status page or `tminus status` shows.

use crate::{Action, Event, History, Next, Plan, Planner};
use chrono::{DateTime, TimeDelta, Utc};

/// Whether a task runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskState {
    /// Not running.
    Idle,
    /// A run is under way.
    Running,
    /// Never launched until enabled.
    Disabled,
}

impl TaskState {
    /// `idle`, `running` or `disabled`.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskState::Idle => "idle",
            TaskState::Running => "running",
            TaskState::Disabled => "disabled",
        }
    }
}

/// The latest finish of a task's run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// `success`, `fail`, `terminate`, `crash` or `inaction`.
    pub action: Action,
    /// When.
    pub at: DateTime<Utc>,
    /// Why it failed or was terminated, when the log says.
    pub message: Option<String>,
}

/// When a task runs next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NextRun {
    /// Its statement is true now.
    Now,
    /// Its statement becomes true at `at`.
    At {
        /// When.
        at: DateTime<Utc>,
    },
    /// Not before `at` (the planner looks again then).
    NotBefore {
        /// When the planner looks again.
        at: DateTime<Utc>,
    },
    /// Only one of these events can make it true.
    WaitsOn {
        /// The events, as text (`success of extract`).
        events: Vec<String>,
    },
    /// Its statement can never be true again.
    Never,
    /// It is disabled.
    Disabled,
}

impl NextRun {
    /// For people: `now`, an instant, `waits on …`, `never`.
    pub fn describe(&self, zone: chrono_tz::Tz) -> String {
        let at = |t: &DateTime<Utc>| crate::history::record::rfc3339(*t, zone);
        match self {
            NextRun::Now => "now".into(),
            NextRun::At { at: t } => at(t),
            NextRun::NotBefore { at: t } => format!("not before {}", at(t)),
            NextRun::WaitsOn { events } => format!("waits on {}", events.join(" or ")),
            NextRun::Never => "never".into(),
            NextRun::Disabled => "-".into(),
        }
    }
}

/// One task's status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskStatus {
    /// The task.
    pub task: String,
    /// Idle, running or disabled.
    pub state: TaskState,
    /// Its latest finish, if any.
    pub last: Option<Outcome>,
    /// When it runs next.
    pub next: NextRun,
}

impl TaskStatus {
    /// As JSON: `{"task", "state", "last": {"action", "at", "message"} | null,
    /// "next": {"kind": "now" | "at" | "not_before" | "waits_on" | "never" | "disabled",
    /// "at"?, "events"?}}`, instants in RFC 3339 in `zone`.
    pub fn to_json(&self, zone: chrono_tz::Tz) -> serde_json::Value {
        use serde_json::json;
        let at = |t: &DateTime<Utc>| crate::history::record::rfc3339(*t, zone);
        let next = match &self.next {
            NextRun::Now => json!({"kind": "now"}),
            NextRun::At { at: t } => json!({"kind": "at", "at": at(t)}),
            NextRun::NotBefore { at: t } => json!({"kind": "not_before", "at": at(t)}),
            NextRun::WaitsOn { events } => json!({"kind": "waits_on", "events": events}),
            NextRun::Never => json!({"kind": "never"}),
            NextRun::Disabled => json!({"kind": "disabled"}),
        };
        json!({
            "task": self.task,
            "state": self.state.as_str(),
            "last": self.last.as_ref().map(|l| json!({
                "action": l.action.as_str(),
                "at": at(&l.at),
                "message": l.message,
            })),
            "next": next,
        })
    }
}

/// The status of `task` as `planner` sees it (its statement inserted unless disabled).
pub(crate) fn of(
    planner: &Planner,
    task: &str,
    start: &crate::Statement,
    disabled: bool,
    last_message: Option<&str>,
) -> TaskStatus {
    let history = planner.history();
    let events = history.events(task);
    let running = !Event::open_runs(events).is_empty();
    let last = events
        .iter()
        .rev()
        .find(|e| e.action != Action::Run)
        .map(|e| Outcome {
            action: e.action,
            at: e.at,
            message: last_message.map(str::to_owned),
        });
    let state = match (disabled, running) {
        (_, true) => TaskState::Running,
        (true, false) => TaskState::Disabled,
        (false, false) => TaskState::Idle,
    };
    let next = match (disabled, planner.planned(task)) {
        (true, _) | (_, None) => NextRun::Disabled,
        (_, Some(Plan::Due { .. } | Plan::Running { .. })) => NextRun::Now,
        (_, Some(Plan::At { at, .. })) => NextRun::At { at },
        (_, Some(Plan::Recheck { at })) => NextRun::NotBefore { at },
        (_, Some(Plan::Waiting)) => {
            let schedule = start.schedule().with_task(task);
            match schedule.next_window(planner.now(), TimeDelta::days(1), planner.zone(), history) {
                Next::WaitsOn(triggers) => NextRun::WaitsOn {
                    events: triggers.iter().map(ToString::to_string).collect(),
                },
                _ => NextRun::Never,
            }
        }
    };
    TaskStatus {
        task: task.to_owned(),
        state,
        last,
        next,
    }
}

/// Each task's status as its log tells it, at `now`: what `tminus status` shows without
/// asking a running scheduler.
pub fn status_from_log(
    tasks: &[super::Task],
    records: &[super::LogRecord],
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Vec<TaskStatus> {
    let history = super::session::history_of(records);
    let mut planner = Planner::with_history(zone, now, history);
    for task in tasks.iter().filter(|t| !t.disabled) {
        planner.insert(&task.name, &task.start);
    }
    planner.advance(now);
    tasks
        .iter()
        .map(|task| {
            let message = records
                .iter()
                .rev()
                .find(|r| r.task_name == task.name && r.action != Action::Run)
                .and_then(|r| r.message.as_deref());
            of(&planner, &task.name, &task.start, task.disabled, message)
        })
        .collect()
}
