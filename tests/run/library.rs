//! The library scheduler: executions, options, the handle, restarts and catch-up.

use chrono::{DateTime, TimeDelta, Utc};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tminus::run::{CatchUp, Execution, LogRecord, Scheduler, Task, TaskLog, TaskState};
use tminus::Action;

/// A log whose records can be read after the scheduler has consumed it.
#[derive(Clone, Default)]
struct SharedLog(Arc<Mutex<Vec<LogRecord>>>);

impl TaskLog for SharedLog {
    fn read(&mut self) -> Result<Vec<LogRecord>, tminus::run::LogError> {
        Ok(self.0.lock().unwrap().clone())
    }
    fn append(&mut self, record: &LogRecord) -> Result<(), tminus::run::LogError> {
        self.0.lock().unwrap().push(record.clone());
        Ok(())
    }
}

impl SharedLog {
    fn actions(&self) -> Vec<(String, Action)> {
        let records = self.0.lock().unwrap();
        records
            .iter()
            .map(|r| (r.task_name.clone(), r.action))
            .collect()
    }
    fn of(&self, task: &str) -> Vec<LogRecord> {
        let records = self.0.lock().unwrap();
        records
            .iter()
            .filter(|r| r.task_name == task)
            .cloned()
            .collect()
    }
}

fn pair(task: &str, action: Action) -> (String, Action) {
    (task.to_owned(), action)
}

#[test]
fn thread_async_and_main_pass_parameters_and_return_values() {
    let log = SharedLog::default();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (s1, s2) = (seen.clone(), seen.clone());
    let mut scheduler = Scheduler::new(chrono_tz::UTC)
        .log(Box::new(log.clone()))
        .param("env", "prod")
        .shut_cond("task 'load' has succeeded")
        .unwrap();
    scheduler
        .add(
            Task::function("extract", "true", |cx| {
                Ok(Some(format!("rows-{}", cx.param("env").unwrap())))
            })
            .unwrap(),
        )
        .unwrap();
    scheduler
        .add(
            Task::future("transform", "after task 'extract' succeeded", move |cx| {
                let seen = s1.clone();
                async move {
                    seen.lock()
                        .unwrap()
                        .push(format!("transform {:?}", cx.returned("extract")));
                    Ok(Some("t".into()))
                }
            })
            .unwrap(),
        )
        .unwrap();
    scheduler
        .add(
            Task::function("load", "after task 'transform' succeeded", move |cx| {
                s2.lock().unwrap().push(format!(
                    "load {:?} {:?}",
                    cx.returned("transform"),
                    cx.task()
                ));
                Ok(None)
            })
            .unwrap()
            .execution(Execution::Main),
        )
        .unwrap();
    scheduler.run().unwrap();
    assert_eq!(
        *seen.lock().unwrap(),
        ["transform Some(\"rows-prod\")", "load Some(\"t\") \"load\""]
    );
    assert_eq!(
        log.actions(),
        [
            pair("extract", Action::Run),
            pair("extract", Action::Success),
            pair("transform", Action::Run),
            pair("transform", Action::Success),
            pair("load", Action::Run),
            pair("load", Action::Success),
        ]
    );
    let success = &log.of("extract")[1];
    assert_eq!(success.start, Some(log.of("extract")[0].created));
    assert_eq!(
        success.runtime,
        Some(success.created - success.start.unwrap())
    );
}

#[test]
fn failures_and_panics_record_their_message() {
    let log = SharedLog::default();
    let mut scheduler = Scheduler::new(chrono_tz::UTC)
        .log(Box::new(log.clone()))
        .shut_cond("task 'b' has failed & task 'a' has failed")
        .unwrap();
    scheduler
        .add(Task::function("a", "true", |_| Err("no rows".into())).unwrap())
        .unwrap();
    scheduler
        .add(Task::function("b", "true", |_| panic!("boom")).unwrap())
        .unwrap();
    scheduler.run().unwrap();
    assert_eq!(log.of("a")[1].message.as_deref(), Some("no rows"));
    assert_eq!(log.of("b")[1].message.as_deref(), Some("panicked: boom"));
}

#[test]
fn priority_orders_the_launches_of_one_cycle() {
    let log = SharedLog::default();
    let mut scheduler = Scheduler::new(chrono_tz::UTC)
        .log(Box::new(log.clone()))
        .execution(Execution::Main)
        .shut_cond("task 'low' has succeeded")
        .unwrap();
    for (name, priority) in [("low", -1), ("high", 5), ("mid", 0), ("mid2", 0)] {
        let task = Task::function(name, "true", |_| Ok(None)).unwrap();
        scheduler
            .add(task.priority(priority).execution(Execution::Main))
            .unwrap();
    }
    scheduler.run().unwrap();
    let runs: Vec<String> = log
        .actions()
        .into_iter()
        .filter(|(_, a)| *a == Action::Run)
        .map(|(t, _)| t)
        .collect();
    assert_eq!(runs, ["high", "mid", "mid2", "low"]);
}

