//! `tminus next`: the next windows in which a statement is true, or why there are none,
//! for one statement or for each JSON Lines case on stdin (`--jsonl`).

use super::settings::{self, EvalArgs};
use super::{case, jsonl, usage, Format, OK};
use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use serde_json::{json, Value};
use tminus::eval::waiting::windows_if_events;
use tminus::{History, Next, Schedule, Window};

/// Arguments of `tminus next`.
#[derive(clap::Args, Debug)]
pub struct NextCommand {
    /// The statement, e.g. "daily between 10:00 and 12:00".
    #[arg(required_unless_present = "jsonl")]
    statement: Option<String>,
    /// Search from this instant: ISO 8601, civil time in --tz unless it has an offset (default: now).
    #[arg(long, value_name = "TIME")]
    after: Option<String>,
    /// How many windows to list (at least 1).
    #[arg(long, short = 'n', default_value_t = 1, value_parser = count_at_least_one)]
    count: usize,
    /// How far to search, in any spelling `every` takes (`400 days`, `9d`).
    #[arg(long, value_name = "DURATION", default_value = "3660 days")]
    horizon: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    #[command(flatten)]
    common: EvalArgs,
    /// Read cases as JSON Lines from stdin and answer each on one line (a case without "tz"
    /// is in --tz, else UTC).
    #[arg(long, conflicts_with_all = ["statement", "after"])]
    jsonl: bool,
}

fn count_at_least_one(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("give at least 1 window".to_owned()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

/// Runs `tminus next`.
pub fn run(args: &NextCommand) -> u8 {
    let horizon = match settings::duration(&args.horizon) {
        Ok(h) => h,
        Err(e) => return usage(&e),
    };
    if args.jsonl {
        let zone = match settings::zone(args.common.tz.as_deref().unwrap_or("UTC")) {
            Ok(z) => z,
            Err(e) => return usage(&e),
        };
        return jsonl::answer_each(|input| answer(input, zone, args, horizon));
    }
    let text = args.statement.as_deref().unwrap_or_default();
    let statement = match super::statement(text, &args.common.parse_options()) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match one(args, &statement, horizon) {
        Ok(()) => OK,
        Err(e) => usage(&e),
    }
}

/// The first answer, and when it is a window, up to `count` windows.
pub fn search<H: History>(
    s: &Schedule,
    from: DateTime<Utc>,
    horizon: TimeDelta,
    zone: Tz,
    h: &H,
    count: usize,
) -> (Next, Vec<Window>) {
    let first = s.next_window(from, horizon, zone, h);
    let windows = match first {
        Next::Window(_) => s
            .windows(from, horizon, zone, h)
            .take(count.max(1))
            .collect(),
        _ => Vec::new(),
    };
    (first, windows)
}

fn one(
    args: &NextCommand,
    statement: &tminus::Statement,
    horizon: TimeDelta,
) -> Result<(), String> {
    let settings::Resolved {
        zone,
        at: from,
        history,
    } = settings::resolve(&args.common, args.after.as_deref())?;
    let schedule = args.common.schedule(statement);
    let (first, windows) = search(&schedule, from, horizon, zone, &history, args.count);
    let counting = match first {
        Next::WaitsOn(_) => {
            let task = &args.common.task;
            windows_if_events(
                statement.cond(),
                task,
                from,
                horizon,
                zone,
                &history,
                args.count,
            )
        }
        _ => Vec::new(),
    };
    match args.format {
        Format::Json => println!("{}", result_json(&first, &windows, &counting)),
        Format::Text => print_text(&first, &windows, &counting, &args.horizon),
    }
    Ok(())
}

fn print_window(w: &Window, indent: &str) {
    let iso = super::human::instant;
    match &w.end {
        Some(end) => println!("{indent}{} .. {}", iso(&w.start), iso(end)),
        None => println!(
            "{indent}{} .. (open: no end within the horizon)",
            iso(&w.start)
        ),
    }
}

fn print_text(first: &Next, windows: &[Window], counting: &[Window], horizon: &str) {
    match first {
        Next::Window(_) => windows.iter().for_each(|w| print_window(w, "")),
        Next::Never => println!("never: no instant can satisfy this statement"),
        Next::NotWithinHorizon => println!("not within {horizon}"),
        Next::WaitsOn(events) => {
            let events: Vec<String> = events.iter().map(ToString::to_string).collect();
            println!("waits on: {}", events.join(", "));
            if !counting.is_empty() {
                println!("which would make it true in:");
                counting.iter().for_each(|w| print_window(w, "  "));
            }
        }
    }
}

/// `{"windows": [...], "never": bool, "not_within_horizon": bool, "waits_on": [...],
/// "waits_on_windows": [...]}`: the last are the windows in which the awaited events
/// would make the statement true.
pub fn result_json(first: &Next, windows: &[Window], counting: &[Window]) -> Value {
    let mut v = serde_json::to_value(first).unwrap_or(Value::Null);
    v["windows"] = serde_json::to_value(windows).unwrap_or(Value::Null);
    v["waits_on_windows"] = serde_json::to_value(counting).unwrap_or(Value::Null);
    v
}

fn answer(input: &Value, zone: Tz, args: &NextCommand, horizon: TimeDelta) -> Value {
    let count = args.count;
    let mut out = case::echo(input);
    let result = case::read(input, zone).and_then(|c| {
        let statement = case::statement(&c, &args.common.parse_options())?;
        let schedule = statement
            .schedule()
            .with_task(c.task.clone())
            .with_dst(args.common.dst_policy());
        let (first, windows) = search(&schedule, c.now, horizon, c.zone, &c.history, count);
        let counting = match first {
            Next::WaitsOn(_) => {
                let cond = statement.cond();
                windows_if_events(cond, &c.task, c.now, horizon, c.zone, &c.history, count)
            }
            _ => Vec::new(),
        };
        Ok((first, windows, counting))
    });
    match result {
        Ok((first, windows, counting)) => {
            out.insert("parsed".into(), json!(true));
            if let Value::Object(fields) = result_json(&first, &windows, &counting) {
                out.extend(fields);
            }
            out.insert("error".into(), Value::Null);
        }
        Err(e) => {
            let parsed = input.get("cond").and_then(Value::as_str).is_some_and(|t| {
                tminus::Statement::parse_with(t, &args.common.parse_options()).is_ok()
            });
            out.insert("parsed".into(), json!(parsed));
            out.insert("windows".into(), json!([]));
            out.insert("never".into(), json!(false));
            out.insert("waits_on".into(), json!([]));
            out.insert("error".into(), json!(e));
        }
    }
    Value::Object(out)
}
