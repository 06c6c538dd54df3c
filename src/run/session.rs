//! The scheduler's loop: launch what is due, watch what runs, sleep until the next wake.

use super::command::{self, Child};
use super::handle::{Control, Message, Reload};
use super::scheduler::{execution_of, OnRecord, RunError, Scheduler};
use super::task::{Cancel, CatchUp, Context, Execution, Job, RunResult, Task, CATCH_UP_CAP};
use super::{catch_up, status};
use crate::history::{LogRecord, TaskLog};
use crate::{Action, Event, History, MemoryHistory, Planner, Schedule, SchedulerState};
use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::{mpsc, Arc};
use std::time::Duration;

/// A statement that stays true relaunches a finished task at most this often (Rocketry:
/// every cycle). Keeps a failing task whose statement holds from filling the log.
const RELAUNCH_GAP: TimeDelta = TimeDelta::seconds(1);
/// How far ahead end and shut conditions are searched before being looked at again.
const LOOKAHEAD: TimeDelta = TimeDelta::days(1);

/// A task as the loop keeps it.
struct Slot {
    task: Task,
    execution: Execution,
    end: Option<Schedule>,
    disabled: bool,
    /// Runs owed: catch-up runs and runs asked for by `run_now`.
    owed: usize,
    last_launch: Option<DateTime<Utc>>,
    last_message: Option<String>,
}

/// What runs, and how to stop it.
enum Stop {
    Process(Child),
    Thread,
    Async(tokio::task::AbortHandle),
    /// In the loop: cannot be stopped.
    Main,
}

struct Running {
    task: String,
    started: DateTime<Utc>,
    deadline: Option<DateTime<Utc>>,
    cancel: Cancel,
    stop: Stop,
    /// Why it is being terminated, and when it is killed or abandoned.
    terminating: Option<(String, Option<DateTime<Utc>>)>,
}

pub(crate) struct Session {
    zone: Tz,
    planner: Planner,
    log: Box<dyn TaskLog>,
    slots: BTreeMap<String, Slot>,
    default_execution: Execution,
    params: Arc<BTreeMap<String, String>>,
    returns: BTreeMap<String, String>,
    shut: Option<Schedule>,
    grace: TimeDelta,
    runtime: Option<tokio::runtime::Handle>,
    owned_runtime: Option<tokio::runtime::Runtime>,
    running: HashMap<u64, Running>,
    next_run: u64,
    tx: mpsc::Sender<Message>,
    rx: mpsc::Receiver<Message>,
    pending: VecDeque<Message>,
    records: tokio::sync::broadcast::Sender<LogRecord>,
    on_record: Vec<OnRecord>,
    stopping: bool,
    cycles: u64,
    /// Tasks that are owed runs (kept apart so that a cycle does not visit every task).
    owing: BTreeSet<String>,
    /// Multilaunch tasks, which may be launched while they run.
    multilaunch: BTreeSet<String>,
    /// The earliest end of a relaunch gap that held a due task back in the last cycle.
    held_until: Option<DateTime<Utc>>,
}

/// Now, to the microsecond.
pub(crate) fn now() -> DateTime<Utc> {
    let now = Utc::now();
    DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now)
}

/// Now on the clock of a log whose clock is `offset` ahead of this machine's.
fn now_with(offset: TimeDelta) -> DateTime<Utc> {
    now() + offset
}

/// A history built from log records.
pub(crate) fn history_of(records: &[LogRecord]) -> MemoryHistory {
    let mut history = MemoryHistory::new();
    for record in records {
        history.record(&record.task_name, record.action, record.created);
    }
    history
}

