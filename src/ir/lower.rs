//! AST to IR: reads every literal according to the unit of its phrase, checks its range,
//! and builds the IR through the smart constructors. All errors of a statement are
//! collected, each pointing at the smallest faulty piece.

use super::task::*;
use super::time::{Bound, Period, Point, Scope, DAY, HOUR, MINUTE, SECOND};
use super::{folds, Cond, CondKind};
use crate::cron::CronExpr;
use crate::diag::suggest::{self, WordClass};
use crate::diag::{codes, Diagnostic, Severity};
use crate::error::{Error, ErrorKind};
use crate::options::ParseOptions;
use crate::syntax::ast::{
    self, DurationForm, DurationLit, Expr, ExprKind, Phrase, PointKind, RangeKind, Token,
};
use crate::syntax::{diagnose_phrase, Span};
use chrono::TimeDelta;

/// The longest duration accepted: a hundred years. Longer ones are typos.
const MAX_DURATION: i64 = 100 * 366 * DAY;

/// Lowers one statement, returning the IR and its warnings, or every error found.
pub(crate) fn lower(
    expr: &Expr,
    source: &str,
    options: &ParseOptions,
) -> Result<(Cond, Vec<Diagnostic>), Vec<Error>> {
    let mut l = Lowerer {
        source,
        options,
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let cond = l.expr(expr);
    if l.errors.is_empty() {
        Ok((cond, l.warnings))
    } else {
        l.errors.sort_by_key(|e| e.span().start);
        Err(l.errors)
    }
}

/// Lowers a duration read alone ([`crate::parse_duration`]): the checks of `every`'s.
pub(crate) fn lower_duration(d: &DurationLit, source: &str) -> Result<TimeDelta, Vec<Error>> {
    let options = ParseOptions::default();
    let mut l = Lowerer {
        source,
        options: &options,
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    match l.duration(d) {
        Some(duration) if l.errors.is_empty() => Ok(duration),
        _ if l.errors.is_empty() => Err(vec![Error::new(
            ErrorKind::BadDuration,
            d.span,
            "this duration cannot be read",
        )]),
        _ => Err(l.errors),
    }
}

struct Lowerer<'a> {
    source: &'a str,
    options: &'a ParseOptions,
    errors: Vec<Error>,
    warnings: Vec<Diagnostic>,
}

/// A placeholder for a node whose error was recorded, so lowering can go on.
fn placeholder(span: Span) -> Cond {
    Cond::constant(true, span)
}

impl Lowerer<'_> {
    fn fail<T>(&mut self, e: Error) -> Option<T> {
        self.errors.push(e);
        None
    }

    fn warn(&mut self, code: &str, message: String, span: Span, help: &str) {
        let d = Diagnostic::new(code, Severity::Warning, message, span, "");
        self.warnings.push(d.with_help(help));
    }

    fn expr(&mut self, e: &Expr) -> Cond {
        match &e.kind {
            ExprKind::Any(written) | ExprKind::All(written) => {
                let is_all = matches!(e.kind, ExprKind::All(_));
                let items: Vec<Cond> = written.iter().map(|i| self.expr(i)).collect();
                let dropped = folds::dropped_operands(written, &items, is_all);
                self.warnings.extend(dropped);
                if is_all {
                    Cond::all(items, e.span)
                } else {
                    Cond::any(items, e.span)
                }
            }
            ExprKind::Not(written) => {
                let inner = self.expr(written);
                self.warnings
                    .extend(folds::double_negation(e, written, &inner));
                Cond::not(inner, e.span)
            }
            ExprKind::Group(inner) => self.expr(inner),
            ExprKind::Phrase(p) => self
                .phrase(p, e.span)
                .unwrap_or_else(|| placeholder(e.span)),
        }
    }

    fn phrase(&mut self, p: &Phrase, span: Span) -> Option<Cond> {
        let leaf = |kind| Some(Cond::leaf(kind, span));
        match p {
            Phrase::Const(v) => Some(Cond::constant(*v, span)),
            Phrase::TimeOf { scope, range } => {
                let scope = Scope::from_unit_word(&scope.text)?;
                let bound = self.time_of_range(scope, range)?;
                leaf(CondKind::TimeOf(Period { scope, bound }))
            }
            Phrase::Periodic { cycle, range } => {
                let scope = Scope::from_cycle_word(&cycle.text)?;
                let bound = match range {
                    Some(r) => self.bound(scope, r)?,
                    None => Bound::Full,
                };
                leaf(CondKind::Periodic(Period { scope, bound }))
            }
            Phrase::Every(d) => leaf(CondKind::Every(self.duration(d)?)),
            Phrase::Cron(fields) => leaf(CondKind::Cron(Box::new(self.cron(fields)?))),
            Phrase::Status {
                task,
                action,
                window,
            } => leaf(CondKind::Status(self.status(task, action, window)?)),
            Phrase::Depend {
                list,
                tasks,
                outcome,
            } => self.depend(*list, tasks, outcome.as_ref(), span),
            Phrase::Running { task } => leaf(CondKind::Running(self.name(task)?)),
            Phrase::SchedulerStarted(d) => leaf(CondKind::Scheduler(SchedulerCond::StartedWithin(
                self.duration(d)?,
            ))),
            Phrase::SchedulerRunOver(d) => leaf(CondKind::Scheduler(SchedulerCond::RunOver(
                self.duration(d)?,
            ))),
            Phrase::SchedulerCycles { comparison, count } => {
                leaf(CondKind::Scheduler(self.cycles(comparison, count)?))
            }
            Phrase::Env(v) => leaf(CondKind::Env(self.name(v)?)),
            Phrase::ParamExists(k) => leaf(CondKind::Param(ParamCond::Exists(self.name(k)?))),
            Phrase::ParamIs(k, v) => {
                let (k, v) = (self.name(k), self.name(v));
                leaf(CondKind::Param(ParamCond::Is(k?, v?)))
            }
            Phrase::CustomCall { name, args } => self.custom_call(name, args, span),
            Phrase::CustomPhrase(text) => self.custom_phrase(text, span),
        }
    }

    // -----------------------------------------------------------------------------------
    // Custom predicates

    fn custom_phrase(&mut self, text: &Token, span: Span) -> Option<Cond> {
        if self.options.is_registered(&text.text) {
            return Some(Cond::leaf(
                CondKind::Custom(Custom::Phrase(text.text.clone())),
                span,
            ));
        }
        let e = diagnose_phrase(&text.text, text.span.start);
        if e.span().start != text.span.start {
            let first_word = text.text.split(' ').next().unwrap_or_default();
            return match (e.help(), suggest::examples(first_word)) {
                (None, Some(examples)) => self.fail(e.with_help(examples)),
                _ => self.fail(e),
            };
        }
        let help = e
            .help()
            .filter(|h| h.starts_with("did you mean") || h.starts_with("keywords"))
            .map(str::to_owned)
            .unwrap_or_else(|| register_help(&text.text));
        let message = format!("unknown phrase `{}`", text.text);
        self.fail(Error::new(ErrorKind::UnknownPhrase, text.span, message).with_help(help))
    }

    fn custom_call(&mut self, name: &Token, args: &[Token], span: Span) -> Option<Cond> {
        if !self.options.is_registered(&name.text) {
            let message = format!("unknown condition `{}`", name.text);
            let e = Error::new(ErrorKind::UnknownPhrase, name.span, message);
            return self.fail(e.with_help(register_help(&name.text)));
        }
        let args = args.iter().map(|a| a.text.clone()).collect();
        let call = Custom::Call {
            name: name.text.clone(),
            args,
        };
        Some(Cond::leaf(CondKind::Custom(call), span))
    }

    // -----------------------------------------------------------------------------------
    // Names and numbers

    /// A quoted name: not empty, and without the characters Rocketry splits statements on.
    fn name(&mut self, t: &Token) -> Option<String> {
        if t.text.is_empty() {
            let e = Error::new(
                ErrorKind::BadName,
                t.span.cover(Span::at(t.span.start.saturating_sub(1), 2)),
                "a name cannot be empty",
            );
            return self.fail(e);
        }
        if let Some((at, c)) = t
            .text
            .char_indices()
            .find(|(_, c)| "&|~()".contains(*c) || c.is_control())
        {
            let message = format!("a name cannot contain `{}`", c.escape_default());
            let e = Error::new(ErrorKind::BadName, Span::at(t.span.start + at, c.len_utf8()), message)
                .with_help("Rocketry splits a statement at `&`, `|`, `~` and parentheses before it reads quotes: rename the task");
            return self.fail(e);
        }
        if self.source.as_bytes().get(t.span.start.wrapping_sub(1)) == Some(&b'"') {
            self.warn(
                codes::DOUBLE_QUOTED_NAME,
                "Rocketry 2.5 accepts only single-quoted names".into(),
                t.span,
                "tminus reads it; write it in single quotes if Rocketry must read it too",
            );
        }
        Some(t.text.clone())
    }

    fn cycles(&mut self, comparison: &Option<Token>, count: &Token) -> Option<SchedulerCond> {
        let cmp = match comparison.as_ref().map(|c| c.text.as_str()) {
            Some(c) if c.starts_with("more") => Comparison::MoreThan,
            Some(_) => Comparison::LessThan,
            None => Comparison::Equal,
        };
        match count.text.parse::<u64>() {
            Ok(n) => Some(SchedulerCond::Cycles(cmp, n)),
            Err(_) => self.fail(Error::new(
                ErrorKind::BadNumber,
                count.span,
                "the cycle count is too large",
            )),
        }
    }

    // -----------------------------------------------------------------------------------
    // Status and dependencies

    fn status(
        &mut self,
        task: &Option<Token>,
        action: &Token,
        window: &Option<ast::StatusWindow>,
    ) -> Option<Status> {
        let task = match task {
            Some(t) => Some(self.name(t)?),
            None => None,
        };
        let action = StatusAction::from_word(&action.text)?;
        let window = match window {
            None => StatusWindow::Ever,
            Some(ast::StatusWindow::Past(d)) => StatusWindow::Past(self.duration(d)?),
            Some(ast::StatusWindow::Period { scope, range }) => {
                let scope = Scope::from_unit_word(&scope.text)?;
                let bound = match range {
                    None => Bound::Full,
                    Some(r) => status_bound(scope, self.bound(scope, r)?),
                };
                StatusWindow::Period(Period { scope, bound })
            }
        };
        Some(Status {
            task,
            action,
            window,
        })
    }

    fn depend(
        &mut self,
        list: ast::DependList,
        tasks: &[Token],
        outcome: Option<&Token>,
        span: Span,
    ) -> Option<Cond> {
        let outcome = outcome
            .and_then(|o| Outcome::from_word(&o.text))
            .unwrap_or(Outcome::Succeeded);
        let mut deps = Vec::new();
        for t in tasks {
            let task = self.name(t)?;
            deps.push(Cond::leaf(CondKind::Depend(Depend { task, outcome }), span));
        }
        Some(match list {
            ast::DependList::Any => Cond::any(deps, span),
            _ => Cond::all(deps, span),
        })
    }

    fn cron(&mut self, fields: &Token) -> Option<CronExpr> {
        match CronExpr::parse(&fields.text) {
            Ok(c) => Some(c),
            Err(errors) => {
                for e in errors {
                    let span = Span::new(e.range.start, e.range.end).shift(fields.span.start);
                    let mut err = Error::new(ErrorKind::Cron(e.kind), span, e.message);
                    if let Some(h) = e.help {
                        err = err.with_help(h);
                    }
                    self.errors.push(err);
                }
                None
            }
        }
    }

    // -----------------------------------------------------------------------------------
    // Ranges and points

    fn time_of_range(&mut self, scope: Scope, r: &ast::Range) -> Option<Bound> {
        let allowed = match r.kind {
            RangeKind::Starting => false,
            RangeKind::On => matches!(scope, Scope::Week | Scope::Month),
            _ => true,
        };
        if !allowed {
            let word = if r.kind == RangeKind::On {
                "on"
            } else {
                "starting"
            };
            let message = format!("`time of {}` does not take `{word}`", scope.unit_word());
            let help = match scope {
                Scope::Day => "write `time of day between 10:00 and 11:00`",
                _ => "use `between`, `after` or `before`",
            };
            let span = Span::at(r.span.start, word.len());
            return self
                .fail(Error::new(ErrorKind::RangeNotAllowed, span, message).with_help(help));
        }
        self.bound(scope, r)
    }

    fn bound(&mut self, scope: Scope, r: &ast::Range) -> Option<Bound> {
        let first = self.point(scope, &r.first);
        let second = r.second.as_ref().map(|p| self.point(scope, p));
        let first = first?;
        Some(match r.kind {
            RangeKind::Between => Bound::Between(first, second??),
            RangeKind::After => Bound::After(first),
            RangeKind::Before => Bound::Before(first),
            RangeKind::On if first.offset >= scope.max() => {
                let e = Error::new(
                    ErrorKind::OutOfRange,
                    r.first.span,
                    "`on` needs a point inside the cycle",
                );
                return self.fail(e);
            }
            RangeKind::On => Bound::On(first),
            RangeKind::Starting => Bound::Starting(first),
        })
    }

    fn point(&mut self, scope: Scope, p: &ast::Point) -> Option<Point> {
        let point = match scope {
            Scope::Second => self.millis(p),
            Scope::Minute => self.seconds(p),
            Scope::Hour => self.minute_second(p),
            Scope::Day => self.time_of_day(p).map(Point::at),
            Scope::Week => self.weekday(p),
            Scope::Month => self.day_of_month(p),
        }?;
        if point.offset > scope.max() || point.end_offset() > scope.max() {
            let message = format!(
                "`{}` is past the end of the {}",
                self.text(p.span),
                scope.unit_word()
            );
            return self.fail(Error::new(ErrorKind::OutOfRange, p.span, message));
        }
        Some(point)
    }

    fn text(&self, span: Span) -> &str {
        self.source.get(span.start..span.end).unwrap_or("")
    }

    fn wrong_literal<T>(&mut self, p: &ast::Point, expected: &str) -> Option<T> {
        let message = format!("`{}` is not {expected}", self.text(p.span));
        self.fail(Error::new(ErrorKind::WrongLiteral, p.span, message))
    }

    /// `secondly` points: milliseconds, 0 to 1000.
    fn millis(&mut self, p: &ast::Point) -> Option<Point> {
        match &p.kind {
            PointKind::Decimal(t)
            | PointKind::Ordinal {
                day: t,
                suffix: None,
                time: None,
            } => {
                let ms: f64 = t.text.parse().ok()?;
                Some(Point::at((ms * 1000.0).round() as i64))
            }
            _ => self.wrong_literal(p, "a number of milliseconds, e.g. `500`"),
        }
    }

    /// Minute points: two-digit seconds with an optional fraction, `05`, `30`, `15.5`.
    fn seconds(&mut self, p: &ast::Point) -> Option<Point> {
        let t = match &p.kind {
            PointKind::Decimal(t)
            | PointKind::Ordinal {
                day: t,
                suffix: None,
                time: None,
            } => t,
            _ => return self.wrong_literal(p, "a second of the minute, e.g. `30`"),
        };
        let whole = t.text.split('.').next().unwrap_or("");
        if whole.len() != 2 {
            let message = format!("seconds are written with two digits, not `{}`", t.text);
            let help = format!("write `{whole:0>2}`");
            return self.fail(Error::new(ErrorKind::WrongLiteral, t.span, message).with_help(help));
        }
        let us = parse_fixed(&t.text, SECOND)?;
        Some(Point::at(us))
    }

    /// Hour points: `MM:SS`, or quarters (`2 quarter`, `3q`).
    fn minute_second(&mut self, p: &ast::Point) -> Option<Point> {
        match &p.kind {
            PointKind::Quarter(n) => match n.text.parse::<i64>() {
                Ok(n @ 0..=4) => Some(Point::at(n * 15 * MINUTE)),
                _ => self.fail(Error::new(
                    ErrorKind::OutOfRange,
                    p.span,
                    "an hour has quarters 0 to 4",
                )),
            },
            PointKind::Clock(c) if c.parts.len() == 2 && c.meridiem.is_none() => {
                let (m, s) = (&c.parts[0], &c.parts[1]);
                let minutes = self.field(m, 60, "minute")?;
                let seconds = self.field(s, 59, "second")?;
                Some(Point::at(minutes * MINUTE + seconds * SECOND))
            }
            _ => {
                let e = Error::new(
                    ErrorKind::WrongLiteral,
                    p.span,
                    format!("`{}` is not a time of the hour", self.text(p.span)),
                );
                self.fail(e.with_help("write minutes and seconds, e.g. `15:00` for a quarter past"))
            }
        }
    }

    fn field(&mut self, t: &Token, max: i64, what: &str) -> Option<i64> {
        match t.text.parse::<i64>() {
            Ok(v) if v <= max && t.text.len() <= 2 => Some(v),
            _ => {
                let message = format!(
                    "{what} `{}` is out of range, {what}s run from 0 to {max}",
                    t.text
                );
                self.fail(Error::new(ErrorKind::BadTime, t.span, message))
            }
        }
    }

    /// Day points: a clock time. Bare numbers are rejected: Rocketry reads them as days of
    /// the month, which makes `daily after 10` mean midnight.
    fn time_of_day(&mut self, p: &ast::Point) -> Option<i64> {
        match &p.kind {
            PointKind::Clock(c) => self.clock(c),
            PointKind::Ordinal {
                day,
                suffix: None,
                time: None,
            }
            | PointKind::Decimal(day) => {
                let hour: String = day.text.chars().take_while(char::is_ascii_digit).collect();
                let message = format!("`{}` is a bare number, not a time of day", day.text);
                let help = format!("write `{hour:0>2}:00` for {hour} o'clock (Rocketry would read `{}` as a day of the month, i.e. midnight)", day.text);
                self.fail(Error::new(ErrorKind::BareNumber, day.span, message).with_help(help))
            }
            _ => {
                let message = format!("`{}` is not a time of day", self.text(p.span));
                let e = Error::new(ErrorKind::BadTime, p.span, message);
                self.fail(
                    e.with_help("write a time such as `10:00`, `10:30:15`, `10am` or `2:30 pm`"),
                )
            }
        }
    }

    fn clock(&mut self, c: &ast::Clock) -> Option<i64> {
        let hour_token = c.parts.first()?;
        let hour = hour_token
            .text
            .parse::<i64>()
            .ok()
            .filter(|_| hour_token.text.len() <= 2);
        let hour = match (&c.meridiem, hour) {
            (Some(m), Some(h @ 1..=12)) => {
                h % 12
                    + if m.text.eq_ignore_ascii_case("pm") {
                        12
                    } else {
                        0
                    }
            }
            (None, Some(h @ 0..=23)) => h,
            _ => {
                let range = if c.meridiem.is_some() {
                    "1 to 12 with am/pm"
                } else {
                    "0 to 23"
                };
                let message = format!(
                    "hour `{}` is out of range, hours run from {range}",
                    hour_token.text
                );
                let e = Error::new(ErrorKind::BadTime, hour_token.span, message);
                return self.fail(e.with_help(
                    "a day ends before 24:00; `daily before 00:00` covers the whole day",
                ));
            }
        };
        let minute = match c.parts.get(1) {
            Some(m) => self.clock_field(m, "minute")?,
            None => 0,
        };
        let second = match c.parts.get(2) {
            Some(s) => self.clock_field(s, "second")?,
            None => 0,
        };
        let frac = match c.parts.get(3) {
            Some(f) => self.fraction(f)?,
            None => 0,
        };
        Some(hour * HOUR + minute * MINUTE + second * SECOND + frac)
    }

    fn clock_field(&mut self, t: &Token, what: &str) -> Option<i64> {
        match t.text.parse::<i64>() {
            Ok(v @ 0..=59) if t.text.len() == 2 => Some(v),
            _ => {
                let message = format!("{what} `{}` must be two digits from 00 to 59", t.text);
                self.fail(Error::new(ErrorKind::BadTime, t.span, message))
            }
        }
    }

    fn fraction(&mut self, t: &Token) -> Option<i64> {
        if t.text.len() > 6 {
            let e = Error::new(
                ErrorKind::BadTime,
                t.span,
                "at most 6 digits after the point (microseconds)",
            );
            return self.fail(e);
        }
        t.text
            .parse::<i64>()
            .ok()
            .map(|v| v * 10_i64.pow(6 - t.text.len() as u32))
    }

    /// Week points: a weekday name, optionally with a time.
    fn weekday(&mut self, p: &ast::Point) -> Option<Point> {
        let PointKind::Weekday { word, time } = &p.kind else {
            let e = Error::new(
                ErrorKind::WrongLiteral,
                p.span,
                format!("`{}` is not a weekday", self.text(p.span)),
            );
            return self.fail(e.with_help("write weekdays as names: `Mon`, `Monday`, ..."));
        };
        let Some(day) = weekday_index(&word.text) else {
            let message = format!("`{}` is not a weekday", word.text);
            let mut e = Error::new(ErrorKind::UnknownWeekday, word.span, message);
            if let Some(w) = suggest::closest(&word.text, suggest::words(WordClass::Weekday)) {
                e = e.with_help(format!("did you mean `{w}`?"));
            } else {
                e = e.with_help(
                    "weekdays are `mon` ... `sun` or `monday` ... `sunday`, in any case",
                );
            }
            return self.fail(e);
        };
        self.day_with_time(day * DAY, time)
    }

    fn day_with_time(&mut self, start: i64, time: &Option<ast::Clock>) -> Option<Point> {
        match time {
            None => Some(Point::day(start)),
            Some(c) => Some(Point::at(start + self.clock(c)?)),
        }
    }

    /// Month points: a day number with an optional suffix (`15th`, `1.`) and time.
    fn day_of_month(&mut self, p: &ast::Point) -> Option<Point> {
        let PointKind::Ordinal { day, suffix, time } = &p.kind else {
            let e = Error::new(
                ErrorKind::WrongLiteral,
                p.span,
                format!("`{}` is not a day of the month", self.text(p.span)),
            );
            return self.fail(e.with_help("write days of the month as `1st`, `15th` or `15`; for the last day use `cron 0 0 L * *`"));
        };
        let n = match day.text.parse::<i64>() {
            Ok(n @ 1..=31) => n,
            _ => {
                let message = format!(
                    "day `{}` is out of range, days of the month run from 1 to 31",
                    day.text
                );
                return self.fail(Error::new(ErrorKind::OutOfRange, day.span, message));
            }
        };
        if let Some(s) = suffix {
            self.check_suffix(n, s);
        }
        self.day_with_time((n - 1) * DAY, time)
    }

    fn check_suffix(&mut self, n: i64, s: &Token) {
        let right = super::print::ordinal(n);
        if s.text != "." && !right.ends_with(&s.text.to_lowercase()) {
            let message = format!("`{n}{}` has the wrong suffix", s.text);
            self.warn(
                codes::ORDINAL_SUFFIX,
                message,
                s.span,
                &format!("write `{right}`"),
            );
        }
    }

    // -----------------------------------------------------------------------------------
    // Durations

    fn duration(&mut self, d: &DurationLit) -> Option<TimeDelta> {
        let us = match &d.form {
            DurationForm::Hms(h, m, s) => {
                let h: i64 = h.text.parse().ok()?;
                let m: i64 = m.text.parse().ok()?;
                h.checked_mul(HOUR)?
                    .checked_add(m.checked_mul(MINUTE)?)?
                    .checked_add(parse_fixed(&s.text, SECOND)?)?
            }
            DurationForm::Parts(parts) => self.duration_parts(parts)?,
        };
        let negative = d.signs.iter().filter(|s| s.text == "-").count() % 2 == 1;
        if negative || us == 0 {
            let message = if negative {
                "a duration cannot be negative"
            } else {
                "a duration cannot be zero"
            };
            let help = if negative {
                "Rocketry silently takes the absolute value: remove the `-`"
            } else {
                "write a positive duration, e.g. `10 minutes`"
            };
            return self.fail(Error::new(ErrorKind::BadDuration, d.span, message).with_help(help));
        }
        if us > MAX_DURATION {
            return self.fail(Error::new(
                ErrorKind::BadDuration,
                d.span,
                "a duration cannot be longer than 100 years",
            ));
        }
        Some(TimeDelta::microseconds(us))
    }

    fn duration_parts(&mut self, parts: &[(Token, Token)]) -> Option<i64> {
        let mut total: i64 = 0;
        let mut ok = true;
        for (number, unit) in parts {
            let Some(size) = unit_size(&unit.text) else {
                self.errors.push(unknown_unit(number, unit));
                ok = false;
                continue;
            };
            match parse_fixed(&number.text, size).and_then(|us| total.checked_add(us)) {
                Some(t) => total = t,
                None => {
                    self.errors.push(Error::new(
                        ErrorKind::BadDuration,
                        number.span,
                        "this number is too large",
                    ));
                    ok = false;
                }
            }
        }
        ok.then_some(total)
    }
}