#[test]
fn timeout_and_end_cond_terminate_and_cancel() {
    let log = SharedLog::default();
    let wait_for_cancel = |cx: tminus::run::Context| {
        for _ in 0..600 {
            if cx.is_cancelled() {
                return Ok(None);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        Err("never cancelled".into())
    };
    let mut scheduler = Scheduler::new(chrono_tz::UTC)
        .log(Box::new(log.clone()))
        .shut_cond("task 'timed' has terminated & task 'ended' has terminated & task 'stuck' has terminated")
        .unwrap()
        .grace(TimeDelta::milliseconds(300));
    scheduler
        .add(
            Task::function("timed", "true", wait_for_cancel)
                .unwrap()
                .timeout("1 second")
                .unwrap(),
        )
        .unwrap();
    scheduler
        .add(
            Task::function("ended", "true", wait_for_cancel)
                .unwrap()
                .end_cond("task 'timed' has terminated")
                .unwrap(),
        )
        .unwrap();
    // Ignores the token: abandoned after the grace period.
    scheduler
        .add(
            Task::function("stuck", "true", |_| {
                std::thread::sleep(Duration::from_secs(5));
                Ok(None)
            })
            .unwrap()
            .timeout_after(TimeDelta::milliseconds(500)),
        )
        .unwrap();
    let started = std::time::Instant::now();
    scheduler.run().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    let timed = log.of("timed");
    assert_eq!(timed[1].action, Action::Terminate);
    assert_eq!(timed[1].message.as_deref(), Some("timeout after 1 second"));
    let ended = log.of("ended");
    assert_eq!(ended[1].action, Action::Terminate);
    assert_eq!(ended[1].message.as_deref(), Some("end_cond became true"));
    assert!(ended[1].created >= timed[1].created);
    assert_eq!(log.of("stuck")[1].action, Action::Terminate);
}

#[test]
fn the_handle_reports_status_runs_now_disables_and_shuts_down() {
    let log = SharedLog::default();
    let mut scheduler = Scheduler::new(chrono_tz::UTC).log(Box::new(log.clone()));
    scheduler
        .add(Task::function("manual", "false", |_| Ok(Some("done".into()))).unwrap())
        .unwrap();
    scheduler
        .add(
            Task::function("off", "true", |_| Ok(None))
                .unwrap()
                .disabled(true),
        )
        .unwrap();
    scheduler
        .add(Task::function("after", "after task 'manual' succeeded", |_| Ok(None)).unwrap())
        .unwrap();
    let (handle, thread) = scheduler.spawn();
    let mut records = handle.subscribe();
    let status = handle.status().unwrap();
    let state = |name: &str| status.iter().find(|s| s.task == name).unwrap().clone();
    assert_eq!(state("off").state, TaskState::Disabled);
    assert_eq!(state("manual").next, tminus::run::NextRun::Never);
    assert!(matches!(
        state("after").next,
        tminus::run::NextRun::WaitsOn { .. }
    ));
    assert!(handle.run_now("nobody").unwrap().is_err());
    handle.run_now("manual").unwrap().unwrap();
    let mut seen = Vec::new();
    while seen.len() < 4 {
        let r = records.blocking_recv().unwrap();
        seen.push((r.task_name, r.action));
    }
    assert_eq!(
        seen[..2],
        [pair("manual", Action::Run), pair("manual", Action::Success)]
    );
    assert_eq!(
        seen[2..],
        [pair("after", Action::Run), pair("after", Action::Success)]
    );
    handle.set_disabled("off", false).unwrap().unwrap();
    while records.blocking_recv().unwrap().action != Action::Success {}
    let status = handle.status().unwrap();
    let manual = status.iter().find(|s| s.task == "manual").unwrap();
    assert_eq!(
        manual.last.as_ref().map(|l| l.action),
        Some(Action::Success)
    );
    assert_eq!(
        handle.records().unwrap().unwrap().len(),
        log.0.lock().unwrap().len()
    );
    handle.shutdown();
    thread.join().unwrap().unwrap();
    assert!(handle.status().is_err());
}

#[test]
fn restart_records_crashes_and_lets_the_statements_decide() {
    let now = Utc::now();
    let earlier = now - TimeDelta::minutes(5);
    let log = SharedLog::default();
    log.0.lock().unwrap().extend([
        LogRecord::new("crashed", Action::Run, earlier),
        LogRecord::new("finished", Action::Run, earlier),
        LogRecord::new("finished", Action::Success, earlier),
    ]);
    let mut scheduler = Scheduler::new(chrono_tz::UTC)
        .log(Box::new(log.clone()))
        .shut_cond("task 'crashed' has succeeded")
        .unwrap();
    // Both `daily`: the one that finished today does not run again, the crashed one does.
    scheduler
        .add(Task::function("crashed", "daily", |_| Ok(None)).unwrap())
        .unwrap();
    scheduler
        .add(Task::function("finished", "daily", |_| Ok(None)).unwrap())
        .unwrap();
    if now.date_naive() != earlier.date_naive() {
        return; // just after midnight: `daily` would rightly run both
    }
    scheduler.run().unwrap();
    let crashed: Vec<Action> = log.of("crashed").iter().map(|r| r.action).collect();
    assert_eq!(
        crashed,
        [Action::Run, Action::Crash, Action::Run, Action::Success]
    );
    assert_eq!(log.of("finished").len(), 2);
}

#[test]
fn catch_up_once_and_all_make_up_for_missed_windows() {
    // The log says the scheduler last ran three days ago; a window of each day was missed.
    let now = Utc::now();
    let last = now - TimeDelta::days(3);
    let window = |t: DateTime<Utc>| {
        let h = (t - TimeDelta::hours(2)).format("%H:%M").to_string();
        let e = (t - TimeDelta::hours(1)).format("%H:%M").to_string();
        format!("time of day between {h} and {e}")
    };
    if (now - TimeDelta::hours(2)).date_naive() != now.date_naive() {
        return; // the window would wrap around midnight
    }
    let records = vec![
        LogRecord::new("none", Action::Run, last),
        LogRecord::new("none", Action::Success, last),
    ];
    let shared = SharedLog::default();
    shared.0.lock().unwrap().extend(records);
    let mut scheduler = Scheduler::new(chrono_tz::UTC).log(Box::new(shared.clone()));
    for (name, policy) in [
        ("none", CatchUp::None),
        ("once", CatchUp::Once),
        ("all", CatchUp::All),
    ] {
        let task = Task::function(name, "false", |_| Ok(None)).unwrap();
        let task = Task::new(
            name,
            tminus::Statement::parse(&window(now)).unwrap(),
            task.job().clone(),
        )
        .execution(Execution::Thread)
        .catch_up(policy);
        scheduler.add(task).unwrap();
    }
    let mut records = scheduler.handle().subscribe(); // before it starts: nothing missed
    let (handle, thread) = scheduler.spawn();
    let mut successes = 0;
    while successes < 4 {
        if records.blocking_recv().unwrap().action == Action::Success {
            successes += 1;
        }
    }
    std::thread::sleep(Duration::from_millis(300));
    handle.shutdown();
    thread.join().unwrap().unwrap();
    let runs = |task: &str| {
        shared
            .of(task)
            .iter()
            .filter(|r| r.action == Action::Run)
            .count()
    };
    assert_eq!((runs("none"), runs("once"), runs("all")), (1, 1, 3));
}

#[test]
fn multilaunch_starts_new_runs_while_one_runs() {
    let log = SharedLog::default();
    let slow = |_| {
        std::thread::sleep(Duration::from_millis(2500));
        Ok(None)
    };
    let mut scheduler = Scheduler::new(chrono_tz::UTC)
        .log(Box::new(log.clone()))
        .shut_cond("scheduler has run over 2 seconds")
        .unwrap()
        .grace(TimeDelta::milliseconds(100));
    scheduler
        .add(
            Task::function("multi", "true", slow)
                .unwrap()
                .multilaunch(true),
        )
        .unwrap();
    scheduler
        .add(Task::function("single", "true", slow).unwrap())
        .unwrap();
    scheduler.run().unwrap();
    let runs = |task: &str| {
        log.of(task)
            .iter()
            .filter(|r| r.action == Action::Run)
            .count()
    };
    // Launched at 0 s, 1 s and 2 s (the statement stays true; at most one launch a second).
    assert!((2..=3).contains(&runs("multi")), "{}", runs("multi"));
    assert_eq!(runs("single"), 1);
    // Every run is closed: terminated at shutdown.
    let terminated = log
        .of("multi")
        .iter()
        .filter(|r| r.action == Action::Terminate)
        .count();
    assert_eq!(terminated, runs("multi"));
}
