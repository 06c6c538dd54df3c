//! What a statement reads besides the clock, found once from its IR.
//!
//! The planner re-plans a statement only when something it reads changes. [`Reads::of`]
//! walks the [`Cond`] and lists, per source, *which* changes matter: `daily` reads its
//! owner's finishes but not its runs, `every 10 minutes` and `cron` read the owner's runs
//! only, `after task 'extract' succeeded` reads `extract`'s successes and the owner's runs.
//! The action sets follow the evaluator's (`src/eval/schedule.rs`): a statement re-planned
//! too rarely would be a bug the simulation test (`tests/planner.rs`) catches, so the sets
//! err on the side of more actions where Rocketry's meaning is unclear (`is running`
//! reads every action of its task).

use crate::ir::{Cond, CondKind, Custom, Depend, ParamCond, Status};

// The action sets are the evaluator's, so the two cannot drift apart.
pub(crate) use crate::eval::Actions as Mask;

/// Everything a statement reads, apart from the clock.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Reads {
    /// The owner's actions that can change the statement.
    pub(crate) owner: Mask,
    /// Other tasks and their actions that can change it, one entry per task.
    pub(crate) tasks: Vec<(String, Mask)>,
    /// Session parameters (`env 'prod'` reads `env`).
    pub(crate) params: Vec<String>,
    /// Whether it reads the scheduler's start or cycle count.
    pub(crate) scheduler: bool,
    /// Registered predicates it calls.
    pub(crate) predicates: Vec<String>,
}

impl Reads {
    /// What the statement `cond` of task `owner` reads. A task that names its owner
    /// (`task 'backup' has succeeded` for `backup`) counts as the owner.
    pub(crate) fn of(cond: &Cond, owner: &str) -> Reads {
        let mut reads = Reads::default();
        reads.walk(cond, owner);
        reads
    }

    fn walk(&mut self, cond: &Cond, owner: &str) {
        match cond.kind() {
            CondKind::Periodic(_) => self.owner = self.owner.with(Mask::PERIOD_END),
            CondKind::Every(_) | CondKind::Cron(_) => self.owner = self.owner.with(Mask::RUN),
            CondKind::Status(Status { task, action, .. }) => {
                let task = task.as_deref().unwrap_or(owner);
                self.task(task, owner, Mask::status(*action));
            }
            CondKind::Depend(Depend { task, outcome }) => {
                self.owner = self.owner.with(Mask::RUN);
                self.task(task, owner, Mask::outcome(*outcome));
            }
            CondKind::Running(task) => self.task(task, owner, Mask::ALL),
            CondKind::Scheduler(_) => self.scheduler = true,
            CondKind::Env(_) => push_new(&mut self.params, "env"),
            CondKind::Param(ParamCond::Exists(k) | ParamCond::Is(k, _)) => {
                push_new(&mut self.params, k)
            }
            CondKind::Custom(Custom::Phrase(name) | Custom::Call { name, .. }) => {
                push_new(&mut self.predicates, name.trim())
            }
            _ => {}
        }
        for child in cond.children() {
            self.walk(child, owner);
        }
    }

    fn task(&mut self, task: &str, owner: &str, mask: Mask) {
        if task == owner {
            self.owner = self.owner.with(mask);
        } else if let Some(entry) = self.tasks.iter_mut().find(|(t, _)| t == task) {
            entry.1 = entry.1.with(mask);
        } else {
            self.tasks.push((task.to_owned(), mask));
        }
    }
}

fn push_new(list: &mut Vec<String>, item: &str) {
    if !list.iter().any(|x| x == item) {
        list.push(item.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Action;
    use crate::{ParseOptions, Statement};

    fn reads(text: &str, owner: &str) -> Reads {
        let options = ParseOptions::new().register("file_exists");
        let statement = Statement::parse_with(text, &options).expect(text);
        Reads::of(statement.cond(), owner)
    }

    #[test]
    fn periodic_reads_the_owners_finishes_only() {
        let r = reads("daily between 10:00 and 12:00", "report");
        assert_eq!(r.owner, Mask::PERIOD_END);
        assert!(!r.owner.has(Action::Run) && r.tasks.is_empty());
    }

    #[test]
    fn every_and_cron_read_the_owners_runs() {
        assert_eq!(reads("every 2 hours", "sync").owner, Mask::RUN);
        assert_eq!(reads("cron 0 */2 * * *", "sync").owner, Mask::RUN);
    }

    #[test]
    fn dependencies_read_the_other_task_and_the_owners_runs() {
        let r = reads("after task 'extract' succeeded", "transform");
        assert_eq!(r.owner, Mask::RUN);
        assert_eq!(
            r.tasks,
            [("extract".to_owned(), Mask::of(&[Action::Success]))]
        );
    }

    #[test]
    fn a_task_naming_its_owner_is_the_owner() {
        let r = reads("task 'a' has failed today & task 'a' is running", "a");
        assert_eq!(r.owner, Mask::ALL);
        assert!(r.tasks.is_empty());
    }

    #[test]
    fn params_scheduler_and_predicates_are_listed_once() {
        let r = reads(
            "env 'prod' & env 'dev' & scheduler has 3 cycles & file_exists('a') & file_exists('b')",
            "t",
        );
        assert_eq!(r.params, ["env"]);
        assert!(r.scheduler);
        assert_eq!(r.predicates, ["file_exists"]);
    }
}
