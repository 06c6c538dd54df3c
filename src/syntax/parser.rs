//! The only file that sees pest: runs the grammar, turns pest's pairs into the AST and
//! pest's errors into [`Error`]s that name the words that were expected.

use super::ast::*;
use super::Span;
use crate::diag::suggest::{self, WordClass};
use crate::error::{Error, ErrorKind};
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};
use pest::Parser as _;
use std::sync::LazyLock;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/tminus.pest"]
struct Grammar;

/// `|` binds loosest, then `&`, then `~`: declared once, lowest first.
static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::or_op, Assoc::Left))
        .op(Op::infix(Rule::and_op, Assoc::Left))
        .op(Op::prefix(Rule::not_op))
});

/// Parses a whole statement into its expression tree. The text must have passed
/// [`super::precheck`].
pub fn parse_expr(text: &str) -> Result<Expr, Error> {
    if text.trim().is_empty() {
        return Err(Error::new(
            ErrorKind::Empty,
            Span::new(0, text.len()),
            "the statement is empty",
        )
        .with_help("write a condition, e.g. `daily` or `every 10 minutes`"));
    }
    let mut pairs = Grammar::parse(Rule::statement, text).map_err(|e| syntax_error(text, &e, 0))?;
    let statement = pairs.next().map(Pair::into_inner);
    let expr = statement
        .and_then(|mut inner| inner.find(|p| p.as_rule() == Rule::expr))
        .ok_or_else(|| Error::new(ErrorKind::Syntax, Span::new(0, text.len()), "no statement"))?;
    Ok(build_expr(expr.into_inner()))
}

/// Reads a duration alone (`10 minutes`, `1h 30min`, `00:10:00`), as `every` does.
pub fn parse_duration(text: &str) -> Result<DurationLit, Error> {
    if text.trim().is_empty() {
        return Err(Error::new(
            ErrorKind::Empty,
            Span::new(0, text.len()),
            "the duration is empty",
        )
        .with_help("write a duration, e.g. `10 minutes` or `1h 30min`"));
    }
    let mut pairs =
        Grammar::parse(Rule::duration_only, text).map_err(|e| syntax_error(text, &e, 0))?;
    let duration = pairs
        .next()
        .and_then(|p| p.into_inner().find(|p| p.as_rule() == Rule::duration));
    Ok(build_duration(duration))
}

/// Explains why `phrase` (found at byte `offset` of the statement) is not a built-in phrase:
/// the error points at the first word the grammar could not take.
pub fn diagnose_phrase(phrase: &str, offset: usize) -> Error {
    match Grammar::parse(Rule::phrase_only, phrase) {
        Ok(_) => Error::new(
            ErrorKind::Syntax,
            Span::at(offset, phrase.len()),
            "this phrase cannot stand here",
        ),
        Err(e) => syntax_error(phrase, &e, offset),
    }
}

fn span_of(pair: &Pair<Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.end())
}

fn token(pair: &Pair<Rule>) -> Token {
    Token {
        text: pair.as_str().to_owned(),
        span: span_of(pair),
    }
}

/// Applies the precedence of `~`, `&`, `|`, flattening chains of one operator.
fn build_expr(pairs: Pairs<Rule>) -> Expr {
    PRATT
        .map_primary(build_primary)
        .map_prefix(|op, e| Expr {
            span: span_of(&op).cover(e.span),
            kind: ExprKind::Not(Box::new(e)),
        })
        .map_infix(|l, op, r| {
            let span = l.span.cover(r.span);
            let kind = match op.as_rule() {
                Rule::and_op => ExprKind::All(join(l, r, true)),
                _ => ExprKind::Any(join(l, r, false)),
            };
            Expr { kind, span }
        })
        .parse(pairs)
}

/// `a & b & c` becomes one list: the left operand is spliced when it is already a chain
/// of the same operator (a parenthesised chain stays a group).
fn join(l: Expr, r: Expr, is_and: bool) -> Vec<Expr> {
    let mut items = match (l.kind, is_and) {
        (ExprKind::All(v), true) | (ExprKind::Any(v), false) => v,
        (kind, _) => vec![Expr { kind, span: l.span }],
    };
    items.push(r);
    items
}