impl Session {
    /// Reads the log, records `crash` for runs left open, rebuilds the planner and works
    /// out the catch-up runs.
    pub(crate) fn start(scheduler: Scheduler) -> Result<Session, RunError> {
        let Scheduler {
            zone,
            mut log,
            execution,
            params,
            shut,
            setup,
            tasks,
            grace,
            runtime,
            on_record,
            predicates,
            tx,
            rx,
            records,
        } = scheduler;
        for hook in setup {
            hook().map_err(RunError::Setup)?;
        }
        let old = log.read()?;
        let history = history_of(&old);
        let now = now_with(log.clock_offset());
        let wake = tx.clone();
        log.watch(Box::new(move || {
            let _ = wake.send(Message::LogChanged);
        }));
        let mut planner = Planner::with_history(zone, now, history.clone());
        for (name, recheck, f) in predicates {
            let f = f.clone();
            match recheck {
                Some(every) => planner.register_predicate_every(&name, every, move |c| f(c)),
                None => planner.register_predicate(&name, move |c| f(c)),
            }
        }
        let mut session = Session {
            zone,
            planner,
            log,
            slots: BTreeMap::new(),
            default_execution: execution,
            params: Arc::new(BTreeMap::new()),
            returns: BTreeMap::new(),
            shut: shut.map(|s| s.schedule()),
            grace,
            runtime,
            owned_runtime: None,
            running: HashMap::new(),
            next_run: 0,
            tx,
            rx,
            pending: VecDeque::new(),
            records,
            on_record,
            stopping: false,
            cycles: 0,
            owing: BTreeSet::new(),
            multilaunch: BTreeSet::new(),
            held_until: None,
        };
        // Runs the previous process left open: it died, as Rocketry records at startup.
        // (A shared log closes the runs of dead schedulers itself, after their lease.)
        let inherited = match session.log.inherits_open_runs() {
            true => history.tasks(),
            false => Vec::new(),
        };
        for task in inherited {
            for _ in Event::open_runs(history.events(task)) {
                let record = LogRecord::new(task, Action::Crash, now)
                    .with_message("the scheduler running it stopped before it finished");
                session.record(record)?;
            }
        }
        session.planner.set_scheduler(Some(SchedulerState {
            started: now,
            cycles: 0,
        }));
        session.set_params(params);
        let last_seen = old
            .iter()
            .map(|r| r.created)
            .chain(session.log.last_sign_of_life())
            .max();
        for task in tasks {
            session.insert(task);
        }
        if let Some(last_seen) = last_seen {
            session.owe_catch_up(last_seen, now, &history);
        }
        Ok(session)
    }

    fn set_params(&mut self, params: BTreeMap<String, String>) {
        for key in self.params.keys() {
            if !params.contains_key(key) {
                self.planner.set_param(key, None);
            }
        }
        for (key, value) in &params {
            if self.params.get(key) != Some(value) {
                self.planner.set_param(key, Some(value));
            }
        }
        self.params = Arc::new(params);
    }

    fn insert(&mut self, task: Task) {
        let name = task.name.clone();
        if !task.disabled {
            self.planner.insert(&name, &task.start);
        } else {
            self.planner.remove(&name);
        }
        let previous = self.slots.remove(&name);
        match task.multilaunch {
            true => self.multilaunch.insert(name.clone()),
            false => self.multilaunch.remove(&name),
        };
        let slot = Slot {
            execution: execution_of(&task, self.default_execution),
            end: task
                .end
                .as_ref()
                .map(|s| s.schedule().with_task(name.as_str())),
            disabled: task.disabled,
            owed: previous.as_ref().map_or(0, |p| p.owed),
            last_launch: previous.as_ref().and_then(|p| p.last_launch),
            last_message: previous.and_then(|p| p.last_message),
            task,
        };
        self.slots.insert(name, slot);
    }

    /// Catch-up runs for the windows missed between `last_seen` (the newest record of the
    /// log) and `now`.
    fn owe_catch_up(&mut self, last_seen: DateTime<Utc>, now: DateTime<Utc>, old: &MemoryHistory) {
        let zone = self.zone;
        let due_now = self.planner.due(now);
        for slot in self.slots.values_mut() {
            if slot.task.catch_up == CatchUp::None || slot.disabled {
                continue;
            }
            let missed =
                catch_up::missed_windows(&slot.task, zone, old, last_seen, now, CATCH_UP_CAP);
            let natural = usize::from(due_now.contains(&slot.task.name));
            slot.owed = match slot.task.catch_up {
                CatchUp::None => 0,
                CatchUp::Once => usize::from(missed > 0 && natural == 0),
                CatchUp::All => missed.saturating_sub(natural),
            };
            if slot.owed > 0 {
                self.owing.insert(slot.task.name.clone());
            }
        }
    }

