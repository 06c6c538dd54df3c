//! The agenda: where each statement stands, and the ordered queues that make the next
//! wake an O(log n) question.
//!
//! Every planned statement is in exactly one [`State`]; the state decides which queues
//! hold it. The queues are ordered sets keyed by `(instant, id)`, so a statement is
//! removed from them exactly (no lazy invalidation, no stale entries): changing a state is
//! two O(log n) operations, and the first key of `wakes` is the next wake.
//!
//! Invariant kept by the planner: after [`Agenda::enter`], no key of `wakes` or `ends` is
//! at or before the planner's clock, except between a clock move and the loop in
//! `Planner::advance` that processes those keys.

use crate::history::TaskId;
use std::collections::BTreeSet;

/// Instants are microseconds since the Unix epoch, as in the evaluator.
pub(crate) type Micros = i64;

/// Where one statement stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum State {
    /// Nothing but an event can make it true (it waits on a task, a parameter or a
    /// predicate without re-check interval), or it never will be: in no queue.
    Idle,
    /// True from `at` (an instant of the planner's resolution) until `end`: in `wakes`.
    Pending { at: Micros, end: Micros },
    /// To be planned again at `at` (the search horizon, or a predicate's re-check
    /// interval): in `wakes`.
    Recheck { at: Micros },
    /// True now and until `end`; its task is not running: in `ready` and `ends`.
    Ready { end: Micros },
    /// True now and until `end`, but its task is running: in `ends` only (a running
    /// task is not launched again, as in Rocketry without multilaunch).
    Blocked { end: Micros },
}

/// The queues.
#[derive(Clone, Debug, Default)]
pub(crate) struct Agenda {
    /// Window starts and re-checks, by instant.
    wakes: BTreeSet<(Micros, TaskId)>,
    /// Ends of open windows, by instant.
    ends: BTreeSet<(Micros, TaskId)>,
    /// Statements that are true now and whose task is not running.
    ready: BTreeSet<TaskId>,
}

impl Agenda {
    /// Takes statement `id` out of the queues its `state` put it in.
    pub(crate) fn leave(&mut self, id: TaskId, state: State) {
        match state {
            State::Idle => {}
            State::Pending { at, .. } | State::Recheck { at } => {
                self.wakes.remove(&(at, id));
            }
            State::Ready { end } => {
                self.ready.remove(&id);
                self.ends.remove(&(end, id));
            }
            State::Blocked { end } => {
                self.ends.remove(&(end, id));
            }
        }
    }

    /// Puts statement `id` into the queues of `state`.
    pub(crate) fn enter(&mut self, id: TaskId, state: State) {
        match state {
            State::Idle => {}
            State::Pending { at, .. } | State::Recheck { at } => {
                self.wakes.insert((at, id));
            }
            State::Ready { end } => {
                self.ready.insert(id);
                self.ends.insert((end, id));
            }
            State::Blocked { end } => {
                self.ends.insert((end, id));
            }
        }
    }

    /// The earliest window start or re-check.
    pub(crate) fn next_wake(&self) -> Option<Micros> {
        self.wakes.first().map(|&(at, _)| at)
    }

    /// Whether some statement is true now for a task that is not running.
    pub(crate) fn has_ready(&self) -> bool {
        !self.ready.is_empty()
    }

    /// The statements that are true now for tasks that are not running, by id.
    pub(crate) fn ready(&self) -> impl Iterator<Item = TaskId> + '_ {
        self.ready.iter().copied()
    }

    /// A statement with a window start, re-check or window end at or before `now`: the
    /// earliest one.
    pub(crate) fn first_until(&self, now: Micros) -> Option<TaskId> {
        let wake = self.wakes.first().filter(|&&(at, _)| at <= now);
        let end = self.ends.first().filter(|&&(at, _)| at <= now);
        match (wake, end) {
            (Some(w), Some(e)) => Some(w.min(e).1),
            (w, e) => w.or(e).map(|&(_, id)| id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(index: usize) -> TaskId {
        TaskId::from_index(index)
    }

    #[test]
    fn a_state_change_leaves_no_stale_entry() {
        let mut agenda = Agenda::default();
        let pending = State::Pending { at: 10, end: 20 };
        agenda.enter(id(1), pending);
        assert_eq!(agenda.next_wake(), Some(10));
        agenda.leave(id(1), pending);
        agenda.enter(id(1), State::Ready { end: 20 });
        assert_eq!(agenda.next_wake(), None);
        assert_eq!(agenda.ready().collect::<Vec<_>>(), [id(1)]);
    }

    #[test]
    fn the_earliest_expired_key_comes_first() {
        let mut agenda = Agenda::default();
        agenda.enter(id(1), State::Recheck { at: 15 });
        agenda.enter(id(2), State::Blocked { end: 12 });
        assert_eq!(agenda.first_until(11), None);
        assert_eq!(agenda.first_until(20), Some(id(2)));
        agenda.leave(id(2), State::Blocked { end: 12 });
        assert_eq!(agenda.first_until(20), Some(id(1)));
    }
}