fn build_primary(pair: Pair<Rule>) -> Expr {
    let span = span_of(&pair);
    let kind = match pair.as_rule() {
        Rule::group => {
            let inner = pair.into_inner().find(|p| p.as_rule() == Rule::expr);
            match inner {
                Some(e) => ExprKind::Group(Box::new(build_expr(e.into_inner()))),
                None => ExprKind::Phrase(Phrase::Const(true)),
            }
        }
        _ => ExprKind::Phrase(build_phrase(pair)),
    };
    Expr { kind, span }
}

/// The inner pairs of `pair` with the given rule.
fn children<'i>(pair: &Pair<'i, Rule>, rule: Rule) -> Vec<Pair<'i, Rule>> {
    pair.clone()
        .into_inner()
        .filter(|p| p.as_rule() == rule)
        .collect()
}

fn child<'i>(pair: &Pair<'i, Rule>, rule: Rule) -> Option<Pair<'i, Rule>> {
    pair.clone().into_inner().find(|p| p.as_rule() == rule)
}

fn has_child(pair: &Pair<Rule>, rule: Rule) -> bool {
    child(pair, rule).is_some()
}

fn build_phrase(pair: Pair<Rule>) -> Phrase {
    match pair.as_rule() {
        Rule::constant => Phrase::Const(has_child(&pair, Rule::kw_true)),
        Rule::time_of => Phrase::TimeOf {
            scope: child_token(&pair, Rule::scope),
            range: first_range(&pair).unwrap_or_else(|| unreachable_range(&pair)),
        },
        Rule::periodic => Phrase::Periodic {
            cycle: child_token(&pair, Rule::cycle),
            range: first_range(&pair),
        },
        Rule::every => Phrase::Every(build_duration(child(&pair, Rule::duration))),
        Rule::cron => Phrase::Cron(trimmed_end(child_token(&pair, Rule::cron_fields))),
        Rule::status => build_status(&pair),
        Rule::running => Phrase::Running {
            task: name_token(child(&pair, Rule::name)),
        },
        Rule::depend => build_depend(&pair),
        Rule::scheduler => build_scheduler(&pair),
        Rule::env => Phrase::Env(name_token(child(&pair, Rule::name))),
        Rule::param => build_param(&pair),
        Rule::custom_call => Phrase::CustomCall {
            name: child_token(&pair, Rule::identifier),
            args: children(&pair, Rule::call_arg)
                .iter()
                .map(|a| match child(a, Rule::name) {
                    Some(n) => name_token(Some(n)),
                    None => token(a),
                })
                .collect(),
        },
        _ => Phrase::CustomPhrase(trimmed(token(&pair))),
    }
}

/// A range is required by `time of`; the grammar guarantees one. Should it ever be absent,
/// an empty `after` range keeps the tree well formed and lowering reports it.
fn unreachable_range(pair: &Pair<Rule>) -> Range {
    let span = Span::at(span_of(pair).end, 0);
    let empty = Token {
        text: String::new(),
        span,
    };
    Range {
        kind: RangeKind::After,
        first: Point {
            kind: PointKind::Decimal(empty),
            span,
        },
        second: None,
        span,
    }
}

fn child_token(pair: &Pair<Rule>, rule: Rule) -> Token {
    match child(pair, rule) {
        Some(p) => token(&p),
        None => Token {
            text: String::new(),
            span: Span::at(span_of(pair).start, 0),
        },
    }
}

/// A token without the white space at its ends, its span narrowed to match.
fn trimmed(t: Token) -> Token {
    let lead = t.text.len() - t.text.trim_start().len();
    let text = t.text.trim().to_owned();
    let start = t.span.start + lead;
    Token {
        span: Span::at(start, text.len()),
        text,
    }
}

