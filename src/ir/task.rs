//! Task-history predicates of the IR: status (`has succeeded today`), dependencies
//! (`after task 'a'`), scheduler facts, parameters and custom predicates.

use super::time::Period;
use chrono::TimeDelta;

/// What a status phrase asks about: `has succeeded`, `has failed`, ...
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StatusAction {
    /// `succeeded`: a success record.
    Succeeded,
    /// `failed`: a fail record.
    Failed,
    /// `finished`: a success, fail or terminate record.
    Finished,
    /// `started`: a run record.
    Started,
    /// `terminated`: a terminate record.
    Terminated,
    /// `inacted`: an inaction record.
    Inacted,
}

impl StatusAction {
    /// All actions, in the order of the grammar.
    pub const ALL: [StatusAction; 6] = [
        StatusAction::Succeeded,
        StatusAction::Failed,
        StatusAction::Finished,
        StatusAction::Started,
        StatusAction::Terminated,
        StatusAction::Inacted,
    ];

    /// The keyword, e.g. `succeeded`.
    pub const fn word(self) -> &'static str {
        match self {
            StatusAction::Succeeded => "succeeded",
            StatusAction::Failed => "failed",
            StatusAction::Finished => "finished",
            StatusAction::Started => "started",
            StatusAction::Terminated => "terminated",
            StatusAction::Inacted => "inacted",
        }
    }

    /// The action of a keyword.
    pub fn from_word(word: &str) -> Option<StatusAction> {
        StatusAction::ALL.into_iter().find(|a| a.word() == word)
    }
}

/// The records a status phrase counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StatusWindow {
    /// No window: any record ever (`has succeeded`).
    Ever,
    /// The current or, outside it, the previous occurrence of a period (`today`, `this week on Mon`).
    Period(Period),
    /// `[now - d, now]` (`in past 2 hours`).
    Past(TimeDelta),
}

/// `[task 'n'] has <action> [<window>]`: whether the task has such a record in the window.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Status {
    /// The task; `None` is the task that owns the statement.
    pub task: Option<String>,
    /// Which records count.
    pub action: StatusAction,
    /// When they count.
    pub window: StatusWindow,
}

/// Which finish of a dependency counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// `succeeded` (also the default): a success record.
    Succeeded,
    /// `failed`: a fail record.
    Failed,
    /// `finished`: a success or fail record (not terminate, as in Rocketry).
    Finished,
}

impl Outcome {
    /// The keyword, e.g. `succeeded`.
    pub const fn word(self) -> &'static str {
        match self {
            Outcome::Succeeded => "succeeded",
            Outcome::Failed => "failed",
            Outcome::Finished => "finished",
        }
    }

    /// The outcome of a keyword.
    pub fn from_word(word: &str) -> Option<Outcome> {
        [Outcome::Succeeded, Outcome::Failed, Outcome::Finished]
            .into_iter()
            .find(|o| o.word() == word)
    }
}

/// `after task 'a' <outcome>`: task `a` finished that way after the owner last started.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Depend {
    /// The task depended on.
    pub task: String,
    /// Which finish counts.
    pub outcome: Outcome,
}

/// How `scheduler has ... cycles` compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Comparison {
    /// `has N cycles`
    Equal,
    /// `has more than N cycles`
    MoreThan,
    /// `has less than N cycles`
    LessThan,
}

/// Scheduler facts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SchedulerCond {
    /// `scheduler started <d> ago`: it started within the last `d` (inclusive).
    StartedWithin(TimeDelta),
    /// `scheduler has run over <d>`: it started more than `d` ago.
    RunOver(TimeDelta),
    /// `scheduler has [more than|less than] N cycles`.
    Cycles(Comparison, u64),
}

/// Session parameters.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ParamCond {
    /// `param 'k' exists`
    Exists(String),
    /// `param 'k' is 'v'`
    Is(String, String),
}

/// A predicate the embedding program registered.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Custom {
    /// A registered phrase, e.g. `is business day`.
    Phrase(String),
    /// A registered function called with arguments, e.g. `file_exists('data.csv')`.
    Call {
        /// The function name.
        name: String,
        /// The arguments, as text (quotes removed).
        args: Vec<String>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::suggest::{words, WordClass};

    #[test]
    fn action_and_outcome_words_are_the_vocabulary_s() {
        let actions: Vec<_> = StatusAction::ALL.iter().map(|a| a.word()).collect();
        assert_eq!(actions, words(WordClass::TaskAction).collect::<Vec<_>>());
        let outcomes = [Outcome::Succeeded, Outcome::Failed, Outcome::Finished];
        let outcomes: Vec<_> = outcomes.iter().map(|o| o.word()).collect();
        assert_eq!(outcomes, words(WordClass::Outcome).collect::<Vec<_>>());
    }
}
