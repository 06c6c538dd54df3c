//! Rocketry's Python condition API read as statements.
//!
//! `rocketry.conds` builds the same condition objects as the condition strings, and
//! Rocketry documents each function beside the string it stands for: `daily.between("22:00",
//! "02:00")` is `daily between 22:00 and 02:00`, `after_success("extract")` is `after task
//! 'extract'`, `~running("close")` is `~task 'close' is running`. A condition written with
//! these objects is read into that statement, traced back to the Python source (keywords
//! to the function or method that stands for them, literals to the literal), so the
//! statement's diagnostics land on the call that holds the mistake.
//!
//! The arguments must be literals or constants of the linted files. What has no statement
//! form (`crontime`, `retry`, `running.more_than(...)`, `every(..., based="success")`) or is
//! computed at run time is [`Unresolved::Skipped`] with the reason, so it gets a note.

use super::super::trace::Traced;
use super::{keyword, range, Binding, ModuleNames, Unresolved};
use ruff_python_ast::{self as ast, Expr, Operator, UnaryOp};
use ruff_text_size::Ranged;
use std::ops::Range;

/// The modules Rocketry's condition API is imported from, with the dot.
const API_MODULES: [&str; 3] = [
    "rocketry.conds.",
    "rocketry.conditions.api.",
    "rocketry.conditions.",
];

/// What a piece of a Rocketry expression is, as far as statements go.
#[derive(Debug)]
enum Value {
    /// A condition: its statement.
    Cond(Traced),
    /// A period that `.between(...)`, `.after(...)` and the like narrow: `daily`,
    /// `time_of_week`, `succeeded.today`.
    Period {
        text: Traced,
        /// Whether it is a condition on its own (`daily` is, `time_of_day` is not).
        alone: bool,
    },
    /// A method of a period, waiting for its call: `daily.between`.
    Method {
        text: Traced,
        method: String,
        at: Range<usize>,
    },
    /// `succeeded`, `failed`, `finished`, `started`, optionally given a task.
    Action { text: Traced, has_task: bool },
    /// `running`, waiting for a task.
    Running,
    /// A function of the API, waiting for its call.
    Function { name: String, at: Range<usize> },
}

impl ModuleNames<'_, '_> {
    /// `expr` as a condition statement: a string, a `rocketry.conds` object, or `&`, `|`,
    /// `~` between them. [`Unresolved::NotText`] when `expr` is none of these.
    pub(super) fn condition(&self, expr: &Expr) -> Result<Traced, Unresolved> {
        match expr {
            Expr::BinOp(b) if matches!(b.op, Operator::BitAnd | Operator::BitOr) => {
                let mut text = self.operand(&b.left)?;
                let right = self.operand(&b.right)?;
                let op = if b.op == Operator::BitAnd {
                    " & "
                } else {
                    " | "
                };
                text.push_str(op, b.left.end().into()..b.right.start().into());
                text.push(right);
                Ok(text)
            }
            Expr::UnaryOp(u) if u.op == UnaryOp::Invert => {
                let start = usize::from(u.start());
                let mut text = Traced::uniform("~", start..start + 1);
                text.push(self.operand(&u.operand)?);
                Ok(text)
            }
            _ => match self.resolve(expr) {
                Err(Unresolved::NotText) => self.object(expr),
                read => read,
            },
        }
    }

    /// An operand of `&`, `|` or `~`: in parentheses unless it is one phrase.
    fn operand(&self, expr: &Expr) -> Result<Traced, Unresolved> {
        let inner = self.condition(expr)?;
        if !inner.text().contains(['&', '|']) {
            return Ok(inner);
        }
        let at = range(expr);
        let mut text = Traced::uniform("(", at.clone());
        text.push(inner);
        text.push_str(")", at);
        Ok(text)
    }

    /// A Python object used as a condition: a `rocketry.conds` condition, or a function
    /// registered as a custom condition.
    fn object(&self, expr: &Expr) -> Result<Traced, Unresolved> {
        let bound = match expr {
            Expr::Name(n) => self.names.get(n.id.as_str()).cloned(),
            Expr::Attribute(a) => self.member(a).and_then(Result::ok),
            _ => None,
        };
        if let Some(Binding::Function {
            phrase: Some(phrase),
            ..
        }) = bound
        {
            return Ok(Traced::uniform(&phrase, range(expr)));
        }
        let value = self.value(expr)?;
        self.finish(value, expr)
    }

