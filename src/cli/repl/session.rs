//! What a REPL session knows (the clock, the zone, the owner task, the task history, the
//! last statement) and what it answers to one input: a statement or a `:` command. Both the
//! terminal loop and the pipe loop hand every input to [`Session::handle`], which calls
//! what `tminus next`, `explain`, `fmt` and `timeline` call.

use super::commands::{self, Command, COMMANDS};
use crate::cli::{human, next, settings, timeline};
use chrono::{DateTime, NaiveTime, TimeDelta, Utc};
use chrono_tz::Tz;
use std::collections::BTreeSet;
use std::io::{self, Write};
use tminus::explain::{explain, Context};
use tminus::zone::{to_instant, CivilPolicy};
use tminus::{
    render, Action, Diagnostic, History, MemoryHistory, Next, ParseOptions, RenderOptions,
    Schedule, Statement, Window,
};

/// Windows shown after a statement, and by `:next` without a count.
pub const DEFAULT_WINDOWS: usize = 3;
/// How far searches look ahead, as `tminus next` does by default.
const HORIZON_DAYS: i64 = 3660;
/// How far `:explain` looks for each part's next change, as `tminus explain` does.
const EXPLAIN_HORIZON_DAYS: i64 = 400;

/// The REPL's clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// The system clock: each answer is about the moment it is given.
    System,
    /// Stopped at an instant (`:at`), so answers repeat.
    Frozen(DateTime<Utc>),
}

/// Whether the loop goes on after an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// Read the next input.
    Continue,
    /// `:quit` was given.
    Quit,
}

/// The state of one REPL session.
#[derive(Debug)]
pub struct Session {
    clock: Clock,
    zone: Tz,
    task: String,
    history: MemoryHistory,
    options: ParseOptions,
    last: Option<Statement>,
    /// Task names seen in statements, commands and the loaded history, for completion.
    tasks: BTreeSet<String>,
    color: bool,
    dst: tminus::DstPolicy,
}

impl Session {
    /// A session with the system clock, no statement yet, and the given zone, owner task,
    /// history and custom predicates; `color` draws diagnostics in colour.
    pub fn new(
        zone: Tz,
        task: String,
        history: MemoryHistory,
        options: ParseOptions,
        color: bool,
    ) -> Session {
        let mut tasks: BTreeSet<String> = history.tasks().into_iter().map(str::to_owned).collect();
        tasks.insert(task.clone());
        Session {
            clock: Clock::System,
            zone,
            task,
            history,
            options,
            last: None,
            tasks,
            color,
            dst: tminus::DstPolicy::Skip,
        }
    }

    /// The session with `policy` for statement occurrences in DST gaps (`--dst`).
    pub fn with_dst(mut self, policy: tminus::DstPolicy) -> Session {
        self.dst = policy;
        self
    }

    /// Freezes or releases the clock.
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// The instant answers are about.
    pub fn now(&self) -> DateTime<Utc> {
        match self.clock {
            Clock::System => human::now(),
            Clock::Frozen(at) => at,
        }
    }

    /// The task names seen so far, sorted.
    pub fn task_names(&self) -> Vec<String> {
        self.tasks.iter().cloned().collect()
    }

    /// The registered custom predicates.
    pub fn options(&self) -> &ParseOptions {
        &self.options
    }

    /// Answers one input: a `:` command, or else a statement. Blank input does nothing.
    pub fn handle(&mut self, input: &str, out: &mut dyn Write) -> io::Result<Flow> {
        let text = input.trim();
        if text.is_empty() {
            return Ok(Flow::Continue);
        }
        if let Some(command) = colonless_command(text) {
            return writeln!(
                out,
                "error: `{text}` is not a statement; did you mean `:{command}`?"
            )
            .map(|()| Flow::Continue);
        }
        if !text.starts_with(':') {
            self.statement(text, out)?;
            return Ok(Flow::Continue);
        }
        match commands::parse(text) {
            Ok(Command::Quit) => Ok(Flow::Quit),
            Ok(command) => self.command(command, out).map(|()| Flow::Continue),
            Err(message) => writeln!(out, "error: {message}").map(|()| Flow::Continue),
        }
    }

    /// Parses a statement: its diagnostics if it has errors; else its warnings, its truth
    /// now and its next windows. A statement with errors leaves the last one in place.
    fn statement(&mut self, text: &str, out: &mut dyn Write) -> io::Result<()> {
        let (statement, diagnostics) = tminus::check(text.as_bytes(), &self.options);
        let diagnostics: Vec<Diagnostic> = diagnostics
            .into_iter()
            .map(|d| crate::cli::for_command_line(d, text.as_bytes()))
            .collect();
        self.render_all(&diagnostics, text, out)?;
        match statement {
            None => Ok(()),
            Some(statement) => {
                let names = statement.cond().task_names();
                self.tasks.extend(names.into_iter().map(str::to_owned));
                self.last = Some(statement);
                self.report(DEFAULT_WINDOWS, out)
            }
        }
    }