/// A token without the white space at its end (the white space before an operator). Leading
/// white space is kept: after `cron` it is a double space, which the cron reader reports.
fn trimmed_end(mut t: Token) -> Token {
    t.text.truncate(t.text.trim_end().len());
    t.span = Span::at(t.span.start, t.text.len());
    t
}

/// The text inside the quotes of a `name` pair, with the span of that text.
fn name_token(pair: Option<Pair<Rule>>) -> Token {
    let Some(pair) = pair else {
        return Token {
            text: String::new(),
            span: Span::default(),
        };
    };
    let inner = pair.clone().into_inner().next();
    match inner {
        Some(p) => token(&p),
        None => {
            let s = span_of(&pair);
            Token {
                text: String::new(),
                span: Span::at(s.start + 1, 0),
            }
        }
    }
}

fn build_status(pair: &Pair<Rule>) -> Phrase {
    let window = if let Some(past) = child(pair, Rule::past_window) {
        Some(StatusWindow::Past(build_duration(child(
            &past,
            Rule::duration,
        ))))
    } else {
        child(pair, Rule::status_period).map(|p| {
            let scope = match child(&p, Rule::this_scope) {
                Some(this) => child_token(&this, Rule::scope),
                None => child_token(&p, Rule::kw_today),
            };
            StatusWindow::Period {
                scope,
                range: first_range(&p),
            }
        })
    };
    Phrase::Status {
        task: child(pair, Rule::name).map(|n| name_token(Some(n))),
        action: child_token(pair, Rule::action),
        window,
    }
}

fn build_depend(pair: &Pair<Rule>) -> Phrase {
    let (list, names) = if let Some(p) = child(pair, Rule::depend_any) {
        (DependList::Any, p)
    } else if let Some(p) = child(pair, Rule::depend_all) {
        (DependList::All, p)
    } else {
        (
            DependList::One,
            child(pair, Rule::depend_one).unwrap_or_else(|| pair.clone()),
        )
    };
    Phrase::Depend {
        list,
        tasks: children(&names, Rule::name)
            .into_iter()
            .map(|n| name_token(Some(n)))
            .collect(),
        outcome: child(pair, Rule::outcome).map(|o| token(&o)),
    }
}

fn build_scheduler(pair: &Pair<Rule>) -> Phrase {
    if let Some(p) = child(pair, Rule::sched_started) {
        Phrase::SchedulerStarted(build_duration(child(&p, Rule::duration)))
    } else if let Some(p) = child(pair, Rule::sched_run_over) {
        Phrase::SchedulerRunOver(build_duration(child(&p, Rule::duration)))
    } else {
        let p = child(pair, Rule::sched_cycles).unwrap_or_else(|| pair.clone());
        Phrase::SchedulerCycles {
            comparison: child(&p, Rule::comparison).map(|c| token(&c)),
            count: child_token(&p, Rule::count),
        }
    }
}

fn build_param(pair: &Pair<Rule>) -> Phrase {
    let names = children(pair, Rule::name);
    let key = name_token(names.first().cloned());
    match names.get(1) {
        Some(value) => Phrase::ParamIs(key, name_token(Some(value.clone()))),
        None => Phrase::ParamExists(key),
    }
}

const RANGE_RULES: [(Rule, RangeKind); 5] = [
    (Rule::between, RangeKind::Between),
    (Rule::after, RangeKind::After),
    (Rule::before, RangeKind::Before),
    (Rule::on, RangeKind::On),
    (Rule::starting, RangeKind::Starting),
];

fn first_range(pair: &Pair<Rule>) -> Option<Range> {
    pair.clone().into_inner().find_map(|p| {
        let kind = RANGE_RULES.iter().find(|(r, _)| *r == p.as_rule())?.1;
        let points: Vec<Point> = children(&p, Rule::point).iter().map(build_point).collect();
        let mut points = points.into_iter();
        Some(Range {
            kind,
            span: span_of(&p),
            first: points.next()?,
            second: points.next(),
        })
    })
}

