//! Truth at an instant, and how long it lasts.
//!
//! [`Cx::eval`] answers, for a compiled node and an instant `t`, its value and a *change
//! point*: an instant `c > t` such that the value is the same on all of `[t, c)`, assuming
//! no new task events. Leaves give the exact next boundary where they can (a period edge,
//! a cron slot, a record entering or leaving a window); operators combine them soundly
//! (an `&` that is false stays false until its *last* false operand can turn). The
//! searches in [`super::next`] only ever jump from one change point to the next.
//!
//! Change points at or after the search limit mean "not before the limit";
//! [`FOREVER`] means "never, without new events". Rocketry's meaning is followed family by
//! family (`docs/semantics.md`); times are judged on the wall clock of the zone.

use super::calendar::{from_naive, to_naive, DAY, MAX_TIME};
use super::history::{Event, History};
use super::period::CivilPeriod;
use super::schedule::{compare, Actions, Lookback, Node, PredicateCall, Schedule};
use super::zone::Zone;
use crate::ir::{CronExpr, ParamCond, SchedulerCond};
use chrono::{DateTime, NaiveDateTime, TimeZone};
use std::cell::OnceCell;

/// The change point of a value that no passage of time alone will change.
pub(crate) const FOREVER: i64 = i64::MAX;

/// Everything one evaluation reads.
pub(crate) struct Cx<'a, H: History + ?Sized> {
    pub(crate) schedule: &'a Schedule,
    pub(crate) zone: Zone,
    pub(crate) history: &'a H,
    /// Searches need no change point beyond this instant.
    pub(crate) limit: i64,
    /// The wall-clock time two days after `limit`, bounding cron searches (computed once,
    /// when first needed).
    civil_limit: OnceCell<NaiveDateTime>,
}

/// A value and its change point.
type Eval = (bool, i64);

