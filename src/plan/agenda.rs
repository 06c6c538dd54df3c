//! The agenda: where each statement stands, and the ordered queues that make the next
//! wake an O(log n) question.
//!
//! Every planned statement is in exactly one [`State`]; the state decides which queues
//! hold it. The two timed queues are ordered sets keyed by `(instant, id)`, so a statement
//! is removed from them exactly (no lazy invalidation, no stale entries), and the first
//! key of `wakes` is the next wake. The statements ready now are a bit set. A change of
//! state touches only the queues whose key changes: at most two O(log n) operations and
//! one bit.
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
    ready: IdSet,
}

/// The queue keys of a state: its wake, its end, whether it is ready.
fn keys(state: State) -> (Option<Micros>, Option<Micros>, bool) {
    match state {
        State::Idle => (None, None, false),
        State::Pending { at, .. } | State::Recheck { at } => (Some(at), None, false),
        State::Ready { end } => (None, Some(end), true),
        State::Blocked { end } => (None, Some(end), false),
    }
}

impl Agenda {
    /// Moves statement `id` from the queues of state `from` to those of state `to`,
    /// touching only the queues whose key changes (a task that starts running leaves
    /// `ready` and keeps its place in `ends`).
    pub(crate) fn change(&mut self, id: TaskId, from: State, to: State) {
        let (wake_from, end_from, ready_from) = keys(from);
        let (wake_to, end_to, ready_to) = keys(to);
        if wake_from != wake_to {
            move_key(&mut self.wakes, id, wake_from, wake_to);
        }
        if end_from != end_to {
            move_key(&mut self.ends, id, end_from, end_to);
        }
        if ready_from && !ready_to {
            self.ready.remove(id);
        } else if ready_to && !ready_from {
            self.ready.insert(id);
        }
    }

    /// The earliest window start or re-check.
    pub(crate) fn next_wake(&self) -> Option<Micros> {
        self.wakes.first().map(|&(at, _)| at)
    }

    /// Whether some statement is true now for a task that is not running.
    pub(crate) fn has_ready(&self) -> bool {
        self.ready.len > 0
    }

    /// The statements that are true now for tasks that are not running, by id.
    pub(crate) fn ready(&self) -> impl Iterator<Item = TaskId> + '_ {
        self.ready.iter()
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

/// Takes `(from, id)` out of `queue` and puts `(to, id)` in.
fn move_key(
    queue: &mut BTreeSet<(Micros, TaskId)>,
    id: TaskId,
    from: Option<Micros>,
    to: Option<Micros>,
) {
    if let Some(at) = from {
        queue.remove(&(at, id));
    }
    if let Some(at) = to {
        queue.insert((at, id));
    }
}

/// A set of ids, one bit each: insert and remove touch one word. A second level has a bit
/// per word that holds any id, so iterating (in id order) skips empty stretches: a million
/// ids are 245 summary words.
#[derive(Clone, Debug, Default)]
struct IdSet {
    words: Vec<u64>,
    /// Bit `i % 64` of `summary[i / 64]` is set when `words[i]` is not zero.
    summary: Vec<u64>,
    len: usize,
}

impl IdSet {
    fn insert(&mut self, id: TaskId) {
        let (word, bit) = (id.index() / 64, 1u64 << (id.index() % 64));
        if self.words.len() <= word {
            self.words.resize(word + 1, 0);
            self.summary.resize(word / 64 + 1, 0);
        }
        if self.words[word] & bit == 0 {
            self.words[word] |= bit;
            self.summary[word / 64] |= 1 << (word % 64);
            self.len += 1;
        }
    }

    fn remove(&mut self, id: TaskId) {
        let (word, bit) = (id.index() / 64, 1u64 << (id.index() % 64));
        let Some(w) = self.words.get_mut(word) else {
            return;
        };
        if *w & bit != 0 {
            *w &= !bit;
            if *w == 0 {
                self.summary[word / 64] &= !(1 << (word % 64));
            }
            self.len -= 1;
        }
    }

    /// The ids, ascending.
    fn iter(&self) -> impl Iterator<Item = TaskId> + '_ {
        let words = bits(&self.summary)
            .flat_map(|word| bits(&self.words[word..=word]).map(move |bit| word * 64 + bit));
        words.map(TaskId::from_index)
    }
}

/// The positions of the set bits of `words`, ascending.
fn bits(words: &[u64]) -> impl Iterator<Item = usize> + '_ {
    words.iter().enumerate().flat_map(|(i, &word)| {
        let mut rest = word;
        std::iter::from_fn(move || {
            (rest != 0).then(|| {
                let bit = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                i * 64 + bit
            })
        })
    })
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
        agenda.change(id(1), State::Idle, pending);
        assert_eq!(agenda.next_wake(), Some(10));
        agenda.change(id(1), pending, State::Ready { end: 20 });
        assert_eq!(agenda.next_wake(), None);
        assert_eq!(agenda.ready().collect::<Vec<_>>(), [id(1)]);
        agenda.change(id(1), State::Ready { end: 20 }, State::Blocked { end: 20 });
        assert!(!agenda.has_ready());
        assert_eq!(agenda.first_until(20), Some(id(1)));
        agenda.change(id(1), State::Blocked { end: 20 }, State::Idle);
        assert_eq!(agenda.first_until(20), None);
    }

    #[test]
    fn the_earliest_expired_key_comes_first() {
        let mut agenda = Agenda::default();
        agenda.change(id(1), State::Idle, State::Recheck { at: 15 });
        agenda.change(id(2), State::Idle, State::Blocked { end: 12 });
        assert_eq!(agenda.first_until(11), None);
        assert_eq!(agenda.first_until(20), Some(id(2)));
        agenda.change(id(2), State::Blocked { end: 12 }, State::Idle);
        assert_eq!(agenda.first_until(20), Some(id(1)));
    }

    #[test]
    fn ready_ids_come_in_order_across_words() {
        let mut agenda = Agenda::default();
        let ids = [4_100, 0, 63, 64, 70_000, 5];
        for i in ids {
            agenda.change(id(i), State::Idle, State::Ready { end: 9 });
        }
        agenda.change(id(4_100), State::Idle, State::Ready { end: 9 }); // already in
        agenda.change(id(64), State::Ready { end: 9 }, State::Idle);
        let ready: Vec<usize> = agenda.ready().map(TaskId::index).collect();
        assert_eq!(ready, [0, 5, 63, 4_100, 70_000]);
        for i in [0, 5, 63, 4_100, 70_000] {
            agenda.change(id(i), State::Ready { end: 9 }, State::Idle);
        }
        assert!(!agenda.has_ready() && agenda.ready().next().is_none());
    }
}
