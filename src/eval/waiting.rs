//! When the events a statement waits on would count: the statement with every condition
//! that only an event can change (dependencies, status, running tasks, the scheduler,
//! parameters, custom predicates) assumed to have turned the way the statement needs.
//! `after task 'a' & daily between 10:00 and 12:00` waits on a success of `a`, and that
//! success would let the task start between 10:00 and 12:00 of a day it has not yet run.

use super::{History, Schedule, Window};
use crate::ir::{Cond, CondKind};
use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;

/// The statement with each event-driven condition replaced by the value the statement
/// needs from it: `true` where it stands under an even number of `~`, `false` under an odd
/// number. Time conditions, periodic, `every` and `cron` stay as they are.
pub fn assume_events(cond: &Cond) -> Cond {
    relax(cond, true)
}

fn relax(cond: &Cond, positive: bool) -> Cond {
    let span = cond.span();
    match cond.kind() {
        CondKind::All(items) => Cond::all(items.iter().map(|c| relax(c, positive)).collect(), span),
        CondKind::Any(items) => Cond::any(items.iter().map(|c| relax(c, positive)).collect(), span),
        CondKind::Not(inner) => Cond::not(relax(inner, !positive), span),
        CondKind::Depend(_)
        | CondKind::Status(_)
        | CondKind::Running(_)
        | CondKind::Scheduler(_)
        | CondKind::Env(_)
        | CondKind::Param(_)
        | CondKind::Custom(_) => Cond::constant(positive, span),
        _ => cond.clone(),
    }
}

/// Up to `count` windows, from `from` on and opening within `horizon`, in which the events
/// that `cond` waits on would make it true (see the module docs). Empty when no time could.
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use tminus::{eval::waiting::windows_if_events, MemoryHistory, Statement};
///
/// let s = Statement::parse("after task 'extract' & time of day between 10:00 and 12:00")?;
/// let from = Utc.with_ymd_and_hms(2024, 3, 11, 13, 0, 0).unwrap();
/// let h = MemoryHistory::new();
/// let w = windows_if_events(s.cond(), "t", from, TimeDelta::days(2), chrono_tz::UTC, &h, 1);
/// assert_eq!(w[0].start.to_rfc3339(), "2024-03-12T10:00:00+00:00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn windows_if_events<H: History + ?Sized>(
    cond: &Cond,
    task: &str,
    from: DateTime<Utc>,
    horizon: TimeDelta,
    zone: Tz,
    history: &H,
    count: usize,
) -> Vec<Window> {
    let assumed = Schedule::new(&assume_events(cond)).with_task(task);
    assumed
        .windows(from, horizon, zone, history)
        .take(count)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Statement;

    fn assumed(text: &str) -> String {
        assume_events(Statement::parse(text).unwrap().cond()).to_string()
    }

    #[test]
    fn event_driven_conditions_take_the_needed_value() {
        assert_eq!(assumed("after task 'a' & daily"), "daily");
        assert_eq!(
            assumed("~task 'a' is running & time of day after 10:00"),
            "time of day after 10:00"
        );
        assert_eq!(assumed("env 'prod' | every 10 minutes"), "true");
        assert_eq!(
            assumed("~(task 'a' has succeeded today | time of day before 10:00)"),
            "~time of day before 10:00"
        );
    }
}
