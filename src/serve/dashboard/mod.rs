//! The dashboard of a scheduler: `/dashboard` lists the tasks (state, last outcome, next
//! window), each task's runs with their messages and a timeline of past runs and future
//! windows, and the log as it grows (the page polls every two seconds). Three actions,
//! each a `POST` with the [`Token`]: run a task now, disable it, enable it.
//!
//! A dashboard shows a running scheduler ([`Dashboard::live`], `tminus run --ui`) or a
//! tasks file and its log read from outside ([`Dashboard::from_log`], `tminus serve
//! --tasks`), which has no actions.

mod source;
mod token;
mod views;

pub use token::Token;

use super::error::ApiError;
use crate::run::{Handle, Task, TaskLog, TaskStatus, TasksFile};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Utc;
use chrono_tz::Tz;
use serde_json::{json, Value};
use source::{lock, Records, Source};
use std::sync::{Arc, Mutex, RwLock};

/// How many records `/api/log` answers at most.
const MAX_RECORDS: usize = 1000;
/// How many runs a task's page lists.
const RUNS_SHOWN: usize = 100;
/// How far ahead a task's page looks for windows, in days.
const WINDOW_DAYS: i64 = 7;

/// What a dashboard shows and may do.
#[derive(Debug)]
pub struct Dashboard {
    source: Source,
    zone: Tz,
    token: Option<Token>,
    tasks: RwLock<Vec<Task>>,
    records: Arc<Mutex<Records>>,
}

impl Dashboard {
    /// A dashboard on a running scheduler; its actions need `token`. Call it inside a tokio
    /// runtime: it follows the scheduler's log on a task of its own.
    pub fn live(handle: Handle, zone: Tz, tasks: &[Task], token: Token) -> Arc<Dashboard> {
        let records = Arc::new(Mutex::new(Records::default()));
        tokio::spawn(source::follow(handle.clone(), records.clone()));
        Arc::new(Dashboard {
            source: Source::Live(handle),
            zone,
            token: Some(token),
            tasks: RwLock::new(tasks.to_vec()),
            records,
        })
    }

    /// A dashboard on a tasks file and its log, read from outside: no actions.
    pub fn from_log(file: &TasksFile, log: Box<dyn TaskLog>) -> Arc<Dashboard> {
        Arc::new(Dashboard {
            source: Source::Log {
                log: Mutex::new((log, None)),
            },
            zone: file.zone,
            token: None,
            tasks: RwLock::new(file.tasks.clone()),
            records: Arc::new(Mutex::new(Records::default())),
        })
    }

    /// Replaces the tasks whose statements are shown (after a reload of the file).
    pub fn set_tasks(&self, tasks: &[Task]) {
        *self.tasks.write().unwrap_or_else(|e| e.into_inner()) = tasks.to_vec();
    }

