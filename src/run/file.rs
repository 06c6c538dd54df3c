//! The tasks file of `tminus run`: TOML, checked whole before anything runs, with
//! diagnostics at the file's line and column.

use super::task::{parse_duration, CatchUp, CommandSpec, Execution, Job, Task};
use super::Scheduler;
use crate::diag::codes;
use crate::history::LogUrl;
use crate::{Diagnostic, Errors, Severity, Span, Statement};
use chrono_tz::Tz;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// A checked tasks file.
///
/// ```toml
/// [scheduler]
/// timezone = "Europe/Helsinki"          # default: the zone given to `parse`
/// log = "sqlite:tasks.db"               # default: sqlite:<file stem>.db beside the file
/// execution = "process"                 # or "main"
/// shut_cond = "time of day after 23:00" # optional
///
/// [cluster]                             # only with a postgres:// log (docs/cluster.md)
/// lease = "10 seconds"                  # default; renewed every third of it
///
/// [params]
/// env = "prod"
///
/// [tasks.extract]
/// command = "python3 extract.py"        # through `sh -c`; an array runs directly
/// start_cond = "daily between 10:00 and 12:00"
/// timeout = "30 minutes"
/// ```
///
/// Each task also takes `end_cond`, `cwd` (relative to the file), `env` (a table),
/// `priority`, `disabled`, `multilaunch`, `catch_up` (`none`, `once`, `all`) and
/// `execution` (`process` or `main`).
///
/// ```
/// use tminus::run::TasksFile;
///
/// let text = "[tasks.hello]\ncommand = 'echo hi'\nstart_cond = 'dialy'\n";
/// let error = TasksFile::parse(text, "tasks.toml".as_ref(), chrono_tz::UTC).unwrap_err();
/// let d = &error.diagnostics()[0];
/// assert_eq!(d.help.as_deref(), Some("did you mean `daily`?"));
/// assert_eq!(error.line_column(d), Some((3, 15))); // inside the string, on line 3
/// ```
#[derive(Clone, Debug)]
pub struct TasksFile {
    /// Where it was read from.
    pub path: PathBuf,
    /// The statements' wall clock.
    pub zone: Tz,
    /// The task log.
    pub log: LogUrl,
    /// The default execution.
    pub execution: Execution,
    /// The shut condition.
    pub shut_cond: Option<Statement>,
    /// Session parameters.
    pub params: BTreeMap<String, String>,
    /// The tasks, in file order.
    pub tasks: Vec<Task>,
    /// How an instance joins a cluster (with a PostgreSQL log).
    pub cluster: super::ClusterOptions,
}

/// A tasks file that was refused: diagnostics about its text.
#[derive(Clone, Debug)]
pub struct FileError {
    path: PathBuf,
    source: String,
    diagnostics: Vec<Diagnostic>,
}

impl FileError {
    /// The diagnostics, spans in bytes of [`FileError::source`].
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The file's text.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The 1-based line and column (in characters) where `diagnostic` points.
    pub fn line_column(&self, diagnostic: &Diagnostic) -> Option<(usize, usize)> {
        let at = diagnostic.span()?.start.min(self.source.len());
        let before = self.source.get(..at)?;
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Some((line, column))
    }