    fn render_all(
        &self,
        diagnostics: &[Diagnostic],
        text: &str,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let options = RenderOptions { color: self.color };
        for d in diagnostics {
            render(d, text, "<statement>", options, out)?;
        }
        Ok(())
    }

    fn command(&mut self, command: Command, out: &mut dyn Write) -> io::Result<()> {
        match command {
            Command::Now => {
                self.clock = Clock::System;
                writeln!(
                    out,
                    "clock follows the system clock, now {}",
                    self.iso(self.now())
                )
            }
            Command::At(text) => self.freeze(&text, out),
            Command::Tz(zone) => self.set_zone(zone.as_deref(), out),
            Command::Task(task) => self.set_task(task, out),
            Command::Record { task, action, at } => self.record(&task, action, at.as_deref(), out),
            Command::History => self.list_history(out),
            Command::Clear => {
                self.history.clear();
                writeln!(out, "history cleared")
            }
            Command::Next(count) => self.report(count.unwrap_or(DEFAULT_WINDOWS), out),
            Command::Explain => self.explain(out),
            Command::Fmt => self.with_last(out, |_, s, out| writeln!(out, "{s}")),
            Command::Timeline(days) => self.timeline(days, out),
            Command::Help => help(out),
            Command::Quit => Ok(()),
        }
    }

    /// Runs `f` on the last statement, or says there is none.
    fn with_last(
        &self,
        out: &mut dyn Write,
        f: impl FnOnce(&Session, &Statement, &mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        match &self.last {
            Some(statement) => f(self, statement, out),
            None => writeln!(out, "no statement yet: type one, e.g. daily after 10:00"),
        }
    }

    fn schedule(&self, statement: &Statement) -> Schedule {
        statement
            .schedule()
            .with_task(self.task.clone())
            .with_dst(self.dst)
    }

    /// Truth now and the next `count` windows of the last statement.
    fn report(&self, count: usize, out: &mut dyn Write) -> io::Result<()> {
        self.with_last(out, |session, statement, out| {
            let schedule = session.schedule(statement);
            let now = session.now();
            let truth = schedule.is_true(now, session.zone, &session.history);
            writeln!(out, "{truth} at {}", session.iso(now))?;
            let horizon = TimeDelta::days(HORIZON_DAYS);
            let (first, windows) = next::search(
                &schedule,
                now,
                horizon,
                session.zone,
                &session.history,
                count,
            );
            write_next(&first, &windows, out)
        })
    }

    fn explain(&self, out: &mut dyn Write) -> io::Result<()> {
        self.with_last(out, |session, statement, out| {
            let cx = Context {
                at: session.now(),
                zone: session.zone,
                task: &session.task,
                history: &session.history,
                horizon: TimeDelta::days(EXPLAIN_HORIZON_DAYS),
                dst: session.dst,
            };
            write!(out, "{}", explain(statement, &cx))
        })
    }

    fn timeline(&self, days: Option<u32>, out: &mut dyn Write) -> io::Result<()> {
        let days = days.unwrap_or(timeline::DEFAULT_DAYS);
        if !(1..=timeline::MAX_DAYS).contains(&days) {
            return writeln!(out, "error: draw 1 to {} days", timeline::MAX_DAYS);
        }
        self.with_last(out, |session, statement, out| {
            let schedule = session.schedule(statement);
            let text = timeline::draw(
                &schedule,
                session.now(),
                days,
                session.zone,
                &session.history,
            );
            write!(out, "{text}")
        })
    }

    fn freeze(&mut self, text: &str, out: &mut dyn Write) -> io::Result<()> {
        match self.instant(text) {
            Ok(at) => {
                self.clock = Clock::Frozen(at);
                writeln!(out, "clock frozen at {}", self.iso(at))
            }
            Err(e) => writeln!(out, "error: {e}"),
        }
    }

    /// An instant typed by the user: ISO 8601 (civil time in the session's zone unless it
    /// has an offset), or `HH:MM[:SS]` on the clock's current day; civil times are read as
    /// every input timestamp is ([`CivilPolicy::Fold0`]).
    fn instant(&self, text: &str) -> Result<DateTime<Utc>, String> {
        let time = NaiveTime::parse_from_str(text, "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S"));
        match time {
            Ok(time) => {
                let day = self.now().with_timezone(&self.zone).date_naive();
                let civil = day.and_time(time);
                to_instant(civil, self.zone, CivilPolicy::Fold0)
                    .ok_or_else(|| format!("{civil} is out of range"))
            }
            Err(_) => settings::instant(Some(text), self.zone),
        }
    }

    fn set_zone(&mut self, zone: Option<&str>, out: &mut dyn Write) -> io::Result<()> {
        match zone.map(settings::zone) {
            None => {}
            Some(Ok(zone)) => self.zone = zone,
            Some(Err(e)) => return writeln!(out, "error: {e}"),
        }
        writeln!(out, "zone {}", self.zone)
    }

    fn set_task(&mut self, task: Option<String>, out: &mut dyn Write) -> io::Result<()> {
        if let Some(task) = task {
            self.tasks.insert(task.clone());
            self.task = task;
        }
        writeln!(out, "the statement belongs to task '{}'", self.task)
    }

