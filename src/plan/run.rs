//! Running a planner: time passing, events, and the questions a scheduler asks.

use super::*;

impl Planner {
    /// The earliest instant at which the planner needs to be asked again: now (its clock)
    /// when a task is due, else the first window start or re-check; `None` when only
    /// events can make anything true. O(log n).
    ///
    /// A wake may be a re-check that finds nothing due (the search horizon was reached, or
    /// a predicate is asked again); [`Planner::due`] then returns nothing.
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use tminus::{Planner, Statement};
    ///
    /// let now = Utc.with_ymd_and_hms(2024, 3, 11, 9, 20, 0).unwrap();
    /// let mut planner = Planner::new(chrono_tz::UTC, now);
    /// planner.insert("fetch", &Statement::parse("cron */30 * * * *")?);
    /// planner.insert("transform", &Statement::parse("after task 'fetch'")?);
    /// assert_eq!(planner.next_wake(), Some(Utc.with_ymd_and_hms(2024, 3, 11, 9, 30, 0).unwrap()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_wake(&self) -> Option<DateTime<Utc>> {
        if self.agenda.has_ready() {
            return Some(utc(self.clock));
        }
        self.agenda.next_wake().map(utc)
    }

    /// Moves the clock to `now` (never back) and re-plans the statements whose window
    /// opened or closed, or whose re-check came, meanwhile. O(k log n) plus k searches.
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use tminus::{Plan, Planner, Statement};
    ///
    /// let now = Utc.with_ymd_and_hms(2024, 3, 11, 9, 0, 0).unwrap();
    /// let mut planner = Planner::new(chrono_tz::UTC, now);
    /// planner.insert("report", &Statement::parse("time of day between 10:00 and 10:30")?);
    /// planner.advance(now + TimeDelta::hours(1));
    /// let until = now + TimeDelta::minutes(90);
    /// assert_eq!(planner.planned("report"), Some(Plan::Due { until }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn advance(&mut self, now: DateTime<Utc>) {
        self.clock = self.clock.max(now.timestamp_micros());
        while let Some(id) = self.agenda.first_until(self.clock) {
            self.stats.wakes += 1;
            self.wake(id);
        }
    }

    /// Advances to `now` and returns the tasks due then, sorted by name: their statement
    /// is true and they are not running. Statements that call custom predicates are asked
    /// once more first.
    ///
    /// The planner does not remember what it returned: a task stays due until an event
    /// makes its statement false, as in Rocketry (a scheduler that launches a task records
    /// its `run`, which ends `every`, `cron` and `after task` and blocks the rest while it
    /// runs).
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use tminus::{Action, Planner, Statement};
    ///
    /// let now = Utc.with_ymd_and_hms(2024, 3, 11, 9, 0, 0).unwrap();
    /// let mut planner = Planner::new(chrono_tz::UTC, now);
    /// planner.insert("sync", &Statement::parse("every 2 hours")?);
    /// assert_eq!(planner.due(now), ["sync"]);
    /// planner.record("sync", Action::Run, now);
    /// assert!(planner.due(now).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn due(&mut self, now: DateTime<Utc>) -> Vec<String> {
        self.advance(now);
        let ready: Vec<TaskId> = self.agenda.ready().collect();
        let mut due = Vec::with_capacity(ready.len());
        for id in ready {
            if self.confirm(id) {
                due.push(self.history.name(id).to_owned());
            }
        }
        due.sort_unstable();
        due
    }

    /// Records that `task` did `action` at `at`, and re-plans (from the clock) the
    /// statements that read it: its own if it reads that action, and those of the tasks
    /// that depend on it. `at` may lie before the clock (a late or out-of-order event) or
    /// after it; see the [module documentation](crate::plan). O(d log n) plus d searches.
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use tminus::{Action, Plan, Planner, Statement};
    ///
    /// let now = Utc.with_ymd_and_hms(2024, 3, 11, 9, 0, 0).unwrap();
    /// let mut planner = Planner::new(chrono_tz::UTC, now);
    /// planner.insert("transform", &Statement::parse("after task 'extract' succeeded")?);
    /// assert_eq!(planner.planned("transform"), Some(Plan::Waiting));
    ///
    /// // A success reported late, with an instant before the clock, counts from the clock.
    /// planner.record("extract", Action::Success, now - TimeDelta::minutes(5));
    /// assert_eq!(planner.due(now), ["transform"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn record(&mut self, task: &str, action: Action, at: DateTime<Utc>) {
        let id = self.intern(task);
        self.history.record_of(id, action, at);
        self.stats.events += 1;
        self.stats.runs += u64::from(action == Action::Run);
        let t = crate::Event::new(action, at).at.timestamp_micros();
        let running_changed = self.track_running(id, action, t);
        self.owner_event(id, action, running_changed);
        let mut i = 0;
        while let Some(&(dependent, mask)) = self.tasks[id.index()].dependents.get(i) {
            if mask.has(action) {
                self.replan(dependent);
            }
            i += 1;
        }
    }

    /// Sets (`Some`) or removes (`None`) session parameter `key` and re-plans the
    /// statements that read it (`env 'prod'` reads `env`).
    ///
    /// ```
    /// let now = chrono::Utc::now();
    /// let mut planner = tminus::Planner::new(chrono_tz::UTC, now);
    /// planner.insert_text("deploy", "env 'prod'")?;
    /// assert!(planner.due(now).is_empty());
    /// planner.set_param("env", Some("prod"));
    /// assert_eq!(planner.due(now), ["deploy"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_param(&mut self, key: &str, value: Option<&str>) {
        match value {
            Some(value) => self.history.set_param(key, value),
            None => self.history.remove_param(key),
        };
        let readers = self.param_readers.get(key).cloned().unwrap_or_default();
        readers.into_iter().for_each(|id| self.replan(id));
    }

    /// Sets (or clears) the scheduler's start and cycle count and re-plans the statements
    /// that read them (`scheduler started 10 minutes ago`, `scheduler has 3 cycles`).
    ///
    /// ```
    /// use tminus::{Planner, SchedulerState};
    /// let now = chrono::Utc::now();
    /// let mut planner = Planner::new(chrono_tz::UTC, now);
    /// planner.insert_text("warmup", "scheduler started 10 minutes ago")?;
    /// planner.set_scheduler(Some(SchedulerState { started: now, cycles: 0 }));
    /// assert_eq!(planner.due(now), ["warmup"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_scheduler(&mut self, state: Option<SchedulerState>) {
        self.history.set_scheduler(state);
        let readers = self.scheduler_readers.clone();
        readers.into_iter().for_each(|id| self.replan(id));
    }

    /// Says that custom predicate `name` may answer differently now: the statements that
    /// call it are re-planned.
    ///
    /// ```
    /// use std::sync::atomic::{AtomicBool, Ordering};
    /// use std::sync::Arc;
    ///
    /// let now = chrono::Utc::now();
    /// let open = Arc::new(AtomicBool::new(false));
    /// let mut planner = tminus::Planner::new(chrono_tz::UTC, now);
    /// let flag = Arc::clone(&open);
    /// planner.register_predicate("market open", move |_: &tminus::PredicateCall<'_>| flag.load(Ordering::SeqCst));
    /// planner.insert_text("trade", "market open")?;
    /// assert!(planner.due(now).is_empty());
    /// open.store(true, Ordering::SeqCst);
    /// planner.predicate_changed("market open");
    /// assert_eq!(planner.due(now), ["trade"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn predicate_changed(&mut self, name: &str) {
        let readers = self.predicate_readers.get(name.trim()).cloned();
        readers
            .unwrap_or_default()
            .into_iter()
            .for_each(|id| self.replan(id));
    }

    /// Whether `task` is running: its latest `run` is later than its latest finish.
    ///
    /// ```
    /// use tminus::Action;
    /// let now = chrono::Utc::now();
    /// let mut planner = tminus::Planner::new(chrono_tz::UTC, now);
    /// planner.record("t", Action::Run, now);
    /// assert!(planner.is_running("t"));
    /// planner.record("t", Action::Crash, now);
    /// assert!(!planner.is_running("t"));
    /// ```
    pub fn is_running(&self, task: &str) -> bool {
        self.id(task)
            .is_some_and(|id| self.tasks[id.index()].is_running())
    }

    /// Where the statement of `task` stands, or `None` if it has none.
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use tminus::{Plan, Planner};
    ///
    /// let now = Utc.with_ymd_and_hms(2024, 3, 11, 9, 0, 0).unwrap();
    /// let mut planner = Planner::new(chrono_tz::UTC, now);
    /// planner.insert_text("report", "daily between 10:00 and 10:30")?;
    /// let (at, until) = (now + TimeDelta::hours(1), now + TimeDelta::minutes(90));
    /// assert_eq!(planner.planned("report"), Some(Plan::At { at, until }));
    /// assert_eq!(planner.planned("nothing"), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn planned(&self, task: &str) -> Option<Plan> {
        let id = self.id(task)?;
        let planned = self.tasks[id.index()].statement.as_deref()?;
        Some(match planned.state {
            State::Idle => Plan::Waiting,
            State::Pending { at, end } => Plan::At {
                at: utc(at),
                until: utc(end),
            },
            State::Recheck { at } => Plan::Recheck { at: utc(at) },
            State::Ready { end } => Plan::Due { until: utc(end) },
            State::Blocked { end } => Plan::Running { until: utc(end) },
        })
    }

    /// The planner's clock: the latest instant it was told about.
    ///
    /// ```
    /// let now = chrono::Utc::now();
    /// let planner = tminus::Planner::new(chrono_tz::UTC, now);
    /// assert_eq!(planner.now().timestamp_micros(), now.timestamp_micros());
    /// ```
    pub fn now(&self) -> DateTime<Utc> {
        utc(self.clock)
    }

    /// The zone whose wall clock the statements are judged on.
    ///
    /// ```
    /// let planner = tminus::Planner::new(chrono_tz::Asia::Tokyo, chrono::Utc::now());
    /// assert_eq!(planner.zone(), chrono_tz::Asia::Tokyo);
    /// ```
    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// Everything recorded so far, with the running flags, parameters and scheduler state.
    ///
    /// ```
    /// use tminus::{Action, History};
    /// let now = chrono::Utc::now();
    /// let mut planner = tminus::Planner::new(chrono_tz::UTC, now);
    /// planner.record("t", Action::Run, now);
    /// assert_eq!(planner.history().events("t").len(), 1);
    /// assert!(planner.history().is_running("t"));
    /// ```
    pub fn history(&self) -> &MemoryHistory {
        &self.history
    }

    /// Counters of the work done so far.
    ///
    /// ```
    /// let planner = tminus::Planner::new(chrono_tz::UTC, chrono::Utc::now());
    /// assert_eq!(planner.stats().plans, 0);
    /// ```
    pub fn stats(&self) -> PlannerStats {
        self.stats
    }

    /// A statement whose window start, window end or re-check has come.
    fn wake(&mut self, id: TaskId) {
        match self.state(id) {
            Some(State::Pending { end, .. }) if end > self.clock => {
                let open = self.open(id, end);
                self.set_state(id, open);
            }
            Some(_) => self.replan(id),
            None => {}
        }
    }

    /// Whether a ready statement is still true: asked again only if it calls predicates.
    fn confirm(&mut self, id: TaskId) -> bool {
        let Some(planned) = self.tasks[id.index()].statement.as_deref() else {
            return false;
        };
        if !planned.asks {
            return true;
        }
        self.stats.checks += 1;
        let now = utc(self.clock);
        let view = View::new(&self.history, (id, &planned.schedule.task), &planned.reads);
        if planned.schedule.is_true(now, self.zone, &view) {
            return true;
        }
        self.replan(id);
        false
    }

    /// An event of the statement's own task: re-plan if the statement reads the action,
    /// else move it between ready and blocked if the running flag changed.
    fn owner_event(&mut self, id: TaskId, action: Action, running_changed: bool) {
        let Some(planned) = self.tasks[id.index()].statement.as_deref() else {
            return;
        };
        if planned.owner.has(action) {
            self.replan(id);
        } else if running_changed {
            if let State::Ready { end } | State::Blocked { end } = planned.state {
                let open = self.open(id, end);
                self.set_state(id, open);
            }
        }
    }

    /// Updates the running flag of task `id` with an event; returns whether it changed.
    pub(super) fn track_running(&mut self, id: TaskId, action: Action, t: Micros) -> bool {
        self.seq += 1;
        let stamp = (t, self.seq);
        let task = &mut self.tasks[id.index()];
        let before = task.is_running();
        if action == Action::Run {
            task.last_run = task.last_run.max(stamp);
        } else {
            task.last_finish = task.last_finish.max(stamp);
        }
        let after = task.is_running();
        if before != after {
            self.history.set_running_of(id, after);
        }
        before != after
    }

    /// Plans statement `id` from the clock.
    pub(super) fn replan(&mut self, id: TaskId) {
        let Some(planned) = self.tasks[id.index()].statement.as_deref() else {
            return;
        };
        let view = View::new(&self.history, (id, &planned.schedule.task), &planned.reads);
        let search = Search {
            schedule: &planned.schedule,
            zone: self.zone,
            history: &view,
            resolution: self.resolution,
            horizon: planned
                .recheck
                .map_or(self.horizon, |r| r.min(self.horizon)),
        };
        let outcome = search.run(self.clock, planned.level);
        self.stats.plans += 1;
        self.stats.searches += u64::from(outcome.searches);
        let state = match outcome.found {
            Found::Idle => State::Idle,
            Found::Recheck { at } => State::Recheck { at },
            Found::Window { at, end } if at <= self.clock => self.open(id, end),
            Found::Window { at, end } => State::Pending { at, end },
        };
        if let Some(planned) = self.tasks[id.index()].statement.as_deref_mut() {
            planned.level = outcome.level;
        }
        self.set_state(id, state);
    }

    /// The state of a window open now.
    fn open(&self, id: TaskId, end: Micros) -> State {
        if self.tasks[id.index()].is_running() {
            State::Blocked { end }
        } else {
            State::Ready { end }
        }
    }

    fn state(&self, id: TaskId) -> Option<State> {
        self.tasks[id.index()].statement.as_deref().map(|p| p.state)
    }

    fn set_state(&mut self, id: TaskId, state: State) {
        let Some(planned) = self.tasks[id.index()].statement.as_deref_mut() else {
            return;
        };
        self.agenda.change(id, planned.state, state);
        planned.state = state;
    }
}