    /// The statement of a finished value.
    fn finish(&self, value: Value, expr: &Expr) -> Result<Traced, Unresolved> {
        let written = &self.source[range(expr)];
        match value {
            Value::Cond(text) | Value::Period { text, alone: true } => Ok(text),
            Value::Action { text, .. } => Ok(text),
            Value::Period { alone: false, .. } => Err(self.no_form(
                expr.range(),
                &format!("`{written}` alone has no statement form; narrow it with `.between(...)`, `.after(...)`, `.before(...)` or `.on(...)`"),
            )),
            Value::Running => Err(self.no_form(
                expr.range(),
                "`running` without a task means the task itself, which no statement can say",
            )),
            Value::Method { .. } | Value::Function { .. } => Err(self.no_form(
                expr.range(),
                &format!("`{written}` is not called"),
            )),
        }
    }

    fn no_form(&self, at: impl Ranged, reason: &str) -> Unresolved {
        Unresolved::Skipped(range(&at), reason.to_owned())
    }

    /// What `expr` is in Rocketry's condition API.
    fn value(&self, expr: &Expr) -> Result<Value, Unresolved> {
        if let Some(name) = self.api_name(expr) {
            return self.api_value(&name, expr);
        }
        match expr {
            Expr::Attribute(a) => {
                let base = self.value(&a.value)?;
                self.attribute(base, a)
            }
            Expr::Call(c) => {
                let callee = self.value(&c.func)?;
                self.call(callee, c)
            }
            _ => Err(Unresolved::NotText),
        }
    }

    /// The API name `expr` stands for (`daily` for `daily`, `conds.daily` or
    /// `rocketry.conds.daily`).
    fn api_name(&self, expr: &Expr) -> Option<String> {
        let path = self.dotted(expr)?;
        API_MODULES
            .iter()
            .find_map(|m| path.strip_prefix(m))
            .filter(|rest| !rest.contains('.'))
            .map(str::to_owned)
    }

    /// The dotted path of an imported name or an attribute of one.
    pub(super) fn dotted(&self, expr: &Expr) -> Option<String> {
        match expr {
            Expr::Name(n) => match self.names.get(n.id.as_str()) {
                Some(Binding::Import(path)) => Some(path.clone()),
                _ => None,
            },
            Expr::Attribute(a) => match self.dotted(&a.value) {
                Some(base) => Some(format!("{base}.{}", a.attr)),
                // `schedules.daily`, where `schedules` imports `daily` from Rocketry.
                None => match self.member(a) {
                    Some(Ok(Binding::Import(path))) => Some(path),
                    _ => None,
                },
            },
            _ => None,
        }
    }

    fn api_value(&self, name: &str, expr: &Expr) -> Result<Value, Unresolved> {
        let at = range(expr);
        let text = |t: &str| Traced::uniform(t, at.clone());
        let period = |t: &str, alone: bool| Value::Period {
            text: text(t),
            alone,
        };
        Ok(match name {
            "true" | "false" => Value::Cond(text(name)),
            "secondly" | "minutely" | "hourly" | "daily" | "weekly" | "monthly" => {
                period(name, true)
            }
            "time_of_minute" | "time_of_hour" | "time_of_day" | "time_of_week"
            | "time_of_month" => period(&name.replace('_', " "), false),
            "started" | "failed" | "succeeded" | "finished" => Value::Action {
                text: text(&format!("has {name}")),
                has_task: false,
            },
            "running" => Value::Running,
            "every" | "cron" | "after_success" | "after_fail" | "after_finish"
            | "after_all_success" | "after_all_fail" | "after_all_finish" | "after_any_success"
            | "after_any_fail" | "after_any_finish" | "scheduler_cycles" => Value::Function {
                name: name.to_owned(),
                at,
            },
            _ => {
                return Err(Unresolved::Skipped(
                    at,
                    format!("`{name}` of `rocketry.conds` has no statement form"),
                ))
            }
        })
    }

    /// `daily.between`, `succeeded.today`, `running.more_than`.
    fn attribute(&self, base: Value, a: &ast::ExprAttribute) -> Result<Value, Unresolved> {
        let attr = a.attr.as_str();
        let at = range(&a.attr);
        match base {
            Value::Period { text, .. }
                if matches!(
                    attr,
                    "between" | "after" | "before" | "on" | "at" | "starting"
                ) =>
            {
                Ok(Value::Method {
                    text,
                    method: attr.to_owned(),
                    at,
                })
            }
            Value::Action { mut text, .. } => {
                let span = match attr {
                    "today" | "this_day" => "today",
                    "this_minute" => "this minute",
                    "this_hour" => "this hour",
                    "this_week" => "this week",
                    "this_month" => "this month",
                    _ => {
                        return Err(
                            self.no_form(a.range, &format!("`.{attr}` has no statement form"))
                        )
                    }
                };
                text.push_str(&format!(" {span}"), at);
                Ok(Value::Period { text, alone: true })
            }
            _ => Err(Unresolved::Skipped(
                range(a),
                format!("`{}` has no statement form", &self.source[range(a)]),
            )),
        }
    }