/// `has succeeded this week starting Tue` means "on Tuesday" in Rocketry: a whole-day
/// `starting` point of a week or month is one day long. With a time it is a full cycle.
fn status_bound(scope: Scope, bound: Bound) -> Bound {
    match (scope, bound) {
        (Scope::Week | Scope::Month, Bound::Starting(p)) if p.whole_day => Bound::On(p),
        (_, b) => b,
    }
}

fn register_help(text: &str) -> String {
    format!("register it as a custom condition (`ParseOptions::register(\"{text}\")`, or `--cond '{text}'` on the command line)")
}

/// Microseconds per unit, from Rocketry's unit table (case-sensitive).
fn unit_size(unit: &str) -> Option<i64> {
    Some(match unit {
        "ms" | "millisecond" => 1_000,
        "s" | "sec" | "secs" | "second" | "seconds" => SECOND,
        "m" | "min" | "mins" | "minute" | "minutes" => MINUTE,
        "h" | "hr" | "hrs" | "hour" | "hours" => HOUR,
        "d" | "day" | "days" => DAY,
        _ => return None,
    })
}

fn unknown_unit(number: &Token, unit: &Token) -> Error {
    let message = format!("unknown unit `{}`", unit.text);
    let e = Error::new(ErrorKind::UnknownUnit, unit.span, message);
    let lower = unit.text.to_lowercase();
    let help = if unit_size(&lower).is_some() {
        format!("units are lower case: write `{lower}`")
    } else if matches!(lower.as_str(), "w" | "week" | "weeks") {
        // `2 weeks` is `14 days`; a fraction or a huge number gets the rule instead.
        match number
            .text
            .parse::<u32>()
            .ok()
            .and_then(|n| n.checked_mul(7))
        {
            Some(days) => format!("durations have no weeks: write `{days} days`"),
            None => "durations have no weeks: write days (`7 days` a week)".to_owned(),
        }
    } else if lower == "milliseconds" {
        "write `ms` or `millisecond`".to_owned()
    } else {
        match suggest::closest(&lower, suggest::words(WordClass::Unit)) {
            Some(w) => format!("did you mean `{w}`?"),
            None => "units are ms, s, sec, second(s), m, min, minute(s), h, hr, hour(s), d, day(s)"
                .to_owned(),
        }
    };
    e.with_help(help)
}

/// `1.5` times `scale`, exactly, rounded to a whole microsecond.
fn parse_fixed(text: &str, scale: i64) -> Option<i64> {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let mut value = whole.checked_mul(scale)?;
    let mut place = scale;
    for digit in frac.bytes().take(18) {
        place /= 10;
        value = value.checked_add(i64::from(digit.checked_sub(b'0')?) * place)?;
    }
    Some(value)
}

fn weekday_index(word: &str) -> Option<i64> {
    const NAMES: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let lower = word.to_lowercase();
    NAMES
        .iter()
        .position(|n| *n == lower || n[..3] == lower)
        .map(|i| i as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_point_numbers_are_exact() {
        assert_eq!(parse_fixed("1.5", HOUR), Some(90 * MINUTE));
        assert_eq!(parse_fixed("15.5", SECOND), Some(15_500_000));
        assert_eq!(parse_fixed("100", 1_000), Some(100_000));
        assert_eq!(parse_fixed("99999999999999999999", SECOND), None);
    }

    #[test]
    fn weekdays_take_names_and_abbreviations() {
        assert_eq!(weekday_index("MONDAY"), Some(0));
        assert_eq!(weekday_index("sun"), Some(6));
        assert_eq!(weekday_index("Mo"), None);
    }
}