    /// Adds a record; a run also marks the task running, a finish clears that, as a
    /// scheduler would.
    fn record(
        &mut self,
        task: &str,
        action: Action,
        at: Option<&str>,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let at = match at.map_or_else(|| Ok(self.now()), |t| self.instant(t)) {
            Ok(at) => at,
            Err(e) => return writeln!(out, "error: {e}"),
        };
        self.history.record(task, action, at);
        self.history.set_running(task, action == Action::Run);
        self.tasks.insert(task.to_owned());
        writeln!(
            out,
            "recorded: task '{task}' {action} at {}",
            self.observed(at)
        )
    }

    fn list_history(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.history.is_empty() {
            return writeln!(out, "no task events");
        }
        for task in self.history.tasks() {
            let running = if self.history.is_running(task) {
                " (running)"
            } else {
                ""
            };
            writeln!(out, "task '{task}'{running}")?;
            for event in self.history.events(task) {
                writeln!(
                    out,
                    "  {:<8} {}",
                    event.action.as_str(),
                    self.observed(event.at)
                )?;
            }
        }
        Ok(())
    }

    /// An instant in the session's zone, as `tminus next` prints them.
    fn iso(&self, at: DateTime<Utc>) -> String {
        human::instant(&at.with_timezone(&self.zone))
    }

    /// A recorded task event's instant in the session's zone, to the second.
    fn observed(&self, at: DateTime<Utc>) -> String {
        human::observed(&at.with_timezone(&self.zone))
    }
}

/// The answer of a search, one window a line, as `tminus next` prints it.
fn write_next(first: &Next, windows: &[Window], out: &mut dyn Write) -> io::Result<()> {
    match first {
        Next::Window(_) => {
            writeln!(out, "next windows:")?;
            for w in windows {
                match &w.end {
                    Some(end) => writeln!(
                        out,
                        "  {} .. {}",
                        human::instant(&w.start),
                        human::instant(end)
                    )?,
                    None => writeln!(
                        out,
                        "  {} .. (open: no end within the horizon)",
                        human::instant(&w.start)
                    )?,
                }
            }
            Ok(())
        }
        Next::Never => writeln!(out, "never: no instant can satisfy this statement"),
        Next::NotWithinHorizon => writeln!(out, "not within {HORIZON_DAYS} days"),
        Next::WaitsOn(events) => {
            let events: Vec<String> = events.iter().map(ToString::to_string).collect();
            writeln!(out, "waits on: {}", events.join(", "))
        }
    }
}

fn help(out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "type a statement to see whether it is true now and when it is next; or a command:"
    )?;
    for (name, args, what) in COMMANDS {
        let usage = format!("{name} {args}");
        writeln!(out, "  {usage:<26}{what}")?;
    }
    Ok(())
}

/// `help`, `quit`, `exit` and the other commands typed without their colon (which no
/// statement is): the command meant.
fn colonless_command(text: &str) -> Option<&'static str> {
    let word = text.split_whitespace().next()?;
    let meant = match word {
        "help" | "?" => "help",
        "quit" | "exit" | "q" => "quit",
        "history" => "history",
        "clear" => "clear",
        _ => return None,
    };
    (text.split_whitespace().count() == 1).then_some(meant)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn session() -> Session {
        let mut s = Session::new(
            Tz::UTC,
            "t".into(),
            MemoryHistory::new(),
            ParseOptions::new(),
            false,
        );
        s.set_clock(Clock::Frozen(
            Utc.with_ymd_and_hms(2024, 3, 11, 10, 30, 0).unwrap(),
        ));
        s
    }

    fn answer(s: &mut Session, input: &str) -> String {
        let mut out = Vec::new();
        s.handle(input, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_statement_shows_truth_and_windows() {
        let mut s = session();
        let text = answer(&mut s, "time of day between 10:00 and 12:00");
        assert!(
            text.starts_with("true at 2024-03-11T10:30:00Z\nnext windows:\n"),
            "{text}"
        );
        assert_eq!(text.lines().count(), 5);
    }

    #[test]
    fn records_change_the_answer() {
        let mut s = session();
        answer(&mut s, "daily");
        assert!(answer(&mut s, ":success t at 10:00")
            .contains("task 't' success at 2024-03-11T10:00:00Z"));
        assert!(answer(&mut s, ":next 1").starts_with("false at"));
        assert_eq!(s.task_names(), ["t"]);
    }

    #[test]
    fn task_names_are_collected_from_statements() {
        let mut s = session();
        answer(&mut s, "after task 'extract' & task 'load' has failed");
        assert_eq!(s.task_names(), ["extract", "load", "t"]);
    }

    #[test]
    fn commands_without_a_statement_say_so() {
        let mut s = session();
        assert!(answer(&mut s, ":explain").starts_with("no statement yet"));
        assert_eq!(s.handle(":quit", &mut Vec::new()).unwrap(), Flow::Quit);
    }
}
