//! The history as one statement's search sees it: its task and the tasks it reads, by id.
//!
//! The evaluator asks the history for a task's records by name, at least once per search.
//! [`MemoryHistory`] answers with a hash lookup, which among a million tasks costs a few
//! cache misses, more than the rest of a short search. The planner knows from its index
//! which tasks a statement reads, so a search reads through a [`View`] that compares the
//! name asked for with those few tasks' names and reads their logs by id. Any other name
//! (a statement reads no task the index does not list) falls back to the lookup.

use super::Read;
use crate::history::TaskId;
use crate::{Event, History, MemoryHistory, SchedulerState};

/// A history whose reads of one statement's tasks skip the name lookup.
pub(crate) struct View<'a> {
    history: &'a MemoryHistory,
    /// The statement's task, and its name as the statement's schedule holds it.
    owner: TaskId,
    owner_name: &'a str,
    /// Where the statement is indexed: the other tasks it reads, among other sources.
    reads: &'a [Read],
}

impl<'a> View<'a> {
    /// The history as the statement of task `owner`, indexed under `reads`, sees it;
    /// `owner_name` is the name the statement's schedule holds (the evaluator asks for the
    /// owner's records with that very string, so it is recognised without being read).
    pub(crate) fn new(
        history: &'a MemoryHistory,
        (owner, owner_name): (TaskId, &'a str),
        reads: &'a [Read],
    ) -> View<'a> {
        View {
            history,
            owner,
            owner_name,
            reads,
        }
    }

    /// The id of `task` if the statement reads it.
    #[inline]
    fn find(&self, task: &str) -> Option<TaskId> {
        if std::ptr::eq(task, self.owner_name) {
            return Some(self.owner);
        }
        let others = self.reads.iter().filter_map(|read| match read {
            Read::Task(id) => Some(*id),
            _ => None,
        });
        std::iter::once(self.owner)
            .chain(others)
            .find(|&id| self.history.name(id) == task)
    }
}

impl History for View<'_> {
    fn events(&self, task: &str) -> &[Event] {
        match self.find(task) {
            Some(id) => self.history.events_of(id),
            None => self.history.events(task),
        }
    }

    fn is_running(&self, task: &str) -> bool {
        match self.find(task) {
            Some(id) => self.history.is_running_of(id),
            None => self.history.is_running(task),
        }
    }

    fn scheduler(&self) -> Option<SchedulerState> {
        self.history.scheduler()
    }

    fn param(&self, key: &str) -> Option<&str> {
        self.history.param(key)
    }

    fn tasks(&self) -> Vec<&str> {
        self.history.tasks()
    }

    fn event_micros(&self, task: &str) -> Option<&[i64]> {
        match self.find(task) {
            Some(id) => Some(self.history.micros_of(id)),
            None => self.history.event_micros(task),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Action;
    use chrono::{TimeZone, Utc};

    #[test]
    fn reads_the_same_as_the_history() {
        let at = Utc.with_ymd_and_hms(2024, 3, 11, 9, 0, 0).unwrap();
        let mut history = MemoryHistory::new();
        history
            .record("a", Action::Run, at)
            .record("b", Action::Success, at)
            .record("c", Action::Fail, at)
            .set_running("a", true);
        let (a, b) = (history.intern("a"), history.intern("b"));
        let reads = [Read::Scheduler, Read::Task(b)];
        let owner = String::from("a");
        let view = View::new(&history, (a, &owner), &reads);
        for task in ["a", "b", "c", "unknown"] {
            assert_eq!(view.events(task), history.events(task), "{task}");
            assert_eq!(
                view.event_micros(task),
                history.event_micros(task),
                "{task}"
            );
            assert_eq!(view.is_running(task), history.is_running(task), "{task}");
        }
        assert_eq!(view.find(&owner), Some(a));
        assert_eq!(view.find("b"), Some(b));
        assert_eq!(view.find("c"), None); // read through the lookup
    }
}
