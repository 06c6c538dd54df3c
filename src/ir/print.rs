//! IR to canonical statement text: full keywords, single spaces, `&` and `|` with one
//! space around, parentheses only where precedence needs them. Every text printed here
//! parses back to an equal IR.

use super::task::*;
use super::time::{
    decimal, format_duration, Bound, Period, Point, Scope, DAY, HOUR, MINUTE, SECOND,
};
use super::{Cond, CondKind};

/// The canonical text of a condition.
///
/// ```
/// let s = tminus::Statement::parse("daily between 10am and 2:00 pm & after tasks 'a', 'b'")?;
/// assert_eq!(
///     tminus::ir::print::print(s.cond()),
///     "daily between 10:00 and 14:00 & after task 'a' succeeded & after task 'b' succeeded"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn print(cond: &Cond) -> String {
    let mut out = String::new();
    write_cond(cond, &mut out);
    out
}

fn write_cond(cond: &Cond, out: &mut String) {
    match cond.kind() {
        CondKind::Any(items) => write_list(items, " | ", out),
        CondKind::All(items) => write_list(items, " & ", out),
        CondKind::Not(inner) => {
            out.push('~');
            write_operand(
                inner,
                matches!(inner.kind(), CondKind::All(_) | CondKind::Any(_)),
                out,
            );
        }
        kind => out.push_str(&leaf_text(kind)),
    }
}

fn write_list(items: &[Cond], sep: &str, out: &mut String) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        // Only an `Any` inside an `All` needs parentheses: `&` binds tighter than `|`.
        write_operand(
            item,
            sep == " & " && matches!(item.kind(), CondKind::Any(_)),
            out,
        );
    }
}

fn write_operand(cond: &Cond, parenthesize: bool, out: &mut String) {
    if parenthesize {
        out.push('(');
        write_cond(cond, out);
        out.push(')');
    } else {
        write_cond(cond, out);
    }
}

fn leaf_text(kind: &CondKind) -> String {
    match kind {
        CondKind::Const(v) => v.to_string(),
        CondKind::TimeOf(p) if p.bound == Bound::Full => "true".into(),
        CondKind::TimeOf(p) => format!("time of {} {}", p.scope.unit_word(), bound_text(p)),
        CondKind::Periodic(p) => with_bound(p.scope.cycle_word(), p),
        CondKind::Every(d) => format!("every {}", format_duration(*d)),
        CondKind::Cron(c) => format!("cron {}", c.text()),
        CondKind::Status(s) => status_text(s),
        CondKind::Depend(d) => format!("after task {} {}", quote(&d.task), d.outcome.word()),
        CondKind::Running(t) => format!("task {} is running", quote(t)),
        CondKind::Scheduler(s) => scheduler_text(s),
        CondKind::Env(v) => format!("env {}", quote(v)),
        CondKind::Param(ParamCond::Exists(k)) => format!("param {} exists", quote(k)),
        CondKind::Param(ParamCond::Is(k, v)) => format!("param {} is {}", quote(k), quote(v)),
        CondKind::Custom(c) => custom_text(c),
        CondKind::All(_) | CondKind::Any(_) | CondKind::Not(_) => String::new(),
    }
}

/// `head` followed by the period's bound, if it has one.
fn with_bound(head: &str, p: &Period) -> String {
    match p.bound {
        Bound::Full => head.to_owned(),
        _ => format!("{head} {}", bound_text(p)),
    }
}