    /// A call of an API function or method.
    fn call(&self, callee: Value, c: &ast::ExprCall) -> Result<Value, Unresolved> {
        match callee {
            Value::Method {
                mut text,
                method,
                at,
            } => {
                let word = if method == "at" {
                    "on"
                } else {
                    method.as_str()
                };
                text.push_str(&format!(" {word} "), at);
                if method == "between" {
                    let (start, end) = (self.arg(c, 0, "start")?, self.arg(c, 1, "end")?);
                    text.push(self.point(start)?);
                    text.push_str(" and ", start.end().into()..end.start().into());
                    text.push(self.point(end)?);
                } else {
                    let names = ["start", "end", "span"];
                    let arg = c
                        .arguments
                        .args
                        .first()
                        .or_else(|| names.iter().find_map(|n| keyword(c, n)))
                        .ok_or_else(|| self.missing(c))?;
                    text.push(self.point(arg)?);
                }
                Ok(Value::Cond(text))
            }
            Value::Action {
                text,
                has_task: false,
            } => {
                let task = self.arg(c, 0, "task")?;
                let mut named = self.task_phrase("task ", task, range(&*c.func))?;
                named.push_str(" ", range(&*c.func));
                named.push(text);
                Ok(Value::Action {
                    text: named,
                    has_task: true,
                })
            }
            Value::Running => self.running(c),
            Value::Function { name, at } => self.api_function(&name, at, c),
            _ => Err(Unresolved::Skipped(
                range(c),
                format!("`{}` has no statement form", &self.source[range(c)]),
            )),
        }
    }

    /// `running("close")` or `running(task="close")`.
    fn running(&self, c: &ast::ExprCall) -> Result<Value, Unresolved> {
        if keyword(c, "more_than").is_some() || keyword(c, "less_than").is_some() {
            return Err(self.no_form(
                c.range(),
                "`running` with `more_than` or `less_than` has no statement form",
            ));
        }
        let task = self.arg(c, 0, "task")?;
        let mut text = self.task_phrase("task ", task, range(&*c.func))?;
        text.push_str(" is running", range(&*c.func));
        Ok(Value::Cond(text))
    }

    /// `every(...)`, `cron(...)`, `after_success(...)` and the like.
    fn api_function(
        &self,
        name: &str,
        at: Range<usize>,
        c: &ast::ExprCall,
    ) -> Result<Value, Unresolved> {
        let mut text = Traced::default();
        match name {
            "every" => {
                if let Some(based) = keyword(c, "based") {
                    let run = self.resolve(based).is_ok_and(|t| t.text() == "run");
                    if !run {
                        return Err(self.no_form(
                            based.range(),
                            "`every(..., based=...)` other than `\"run\"` has no statement form",
                        ));
                    }
                }
                text.push_str("every ", at);
                text.push(self.literal(self.arg(c, 0, "past")?)?);
            }
            "cron" => text = self.cron(at, c)?,
            "scheduler_cycles" => {
                let (more, less) = (keyword(c, "more_than"), keyword(c, "less_than"));
                let (word, n) = match (more, less) {
                    (Some(n), None) => ("more", n),
                    (None, Some(n)) => ("less", n),
                    _ => {
                        return Err(self.no_form(
                            c.range(),
                            "`scheduler_cycles` with both bounds or none has no statement form",
                        ))
                    }
                };
                text.push_str(&format!("scheduler has {word} than "), at.clone());
                text.push(self.literal(n)?);
                text.push_str(" cycles", at);
            }
            _ => text = self.depend(name, at, c)?,
        }
        Ok(Value::Cond(text))
    }