    fn tasks(&self) -> Vec<Task> {
        self.tasks.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Every task's status, and the records read up to now.
    async fn status(self: &Arc<Self>) -> Result<Vec<TaskStatus>, ApiError> {
        match &self.source {
            Source::Live(handle) => handle
                .status_async()
                .await
                .map_err(|e| ApiError::conflict(e.to_string())),
            Source::Log { .. } => {
                let me = self.clone();
                tokio::task::spawn_blocking(move || {
                    let Source::Log { log } = &me.source else {
                        return Ok(Vec::new());
                    };
                    source::log_status(log, &me.records, &me.tasks(), me.zone)
                })
                .await
                .map_err(|_| ApiError::internal())?
            }
        }
    }

    fn statement_of(&self, task: &str) -> Option<crate::Statement> {
        let tasks = self.tasks.read().unwrap_or_else(|e| e.into_inner());
        tasks
            .iter()
            .find(|t| t.name() == task)
            .map(|t| t.start().clone())
    }
}

/// The dashboard's page and API.
pub fn routes(dashboard: Arc<Dashboard>) -> Router {
    Router::new()
        .route("/api/tasks", get(tasks))
        .route("/api/tasks/{name}", get(task))
        .route("/api/tasks/{name}/{action}", post(act))
        .route("/api/log", get(log))
        .with_state(dashboard)
        .merge(super::assets::dashboard_routes())
}

async fn tasks(State(d): State<Arc<Dashboard>>) -> Result<Json<Value>, ApiError> {
    let statuses = d.status().await?;
    let rows: Vec<Value> = statuses
        .iter()
        .map(|s| views::task_row(s, d.statement_of(&s.task).as_ref(), d.zone))
        .collect();
    Ok(Json(json!({
        "zone": d.zone.name(),
        "live": matches!(d.source, Source::Live(_)),
        "now": civil_now(d.zone),
        "tasks": rows,
    })))
}

fn civil_now(zone: Tz) -> Value {
    views::text(Utc::now(), zone)
}

fn name_of(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    path.map(|Path(name)| name).map_err(ApiError::bad_request)
}

async fn task(
    State(d): State<Arc<Dashboard>>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<Value>, ApiError> {
    let name = name_of(path)?;
    let statuses = d.status().await?;
    let status = statuses
        .iter()
        .find(|s| s.task == name)
        .ok_or_else(|| ApiError::not_found(format!("task `{name}`")))?;
    let statement = d.statement_of(&name);
    let records = lock(&d.records).of_task(&name);
    let now = Utc::now();
    let windows = match &statement {
        Some(s) => views::windows(&name, s, &records, d.zone, now, WINDOW_DAYS),
        None => Vec::new(),
    };
    let shown: Vec<Value> = records
        .iter()
        .rev()
        .take(MAX_RECORDS)
        .rev()
        .map(|r| views::record(None, r, d.zone))
        .collect();
    Ok(Json(json!({
        "task": views::task_row(status, statement.as_ref(), d.zone),
        "now": civil_now(d.zone),
        "runs": views::runs(&records, d.zone, RUNS_SHOWN),
        "windows": windows,
        "records": shown,
    })))
}

/// `GET /api/log?after=SEQ&limit=N`: the records numbered after `after` (the last `limit`,
/// at most 1000, when there are more).
async fn log(State(d): State<Arc<Dashboard>>, uri: Uri) -> Result<Json<Value>, ApiError> {
    let (mut after, mut limit) = (None, 200usize);
    for pair in uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let number = || {
            value
                .parse::<u64>()
                .map_err(|_| ApiError::bad_request(format!("`{key}` must be a whole number")))
        };
        match key {
            "after" => after = Some(number()?),
            "limit" => limit = usize::try_from(number()?).unwrap_or(usize::MAX),
            _ => return Err(ApiError::bad_request(format!("unknown parameter `{key}`"))),
        }
    }
    if !(1..=MAX_RECORDS).contains(&limit) {
        let why = format!("{limit} is out of range: 1 to {MAX_RECORDS}");
        return Err(ApiError::invalid_value("limit", why));
    }
    if matches!(d.source, Source::Log { .. }) {
        d.status().await?;
    }
    let records = lock(&d.records);
    let shown: Vec<Value> = records
        .since(after, limit)
        .iter()
        .map(|(seq, r)| views::record(Some(*seq), r, d.zone))
        .collect();
    Ok(Json(json!({"records": shown, "next": records.next_seq()})))
}

/// The handle an action may use: the token checked first, then a scheduler must run here.
fn authorized<'a>(d: &'a Dashboard, headers: &HeaderMap) -> Result<&'a Handle, ApiError> {
    if let Some(token) = &d.token {
        if !token.accepts(headers) {
            return Err(ApiError::unauthorized());
        }
    }
    match &d.source {
        Source::Live(handle) => Ok(handle),
        Source::Log { .. } => Err(ApiError::conflict(
            "this dashboard reads a log: no scheduler runs here (start `tminus run --ui`)",
        )),
    }
}

/// An action's answer: the scheduler refuses only unknown tasks (404); a stopped one is
/// a 409.
fn done(
    name: &str,
    action: &str,
    result: Result<Result<(), String>, crate::run::Stopped>,
) -> Result<Json<Value>, ApiError> {
    match result {
        Ok(Ok(())) => Ok(Json(json!({"task": name, "action": action}))),
        Ok(Err(_)) => Err(ApiError::not_found(format!("task `{name}`"))),
        Err(stopped) => Err(ApiError::conflict(stopped.to_string())),
    }
}

/// `POST /api/tasks/{name}/{run|disable|enable}`.
async fn act(
    State(d): State<Arc<Dashboard>>,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Json<Value>, ApiError> {
    let Path((name, action)) = path.map_err(ApiError::bad_request)?;
    if !["run", "disable", "enable"].contains(&action.as_str()) {
        return Err(ApiError::not_found(format!(
            "action `{action}` (run, disable, enable)"
        )));
    }
    let handle = authorized(&d, &headers)?;
    let result = match action.as_str() {
        "run" => handle.run_now_async(&name).await,
        disable => handle.set_disabled_async(&name, disable == "disable").await,
    };
    done(&name, &action, result)
}