fn build_point(pair: &Pair<Rule>) -> Point {
    let span = span_of(pair);
    let inner = pair.clone().into_inner().next();
    let kind = match inner {
        Some(p) if p.as_rule() == Rule::quarter => {
            PointKind::Quarter(child_token(&p, Rule::digits))
        }
        Some(p) if p.as_rule() == Rule::weekday_point => PointKind::Weekday {
            word: child_token(&p, Rule::word),
            time: child(&p, Rule::clock).map(|c| build_clock(&c)),
        },
        Some(p) if p.as_rule() == Rule::clock => PointKind::Clock(build_clock(&p)),
        Some(p) if p.as_rule() == Rule::ordinal_point => PointKind::Ordinal {
            day: child_token(&p, Rule::digits),
            suffix: child(&p, Rule::ordinal_suffix).map(|s| token(&s)),
            time: child(&p, Rule::clock).map(|c| build_clock(&c)),
        },
        Some(p) => PointKind::Decimal(token(&p)),
        None => PointKind::Decimal(token(pair)),
    };
    Point { kind, span }
}

fn build_clock(pair: &Pair<Rule>) -> Clock {
    Clock {
        parts: children(pair, Rule::digits).iter().map(token).collect(),
        meridiem: child(pair, Rule::meridiem).map(|m| token(&m)),
        hour_suffix: has_child(pair, Rule::hour_suffix),
        span: span_of(pair),
    }
}

fn build_duration(pair: Option<Pair<Rule>>) -> DurationLit {
    let Some(pair) = pair else {
        return DurationLit {
            signs: Vec::new(),
            form: DurationForm::Parts(Vec::new()),
            span: Span::default(),
        };
    };
    let form = match child(&pair, Rule::hms) {
        Some(hms) => {
            let mut fields = hms.into_inner().map(|p| token(&p));
            let mut next = || {
                fields.next().unwrap_or(Token {
                    text: String::new(),
                    span: Span::default(),
                })
            };
            DurationForm::Hms(next(), next(), next())
        }
        None => DurationForm::Parts(
            children(&pair, Rule::duration_part)
                .iter()
                .map(|p| (child_token(p, Rule::number), child_token(p, Rule::unit)))
                .collect(),
        ),
    };
    DurationLit {
        signs: children(&pair, Rule::sign).iter().map(token).collect(),
        form,
        span: span_of(&pair),
    }
}

// ---------------------------------------------------------------------------------------
// Errors

/// What to call a rule when listing what was expected: the words it starts with (taken
/// from the vocabulary table), or a description with spaces;
/// empty for rules not worth naming. Words are quoted when shown (see `expected::unexpected`).
fn expected_names(rule: Rule) -> Vec<&'static str> {
    let name = format!("{rule:?}");
    if let Some(word) = name.strip_prefix("kw_") {
        return suggest::keyword(word).into_iter().collect();
    }
    let words: &[&'static str] = match rule {
        Rule::phrase_only | Rule::statement | Rule::expr => {
            return suggest::words(WordClass::Start).collect()
        }
        Rule::periodic | Rule::cycle => return suggest::words(WordClass::Cycle).collect(),
        Rule::scope => return suggest::words(WordClass::Scope).collect(),
        Rule::action => return suggest::words(WordClass::TaskAction).collect(),
        Rule::outcome => return suggest::words(WordClass::Outcome).collect(),
        Rule::and_op | Rule::or_op | Rule::EOI => &["&", "|", "the end of the statement"],
        Rule::not_op => &["~"],
        Rule::group => &["("],
        Rule::constant => &["true", "false", "always"],
        Rule::time_of => &["time"],
        Rule::every => &["every"],
        Rule::cron => &["cron"],
        Rule::status => &["has", "task"],
        Rule::running => &["task", "while"],
        Rule::depend => &["after"],
        Rule::scheduler => &["scheduler"],
        Rule::env => &["env"],
        Rule::param => &["param"],
        Rule::status_period => &["today", "this"],
        Rule::past_window => &["past", "in"],
        Rule::this_scope => &["this"],
        Rule::comparison => &["more", "less"],
        Rule::between => &["between"],
        Rule::after => &["after"],
        Rule::before => &["before"],
        Rule::on => &["on"],
        Rule::starting => &["starting"],
        Rule::point | Rule::clock | Rule::weekday_point | Rule::ordinal_point => &["a time or day"],
        Rule::duration | Rule::duration_part | Rule::number | Rule::hms => &["a duration"],
        Rule::unit => &["a unit"],
        Rule::name => &["a quoted name"],
        Rule::count | Rule::digits => &["a number"],
        Rule::cron_fields => &["cron fields"],
        Rule::sp => &["more words"],
        _ => &[],
    };
    words.to_vec()
}