    /// `cron("0 2 * * *")` or `cron(minute="0", hour="2")`.
    fn cron(&self, at: Range<usize>, c: &ast::ExprCall) -> Result<Traced, Unresolved> {
        let mut text = Traced::uniform("cron ", at.clone());
        if let Some(expr) = c.arguments.args.first() {
            if !c.arguments.keywords.is_empty() {
                return Err(self.no_form(
                    expr.range(),
                    "`cron` with both an expression and fields is not read",
                ));
            }
            text.push(self.literal(expr)?);
            return Ok(text);
        }
        let fields = ["minute", "hour", "day_of_month", "month", "day_of_week"];
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                text.push_str(" ", at.clone());
            }
            match keyword(c, field) {
                Some(value) => text.push(self.literal(value)?),
                None => text.push_str("*", at.clone()),
            }
        }
        Ok(text)
    }

    /// `after_success("a")`, `after_all_fail("a", "b")`, `after_any_finish(a, b)`.
    fn depend(
        &self,
        name: &str,
        at: Range<usize>,
        c: &ast::ExprCall,
    ) -> Result<Traced, Unresolved> {
        let (quantity, outcome) = name
            .strip_prefix("after_")
            .and_then(|rest| rest.split_once('_').or(Some(("", rest))))
            .unwrap_or(("", name));
        let suffix = match outcome {
            "fail" => " failed",
            "finish" => " finished",
            _ => "",
        };
        let mut text = Traced::default();
        if quantity.is_empty() {
            let task = self.arg(c, 0, "task")?;
            text.push(self.task_phrase("after task ", task, at.clone())?);
        } else {
            if c.arguments.args.is_empty() {
                return Err(self.missing(c));
            }
            let lead = if quantity == "any" {
                "after any tasks "
            } else {
                "after tasks "
            };
            text.push_str(lead, at.clone());
            for (i, task) in c.arguments.args.iter().enumerate() {
                if i > 0 {
                    text.push_str(", ", at.clone());
                }
                text.push(self.task_phrase("", task, at.clone())?);
            }
        }
        text.push_str(suffix, at);
        Ok(text)
    }

    /// `lead` and then the task named by `task`, quoted: a string, a constant, or a
    /// function that is a task.
    fn task_phrase(&self, lead: &str, task: &Expr, at: Range<usize>) -> Result<Traced, Unresolved> {
        let name = match task {
            Expr::Name(n) => match self.names.get(n.id.as_str()) {
                Some(Binding::Function { task, .. }) => Some(Traced::uniform(
                    task.as_deref().unwrap_or(n.id.as_str()),
                    range(n),
                )),
                _ => None,
            },
            _ => None,
        };
        let name = match name {
            Some(name) => name,
            None => self.literal(task)?,
        };
        let quote = match name.text() {
            t if t.contains(['&', '|', '~', '(', ')']) || (t.contains('\'') && t.contains('"')) => {
                return Err(Unresolved::Skipped(
                    range(task),
                    format!("the task name `{t}` cannot be written in a statement"),
                ))
            }
            t if t.contains('\'') => "\"",
            _ => "'",
        };
        let mut text = Traced::uniform(&format!("{lead}{quote}"), at.clone());
        text.push(name);
        text.push_str(quote, at);
        Ok(text)
    }

    /// The argument at `index`, or the keyword `name`.
    fn arg<'c>(
        &self,
        c: &'c ast::ExprCall,
        index: usize,
        name: &str,
    ) -> Result<&'c Expr, Unresolved> {
        c.arguments
            .args
            .get(index)
            .or_else(|| keyword(c, name))
            .ok_or_else(|| self.missing(c))
    }

    fn missing(&self, c: &ast::ExprCall) -> Unresolved {
        Unresolved::Skipped(
            range(c),
            format!("`{}` lacks an argument", &self.source[range(c)]),
        )
    }

    /// A point of a period (`"10:00"`, `"Mon"`, `"15th"`). A number is refused: the Python
    /// API reads `daily.after(10)` as 10 hours into the day, where the statement
    /// `daily after 10` means a day of the month.
    fn point(&self, expr: &Expr) -> Result<Traced, Unresolved> {
        let number = match expr {
            Expr::NumberLiteral(_) => true,
            Expr::UnaryOp(u) => u.operand.is_number_literal_expr(),
            _ => false,
        };
        if number {
            return Err(self.no_form(
                expr.range(),
                "a number as a period's point counts units of the period in the Python API, which no statement writes the same way; write the point as a string such as \"10:00\"",
            ));
        }
        self.literal(expr)
    }

    /// A literal argument: a string, a number or a constant.
    fn literal(&self, expr: &Expr) -> Result<Traced, Unresolved> {
        self.resolve(expr).map_err(|e| match e {
            Unresolved::NotText => self.not_constant(expr),
            skipped => skipped,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::{module, Condition};

    /// The statement or skip reason of each condition of `source`, after the imports of
    /// `rocketry.conds` every test shares.
    fn read(source: &str) -> Vec<String> {
        let source = format!(
            "from rocketry.conds import *\nfrom rocketry import conds\nfrom rocketry.conds import (daily, weekly, time_of_day, time_of_week, every, cron, crontime, after_success, after_fail, after_all_finish, after_any_success, running, succeeded, scheduler_cycles, true)\n{source}"
        );
        let parsed = ruff_python_parser::parse_module(&source).expect("valid python");
        module(&parsed.syntax().body, &source)
            .conditions
            .into_iter()
            .map(|c| match c {
                Condition::Statement { text, .. } => text.text().to_owned(),
                Condition::Skipped { reason, .. } => format!("skipped: {reason}"),
            })
            .collect()
    }

    fn task(cond: &str) -> Vec<String> {
        read(&format!("@app.task({cond})\ndef t(): ...\n"))
    }

    #[test]
    fn periods_and_their_methods() {
        assert_eq!(task("daily"), ["daily"]);
        assert_eq!(
            task("conds.daily.between('22:00', '02:00')"),
            ["daily between 22:00 and 02:00"]
        );
        assert_eq!(task("daily.at('10:00')"), ["daily on 10:00"]);
        assert_eq!(
            task("weekly.on('Mon') & time_of_day.after('09:00')"),
            ["weekly on Mon & time of day after 09:00"]
        );
        assert_eq!(
            task("time_of_week.between('Mon', 'Fri')"),
            ["time of week between Mon and Fri"]
        );
    }

    #[test]
    fn functions_of_the_api() {
        assert_eq!(task("every('10 minuts')"), ["every 10 minuts"]);
        assert_eq!(task("cron('61 * * * *')"), ["cron 61 * * * *"]);
        assert_eq!(
            task("cron(minute='*/5', hour='8-18')"),
            ["cron */5 8-18 * * *"]
        );
        assert_eq!(
            task("after_success('a') | after_fail('b')"),
            ["after task 'a' | after task 'b' failed"]
        );
        assert_eq!(
            task("after_all_finish('a', 'b')"),
            ["after tasks 'a', 'b' finished"]
        );
        assert_eq!(
            task("after_any_success('a', 'b')"),
            ["after any tasks 'a', 'b'"]
        );
        assert_eq!(task("~running('close')"), ["~task 'close' is running"]);
        assert_eq!(
            task("succeeded('x').today.between('10:00', '12:00')"),
            ["task 'x' has succeeded today between 10:00 and 12:00"]
        );
        assert_eq!(
            task("scheduler_cycles(more_than=3)"),
            ["scheduler has more than 3 cycles"]
        );
        assert_eq!(task("true & 'daily'"), ["true & daily"]);
    }

    #[test]
    fn operands_with_operators_keep_their_grouping() {
        assert_eq!(
            task("~(daily | 'hourly & true')"),
            ["~(daily | (hourly & true))"]
        );
    }

    #[test]
    fn functions_name_their_tasks_and_custom_conditions() {
        let found = read("@app.task('daily', name='pull')\ndef extract(): ...\n@app.cond('is ready')\ndef ready(): ...\n@app.task(after_success(extract) & ready)\ndef load(): ...\n");
        assert_eq!(found, ["daily", "after task 'pull' & is ready"]);
    }

    #[test]
    fn what_has_no_statement_form_is_skipped_with_the_reason() {
        assert_eq!(task("running"), ["skipped: `running` without a task means the task itself, which no statement can say"]);
        assert_eq!(
            task("running.more_than('1 hour')"),
            ["skipped: `running.more_than` has no statement form"]
        );
        assert_eq!(
            task("crontime('0 9 * * *')"),
            ["skipped: `crontime` of `rocketry.conds` has no statement form"]
        );
        assert_eq!(
            task("daily.after(10)")[0].split(':').next(),
            Some("skipped")
        );
        assert_eq!(
            task("every(delta)"),
            ["skipped: `delta` is not a module-level constant"]
        );
        assert_eq!(
            task("every('1 hour', based='fail')"),
            ["skipped: `every(..., based=...)` other than `\"run\"` has no statement form"]
        );
        assert_eq!(task("time_of_day"), ["skipped: `time_of_day` alone has no statement form; narrow it with `.between(...)`, `.after(...)`, `.before(...)` or `.on(...)`"]);
    }

    #[test]
    fn a_condition_object_kept_in_a_constant_is_read_where_it_is_used() {
        let found = read("NIGHT = daily.between('01:00', '04:00')\n@app.task(NIGHT & ~running('x'))\ndef t(): ...\n");
        assert_eq!(
            found,
            ["daily between 01:00 and 04:00 & ~task 'x' is running"]
        );
    }
}