    /// Appends `record` to the log, tells the planner and the subscribers.
    fn record(&mut self, record: LogRecord) -> Result<(), RunError> {
        self.log.append(&record)?;
        self.recorded(record);
        Ok(())
    }

    /// Tells the planner and the subscribers about `record`, now in the log.
    fn recorded(&mut self, record: LogRecord) {
        self.planner
            .record(&record.task_name, record.action, record.created);
        self.tell(record);
    }

    fn tell(&mut self, record: LogRecord) {
        for f in &mut self.on_record {
            f(&record);
        }
        let _ = self.records.send(record);
    }

    /// Now, on the log's clock (the database's, for a shared log).
    fn now(&self) -> DateTime<Utc> {
        now_with(self.log.clock_offset())
    }

    /// Takes in the records other schedulers sharing the log have written.
    fn fetch_remote(&mut self) -> Result<(), RunError> {
        for record in self.log.fetch_new()? {
            self.planner
                .record(&record.task_name, record.action, record.created);
            let _ = self.records.send(record);
        }
        Ok(())
    }

    /// The loop.
    pub(crate) fn serve(mut self) -> Result<(), RunError> {
        loop {
            let now = self.now();
            self.planner.advance(now);
            if !self.stopping && self.shut_now(now) {
                self.begin_shutdown(now);
            }
            if !self.stopping {
                self.launch_due(now)?;
            }
            self.watch_running(now)?;
            if self.stopping && self.running.is_empty() {
                return Ok(());
            }
            self.cycles += 1;
            let wake = self.next_wake(now);
            let message = match self.pending.pop_front() {
                Some(message) => Some(message),
                None => match wake {
                    Some(wake) => {
                        let wait = (wake - self.now()).to_std().unwrap_or(Duration::ZERO);
                        self.rx.recv_timeout(wait).ok()
                    }
                    None => self.rx.recv().ok(),
                },
            };
            if let Some(message) = message {
                self.handle(message)?;
            }
            while let Ok(message) = self.rx.try_recv() {
                self.handle(message)?;
            }
        }
    }

    fn shut_now(&self, now: DateTime<Utc>) -> bool {
        self.shut
            .as_ref()
            .is_some_and(|s| s.is_true(now, self.zone, self.planner.history()))
    }

    fn handle(&mut self, message: Message) -> Result<(), RunError> {
        match message {
            Message::Finished {
                run,
                result,
                detail,
                at,
            } => self.finish(run, result, detail, at),
            Message::LogChanged => self.fetch_remote(),
            Message::Control(control) => {
                self.control(control);
                Ok(())
            }
        }
    }

    fn control(&mut self, control: Control) {
        match control {
            Control::Shutdown => {
                if !self.stopping {
                    self.begin_shutdown(self.now());
                }
            }
            Control::RunNow(task, reply) => {
                let answer = match self.slots.get_mut(&task) {
                    Some(slot) => {
                        slot.owed += 1;
                        self.owing.insert(task);
                        Ok(())
                    }
                    None => Err(format!("no task `{task}`")),
                };
                let _ = reply.send(answer);
            }
            Control::SetDisabled(task, disabled, reply) => {
                let answer = match self.slots.get_mut(&task) {
                    Some(slot) => {
                        slot.disabled = disabled;
                        let start = slot.task.start.clone();
                        match disabled {
                            true => self.planner.remove(&task),
                            false => self.planner.insert(&task, &start),
                        };
                        Ok(())
                    }
                    None => Err(format!("no task `{task}`")),
                };
                let _ = reply.send(answer);
            }
            Control::Status(reply) => {
                let _ = reply.send(self.status());
            }
            Control::Records(reply) => {
                let _ = reply.send(self.log.read().map_err(|e| e.to_string()));
            }
            Control::Reload(reload, reply) => {
                let _ = reply.send(self.reload(*reload));
            }
        }
    }

