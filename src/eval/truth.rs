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

use super::period::CivilPeriod;
use super::schedule::{compare, Actions, Lookback, Node, PredicateCall, Schedule};
use super::zone::Zone;
use crate::civil::{in_range, DAY, MAX_TIME};
use crate::history::{Event, History};
use crate::ir::{CronExpr, ParamCond, SchedulerCond};
use chrono::TimeZone;
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
    civil_limit: OnceCell<i64>,
    /// The owner's records (looked up once: a search asks for them at every step).
    owner_events: OnceCell<Records<'a>>,
    /// Tests only: judge every node the general way, without the fast paths taken where
    /// no DST gap moves an occurrence (to compare the two).
    #[cfg(test)]
    pub(crate) general: bool,
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
            owner_events: OnceCell::new(),
            #[cfg(test)]
            general: false,
        }
    }

    /// The same context with another `limit`, keeping what was looked up in the history.
    pub(crate) fn with_limit(&self, limit: i64) -> Cx<'a, H> {
        Cx {
            schedule: self.schedule,
            zone: self.zone.clone(),
            history: self.history,
            limit,
            civil_limit: OnceCell::new(),
            owner_events: self.owner_events.clone(),
            #[cfg(test)]
            general: self.general,
        }
    }

    /// Whether time predicates may be judged on the wall clock alone: no DST gap moves an
    /// occurrence (a fixed-offset zone, or [`super::DstPolicy::Skip`]).
    #[inline]
    fn fast_paths(&self) -> bool {
        #[cfg(test)]
        if self.general {
            return false;
        }
        !self.zone.moves_gaps()
    }

    /// The value of `node` at `t` and its change point.
    pub(crate) fn eval(&self, node: &Node, t: i64) -> Eval {
        self.eval_for(node, t, None)
    }

    /// [`Cx::eval`] for a search that stops where `node` has the value `stop`: there its
    /// change point is not needed, so a node whose value is `stop` may answer `t + 1` (a
    /// valid change point, if the least useful one) instead of searching for the real
    /// one. A search for the end of a window asks this with `stop = false`, which spares
    /// it the next cron slot or period edge after the end.
    pub(crate) fn eval_for(&self, node: &Node, t: i64, stop: Option<bool>) -> Eval {
        match node {
            Node::Const(v) => (*v, FOREVER),
            Node::TimeOf(p) => self.time_of(p, t, stop),
            Node::Periodic(p) => self.periodic(p, t, stop),
            Node::Every(d) => self.every(*d, t),
            Node::Cron { expr, slot } => self.cron(expr, *slot, t, stop),
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
            Node::All(items) => self.join(items, t, true, stop),
            Node::Any(items) => self.join(items, t, false, stop),
            Node::Not(inner) => {
                let (v, c) = self.eval_for(inner, t, stop.map(|s| !s));
                (!v, c)
            }
        }
    }

    /// `&` (`all`) or `|`: a decisive operand (false for `&`, true for `|`) keeps the
    /// value until the last decisive operand can turn; otherwise until the first operand can.
    /// Operands get the same `stop`: whichever value the whole takes, the change points
    /// it combines are those of operands with the same value, so an operand answering
    /// `t + 1` for `stop` only does so where the whole has the value `stop` too.
    fn join(&self, items: &[Node], t: i64, all: bool, stop: Option<bool>) -> Eval {
        let mut decided = false;
        let mut decided_until = t;
        let mut undecided_until = FOREVER;
        // Time predicates, when no DST gap moves an occurrence (membership is then the
        // wall clock's alone, see `Cx::member`), are judged here, value first: the change
        // point of an operand that does not decide the whole is only worked out when no
        // operand does, at the end.
        let mut pending: [(Option<&CivilPeriod>, i64, i64); 4] = [(None, 0, 0); 4];
        let mut waiting = 0;
        let fixed = self.fast_paths();
        for item in items {
            let (v, c) = match item {
                Node::TimeOf(p) if fixed && !p.is_full() => {
                    let l = self.zone.civil(t);
                    let cycle = p.cycle_start(l);
                    let v = p.contains_in(l, cycle);
                    if v == all && waiting < pending.len() {
                        pending[waiting] = (Some(p), l, cycle);
                        waiting += 1;
                        continue;
                    }
                    (v, self.civil_change(p, t, l, cycle, v, stop))
                }
                Node::TimeOf(p) => self.time_of(p, t, stop),
                item => self.eval_for(item, t, stop),
            };
            if v != all {
                if stop == Some(v) {
                    return (v, t + 1);
                }
                decided = true;
                decided_until = decided_until.max(c);
            } else {
                undecided_until = undecided_until.min(c);
            }
        }
        if decided {
            return (!all, decided_until);
        }
        for &(p, l, cycle) in &pending[..waiting] {
            if let Some(p) = p {
                undecided_until = undecided_until.min(self.civil_change(p, t, l, cycle, all, stop));
            }
        }
        (all, undecided_until)
    }

    /// The change point of a time predicate's membership `value` at `t` (civil `l` in
    /// the cycle starting at `c`) when no DST gap moves occurrences: `t + 1` when the
    /// value is `stop` (see [`Cx::eval_for`]), else the next period edge.
    #[inline]
    fn civil_change(
        &self,
        p: &CivilPeriod,
        t: i64,
        l: i64,
        c: i64,
        value: bool,
        stop: Option<bool>,
    ) -> i64 {
        if stop == Some(value) {
            t + 1
        } else {
            self.zone.reach(t, p.next_boundary_in(l, c), self.limit)
        }
    }

    fn events(&self, task: Option<&str>) -> Records<'a> {
        match task {
            Some(task) => Records::of(self.history, task),
            None => *self
                .owner_events
                .get_or_init(|| Records::of(self.history, &self.schedule.task)),
        }
    }

    /// Membership of a time predicate at `t` (wall-clock time `l`); with
    /// [`super::DstPolicy::Forward`], an occurrence that lay wholly in a gap holds from the
    /// end of the gap for its own length. Returns the value, its change point (`t + 1`
    /// when the value is `stop`, see [`Cx::eval_for`]) and, when the value comes from such
    /// a moved occurrence, the instant it started.
    fn member(
        &self,
        p: &CivilPeriod,
        t: i64,
        l: i64,
        stop: Option<bool>,
        c: i64,
    ) -> (bool, i64, Option<i64>) {
        if p.is_full() {
            return (true, FOREVER, None);
        }
        let change = |value: bool| {
            if stop == Some(value) {
                t + 1
            } else {
                self.zone.reach(t, p.next_boundary_in(l, c), self.limit)
            }
        };
        if p.contains_in(l, c) {
            return (true, change(true), None);
        }
        if let Some(gap) = self.zone.gap_before(t) {
            let until = gap.at + p.longest_inside(gap.from, gap.to);
            if t < until {
                return (true, change(true).min(until), Some(gap.at));
            }
        }
        (false, change(false), None)
    }

    /// `time of day between 10:00 and 12:00`: on the wall clock.
    fn time_of(&self, p: &CivilPeriod, t: i64, stop: Option<bool>) -> Eval {
        let l = self.zone.civil(t);
        let (v, c, _) = self.member(p, t, l, stop, p.cycle_start(l));
        (v, c)
    }

    /// `daily between 10:00 and 12:00`: in the period, and no success, fail, terminate or
    /// inaction of the owner in this occurrence (for full cycles: this cycle, widened to
    /// the previous one at the exact start of a cycle, as Rocketry does).
    fn periodic(&self, p: &CivilPeriod, t: i64, stop: Option<bool>) -> Eval {
        let l = self.zone.civil(t);
        // Outside the period the value is false whatever the history; inside it depends
        // on the history, so only a `stop` at false may skip the change point.
        let c = p.cycle_start(l);
        if self.fast_paths() && !p.is_full() {
            return self.periodic_fixed(p, t, l, c, stop);
        }
        let (inside, change, moved) = self.member(p, t, l, stop.filter(|s| !s), c);
        if !inside {
            return (false, change);
        }
        if p.is_full() && moved.is_none() {
            // Before the owner's first finish every cycle is open: the value is true until
            // that finish, whatever the cycle boundaries (so `~daily` waits on an event).
            let records = Split::at(self.events(None), t);
            if records.last(Actions::PERIOD_END).is_none() {
                return (true, change.min(records.next(Actions::PERIOD_END)));
            }
        }
        let (from, change) = match moved {
            Some(start) => (start, change),
            None if p.is_full() => self.cycle_window(p, t, change),
            None => (self.zone.first_instant(p.occurrence_start_in(l, c)), change),
        };
        let records = Split::at(self.events(None), t);
        if records.any_since(Actions::PERIOD_END, from) {
            return (
                false,
                self.done_until(p, t, l, c, moved.is_some(), stop, change),
            );
        }
        (true, change.min(records.next(Actions::PERIOD_END)))
    }

    /// [`Cx::periodic`] for a period that is not full when no DST gap moves an
    /// occurrence (a fixed-offset zone, or [`super::DstPolicy::Skip`]), at `t` (civil `l` in the cycle starting at `c`): the
    /// membership change point is only worked out where it is the answer's.
    fn periodic_fixed(&self, p: &CivilPeriod, t: i64, l: i64, c: i64, stop: Option<bool>) -> Eval {
        if !p.contains_in(l, c) {
            return (false, self.civil_change(p, t, l, c, false, stop));
        }
        let from = self.zone.first_instant(p.occurrence_start_in(l, c));
        let records = Split::at(self.events(None), t);
        if records.any_since(Actions::PERIOD_END, from) {
            if stop == Some(false) {
                return (false, t + 1);
            }
            // Done stays done to the end of the occurrence, and the value is false
            // outside the period: for a period that does not wrap around its cycle
            // (whose occurrences start only at `cycle start + start offset`), until
            // the next occurrence starts.
            let (start, end) = p.offsets();
            if start < end {
                let next = if c + start > l {
                    c + start
                } else {
                    p.next_cycle(c) + start
                };
                return (false, self.zone.reach(t, next, self.limit));
            }
            return (false, self.civil_change(p, t, l, c, true, None));
        }
        let change = self.civil_change(p, t, l, c, true, None);
        (true, change.min(records.next(Actions::PERIOD_END)))
    }

    /// The change point of a periodic leaf that is false at `t` (civil `l` in the cycle
    /// starting at `c`) because its occurrence is done, given the change point `change`
    /// of membership. Done stays done to the end of the occurrence, and outside the
    /// period the value is false, so for a period that does not wrap around its cycle
    /// (whose occurrences then start only at `cycle start + start offset`) and an
    /// occurrence that no DST gap moved, the value stays false until the next one starts.
    #[allow(clippy::too_many_arguments)]
    fn done_until(
        &self,
        p: &CivilPeriod,
        t: i64,
        l: i64,
        c: i64,
        moved: bool,
        stop: Option<bool>,
        change: i64,
    ) -> i64 {
        if stop == Some(false) {
            return t + 1;
        }
        let (start, end) = p.offsets();
        if moved || p.is_full() || start >= end || self.zone.moves_gaps() {
            return change;
        }
        let next = if c + start > l {
            c + start
        } else {
            p.next_cycle(c) + start
        };
        self.zone.reach(t, next, self.limit).max(change)
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
        let records = Split::at(self.events(None), t);
        match records.last(Actions::RUN) {
            Some(run) if run >= t.saturating_sub(d) => {
                (false, run.saturating_add(d).saturating_add(1))
            }
            _ => (true, records.next(Actions::RUN)),
        }
    }

    /// `cron ...`: in a matching slot of the wall clock, and no run of the owner since the
    /// slot started (its first pass in a fold); at the exact start of a slot, no run in
    /// the previous matching slot.
    fn cron(&self, expr: &CronExpr, slot: i64, t: i64, stop: Option<bool>) -> Eval {
        let l = self.zone.civil(t);
        let s = l - l.rem_euclid(slot);
        let (start, end) = if expr.matches_civil(in_range(l)) {
            (
                self.zone.first_instant(s),
                self.zone.reach(t, s + slot, self.limit),
            )
        } else if let Some(moved) = self.moved_slot(expr, slot, t) {
            moved
        } else if stop == Some(false) {
            return (false, t + 1);
        } else {
            return (false, self.next_slot(expr, l, t));
        };
        let records = Split::at(self.events(None), t);
        let next = records.next(Actions::RUN);
        if start == t {
            return self.cron_slot_start(expr, s, slot, t, end.min(next));
        }
        (!records.any_since(Actions::RUN, start), end.min(next))
    }

    /// The value at the exact start `t` of a matching slot (civil `s`), whose value
    /// without runs lasts `until`. Rocketry looks at the previous matching slot then, so
    /// the value may differ from the one 1 µs later; it only does when a run lies in that
    /// slot or at `t` itself, and otherwise the value lasts until `until` (which spares a
    /// search for the window's end an evaluation at `t + 1`).
    fn cron_slot_start(&self, expr: &CronExpr, s: i64, slot: i64, t: i64, until: i64) -> Eval {
        if self.ran_in_previous_slot(expr, s, slot, t) {
            return (false, t + 1);
        }
        if any_in(self.events(None), Actions::RUN, t, t) {
            return (true, t + 1);
        }
        (true, until)
    }

    /// At the exact start `t` of a slot (civil `s`), Rocketry looks at the previous
    /// matching slot instead, ends included: a run in it makes this one instant false.
    fn ran_in_previous_slot(&self, expr: &CronExpr, s: i64, slot: i64, t: i64) -> bool {
        let events = self.events(None);
        if last_at_or_before(events, Actions::RUN, t).is_none() {
            return false;
        }
        let previous = expr.prev_slot_at_or_before_civil(in_range(s - slot), far_past(s));
        previous.is_some_and(|p| {
            let (from, to) = (
                self.zone.first_instant(p),
                self.zone.first_instant(p + slot),
            );
            any_in(events, Actions::RUN, from, to)
        })
    }

    /// A slot that lay in a DST gap, moved to the end of the gap: its `(start, end)`.
    fn moved_slot(&self, expr: &CronExpr, slot: i64, t: i64) -> Option<(i64, i64)> {
        let gap = self.zone.gap_before(t)?;
        let end = gap.at + slot;
        let found = expr.next_slot_from_civil(gap.from, gap.to);
        (t < end && found.is_some()).then_some((gap.at, end))
    }

    /// When the wall clock (now `l`) next enters a matching slot (or the offset changes
    /// first). With no match before the search's civil limit the answer is still the
    /// next offset change: a clock set back may show a matching slot again before the
    /// limit (the second pass of a repeated hour).
    fn next_slot(&self, expr: &CronExpr, l: i64, t: i64) -> i64 {
        if expr.is_never() {
            return FOREVER;
        }
        let civil_limit = *self.civil_limit.get_or_init(|| {
            let limit = self.zone.civil(self.limit.min(MAX_TIME));
            in_range(limit.saturating_add(2 * DAY))
        });
        match expr.next_slot_from_civil(in_range(l), civil_limit) {
            Some(next) => self.zone.reach(t, next, self.limit),
            None => self
                .zone
                .next_transition(t, self.limit)
                .max(t.saturating_add(1)),
        }
    }

    /// `has succeeded today` & co.: a matching record in the window.
    fn status(&self, events: Records<'_>, actions: Actions, lookback: &Lookback, t: i64) -> Eval {
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
        events: Records<'_>,
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
        // One instant is read: no table of instants needed.
        let records = Records::of_events(self.history, task, self.history.events(task), false);
        let Some(done) = last_of(records, actions) else {
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

/// How far back a search for the previous cron slot goes from civil time `civil` (8 years
/// cover `0 0 29 2 *`).
pub(crate) fn far_past(civil: i64) -> i64 {
    in_range(civil.saturating_sub(8 * 366 * DAY))
}

// The record helpers are inlined: a search calls them at every step, mostly on short or
// empty slices, where the call costs more than the work.

/// A task's records with their instants in microseconds: read from the history when it
/// keeps them ([`History::event_micros`]), else converted from `Event::at` on each read.
#[derive(Clone, Copy)]
pub(crate) struct Records<'e> {
    events: &'e [Event],
    at: Option<&'e [i64]>,
}

impl<'e> Records<'e> {
    /// `task`'s records in `history`.
    #[inline]
    pub(crate) fn of<H: History + ?Sized>(history: &'e H, task: &str) -> Records<'e> {
        let events = history.events(task);
        let at = history
            .event_micros(task)
            .filter(|at| at.len() == events.len());
        Records { events, at }
    }

    /// `task`'s records `events` in `history`, with their instants from the history
    /// only if `micros` (else converted on each read).
    #[inline]
    pub(crate) fn of_events<H: History + ?Sized>(
        history: &'e H,
        task: &str,
        events: &'e [Event],
        micros: bool,
    ) -> Records<'e> {
        let at = micros
            .then(|| history.event_micros(task))
            .flatten()
            .filter(|at| at.len() == events.len());
        Records { events, at }
    }

    /// The instant of record `i` in microseconds.
    #[inline]
    fn time(&self, i: usize) -> i64 {
        match self.at {
            Some(at) => at[i],
            None => self.events[i].at.timestamp_micros(),
        }
    }

    /// The number of records at or before `t` (they come first).
    #[inline]
    fn count_at_or_before(&self, t: i64) -> usize {
        match self.at {
            Some(at) => at.partition_point(|&a| a <= t),
            None => self
                .events
                .partition_point(|e| e.at.timestamp_micros() <= t),
        }
    }

    /// The number of records before `t` (they come first).
    #[inline]
    fn count_before(&self, t: i64) -> usize {
        match self.at {
            Some(at) => at.partition_point(|&a| a < t),
            None => self.events.partition_point(|e| e.at.timestamp_micros() < t),
        }
    }

    /// The index of the latest record in `range` with one of `actions`.
    #[inline]
    fn rfind(&self, range: std::ops::Range<usize>, actions: Actions) -> Option<usize> {
        range.rev().find(|&i| actions.has(self.events[i].action))
    }

    /// The last record with one of `actions`, at any time (log order breaks ties).
    #[inline]
    pub(crate) fn last_of(&self, actions: Actions) -> Option<i64> {
        last_of(*self, actions)
    }

    /// Whether a record with one of `actions` comes before the last such record.
    pub(crate) fn has_before_last(&self, actions: Actions) -> bool {
        let last = self.rfind(0..self.events.len(), actions);
        last.is_some_and(|i| self.rfind(0..i, actions).is_some())
    }

    /// The index of the earliest record in `range` with one of `actions`.
    #[inline]
    fn find(&self, mut range: std::ops::Range<usize>, actions: Actions) -> Option<usize> {
        range.find(|&i| actions.has(self.events[i].action))
    }
}

/// A task's records split at an instant `t`: those at or before it (indices below
/// `split`), and those after. One binary search serves all that a leaf asks about `t`.
struct Split<'e> {
    records: Records<'e>,
    split: usize,
}