impl<'a, H: History + ?Sized> Cx<'a, H> {
    /// A context whose change points need not look past `limit`.
    pub(crate) fn new(schedule: &'a Schedule, zone: Zone, history: &'a H, limit: i64) -> Cx<'a, H> {
        Cx {
            schedule,
            zone,
            history,
            limit,
            civil_limit: OnceCell::new(),
        }
    }

    /// The value of `node` at `t` and its change point.
    pub(crate) fn eval(&self, node: &Node, t: i64) -> Eval {
        match node {
            Node::Const(v) => (*v, FOREVER),
            Node::TimeOf(p) => self.time_of(p, t),
            Node::Periodic(p) => self.periodic(p, t),
            Node::Every(d) => self.every(*d, t),
            Node::Cron { expr, slot } => self.cron(expr, *slot, t),
            Node::Status {
                task,
                actions,
                lookback,
            } => {
                let events = self.events(task.as_deref());
                self.status(events, *actions, lookback, t)
            }
            Node::Depend { task, actions } => (self.depend(task, *actions), FOREVER),
            Node::Running(task) => (self.history.is_running(task), FOREVER),
            Node::Scheduler(s) => self.scheduler(s, t),
            Node::Env(v) => (self.history.param("env") == Some(v.as_str()), FOREVER),
            Node::Param(ParamCond::Exists(k)) => (self.history.param(k).is_some(), FOREVER),
            Node::Param(ParamCond::Is(k, v)) => {
                (self.history.param(k) == Some(v.as_str()), FOREVER)
            }
            Node::Custom { name, args } => self.custom(name, args, t),
            Node::All(items) => self.join(items, t, true),
            Node::Any(items) => self.join(items, t, false),
            Node::Not(inner) => {
                let (v, c) = self.eval(inner, t);
                (!v, c)
            }
        }
    }

    /// `&` (`all`) or `|`: a decisive operand (false for `&`, true for `|`) keeps the
    /// value until the last decisive operand can turn; otherwise until the first operand can.
    fn join(&self, items: &[Node], t: i64, all: bool) -> Eval {
        let mut decided = false;
        let mut decided_until = t;
        let mut undecided_until = FOREVER;
        for item in items {
            let (v, c) = self.eval(item, t);
            if v != all {
                decided = true;
                decided_until = decided_until.max(c);
            } else {
                undecided_until = undecided_until.min(c);
            }
        }
        if decided {
            (!all, decided_until)
        } else {
            (all, undecided_until)
        }
    }

    fn events(&self, task: Option<&str>) -> &[Event] {
        self.history.events(task.unwrap_or(&self.schedule.task))
    }

    /// Membership of a time predicate at `t` (wall-clock time `l`); with
    /// [`super::DstPolicy::Forward`], an occurrence that lay wholly in a gap holds from the
    /// end of the gap for its own length. Returns the value, its change point and, when
    /// the value comes from such a moved occurrence, the instant it started.
    fn member(&self, p: &CivilPeriod, t: i64, l: i64) -> (bool, i64, Option<i64>) {
        if p.is_full() {
            return (true, FOREVER, None);
        }
        let change = self.zone.reach(t, p.next_boundary(l), self.limit);
        if p.contains(l) {
            return (true, change, None);
        }
        if let Some(gap) = self.zone.gap_before(t) {
            let until = gap.at + p.longest_inside(gap.from, gap.to);
            if t < until {
                return (true, change.min(until), Some(gap.at));
            }
        }
        (false, change, None)
    }

    /// `time of day between 10:00 and 12:00`: on the wall clock.
    fn time_of(&self, p: &CivilPeriod, t: i64) -> Eval {
        let (v, c, _) = self.member(p, t, self.zone.civil(t));
        (v, c)
    }

    /// `daily between 10:00 and 12:00`: in the period, and no success, fail, terminate or
    /// inaction of the owner in this occurrence (for full cycles: this cycle, widened to
    /// the previous one at the exact start of a cycle, as Rocketry does).
    fn periodic(&self, p: &CivilPeriod, t: i64) -> Eval {
        let l = self.zone.civil(t);
        let (inside, change, moved) = self.member(p, t, l);
        if !inside {
            return (false, change);
        }
        let (from, change) = match moved {
            Some(start) => (start, change),
            None if p.is_full() => self.cycle_window(p, t, change),
            None => (self.zone.first_instant(p.occurrence_start(l)), change),
        };
        let events = self.events(None);
        let done = any_in(events, Actions::PERIOD_END, from, t);
        let next = first_after(events, Actions::PERIOD_END, t).unwrap_or(FOREVER);
        (!done, change.min(next))
    }

    /// The start of a full period's rollback window at `t`, and the change point updated
    /// with the next cycle start (and the end of the widened instant).
    fn cycle_window(&self, p: &CivilPeriod, t: i64, change: i64) -> (i64, i64) {
        let l = self.zone.civil(t);
        let start = self.zone.first_instant(p.anchor_at_or_before(l));
        let next = self.zone.reach(t, p.anchor_after(l), self.limit);
        if start == t {
            let widened = self.zone.first_instant(p.anchor_before(l));
            return (widened, change.min(next).min(t + 1));
        }
        (start, change.min(next))
    }

    /// `every 10 minutes`: no run record of the owner in `[t - d, t]`.
    fn every(&self, d: i64, t: i64) -> Eval {
        let events = self.events(None);
        let next = first_after(events, Actions::RUN, t).unwrap_or(FOREVER);
        match last_at_or_before(events, Actions::RUN, t) {
            Some(run) if run >= t.saturating_sub(d) => {
                (false, run.saturating_add(d).saturating_add(1))
            }
            _ => (true, next),
        }
    }

    /// `cron ...`: in a matching slot of the wall clock, and no run of the owner since the
    /// slot started (its first pass in a fold); at the exact start of a slot, no run in
    /// the previous matching slot.
    fn cron(&self, expr: &CronExpr, slot: i64, t: i64) -> Eval {
        let l = self.zone.civil(t);
        let s = l - l.rem_euclid(slot);
        let naive = to_naive(l);
        let (start, end) = if expr.matches(naive) {
            (
                self.zone.first_instant(s),
                self.zone.reach(t, s + slot, self.limit),
            )
        } else if let Some(moved) = self.moved_slot(expr, slot, t) {
            moved
        } else {
            return (false, self.next_slot(expr, naive, t));
        };
        let events = self.events(None);
        let next = first_after(events, Actions::RUN, t).unwrap_or(FOREVER);
        if start == t {
            return (
                !self.ran_in_previous_slot(expr, s, slot, t),
                end.min(next).min(t + 1),
            );
        }
        let ran = any_in(events, Actions::RUN, start, t);
        (!ran, end.min(next))
    }

    /// At the exact start `t` of a slot (civil `s`), Rocketry looks at the previous
    /// matching slot instead, ends included: a run in it makes this one instant false.
    fn ran_in_previous_slot(&self, expr: &CronExpr, s: i64, slot: i64, t: i64) -> bool {
        let events = self.events(None);
        if last_at_or_before(events, Actions::RUN, t).is_none() {
            return false;
        }
        let previous = expr.prev_slot_at_or_before(to_naive(s - slot), self.far_past(s));
        previous.is_some_and(|p| {
            let p = from_naive(p);
            let (from, to) = (
                self.zone.first_instant(p),
                self.zone.first_instant(p + slot),
            );
            any_in(events, Actions::RUN, from, to)
        })
    }

    /// How far back a search for the previous cron slot goes (8 years cover `0 0 29 2 *`).
    fn far_past(&self, civil: i64) -> NaiveDateTime {
        to_naive(civil.saturating_sub(8 * 366 * DAY))
    }

    /// A slot that lay in a DST gap, moved to the end of the gap: its `(start, end)`.
    fn moved_slot(&self, expr: &CronExpr, slot: i64, t: i64) -> Option<(i64, i64)> {
        let gap = self.zone.gap_before(t)?;
        let end = gap.at + slot;
        let to = to_naive(gap.to);
        let found = expr.next_slot_from(to_naive(gap.from), to);
        (t < end && found.is_some()).then_some((gap.at, end))
    }

    /// When the wall clock next enters a matching slot (or the offset changes first).
    fn next_slot(&self, expr: &CronExpr, l: NaiveDateTime, t: i64) -> i64 {
        if expr.is_never() {
            return FOREVER;
        }
        let civil_limit = self.civil_limit.get_or_init(|| {
            to_naive(
                self.zone
                    .civil(self.limit.min(MAX_TIME))
                    .saturating_add(2 * DAY),
            )
        });
        match expr.next_slot_from(l, *civil_limit) {
            Some(next) => self.zone.reach(t, from_naive(next), self.limit),
            None => self.limit.max(t.saturating_add(1)),
        }
    }

    /// `has succeeded today` & co.: a matching record in the window.
    fn status(&self, events: &[Event], actions: Actions, lookback: &Lookback, t: i64) -> Eval {
        let next = first_after(events, actions, t).unwrap_or(FOREVER);
        match lookback {
            Lookback::Ever => (last_at_or_before(events, actions, t).is_some(), next),
            Lookback::Past(d) => match last_at_or_before(events, actions, t) {
                Some(r) if r >= t.saturating_sub(*d) => {
                    (true, r.saturating_add(*d).saturating_add(1).min(next))
                }
                _ => (false, next),
            },
            Lookback::Period(p) => self.status_period(events, actions, p, t, next),
        }
    }

    /// A status window from a period: the current occurrence up to `t`, or the previous
    /// occurrence when `t` is outside the period (both ends inclusive, as Rocketry).
    fn status_period(
        &self,
        events: &[Event],
        actions: Actions,
        p: &CivilPeriod,
        t: i64,
        next: i64,
    ) -> Eval {
        let l = self.zone.civil(t);
        let boundary = if p.is_full() {
            FOREVER
        } else {
            self.zone.reach(t, p.next_boundary(l), self.limit)
        };
        if p.is_full() {
            let (from, change) = self.cycle_window(p, t, boundary);
            return (any_in(events, actions, from, t), change.min(next));
        }
        if p.contains(l) {
            let from = self.zone.first_instant(p.occurrence_start(l));
            return (any_in(events, actions, from, t), boundary.min(next));
        }
        let (a, b) = p.previous_occurrence(l);
        let (from, to) = (self.zone.first_instant(a), self.zone.first_instant(b));
        (any_in(events, actions, from, to), boundary)
    }

    /// `after task 'a' succeeded`: the latest matching record of `a` (any time) is later
    /// than the owner's latest run (any time).
    fn depend(&self, task: &str, actions: Actions) -> bool {
        let Some(done) = last_of(self.history.events(task), actions) else {
            return false;
        };
        last_of(self.events(None), Actions::RUN).is_none_or(|run| done > run)
    }

    /// `scheduler started 10 minutes ago`, `scheduler has run over ...`, cycles. Without a
    /// scheduler, all are false.
    fn scheduler(&self, cond: &SchedulerCond, t: i64) -> Eval {
        let Some(state) = self.history.scheduler() else {
            return (false, FOREVER);
        };
        let started = state.started.timestamp_micros();
        let (d, negate) = match cond {
            SchedulerCond::StartedWithin(d) => (d, false),
            SchedulerCond::RunOver(d) => (d, true),
            SchedulerCond::Cycles(cmp, n) => return (compare(*cmp, state.cycles, *n), FOREVER),
        };
        let d = d.num_microseconds().unwrap_or(i64::MAX).saturating_abs();
        let until = started.saturating_add(d);
        let (within, change) = if t < started {
            (false, started)
        } else if t <= until {
            (true, until.saturating_add(1))
        } else {
            (false, FOREVER)
        };
        (within != negate, change)
    }

    /// A registered custom predicate, asked at `t`; unregistered ones are false.
    fn custom(&self, name: &str, args: &[String], t: i64) -> Eval {
        let Some(predicate) = self.schedule.predicates.get(name) else {
            return (false, FOREVER);
        };
        let at = self.zone.tz().timestamp_micros(t).single();
        let Some(at) = at else {
            return (false, FOREVER);
        };
        let value = (predicate.f)(&PredicateCall { name, args, at });
        let change = predicate.recheck.map_or(FOREVER, |r| t.saturating_add(r));
        (value, change)
    }
}

