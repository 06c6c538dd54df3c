//! `tminus repl`: type statements and see at once whether they parse, whether they are true
//! now and when they are next; `:` commands move the clock, change the zone, record task
//! events and draw timelines (`docs/repl.md`).
//!
//! The REPL is a thin loop: [`session::Session::handle`] answers each input with the calls
//! the other commands make. On a terminal the loop reads with a line editor
//! ([`editor`]: history, Ctrl-R, completion, highlighting, multi-line input); in a pipe it
//! reads plain lines, echoes each input after `> ` and prints plain text, so a file of
//! inputs gives a transcript.

mod commands;
mod complete;
mod editor;
mod highlight;
mod session;

use super::settings::{self, EvalArgs};
use super::{use_color, OK, USAGE};
use session::{Clock, Flow, Session};
use std::io::{BufRead, IsTerminal, Write};

/// Arguments of `tminus repl`.
#[derive(clap::Args, Debug)]
pub struct ReplCommand {
    /// Start with the clock frozen at this instant (ISO 8601, civil time in --tz unless it
    /// has an offset); `:now` releases it.
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
    #[command(flatten)]
    common: EvalArgs,
}

/// Runs `tminus repl`: 0 at the end of the input or on `:quit`, 2 when the arguments are
/// wrong or the terminal fails.
pub fn run(args: &ReplCommand) -> u8 {
    let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let color = interactive && use_color();
    let session = match session(args, color) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return USAGE;
        }
    };
    if interactive {
        editor::run(session, color)
    } else {
        piped(
            session,
            std::io::stdin().lock(),
            &mut std::io::stdout().lock(),
        )
    }
}

fn session(args: &ReplCommand, color: bool) -> Result<Session, String> {
    let zone = settings::zone_or_system(args.common.tz.as_deref())?;
    let history = settings::history(&args.common, zone)?;
    let options = args.common.parse_options();
    let mut session = Session::new(zone, args.common.task.clone(), history, options, color)
        .with_dst(args.common.dst_policy());
    if let Some(at) = &args.at {
        session.set_clock(Clock::Frozen(settings::instant(Some(at), zone)?));
    }
    Ok(session)
}

/// Reads inputs line by line; an unfinished statement takes the following lines too.
/// Echoes each input (first line after `> `, the others after `. `) before its answer.
fn piped(mut session: Session, input: impl BufRead, out: &mut dyn Write) -> u8 {
    let mut pending = String::new();
    for line in input.lines() {
        let Ok(line) = line else {
            eprintln!("error: cannot read the input");
            return USAGE;
        };
        if !pending.is_empty() {
            pending.push('\n');
        }
        pending.push_str(&line);
        if is_unfinished(&pending) {
            continue;
        }
        match answer(&mut session, &pending, out) {
            Ok(Flow::Continue) => pending.clear(),
            Ok(Flow::Quit) => return OK,
            Err(_) => return OK, // stdout closed: nobody reads the rest
        }
    }
    // Still unfinished at the end of the input: answer it, which shows the error.
    let _ = answer(&mut session, &pending, out);
    OK
}

fn answer(session: &mut Session, input: &str, out: &mut dyn Write) -> std::io::Result<Flow> {
    if input.trim().is_empty() {
        return Ok(Flow::Continue);
    }
    for (i, line) in input.lines().enumerate() {
        writeln!(out, "{} {line}", if i == 0 { ">" } else { "." })?;
    }
    let flow = session.handle(input, out)?;
    out.flush()?;
    Ok(flow)
}

/// Whether a statement needs more lines: a parenthesis is still open (outside quotes), or it ends
/// with an operator. `:` commands are always one line.
pub fn is_unfinished(text: &str) -> bool {
    let text = text.trim();
    if text.starts_with(':') {
        return false;
    }
    let mut depth = 0i32;
    let mut quote = None;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => depth -= 1,
            _ => {}
        }
    }
    depth > 0 || text.ends_with(['&', '|', '~'])
}

#[cfg(test)]
mod tests {
    use super::is_unfinished;

    #[test]
    fn unfinished_statements() {
        assert!(is_unfinished("(daily |"));
        assert!(is_unfinished("daily &"));
        assert!(is_unfinished("(daily | hourly) & (time of day after 10:00"));
        assert!(!is_unfinished("(daily | hourly)"));
        assert!(!is_unfinished("after task '(x'"));
        assert!(
            !is_unfinished("daily)"),
            "too many closers is an error to show, not a wait"
        );
        assert!(!is_unfinished(":help ("));
    }
}