/// Turns pest's failure into an error at the word where parsing stopped.
fn syntax_error(text: &str, e: &pest::error::Error<Rule>, offset: usize) -> Error {
    let at = match e.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    let mut expected: Vec<&'static str> = match &e.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            positives.iter().flat_map(|r| expected_names(*r)).collect()
        }
        pest::error::ErrorVariant::CustomError { .. } => Vec::new(),
    };
    // Sorted as shown: quoted words first, then descriptions.
    expected.sort_unstable_by_key(|e| (e.contains(' '), *e));
    expected.dedup();
    // "more words" (a space may follow) only helps when nothing more precise was expected.
    if expected.len() > 1 {
        expected.retain(|e| *e != "more words");
    }
    super::expected::unexpected(text, at, &expected).shifted(offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(e: &Expr) -> String {
        match &e.kind {
            ExprKind::Any(v) => {
                format!("Any({})", v.iter().map(shape).collect::<Vec<_>>().join(","))
            }
            ExprKind::All(v) => {
                format!("All({})", v.iter().map(shape).collect::<Vec<_>>().join(","))
            }
            ExprKind::Not(x) => format!("Not({})", shape(x)),
            ExprKind::Group(x) => shape(x),
            ExprKind::Phrase(Phrase::Const(b)) => b.to_string(),
            ExprKind::Phrase(_) => "p".into(),
        }
    }

    fn parse(text: &str) -> String {
        shape(&parse_expr(text).unwrap())
    }

    #[test]
    fn precedence_follows_rocketry() {
        assert_eq!(parse("true & false | true"), "Any(All(true,false),true)");
        assert_eq!(parse("true | false & false"), "Any(true,All(false,false))");
        assert_eq!(parse("~ true & false"), "All(Not(true),false)");
        assert_eq!(parse("true & false & true"), "All(true,false,true)");
        assert_eq!(
            parse("(true & true)\n   | (false & ~\n   false)"),
            "Any(All(true,true),All(false,Not(false)))"
        );
    }

    #[test]
    fn spans_are_byte_offsets() {
        let e = parse_expr("daily & every 10 minutes").unwrap();
        let ExprKind::All(items) = e.kind else {
            panic!("not All")
        };
        assert_eq!(items[1].span, Span::new(8, 24));
    }

    #[test]
    fn phrases_build() {
        let e = parse_expr("task 'x y' has failed today between 22:00 and 02:00").unwrap();
        let ExprKind::Phrase(Phrase::Status { task, window, .. }) = e.kind else {
            panic!()
        };
        assert_eq!(task.unwrap().text, "x y");
        let Some(StatusWindow::Period { range: Some(r), .. }) = window else {
            panic!()
        };
        assert_eq!(r.kind, RangeKind::Between);
    }

    #[test]
    fn unknown_words_fall_back_to_custom_phrases() {
        let e = parse_expr("is business day & daily").unwrap();
        let ExprKind::All(items) = e.kind else {
            panic!()
        };
        let ExprKind::Phrase(Phrase::CustomPhrase(t)) = &items[0].kind else {
            panic!()
        };
        assert_eq!(t.text, "is business day");
        assert_eq!(t.span, Span::new(0, 15));
    }

    #[test]
    fn diagnosis_points_at_the_misspelled_word() {
        let e = diagnose_phrase("daily betwen 10:00 and 12:00", 4);
        assert_eq!(e.span(), Span::new(10, 16));
        assert!(e.help().unwrap_or("").contains("`between`"), "{e:?}");
    }
}