fn bound_text(p: &Period) -> String {
    let pt = |point: Point| point_text(p.scope, point);
    match p.bound {
        Bound::Full => String::new(),
        Bound::Between(a, b) => format!("between {} and {}", pt(a), pt(b)),
        Bound::After(a) => format!("after {}", pt(a)),
        Bound::Before(b) => format!("before {}", pt(b)),
        Bound::On(a) => format!("on {}", pt(a)),
        Bound::Starting(a) => format!("starting {}", pt(a)),
    }
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// A point written the way its scope reads it.
pub fn point_text(scope: Scope, p: Point) -> String {
    let off = p.offset;
    match scope {
        Scope::Second => decimal(off, 1_000),
        Scope::Minute => {
            let text = decimal(off, SECOND);
            if off < 10 * SECOND {
                format!("0{text}")
            } else {
                text
            }
        }
        Scope::Hour => format!("{:02}:{:02}", off / MINUTE, (off % MINUTE) / SECOND),
        Scope::Day => clock_text(off),
        Scope::Week => day_text(
            WEEKDAYS
                .get((off / DAY) as usize)
                .copied()
                .unwrap_or("Sun")
                .into(),
            p,
        ),
        Scope::Month => day_text(ordinal(off / DAY + 1), p),
    }
}

fn day_text(day: String, p: Point) -> String {
    if p.whole_day {
        day
    } else {
        format!("{day} {}", clock_text(p.offset % DAY))
    }
}

/// `10:00`, `10:00:30`, `10:00:30.5`.
pub fn clock_text(off: i64) -> String {
    let (h, m) = (off / HOUR, (off % HOUR) / MINUTE);
    let us = off % MINUTE;
    if us == 0 {
        return format!("{h:02}:{m:02}");
    }
    let secs = decimal(us, SECOND);
    let pad = if us < 10 * SECOND { "0" } else { "" };
    format!("{h:02}:{m:02}:{pad}{secs}")
}

/// `1st`, `2nd`, `3rd`, `4th`, `11th`, `21st`.
pub fn ordinal(n: i64) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn status_text(s: &Status) -> String {
    let mut text = match &s.task {
        Some(t) => format!("task {} has {}", quote(t), s.action.word()),
        None => format!("has {}", s.action.word()),
    };
    match s.window {
        StatusWindow::Ever => {}
        StatusWindow::Past(d) => text += &format!(" past {}", format_duration(d)),
        StatusWindow::Period(p) => {
            let head = match p.scope {
                Scope::Day => "today".to_owned(),
                scope => format!("this {}", scope.unit_word()),
            };
            text = format!("{text} {}", with_bound(&head, &p));
        }
    }
    text
}

fn scheduler_text(s: &SchedulerCond) -> String {
    match s {
        SchedulerCond::StartedWithin(d) => format!("scheduler started {} ago", format_duration(*d)),
        SchedulerCond::RunOver(d) => format!("scheduler has run over {}", format_duration(*d)),
        SchedulerCond::Cycles(Comparison::Equal, n) => format!("scheduler has {n} cycles"),
        SchedulerCond::Cycles(Comparison::MoreThan, n) => {
            format!("scheduler has more than {n} cycles")
        }
        SchedulerCond::Cycles(Comparison::LessThan, n) => {
            format!("scheduler has less than {n} cycles")
        }
    }
}

fn custom_text(c: &Custom) -> String {
    match c {
        Custom::Phrase(p) => p.clone(),
        Custom::Call { name, args } => {
            let args: Vec<String> = args
                .iter()
                .map(|a| if is_number(a) { a.clone() } else { quote(a) })
                .collect();
            format!("{name}({})", args.join(", "))
        }
    }
}

fn is_number(text: &str) -> bool {
    let mut parts = text.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && parts.next().is_none_or(digits)
}

/// A name in single quotes, or in double quotes when it holds a single quote.
pub fn quote(name: &str) -> String {
    if name.contains('\'') {
        format!("\"{name}\"")
    } else {
        format!("'{name}'")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_print_per_scope() {
        assert_eq!(point_text(Scope::Second, Point::at(500_000)), "500");
        assert_eq!(point_text(Scope::Minute, Point::at(5 * SECOND)), "05");
        assert_eq!(point_text(Scope::Minute, Point::at(15_500_000)), "15.5");
        assert_eq!(point_text(Scope::Hour, Point::at(45 * MINUTE)), "45:00");
        assert_eq!(
            point_text(Scope::Day, Point::at(10 * HOUR + 30 * SECOND)),
            "10:00:30"
        );
        assert_eq!(
            point_text(Scope::Day, Point::at(10 * HOUR + 15_500_000)),
            "10:00:15.5"
        );
        assert_eq!(point_text(Scope::Week, Point::day(4 * DAY)), "Fri");
        assert_eq!(point_text(Scope::Week, Point::at(10 * HOUR)), "Mon 10:00");
        assert_eq!(point_text(Scope::Month, Point::day(21 * DAY)), "22nd");
        assert_eq!(
            point_text(Scope::Month, Point::at(10 * DAY + HOUR)),
            "11th 01:00"
        );
    }

    #[test]
    fn names_pick_their_quotes() {
        assert_eq!(quote("a"), "'a'");
        assert_eq!(quote("it's"), "\"it's\"");
    }
}