    fn reload(&mut self, reload: Reload) -> Result<(), String> {
        for task in &reload.tasks {
            super::scheduler::check(task, self.default_execution).map_err(|e| e.0)?;
        }
        let keep: Vec<String> = reload.tasks.iter().map(|t| t.name.clone()).collect();
        let gone: Vec<String> = self
            .slots
            .keys()
            .filter(|name| !keep.contains(name))
            .cloned()
            .collect();
        for name in gone {
            self.slots.remove(&name);
            self.planner.remove(&name);
            self.owing.remove(&name);
            self.multilaunch.remove(&name);
        }
        self.set_params(reload.params);
        for task in reload.tasks {
            self.insert(task);
        }
        Ok(())
    }

    fn status(&self) -> Vec<super::TaskStatus> {
        self.slots
            .values()
            .map(|slot| {
                let mut status = status::of(
                    &self.planner,
                    &slot.task.name,
                    &slot.task.start,
                    slot.disabled,
                    slot.last_message.as_deref(),
                );
                if slot.owed > 0 && !slot.disabled {
                    status.next = super::NextRun::Now;
                }
                status
            })
            .collect()
    }

    fn is_running(&self, task: &str) -> bool {
        self.running.values().any(|r| r.task == task)
    }

    /// Launches the due tasks, higher priority first: those whose statement is true
    /// (multilaunch ones also while they run), and those owed a run.
    fn launch_due(&mut self, now: DateTime<Utc>) -> Result<(), RunError> {
        let mut due: Vec<(i64, String)> = Vec::new();
        self.held_until = None;
        let mut candidates = self.planner.due(now);
        for name in &self.multilaunch {
            if let Some(crate::Plan::Running { .. }) = self.planner.planned(name) {
                candidates.push(name.clone());
            }
        }
        for task in candidates {
            let Some(slot) = self.slots.get(&task) else {
                continue;
            };
            match slot.last_launch.map(|l| l + RELAUNCH_GAP) {
                _ if slot.disabled => {}
                Some(gap_end) if gap_end > now => {
                    self.held_until = Some(self.held_until.map_or(gap_end, |h| h.min(gap_end)));
                }
                _ => due.push((slot.task.priority, task)),
            }
        }
        for name in &self.owing {
            let Some(slot) = self.slots.get(name) else {
                continue;
            };
            let busy = !slot.task.multilaunch && self.is_running(name);
            if !slot.disabled && !busy && !due.iter().any(|(_, t)| t == name) {
                due.push((slot.task.priority, name.clone()));
            }
        }
        due.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        if !due.is_empty() {
            // What was launched may be due again once the gap ends (a statement that stays
            // true, a multilaunch task): look then.
            let gap_end = now + RELAUNCH_GAP;
            self.held_until = Some(self.held_until.map_or(gap_end, |h| h.min(gap_end)));
        }
        for (_, task) in due {
            if self.stopping {
                break;
            }
            if !self.launch(&task, now)? {
                // Refused by a shared log: another scheduler launched it, so this one's
                // view is stale. Take in what the others wrote; the next cycle decides
                // again on the fresh view.
                self.fetch_remote()?;
                break;
            }
        }
        Ok(())
    }

    fn context(&self, task: &Task, cancel: Cancel) -> Context {
        Context {
            task: task.name.clone(),
            params: self.params.clone(),
            returns: self.returns.clone(),
            cancel,
        }
    }