    fn io(path: &Path, message: String) -> FileError {
        FileError {
            path: path.to_owned(),
            source: String::new(),
            diagnostics: vec![Diagnostic::new(
                codes::IO,
                Severity::Error,
                message,
                Span::new(0, 0),
                "",
            )],
        }
    }
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            match self.line_column(d) {
                Some((line, column)) if !self.source.is_empty() => {
                    write!(f, "{}:{line}:{column}: {}", self.path.display(), d.message)?
                }
                _ => write!(f, "{}: {}", self.path.display(), d.message)?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for FileError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    scheduler: Option<RawScheduler>,
    cluster: Option<RawCluster>,
    #[serde(default)]
    params: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    tasks: BTreeMap<Spanned<String>, RawTask>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScheduler {
    timezone: Option<Spanned<String>>,
    log: Option<Spanned<String>>,
    execution: Option<Spanned<String>>,
    shut_cond: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCluster {
    lease: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawCommand {
    Line(String),
    Argv(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTask {
    command: Spanned<RawCommand>,
    start_cond: Spanned<String>,
    end_cond: Option<Spanned<String>>,
    timeout: Option<Spanned<String>>,
    cwd: Option<String>,
    #[serde(default)]
    env: BTreeMap<String, String>,
    #[serde(default)]
    priority: i64,
    #[serde(default)]
    disabled: bool,
    #[serde(default)]
    multilaunch: bool,
    catch_up: Option<Spanned<String>>,
    execution: Option<Spanned<String>>,
}

/// Collects diagnostics while a file is checked.
struct Check<'a> {
    text: &'a str,
    diagnostics: Vec<Diagnostic>,
}

impl Check<'_> {
    fn error(&mut self, code: &str, message: impl Into<String>, span: Range<usize>) {
        let d = Diagnostic::new(
            code,
            Severity::Error,
            message,
            Span::new(span.start, span.end),
            "",
        );
        self.diagnostics.push(d);
    }

    /// Errors of a statement (or duration) inside the TOML string at `span`, moved onto
    /// the file.
    fn statement_errors(&mut self, errors: &Errors, span: &Range<usize>, value: &str) {
        let offset = content_offset(self.text, span, value);
        for e in errors.errors() {
            let mut d = Diagnostic::from(e);
            for label in &mut d.labels {
                match offset {
                    Some(offset) => {
                        label.start += offset;
                        label.end += offset;
                    }
                    None => {
                        label.start = span.start;
                        label.end = span.end;
                    }
                }
            }
            self.diagnostics.push(d);
        }
    }

    fn statement(&mut self, value: &Spanned<String>) -> Option<Statement> {
        match Statement::parse(value.get_ref()) {
            Ok(statement) => Some(statement),
            Err(errors) => {
                self.statement_errors(&errors, &value.span(), value.get_ref());
                None
            }
        }
    }

    fn execution(&mut self, value: &Spanned<String>) -> Option<Execution> {
        match value.get_ref().as_str() {
            "process" => Some(Execution::Process),
            "main" => Some(Execution::Main),
            "thread" | "async" => {
                self.error(
                    codes::BAD_EXECUTION,
                    format!(
                        "execution `{}` is for functions registered through the library; \
                         a command runs as `process` or `main`",
                        value.get_ref()
                    ),
                    value.span(),
                );
                None
            }
            other => {
                self.error(
                    codes::BAD_EXECUTION,
                    format!("unknown execution `{other}`, expected `process` or `main`"),
                    value.span(),
                );
                None
            }
        }
    }
}

/// Where the content of the TOML string at `span` starts, when it is written without
/// escapes (so that byte offsets inside `value` are offsets inside the file too).
fn content_offset(text: &str, span: &Range<usize>, value: &str) -> Option<usize> {
    let raw = text.get(span.clone())?;
    for quote in ["\"\"\"", "'''", "\"", "'"] {
        if raw.len() >= 2 * quote.len() && raw.starts_with(quote) && raw.ends_with(quote) {
            let inner = &raw[quote.len()..raw.len() - quote.len()];
            if inner == value {
                return Some(span.start + quote.len());
            }
        }
    }
    None
}

/// The span of `'name'` (or `"name"`) inside the statement string at `span`.
fn task_name_span(text: &str, span: &Range<usize>, value: &str, name: &str) -> Range<usize> {
    let Some(offset) = content_offset(text, span, value) else {
        return span.clone();
    };
    for quoted in [format!("'{name}'"), format!("\"{name}\"")] {
        if let Some(at) = value.find(&quoted) {
            return offset + at..offset + at + quoted.len();
        }
    }
    span.clone()
}

impl TasksFile {
    /// Reads and checks the file at `path`; `zone` is the zone when the file names none.
    pub fn read(path: &Path, zone: Tz) -> Result<TasksFile, FileError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| FileError::io(path, format!("cannot read {}: {e}", path.display())))?;
        TasksFile::parse(&text, path, zone)
    }

    /// Checks `text`, the contents of the file at `path` (relative paths in it are
    /// relative to the file's folder).
    pub fn parse(text: &str, path: &Path, zone: Tz) -> Result<TasksFile, FileError> {
        let refuse = |diagnostics| FileError {
            path: path.to_owned(),
            source: text.to_owned(),
            diagnostics,
        };
        let raw: RawFile = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                let d = Diagnostic::new(
                    codes::TASKS_FILE,
                    Severity::Error,
                    e.message().trim().to_owned(),
                    Span::new(span.start, span.end),
                    "",
                );
                return Err(refuse(vec![d]));
            }
        };
        let mut check = Check {
            text,
            diagnostics: Vec::new(),
        };
        let dir = path.parent().unwrap_or(Path::new("")).to_owned();
        let scheduler = raw.scheduler.unwrap_or(RawScheduler {
            timezone: None,
            log: None,
            execution: None,
            shut_cond: None,
        });
        let zone = match &scheduler.timezone {
            None => zone,
            Some(name) => crate::zone::named(name.get_ref()).unwrap_or_else(|e| {
                check.error(codes::UNKNOWN_ZONE, e.to_string(), name.span());
                zone
            }),
        };
        let log = match &scheduler.log {
            None => {
                let stem = path
                    .file_stem()
                    .map_or("tasks".into(), |s| s.to_string_lossy());
                LogUrl::Sqlite {
                    path: dir.join(format!("{stem}.db")),
                    table: crate::history::url::DEFAULT_TABLE.into(),
                }
            }
            Some(url) => match url.get_ref().parse::<LogUrl>() {
                Ok(url) => url.relative_to(&dir),
                Err(e) => {
                    check.error(codes::BAD_LOG_URL, e.message(), url.span());
                    LogUrl::Memory
                }
            },
        };
        let execution = match &scheduler.execution {
            None => Some(Execution::Process),
            Some(e) => check.execution(e),
        }
        .unwrap_or(Execution::Process);
        let shut_cond = scheduler
            .shut_cond
            .as_ref()
            .and_then(|s| check.statement(s));
        let mut cluster = super::ClusterOptions::default();
        if let Some(lease) = raw.cluster.as_ref().and_then(|c| c.lease.as_ref()) {
            match parse_duration(lease.get_ref()) {
                Ok(d) if d >= super::ClusterOptions::MIN_LEASE => cluster.lease = d,
                Ok(_) => check.error(
                    codes::BAD_LEASE,
                    "a lease is at least 1 second",
                    lease.span(),
                ),
                Err(errors) => check.statement_errors(&errors, &lease.span(), lease.get_ref()),
            }
        }
        let names: Vec<String> = raw.tasks.keys().map(|k| k.get_ref().clone()).collect();
        let mut tasks = Vec::new();
        let mut ordered: Vec<(Spanned<String>, RawTask)> = raw.tasks.into_iter().collect();
        ordered.sort_by_key(|(name, _)| name.span().start);
        for (name, raw) in ordered {
            if let Some(task) = task(&mut check, name.get_ref(), raw, &names, &dir) {
                tasks.push(task);
            }
        }
        if let Some(shut) = &scheduler.shut_cond {
            check_dependencies(&mut check, shut, &names);
        }
        let params = raw
            .params
            .into_iter()
            .map(|(k, v)| (k, v.into_inner()))
            .collect();
        if !check.diagnostics.is_empty() {
            return Err(refuse(check.diagnostics));
        }
        Ok(TasksFile {
            path: path.to_owned(),
            zone,
            log,
            execution,
            shut_cond,
            params,
            tasks,
            cluster,
        })
    }

