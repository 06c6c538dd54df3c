//! Windows missed while no scheduler ran, for [`CatchUp::Once`](super::CatchUp::Once) and
//! [`CatchUp::All`](super::CatchUp::All).

use super::task::Task;
use crate::{Action, MemoryHistory, Plan, Planner};
use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;

/// How many windows of `task` a scheduler that ran all along would have launched it in
/// between `from` (the last sign of life in the log) and `to` (now, excluded), its runs
/// succeeding at once; at most `cap`. A statement that stays true after a run (`time of
/// day between 10:00 and 11:00`, which Rocketry relaunches every cycle) counts once per
/// window. The other tasks' records stay as the log has them.
pub(crate) fn missed_windows(
    task: &Task,
    zone: Tz,
    history: &MemoryHistory,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    cap: usize,
) -> usize {
    let start = from + TimeDelta::microseconds(1);
    let mut planner =
        Planner::with_history(zone, start, history.clone()).with_resolution(TimeDelta::seconds(1));
    planner.insert(&task.name, &task.start);
    let (mut now, mut launches) = (start, 0);
    while now < to && launches < cap {
        if planner.due(now).contains(&task.name) {
            planner.record(&task.name, Action::Run, now);
            planner.record(&task.name, Action::Success, now);
            launches += 1;
            if let Some(Plan::Due { until }) = planner.planned(&task.name) {
                now = until; // the same window: the next one starts after it
                continue;
            }
        }
        let Some(wake) = planner.next_wake() else {
            break;
        };
        now = wake.max(now + TimeDelta::seconds(1));
    }
    launches
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn counts_the_windows_of_a_downtime() {
        let t = |d, h| Utc.with_ymd_and_hms(2024, 3, d, h, 0, 0).unwrap();
        let mut history = MemoryHistory::new();
        history.record("report", Action::Run, t(11, 10));
        history.record("report", Action::Success, t(11, 10));
        let task = Task::command("report", "daily between 10:00 and 11:00", ["true"]).unwrap();
        // Down from the 11th at 10:00 to the 14th at 12:00: the 12th, 13th and 14th missed.
        assert_eq!(
            missed_windows(&task, chrono_tz::UTC, &history, t(11, 10), t(14, 12), 100),
            3
        );
        assert_eq!(
            missed_windows(&task, chrono_tz::UTC, &history, t(11, 10), t(14, 12), 2),
            2
        );
        assert_eq!(
            missed_windows(&task, chrono_tz::UTC, &history, t(11, 10), t(12, 9), 100),
            0
        );
        let plain =
            Task::command("report", "time of day between 10:00 and 11:00", ["true"]).unwrap();
        assert_eq!(
            missed_windows(&plain, chrono_tz::UTC, &history, t(11, 12), t(14, 12), 100),
            3
        );
    }
}
