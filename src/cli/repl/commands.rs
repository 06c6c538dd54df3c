//! The REPL's `:` commands: one table ([`COMMANDS`]) that `:help` prints and completion
//! offers, and the parser from a line such as `:run fetch at 2024-03-11T10:00` to a
//! [`Command`].

use tminus::Action;

/// Every command: its name, its arguments and what it does, as `:help` prints them.
pub const COMMANDS: &[(&str, &str, &str)] = &[
    (":now", "", "follow the system clock again (and show it)"),
    (
        ":at",
        "TIME",
        "freeze the clock at TIME (ISO 8601, or HH:MM today)",
    ),
    (
        ":tz",
        "[ZONE]",
        "set (or show) the IANA zone of civil times",
    ),
    (
        ":task",
        "[NAME]",
        "set (or show) the task that owns the statement",
    ),
    (
        ":run",
        "NAME [at TIME]",
        "record that NAME started a run (now is the clock)",
    ),
    (
        ":success",
        "NAME [at TIME]",
        "record that NAME's run succeeded",
    ),
    (":fail", "NAME [at TIME]", "record that NAME's run failed"),
    (":history", "", "list the recorded task events"),
    (":clear", "", "forget every recorded task event"),
    (
        ":next",
        "[N]",
        "truth now and the next N windows of the last statement",
    ),
    (
        ":explain",
        "",
        "the last statement as a tree: each part's truth and why",
    ),
    (":fmt", "", "the last statement in canonical form"),
    (
        ":timeline",
        "[DAYS]",
        "draw when the last statement is true, day by day",
    ),
    (":help", "", "this list"),
    (":quit", "", "leave (Ctrl-D does too)"),
];

/// A parsed command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `:now`: release the clock.
    Now,
    /// `:at TIME`: freeze the clock.
    At(String),
    /// `:tz [ZONE]`.
    Tz(Option<String>),
    /// `:task [NAME]`.
    Task(Option<String>),
    /// `:run`, `:success`, `:fail`: add a record to the history.
    Record {
        /// The task.
        task: String,
        /// What it did.
        action: Action,
        /// When, if not at the clock's instant.
        at: Option<String>,
    },
    /// `:history`.
    History,
    /// `:clear`.
    Clear,
    /// `:next [N]`.
    Next(Option<usize>),
    /// `:explain`.
    Explain,
    /// `:fmt`.
    Fmt,
    /// `:timeline [DAYS]`.
    Timeline(Option<u32>),
    /// `:help`.
    Help,
    /// `:quit`.
    Quit,
}

/// Reads a line that starts with `:`.
///
/// The errors are messages for the user, e.g. "unknown command `:foo` (:help lists them)".
pub fn parse(line: &str) -> Result<Command, String> {
    let line = line.trim();
    let (name, args) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    let args = args.trim();
    let arg = (!args.is_empty()).then(|| args.to_owned());
    let none = |c: Command| match args {
        "" => Ok(c),
        _ => Err(format!("`{name}` takes no arguments")),
    };
    match name {
        ":now" => none(Command::Now),
        ":at" => arg.map(Command::At).ok_or_else(|| usage(":at")),
        ":tz" => Ok(Command::Tz(arg)),
        ":task" => Ok(Command::Task(arg.map(|a| unquote(&a).to_owned()))),
        ":run" => record(args, Action::Run),
        ":success" => record(args, Action::Success),
        ":fail" => record(args, Action::Fail),
        ":history" => none(Command::History),
        ":clear" => none(Command::Clear),
        ":next" => number(arg).map(Command::Next),
        ":explain" => none(Command::Explain),
        ":fmt" => none(Command::Fmt),
        ":timeline" => number(arg).map(Command::Timeline),
        ":help" | ":h" | ":?" => Ok(Command::Help),
        ":quit" | ":q" | ":exit" => none(Command::Quit),
        _ => Err(format!("unknown command `{name}` (:help lists them)")),
    }
}

/// "usage: :at TIME", from the table.
fn usage(name: &str) -> String {
    let args = COMMANDS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map_or("", |(_, a, _)| a);
    format!("usage: {name} {args}")
}