    /// A scheduler for the file: its zone, execution, parameters, shut condition and
    /// tasks, with a memory log (give it the file's with [`Scheduler::log_url`]).
    pub fn scheduler(&self) -> Result<Scheduler, super::TaskError> {
        let mut scheduler = Scheduler::new(self.zone).execution(self.execution);
        for (k, v) in &self.params {
            scheduler = scheduler.param(k, v);
        }
        if let Some(shut) = &self.shut_cond {
            scheduler = scheduler.shut_statement(shut.clone());
        }
        for task in &self.tasks {
            scheduler.add(task.clone())?;
        }
        Ok(scheduler)
    }

    /// The tasks and parameters, for [`Handle::reload`](super::Handle::reload).
    pub fn reload(&self) -> super::Reload {
        super::Reload {
            tasks: self.tasks.clone(),
            params: self.params.clone(),
        }
    }
}

/// `after task 'x'` and the like must name tasks of the file.
fn check_dependencies(check: &mut Check<'_>, value: &Spanned<String>, names: &[String]) {
    let Ok(statement) = Statement::parse(value.get_ref()) else {
        return;
    };
    for name in statement.cond().task_names() {
        if !names.iter().any(|n| *n == name) {
            let span = task_name_span(check.text, &value.span(), value.get_ref(), name);
            let known = names.join("`, `");
            check.error(
                codes::UNKNOWN_TASK,
                format!("no task `{name}` in this file (its tasks: `{known}`)"),
                span,
            );
        }
    }
}