/// An event's instant in microseconds.
fn micros(e: &Event) -> i64 {
    e.at.timestamp_micros()
}

/// Whether a record with one of `actions` lies in `[from, to]`.
fn any_in(events: &[Event], actions: Actions, from: i64, to: i64) -> bool {
    let first = events.partition_point(|e| micros(e) < from);
    events[first..]
        .iter()
        .take_while(|e| micros(e) <= to)
        .any(|e| actions.has(e.action))
}

/// The latest record with one of `actions` at or before `t`.
fn last_at_or_before(events: &[Event], actions: Actions, t: i64) -> Option<i64> {
    let end = events.partition_point(|e| micros(e) <= t);
    events[..end]
        .iter()
        .rev()
        .find(|e| actions.has(e.action))
        .map(micros)
}

/// The earliest record with one of `actions` after `t`.
fn first_after(events: &[Event], actions: Actions, t: i64) -> Option<i64> {
    let start = events.partition_point(|e| micros(e) <= t);
    events[start..]
        .iter()
        .find(|e| actions.has(e.action))
        .map(micros)
}

/// The last record with one of `actions`, at any time (log order breaks ties).
fn last_of(events: &[Event], actions: Actions) -> Option<i64> {
    events
        .iter()
        .rev()
        .find(|e| actions.has(e.action))
        .map(micros)
}

/// The instant `t` (microseconds) in the zone, for answers.
pub(crate) fn zoned(zone: &Zone, t: i64) -> Option<DateTime<chrono_tz::Tz>> {
    zone.tz().timestamp_micros(t).single()
}