    /// Launches `name`; `false` when the log refused the claim (nothing was launched).
    fn launch(&mut self, name: &str, now: DateTime<Utc>) -> Result<bool, RunError> {
        let Some(slot) = self.slots.get_mut(name) else {
            return Ok(true);
        };
        // Also after a refusal: the relaunch gap keeps a refused task from being retried
        // in a tight loop while this scheduler has no live lease.
        slot.last_launch = Some(now);
        let task = slot.task.clone();
        let execution = slot.execution;
        let mut record = LogRecord {
            start: Some(now),
            ..LogRecord::new(name, Action::Run, now)
        };
        if !self.log.claim_run(&mut record)? {
            return Ok(false);
        }
        // A shared log stamps the launch on its clock: the run starts then.
        let now = record.start.unwrap_or(now);
        if let Some(slot) = self.slots.get_mut(name) {
            slot.owed = slot.owed.saturating_sub(1);
            if slot.owed == 0 {
                self.owing.remove(name);
            }
        }
        self.recorded(record);
        let run = self.next_run;
        self.next_run += 1;
        let cancel = Cancel::new();
        let cx = self.context(&task, cancel.clone());
        let tx = self.tx.clone();
        let offset = self.log.clock_offset();
        let send = move |result: RunResult, detail: Option<String>| {
            let _ = tx.send(Message::Finished {
                run,
                result,
                detail,
                at: now_with(offset),
            });
        };
        let stop = match (&task.job, execution) {
            (Job::Command(spec), _) => {
                let env = self.command_env(&task);
                match command::spawn(spec, &env, move |exit| send(exit.result, exit.stderr)) {
                    Ok(child) => Stop::Process(child),
                    Err(why) => {
                        self.running
                            .insert(run, self.running_entry(&task, now, cancel, Stop::Main));
                        let at = self.now();
                        return self.finish(run, Err(why), None, at).map(|_| true);
                    }
                }
            }
            (Job::Function(f), Execution::Main) => {
                let result = catch(|| f(cx));
                self.running
                    .insert(run, self.running_entry(&task, now, cancel, Stop::Main));
                let at = self.now();
                return self.finish(run, result, None, at).map(|_| true);
            }
            (Job::Function(f), _) => {
                let f = f.clone();
                std::thread::spawn(move || send(catch(|| f(cx)), None));
                Stop::Thread
            }
            (Job::Async(f), execution) => {
                let runtime = self.runtime();
                let join = runtime.spawn(f(cx));
                let abort = join.abort_handle();
                runtime.spawn(async move {
                    match join.await {
                        Ok(result) => send(result, None),
                        Err(e) if e.is_panic() => send(Err(panic_message(e.into_panic())), None),
                        Err(_) => {} // aborted: the loop has recorded it
                    }
                });
                if execution == Execution::Main {
                    self.running.insert(
                        run,
                        self.running_entry(&task, now, cancel, Stop::Async(abort)),
                    );
                    return self.wait_for(run).map(|_| true);
                }
                Stop::Async(abort)
            }
        };
        self.running
            .insert(run, self.running_entry(&task, now, cancel, stop));
        if execution == Execution::Main {
            return self.wait_for(run).map(|_| true);
        }
        Ok(true)
    }

    fn running_entry(
        &self,
        task: &Task,
        now: DateTime<Utc>,
        cancel: Cancel,
        stop: Stop,
    ) -> Running {
        Running {
            task: task.name.clone(),
            started: now,
            deadline: task.timeout.map(|t| now + t),
            cancel,
            stop,
            terminating: None,
        }
    }

    /// Blocks the loop until run `run` ends (execution `main`), still enforcing its
    /// timeout; other messages wait their turn, except a shutdown, which terminates it.
    fn wait_for(&mut self, run: u64) -> Result<(), RunError> {
        while self.running.contains_key(&run) {
            let now = now();
            self.watch_running(now)?;
            let wake = self.running_wake(now);
            let message = match wake {
                Some(wake) => self
                    .rx
                    .recv_timeout((wake - now).to_std().unwrap_or(Duration::ZERO))
                    .ok(),
                None => self.rx.recv().ok(),
            };
            match message {
                Some(Message::Finished {
                    run: id,
                    result,
                    detail,
                    at,
                }) if id == run => self.finish(id, result, detail, at)?,
                Some(Message::Control(Control::Shutdown)) => self.begin_shutdown(now),
                Some(other) => self.pending.push_back(other),
                None => {}
            }
        }
        Ok(())
    }