fn task(
    check: &mut Check<'_>,
    name: &str,
    raw: RawTask,
    names: &[String],
    dir: &Path,
) -> Option<Task> {
    let start = check.statement(&raw.start_cond);
    check_dependencies(check, &raw.start_cond, names);
    let end = raw.end_cond.as_ref().and_then(|e| {
        check_dependencies(check, e, names);
        check.statement(e)
    });
    let timeout = raw
        .timeout
        .as_ref()
        .and_then(|t| match parse_duration(t.get_ref()) {
            Ok(d) => Some(d),
            Err(errors) => {
                check.statement_errors(&errors, &t.span(), t.get_ref());
                None
            }
        });
    let catch_up = match raw.catch_up.as_ref() {
        None => Some(CatchUp::None),
        Some(value) => match value.get_ref().as_str() {
            "none" => Some(CatchUp::None),
            "once" => Some(CatchUp::Once),
            "all" => Some(CatchUp::All),
            other => {
                check.error(
                    codes::BAD_CATCH_UP,
                    format!("unknown catch_up `{other}`, expected `none`, `once` or `all`"),
                    value.span(),
                );
                None
            }
        },
    };
    let execution = match &raw.execution {
        None => None,
        Some(e) => Some(check.execution(e)?),
    };
    let span = raw.command.span();
    let mut spec = match raw.command.into_inner() {
        RawCommand::Line(line) if !line.trim().is_empty() => CommandSpec::shell(&line),
        RawCommand::Argv(argv) if !argv.is_empty() => CommandSpec::new(argv),
        _ => {
            check.error(codes::EMPTY_COMMAND, "the command is empty", span);
            return None;
        }
    };
    spec.cwd = raw.cwd.map(|cwd| dir.join(cwd));
    spec.env = raw.env;
    let mut task = Task::new(name, start?, Job::Command(spec))
        .priority(raw.priority)
        .disabled(raw.disabled)
        .multilaunch(raw.multilaunch)
        .catch_up(catch_up?);
    if let Some(end) = end {
        task = task.end_statement(end);
    }
    if let Some(timeout) = timeout {
        task = task.timeout_after(timeout);
    }
    if let Some(execution) = execution {
        task = task.execution(execution);
    }
    if raw.end_cond.is_some() && task.end.is_none()
        || raw.timeout.is_some() && task.timeout.is_none()
    {
        return None;
    }
    Some(task)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<(String, (usize, usize))> {
        let e = TasksFile::parse(text, Path::new("t.toml"), chrono_tz::UTC).unwrap_err();
        e.diagnostics()
            .iter()
            .map(|d| (d.message.clone(), e.line_column(d).unwrap()))
            .collect()
    }

    #[test]
    fn every_kind_of_mistake_is_found_at_its_place() {
        let text = "[scheduler]\ntimezone = \"Mars/Olympus\"\n\n[tasks.a]\ncommand = \"true\"\n\
                    start_cond = \"after task 'b'\"\ntimeout = \"5 parsecs\"\n";
        let found = errors(text);
        assert!(
            found[0].0.contains("unknown time zone `Mars/Olympus`"),
            "{found:?}"
        );
        assert_eq!(found[0].1, (2, 12));
        assert!(
            found
                .iter()
                .any(|(m, at)| m.contains("no task `b`") && *at == (6, 26)),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|(m, at)| m == "unknown unit `parsecs`" && *at == (7, 14)),
            "{found:?}"
        );
    }

    #[test]
    fn unknown_keys_and_thread_execution_are_refused() {
        let found = errors("[tasks.a]\ncommand = 'true'\nstart_cond = 'daily'\nstrat = 1\n");
        assert!(found[0].0.contains("unknown field `strat`"), "{found:?}");
        assert_eq!(found[0].1 .0, 4);
        let found =
            errors("[tasks.a]\ncommand = 'true'\nstart_cond = 'daily'\nexecution = 'thread'\n");
        assert!(
            found[0]
                .0
                .contains("for functions registered through the library"),
            "{found:?}"
        );
    }

    #[test]
    fn a_good_file_has_its_defaults() {
        let text =
            "[params]\nenv = 'prod'\n[tasks.b]\ncommand = ['echo', 'x']\nstart_cond = 'daily'\n\
                    [tasks.a]\ncommand = 'echo'\nstart_cond = \"after task 'b'\"\ncwd = 'jobs'\n";
        let file = TasksFile::parse(text, Path::new("dir/t.toml"), chrono_tz::UTC).unwrap();
        assert_eq!(file.log.to_string(), "sqlite:dir/t.db");
        assert_eq!(file.tasks[0].name(), "b"); // file order
        assert_eq!(file.params["env"], "prod");
        let Job::Command(spec) = file.tasks[1].job() else {
            panic!()
        };
        assert_eq!(spec.cwd.as_deref(), Some(Path::new("dir/jobs")));
    }
}