fn number<T: std::str::FromStr>(arg: Option<String>) -> Result<Option<T>, String> {
    arg.map(|a| {
        a.parse()
            .map_err(|_| format!("`{a}` is not a number of the expected size"))
    })
    .transpose()
}

/// `NAME [at TIME]`, the name bare or quoted (`'my task' at 10:00`).
fn record(args: &str, action: Action) -> Result<Command, String> {
    let (task, rest) = task_and_rest(args);
    if task.is_empty() {
        return Err(usage(&format!(":{}", command_word(action))));
    }
    let at = match rest.trim() {
        "" => None,
        rest => match rest.strip_prefix("at ") {
            Some(time) => Some(time.trim().to_owned()),
            None => return Err(format!("expected `at TIME` after the task, found `{rest}`")),
        },
    };
    Ok(Command::Record {
        task: task.to_owned(),
        action,
        at,
    })
}

/// The command that records `action`.
fn command_word(action: Action) -> &'static str {
    match action {
        Action::Success => "success",
        Action::Fail => "fail",
        _ => "run",
    }
}

/// Splits `NAME rest`: a quoted name runs to its closing quote, a bare one to ` at ` or
/// the end.
fn task_and_rest(args: &str) -> (&str, &str) {
    let quote = args.chars().next().filter(|c| *c == '\'' || *c == '"');
    if let Some(q) = quote {
        if let Some(end) = args[1..].find(q) {
            return (&args[1..=end], &args[end + 2..]);
        }
    }
    match args.find(" at ") {
        Some(i) => (args[..i].trim(), &args[i + 1..]),
        None => (args.trim(), ""),
    }
}

/// `'a b'` or `"a b"` without its quotes; other text as it is.
fn unquote(text: &str) -> &str {
    let quoted = text.len() >= 2
        && ((text.starts_with('\'') && text.ends_with('\''))
            || (text.starts_with('"') && text.ends_with('"')));
    if quoted {
        &text[1..text.len() - 1]
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(task: &str, action: Action, at: Option<&str>) -> Command {
        Command::Record {
            task: task.into(),
            action,
            at: at.map(Into::into),
        }
    }

    #[test]
    fn records_take_a_bare_or_quoted_name_and_an_optional_time() {
        assert_eq!(parse(":run fetch"), Ok(rec("fetch", Action::Run, None)));
        assert_eq!(
            parse(":success fetch at 2024-03-11 10:00"),
            Ok(rec("fetch", Action::Success, Some("2024-03-11 10:00")))
        );
        assert_eq!(
            parse(":fail 'my task' at 10:00"),
            Ok(rec("my task", Action::Fail, Some("10:00")))
        );
        assert_eq!(parse(":run"), Err("usage: :run NAME [at TIME]".into()));
        assert!(parse(":run 'a' tomorrow").is_err());
    }

    #[test]
    fn optional_arguments() {
        assert_eq!(parse(":next"), Ok(Command::Next(None)));
        assert_eq!(parse(":next 5"), Ok(Command::Next(Some(5))));
        assert!(parse(":next five").is_err());
        assert_eq!(parse(":timeline 3"), Ok(Command::Timeline(Some(3))));
        assert_eq!(parse(":task 'a b'"), Ok(Command::Task(Some("a b".into()))));
        assert_eq!(parse(":at"), Err("usage: :at TIME".into()));
    }

    #[test]
    fn unknown_commands_and_stray_arguments_are_errors() {
        assert_eq!(
            parse(":frobnicate"),
            Err("unknown command `:frobnicate` (:help lists them)".into())
        );
        assert_eq!(parse(":quit now"), Err("`:quit` takes no arguments".into()));
    }

    #[test]
    fn every_command_in_the_table_parses() {
        for (name, args, _) in COMMANDS {
            let line = match *args {
                "TIME" => format!("{name} 10:00"),
                a if a.starts_with("NAME") => format!("{name} t"),
                _ => name.to_string(),
            };
            assert!(parse(&line).is_ok(), "{line}");
        }
    }
}
