//! Building a planner: options, statements and predicates, and the indexes from tasks,
//! parameters, the scheduler and predicates to the statements that read them.

use super::*;

impl Planner {
    /// An empty planner for the wall clock of `zone`, with its clock at `now`; exact
    /// launch instants (resolution 1 µs), a search horizon of 366 days and
    /// [`DstPolicy::Skip`].
    ///
    /// ```
    /// let planner = tminus::Planner::new(chrono_tz::UTC, chrono::Utc::now());
    /// assert!(planner.is_empty() && planner.next_wake().is_none());
    /// ```
    pub fn new(zone: Tz, now: DateTime<Utc>) -> Planner {
        Planner::with_history(zone, now, MemoryHistory::new())
    }

    /// A planner that starts from a task log, as a scheduler does after a restart: the
    /// statements inserted next are planned with these events, and a task whose latest
    /// `run` has no later finish counts as running (write a `crash` record for runs that
    /// died with the previous process first, as Rocketry does at startup).
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use tminus::{Action, MemoryHistory, Plan, Planner, Statement};
    ///
    /// let now = Utc.with_ymd_and_hms(2024, 3, 11, 12, 0, 0).unwrap();
    /// let mut log = MemoryHistory::new();
    /// log.record("backup", Action::Run, now - TimeDelta::hours(2))
    ///     .record("backup", Action::Success, now - TimeDelta::hours(1));
    /// let mut planner = Planner::with_history(chrono_tz::UTC, now, log);
    /// planner.insert("backup", &Statement::parse("daily")?);
    /// assert!(planner.due(now).is_empty()); // done today, before the restart
    /// let tomorrow = Utc.with_ymd_and_hms(2024, 3, 12, 0, 0, 0).unwrap();
    /// assert_eq!(planner.next_wake(), Some(tomorrow + TimeDelta::microseconds(1)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_history(zone: Tz, now: DateTime<Utc>, history: MemoryHistory) -> Planner {
        let mut planner = Planner {
            zone,
            dst: DstPolicy::default(),
            resolution: 1,
            horizon: DEFAULT_HORIZON,
            clock: now.timestamp_micros(),
            seq: 0,
            history,
            tasks: Vec::new(),
            agenda: Agenda::default(),
            param_readers: HashMap::new(),
            scheduler_readers: Vec::new(),
            predicate_readers: HashMap::new(),
            predicates: BTreeMap::new(),
            stats: PlannerStats::default(),
        };
        planner.track_history();
        planner
    }

    /// Launch instants are multiples of `resolution` (since the Unix epoch): a statement is
    /// due at the first such instant inside its window, and windows that hold none are
    /// skipped. A scheduler that looks once per second uses one second; then the planner
    /// launches exactly what re-evaluating every statement every second would. Re-plans
    /// every statement. Values below 1 µs count as 1 µs.
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use tminus::{Action, Planner, Statement};
    ///
    /// let now = Utc.with_ymd_and_hms(2024, 3, 11, 9, 0, 0).unwrap();
    /// let mut exact = Planner::new(chrono_tz::UTC, now);
    /// exact.insert("fetch", &Statement::parse("every 10 seconds")?);
    /// exact.record("fetch", Action::Run, now);
    /// let after = now + TimeDelta::seconds(10) + TimeDelta::microseconds(1); // Rocketry's rule
    /// assert_eq!(exact.next_wake(), Some(after));
    ///
    /// let seconds = exact.with_resolution(TimeDelta::seconds(1));
    /// assert_eq!(seconds.next_wake(), Some(now + TimeDelta::seconds(11)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_resolution(mut self, resolution: TimeDelta) -> Planner {
        self.resolution = positive(resolution);
        self.replan_all();
        self
    }

    /// How far ahead a statement is searched before it is set aside for a re-check (366
    /// days by default). A longer horizon costs nothing for statements whose next window
    /// is near. Re-plans every statement.
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use tminus::{Plan, Planner, Statement};
    ///
    /// let now = Utc.with_ymd_and_hms(2024, 3, 11, 0, 0, 0).unwrap();
    /// let mut planner = Planner::new(chrono_tz::UTC, now).with_horizon(TimeDelta::days(7));
    /// planner.insert("leap", &Statement::parse("cron 0 0 29 2 *")?);
    /// let at = now + TimeDelta::days(7);
    /// assert_eq!(planner.planned("leap"), Some(Plan::Recheck { at }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_horizon(mut self, horizon: TimeDelta) -> Planner {
        self.horizon = positive(horizon);
        self.replan_all();
        self
    }

    /// How DST gaps are treated (see [`DstPolicy`]). Re-plans every statement.
    ///
    /// ```
    /// use tminus::{DstPolicy, Planner};
    /// let planner = Planner::new(chrono_tz::UTC, chrono::Utc::now()).with_dst(DstPolicy::Forward);
    /// assert!(planner.is_empty());
    /// ```
    pub fn with_dst(mut self, policy: DstPolicy) -> Planner {
        self.dst = policy;
        for task in &mut self.tasks {
            if let Some(planned) = task.statement.as_deref_mut() {
                planned.schedule = planned.schedule.clone().with_dst(policy);
            }
        }
        self.replan_all();
        self
    }

    /// Registers custom predicate `name` (see [`Schedule::with_predicate`]). Its future
    /// cannot be predicted: a statement that waits on it is planned again only when
    /// [`Planner::predicate_changed`] says so. Statements already inserted that call it are
    /// re-planned.
    ///
    /// ```
    /// use tminus::{Planner, Statement};
    ///
    /// let now = chrono::Utc::now();
    /// let mut planner = Planner::new(chrono_tz::UTC, now);
    /// planner.register_predicate("maintenance", |_: &tminus::PredicateCall<'_>| false);
    /// let s = Statement::parse_with("~maintenance", &planner.parse_options())?;
    /// planner.insert("t", &s);
    /// assert_eq!(planner.due(now), ["t"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn register_predicate<F>(&mut self, name: &str, f: F)
    where
        F: Fn(&PredicateCall<'_>) -> bool + Send + Sync + 'static,
    {
        self.register(name, Arc::new(f), None);
    }

    /// Registers custom predicate `name`, to be asked again every `recheck` (see
    /// [`Schedule::with_predicate_every`]): a statement that calls it is searched no
    /// further than `recheck` ahead, re-planned every `recheck` while the predicate keeps
    /// it false, and asked once more just before it is reported due.
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use tminus::{Plan, Planner, Statement};
    ///
    /// let now = Utc.with_ymd_and_hms(2024, 3, 11, 9, 0, 0).unwrap();
    /// let mut planner = Planner::new(chrono_tz::UTC, now);
    /// planner.register_predicate_every("file_exists", TimeDelta::minutes(1), |_: &tminus::PredicateCall<'_>| false);
    /// let s = Statement::parse_with("every 10 minutes & file_exists('data.csv')", &planner.parse_options())?;
    /// planner.insert("ingest", &s);
    /// let at = now + TimeDelta::minutes(1);
    /// assert_eq!(planner.planned("ingest"), Some(Plan::Recheck { at }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn register_predicate_every<F>(&mut self, name: &str, recheck: TimeDelta, f: F)
    where
        F: Fn(&PredicateCall<'_>) -> bool + Send + Sync + 'static,
    {
        self.register(name, Arc::new(f), Some(positive(recheck)));
    }

    fn register(&mut self, name: &str, f: Arc<PredicateFn>, recheck: Option<Micros>) {
        let name = name.trim();
        self.predicates
            .insert(name.to_owned(), Registered { f, recheck });
        let readers = self
            .predicate_readers
            .get(name)
            .cloned()
            .unwrap_or_default();
        for id in readers {
            self.recompile(id);
            self.replan(id);
        }
    }

    /// Parse options that accept the registered predicates.
    ///
    /// ```
    /// let mut planner = tminus::Planner::new(chrono_tz::UTC, chrono::Utc::now());
    /// planner.register_predicate("is business day", |_: &tminus::PredicateCall<'_>| true);
    /// assert!(planner.parse_options().is_registered("is business day"));
    /// ```
    pub fn parse_options(&self) -> ParseOptions {
        self.predicates
            .keys()
            .fold(ParseOptions::new(), |options, name| options.register(name))
    }

    /// Sets the statement of `task` (replacing any it had) and plans it. Returns whether
    /// one was replaced.
    ///
    /// ```
    /// use tminus::{Planner, Statement};
    /// let mut planner = Planner::new(chrono_tz::UTC, chrono::Utc::now());
    /// assert!(!planner.insert("sync", &Statement::parse("every 2 hours")?));
    /// assert!(planner.insert("sync", &Statement::parse("every 3 hours")?));
    /// assert_eq!(planner.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn insert(&mut self, task: &str, statement: &Statement) -> bool {
        let replaced = self.remove(task);
        let id = self.intern(task);
        let reads = Reads::of(statement.cond(), task);
        let schedule = statement.schedule().with_task(task).with_dst(self.dst);
        let planned = Planned {
            schedule: self.attach(schedule, &reads.predicates),
            state: State::Idle,
            owner: reads.owner,
            reads: self.index(id, &reads),
            recheck: self.recheck_of(&reads.predicates),
            asks: !reads.predicates.is_empty(),
            level: 0,
        };
        self.tasks[id.index()].statement = Some(Box::new(planned));
        self.stats.statements += 1;
        self.replan(id);
        replaced
    }

    /// Parses `text` with the registered predicates and inserts it as the statement of
    /// `task` (see [`Planner::insert`]).
    ///
    /// ```
    /// let mut planner = tminus::Planner::new(chrono_tz::UTC, chrono::Utc::now());
    /// planner.insert_text("backup", "daily")?;
    /// assert!(planner.insert_text("backup", "dialy").is_err());
    /// assert!(planner.contains("backup"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn insert_text(&mut self, task: &str, text: &str) -> Result<bool, Errors> {
        let statement = Statement::parse_with(text, &self.parse_options())?;
        Ok(self.insert(task, &statement))
    }

    /// Removes the statement of `task`; its events stay in the history. Returns whether it
    /// had one.
    ///
    /// ```
    /// let mut planner = tminus::Planner::new(chrono_tz::UTC, chrono::Utc::now());
    /// planner.insert_text("backup", "daily")?;
    /// assert!(planner.remove("backup") && !planner.remove("backup"));
    /// assert!(planner.is_empty() && planner.next_wake().is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn remove(&mut self, task: &str) -> bool {
        let Some(id) = self.id(task) else {
            return false;
        };
        let Some(planned) = self.tasks[id.index()].statement.take() else {
            return false;
        };
        self.agenda.change(id, planned.state, State::Idle);
        self.unindex(id, &planned.reads);
        self.stats.statements -= 1;
        true
    }

    /// Whether `task` has a statement.
    ///
    /// ```
    /// assert!(!tminus::Planner::new(chrono_tz::UTC, chrono::Utc::now()).contains("x"));
    /// ```
    pub fn contains(&self, task: &str) -> bool {
        self.id(task)
            .is_some_and(|id| self.tasks[id.index()].statement.is_some())
    }

    /// Number of statements.
    ///
    /// ```
    /// assert_eq!(tminus::Planner::new(chrono_tz::UTC, chrono::Utc::now()).len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.stats.statements
    }

    /// Whether there is no statement.
    ///
    /// ```
    /// assert!(tminus::Planner::new(chrono_tz::UTC, chrono::Utc::now()).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(super) fn id(&self, task: &str) -> Option<TaskId> {
        self.history.id(task)
    }

    /// The id of `task` in the history, given on first sight, with its entry in `tasks`.
    pub(super) fn intern(&mut self, task: &str) -> TaskId {
        let id = self.history.intern(task);
        if self.tasks.len() <= id.index() {
            self.tasks.resize_with(id.index() + 1, Task::default);
        }
        id
    }

    /// The schedule with the registered closures of `names` attached.
    fn attach(&self, mut schedule: Schedule, names: &[String]) -> Schedule {
        for name in names {
            let Some(registered) = self.predicates.get(name) else {
                continue;
            };
            let f = Arc::clone(&registered.f);
            let call = move |c: &PredicateCall<'_>| f(c);
            schedule = match registered.recheck {
                Some(r) => schedule.with_predicate_every(name, TimeDelta::microseconds(r), call),
                None => schedule.with_predicate(name, call),
            };
        }
        schedule
    }

    /// Attaches the predicates registered now to statement `id`.
    fn recompile(&mut self, id: TaskId) {
        let Some(planned) = self.tasks[id.index()].statement.as_deref() else {
            return;
        };
        let names: Vec<String> = planned
            .reads
            .iter()
            .filter_map(|r| match r {
                Read::Predicate(name) => Some(name.to_string()),
                _ => None,
            })
            .collect();
        let schedule = self.attach(planned.schedule.clone(), &names);
        let recheck = self.recheck_of(&names);
        if let Some(planned) = self.tasks[id.index()].statement.as_deref_mut() {
            planned.schedule = schedule;
            planned.recheck = recheck;
        }
    }

    /// The shortest re-check interval among the registered predicates `names`.
    fn recheck_of(&self, names: &[String]) -> Option<Micros> {
        names
            .iter()
            .filter_map(|n| self.predicates.get(n).and_then(|p| p.recheck))
            .min()
    }

    /// Adds statement `id` to the indexes of what it reads.
    fn index(&mut self, id: TaskId, reads: &Reads) -> Box<[Read]> {
        let mut out = Vec::new();
        for (task, mask) in &reads.tasks {
            let t = self.intern(task);
            self.tasks[t.index()].dependents.push((id, *mask));
            out.push(Read::Task(t));
        }
        for key in &reads.params {
            self.param_readers
                .entry(key.as_str().into())
                .or_default()
                .push(id);
            out.push(Read::Param(key.as_str().into()));
        }
        if reads.scheduler {
            self.scheduler_readers.push(id);
            out.push(Read::Scheduler);
        }
        for name in &reads.predicates {
            self.predicate_readers
                .entry(name.as_str().into())
                .or_default()
                .push(id);
            out.push(Read::Predicate(name.as_str().into()));
        }
        out.into_boxed_slice()
    }

    /// Takes statement `id` out of the indexes `reads` put it in.
    fn unindex(&mut self, id: TaskId, reads: &[Read]) {
        for read in reads {
            match read {
                Read::Task(t) => {
                    let list = &mut self.tasks[t.index()].dependents;
                    if let Some(i) = list.iter().position(|&(d, _)| d == id) {
                        list.swap_remove(i);
                    }
                }
                Read::Param(key) => drop_reader(&mut self.param_readers, key, id),
                Read::Scheduler => self.scheduler_readers.retain(|&d| d != id),
                Read::Predicate(name) => drop_reader(&mut self.predicate_readers, name, id),
            }
        }
    }

    /// Re-plans every statement (after an option changed).
    fn replan_all(&mut self) {
        for index in 0..self.tasks.len() {
            self.replan(TaskId::from_index(index));
        }
    }

    /// Running flags of every task in the history, in log order.
    fn track_history(&mut self) {
        let count = self.history.task_count();
        self.tasks.resize_with(count, Task::default);
        for index in 0..count {
            let id = TaskId::from_index(index);
            for i in 0..self.history.events_of(id).len() {
                let event = self.history.events_of(id)[i];
                self.track_running(id, event.action, event.at.timestamp_micros());
            }
        }
    }
}

/// A duration in microseconds, at least 1.
fn positive(d: TimeDelta) -> Micros {
    d.num_microseconds().unwrap_or(Micros::MAX).max(1)
}

fn drop_reader(map: &mut HashMap<Box<str>, Vec<TaskId>>, key: &str, id: TaskId) {
    if let Some(list) = map.get_mut(key) {
        list.retain(|&d| d != id);
        if list.is_empty() {
            map.remove(key);
        }
    }
}