impl<'e> Split<'e> {
    #[inline]
    fn at(records: Records<'e>, t: i64) -> Split<'e> {
        let split = records.count_at_or_before(t);
        Split { records, split }
    }

    /// The latest record with one of `actions` at or before `t`.
    #[inline]
    fn last(&self, actions: Actions) -> Option<i64> {
        let found = self.records.rfind(0..self.split, actions);
        found.map(|i| self.records.time(i))
    }

    /// The earliest record with one of `actions` after `t`, or [`FOREVER`].
    #[inline]
    fn next(&self, actions: Actions) -> i64 {
        let found = self
            .records
            .find(self.split..self.records.events.len(), actions);
        found.map_or(FOREVER, |i| self.records.time(i))
    }

    /// Whether a record with one of `actions` lies in `[from, t]`.
    #[inline]
    fn any_since(&self, actions: Actions, from: i64) -> bool {
        let mut since = (0..self.split)
            .rev()
            .take_while(|&i| self.records.time(i) >= from);
        since.any(|i| actions.has(self.records.events[i].action))
    }
}

/// Whether a record with one of `actions` lies in `[from, to]`.
#[inline]
pub(crate) fn any_in(records: Records<'_>, actions: Actions, from: i64, to: i64) -> bool {
    let first = records.count_before(from);
    (first..records.events.len())
        .take_while(|&i| records.time(i) <= to)
        .any(|i| actions.has(records.events[i].action))
}

/// The latest record with one of `actions` at or before `t`.
#[inline]
fn last_at_or_before(records: Records<'_>, actions: Actions, t: i64) -> Option<i64> {
    let end = records.count_at_or_before(t);
    records.rfind(0..end, actions).map(|i| records.time(i))
}

/// The earliest record with one of `actions` after `t`.
#[inline]
fn first_after(records: Records<'_>, actions: Actions, t: i64) -> Option<i64> {
    let start = records.count_at_or_before(t);
    let found = records.find(start..records.events.len(), actions);
    found.map(|i| records.time(i))
}

/// The last record with one of `actions`, at any time (log order breaks ties).
fn last_of(records: Records<'_>, actions: Actions) -> Option<i64> {
    let found = records.rfind(0..records.events.len(), actions);
    found.map(|i| records.time(i))
}