    fn runtime(&mut self) -> tokio::runtime::Handle {
        if let Some(handle) = &self.runtime {
            return handle.clone();
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_time()
            .thread_name("tminus-async")
            .build()
            .expect("starting a tokio runtime");
        let handle = runtime.handle().clone();
        self.owned_runtime = Some(runtime);
        self.runtime = Some(handle.clone());
        handle
    }

    /// `TMINUS_PARAM_<NAME>` for each session parameter, `TMINUS_RETURN_<NAME>` for the
    /// return value of each task its start statement names.
    fn command_env(&self, task: &Task) -> Vec<(String, String)> {
        let mut env: Vec<(String, String)> = self
            .params
            .iter()
            .map(|(k, v)| (format!("TMINUS_PARAM_{}", env_name(k)), v.clone()))
            .collect();
        for dependency in task.start.cond().task_names() {
            if let Some(value) = self.returns.get(dependency) {
                env.push((
                    format!("TMINUS_RETURN_{}", env_name(dependency)),
                    value.clone(),
                ));
            }
        }
        env
    }

    /// Records the end of run `run`.
    fn finish(
        &mut self,
        run: u64,
        result: RunResult,
        detail: Option<String>,
        at: DateTime<Utc>,
    ) -> Result<(), RunError> {
        let Some(running) = self.running.remove(&run) else {
            return Ok(()); // abandoned after its grace period: already recorded
        };
        let at = at.max(running.started);
        let (action, message) = match (&running.terminating, &result) {
            (Some((why, _)), _) => (Action::Terminate, Some(why.clone())),
            (None, Ok(_)) => (Action::Success, None),
            (None, Err(why)) => (Action::Fail, Some(why.clone())),
        };
        if let (Action::Success, Ok(value)) = (action, &result) {
            match value {
                Some(value) => self.returns.insert(running.task.clone(), value.clone()),
                None => self.returns.remove(&running.task),
            };
        }
        if let Some(slot) = self.slots.get_mut(&running.task) {
            slot.last_message = message.clone();
        }
        let mut record = LogRecord::finish(&running.task, action, running.started, at);
        record.message = message;
        record.exc_text = detail.filter(|_| action != Action::Success);
        if self.log.close_run(&mut record)? {
            self.recorded(record);
        } else {
            // A shared log closed this run with `crash` when this scheduler's lease ran
            // out; the outcome stays beside the claim, and subscribers hear it as late.
            let late = "late: the run had been taken over (recorded as crash) after this \
                        scheduler's lease ran out";
            record.message = Some(match record.message.take() {
                Some(m) => format!("{late}; {m}"),
                None => late.to_owned(),
            });
            self.tell(record);
        }
        Ok(())
    }

    /// Terminates runs past their timeout or whose end condition holds; kills or abandons
    /// those past their grace period.
    fn watch_running(&mut self, now: DateTime<Utc>) -> Result<(), RunError> {
        let mut stop = Vec::new();
        let mut abandon = Vec::new();
        for (&run, running) in &self.running {
            match &running.terminating {
                None => {
                    if running.deadline.is_some_and(|d| now >= d) {
                        let after = crate::ir::time::format_duration(
                            running.deadline.unwrap_or(now) - running.started,
                        );
                        stop.push((run, format!("timeout after {after}")));
                    } else if let Some(end) =
                        self.slots.get(&running.task).and_then(|s| s.end.as_ref())
                    {
                        if end.is_true(now, self.zone, self.planner.history()) {
                            stop.push((run, "end_cond became true".to_owned()));
                        }
                    }
                }
                Some((_, Some(kill_at))) if now >= *kill_at => abandon.push(run),
                Some(_) => {}
            }
        }
        for (run, why) in stop {
            self.terminate(run, why, now);
        }
        for run in abandon {
            let Some(running) = self.running.get_mut(&run) else {
                continue;
            };
            match &running.stop {
                Stop::Process(child) => {
                    child.kill(); // its exit comes back as for any other end
                    if let Some((_, kill_at)) = &mut running.terminating {
                        *kill_at = None;
                    }
                }
                Stop::Async(abort) => {
                    abort.abort();
                    self.finish(run, Err(String::new()), None, now)?;
                }
                Stop::Thread | Stop::Main => self.finish(run, Err(String::new()), None, now)?,
            }
        }
        Ok(())
    }

    fn terminate(&mut self, run: u64, why: String, now: DateTime<Utc>) {
        let grace = self.grace;
        let Some(running) = self.running.get_mut(&run) else {
            return;
        };
        if running.terminating.is_some() {
            return;
        }
        running.cancel.cancel();
        if let Stop::Process(child) = &running.stop {
            child.terminate();
        }
        let kill_at = match running.stop {
            Stop::Main => None,
            _ => Some(now + grace),
        };
        running.terminating = Some((why, kill_at));
    }

    fn begin_shutdown(&mut self, now: DateTime<Utc>) {
        self.stopping = true;
        let runs: Vec<u64> = self.running.keys().copied().collect();
        for run in runs {
            self.terminate(run, "the scheduler is shutting down".into(), now);
        }
    }

    /// The earliest instant something about the running tasks may need doing.
    fn running_wake(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let history = self.planner.history();
        self.running
            .values()
            .filter_map(|running| match &running.terminating {
                Some((_, kill_at)) => *kill_at,
                None => {
                    let end = self
                        .slots
                        .get(&running.task)
                        .and_then(|s| s.end.as_ref())
                        .and_then(|end| wake_of(end, now, self.zone, history));
                    [running.deadline, end].into_iter().flatten().min()
                }
            })
            .min()
    }

    /// When to look again: the planner's next wake, the running tasks' deadlines, the
    /// shut condition; `None` when only a message can change anything.
    fn next_wake(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let mut wakes = vec![self.running_wake(now)];
        if !self.stopping {
            // A wake that has come means a task due but held back: look again when the
            // relaunch gap ends, or when something reports back.
            let planner = self.planner.next_wake().filter(|wake| *wake > now);
            wakes.extend([planner, self.held_until]);
            let owed = self.owing.iter().any(|name| {
                self.slots.get(name).is_some_and(|slot| {
                    !slot.disabled && (slot.task.multilaunch || !self.is_running(name))
                })
            });
            if owed {
                wakes.push(Some(now));
            }
            if let Some(shut) = &self.shut {
                wakes.push(wake_of(shut, now, self.zone, self.planner.history()));
            }
        }
        wakes.into_iter().flatten().min()
    }
}

/// When `schedule` should be looked at again: at the start of its next window, after
/// [`LOOKAHEAD`] when none is near, never when only an event can make it true.
fn wake_of(
    schedule: &Schedule,
    now: DateTime<Utc>,
    zone: Tz,
    history: &MemoryHistory,
) -> Option<DateTime<Utc>> {
    match schedule.next_window(now, LOOKAHEAD, zone, history) {
        crate::Next::Window(w) => Some(w.start.with_timezone(&Utc).max(now)),
        crate::Next::NotWithinHorizon => Some(now + LOOKAHEAD),
        _ => None,
    }
}

/// A task name as part of an environment variable: upper case, `_` for anything outside
/// `A-Z0-9`.
pub(crate) fn env_name(name: &str) -> String {
    name.chars()
        .map(|c| match c.to_ascii_uppercase() {
            c @ ('A'..='Z' | '0'..='9') => c,
            _ => '_',
        })
        .collect()
}

/// Runs `f`, turning a panic into a failure.
fn catch(f: impl FnOnce() -> RunResult) -> RunResult {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|payload| Err(panic_message(payload)))
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".into());
    format!("panicked: {text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_names_are_upper_case_with_underscores() {
        assert_eq!(env_name("extract-v2.daily"), "EXTRACT_V2_DAILY");
    }
}
