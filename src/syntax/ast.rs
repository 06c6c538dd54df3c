//! The abstract syntax tree: what the statement says, with the byte span of every piece.
//!
//! The AST keeps literals as written (`10am`, `Mon`, `1h 30min`); `src/ir/lower.rs` reads
//! them according to the unit of their phrase and checks their ranges. Nothing here knows
//! about pest.

// Variant fields carry the names of the grammar parts they hold (`scope`, `range`, ...).
#![allow(missing_docs)]

use super::Span;

/// A piece of source text with its span, e.g. the literal `10:00`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// The text as written.
    pub text: String,
    /// Where it stands in the statement.
    pub span: Span,
}

/// An expression: phrases joined by `&`, `|`, `~` and parentheses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expr {
    /// What kind of expression.
    pub kind: ExprKind,
    /// The whole expression's span.
    pub span: Span,
}

/// The shape of an [`Expr`].
// Phrases are bigger than operator nodes; statements have a handful of nodes, so boxing
// would cost an allocation each and save nothing measurable.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExprKind {
    /// `a | b | ...`
    Any(Vec<Expr>),
    /// `a & b & ...`
    All(Vec<Expr>),
    /// `~a`
    Not(Box<Expr>),
    /// `( a )`
    Group(Box<Expr>),
    /// A single phrase, e.g. `daily`.
    Phrase(Phrase),
}

/// One phrase of a family, e.g. `time of day between 10:00 and 12:00`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phrase {
    /// `true`, `always false`, ...
    Const(bool),
    /// `time of <scope> <range>`
    TimeOf { scope: Token, range: Range },
    /// `daily`, `weekly on Mon`, ...: the keyword and the optional range.
    Periodic { cycle: Token, range: Option<Range> },
    /// `every <duration>`
    Every(DurationLit),
    /// `cron <fields>`: the fields' text, trimmed.
    Cron(Token),
    /// `[task 'n'] has <action> [<window>]`
    Status {
        task: Option<Token>,
        action: Token,
        window: Option<StatusWindow>,
    },
    /// `after task 'a'`, `after tasks 'a', 'b' failed`, `after any tasks ...`
    Depend {
        list: DependList,
        tasks: Vec<Token>,
        outcome: Option<Token>,
    },
    /// `[while] task 'n' is running`
    Running { task: Token },
    /// `scheduler started <d> ago`
    SchedulerStarted(DurationLit),
    /// `scheduler has run over <d>`
    SchedulerRunOver(DurationLit),
    /// `scheduler has [more than|less than] N cycles`: the comparison word and the count.
    SchedulerCycles {
        comparison: Option<Token>,
        count: Token,
    },
    /// `env 'v'`
    Env(Token),
    /// `param 'k' exists`
    ParamExists(Token),
    /// `param 'k' is 'v'`
    ParamIs(Token, Token),
    /// `name(args...)`: a custom predicate call.
    CustomCall { name: Token, args: Vec<Token> },
    /// Any other text: a custom predicate phrase (trimmed).
    CustomPhrase(Token),
}

/// How the dependencies of an `after` phrase combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DependList {
    /// `after task 'a'`
    One,
    /// `after tasks 'a', 'b'`: all of them.
    All,
    /// `after any tasks 'a', 'b'`: any of them.
    Any,
}

/// The window of a status phrase.
#[allow(clippy::large_enum_variant)] // as for `ExprKind`
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatusWindow {
    /// `[in] past <duration>`
    Past(DurationLit),
    /// `today [range]`, `this week [range]`: the scope word and the optional range.
    Period { scope: Token, range: Option<Range> },
}

/// A part of a cycle: `between X and Y`, `after X`, ...
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Range {
    /// Which kind of range.
    pub kind: RangeKind,
    /// The first point (the only one except for `between`).
    pub first: Point,
    /// The second point of `between`.
    pub second: Option<Point>,
    /// The whole range's span, keyword included.
    pub span: Span,
}

/// The keyword of a [`Range`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RangeKind {
    /// `between X and Y`
    Between,
    /// `after X`
    After,
    /// `before X`
    Before,
    /// `on X`
    On,
    /// `starting X`
    Starting,
}

/// A point literal, as written; its meaning depends on the unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Point {
    /// The shape of the literal.
    pub kind: PointKind,
    /// The literal's span.
    pub span: Span,
}

/// The shapes a point literal can take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PointKind {
    /// `2 quarter`, `3q`
    Quarter(Token),
    /// `Monday`, `mon 10:00` (the word is checked later)
    Weekday { word: Token, time: Option<Clock> },
    /// `10:00`, `10am`, `10h`
    Clock(Clock),
    /// `15.5`
    Decimal(Token),
    /// `15th`, `1.`, `15`, `2nd 10:00`
    Ordinal {
        day: Token,
        suffix: Option<Token>,
        time: Option<Clock>,
    },
}

/// A clock literal: `10:00`, `9:05:30.25`, `10am`, `10:30 pm`, `10h`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clock {
    /// The digit groups separated by `:` or `.`: hour, minute, second, fraction.
    pub parts: Vec<Token>,
    /// `am` or `pm`.
    pub meridiem: Option<Token>,
    /// Whether it was written `10h`.
    pub hour_suffix: bool,
    /// The whole literal's span.
    pub span: Span,
}

/// A duration as written: `10 minutes`, `1h 30min`, `00:10:00`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DurationLit {
    /// The `-` and `+` signs in front.
    pub signs: Vec<Token>,
    /// The value.
    pub form: DurationForm,
    /// The whole literal's span.
    pub span: Span,
}

/// The two ways to write a duration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DurationForm {
    /// `h:m:s`
    Hms(Token, Token, Token),
    /// number-unit pairs, e.g. `1 hour, 30 minutes`
    Parts(Vec<(Token, Token)>),
}
