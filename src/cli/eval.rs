//! `tminus eval`: whether a statement is true at an instant, for one statement or for each
//! JSON Lines case on stdin (`--jsonl`).

use super::settings::{self, EvalArgs};
use super::{case, jsonl, usage, FINDINGS, OK};
use serde_json::{json, Value};

/// Arguments of `tminus eval`.
#[derive(clap::Args, Debug)]
pub struct EvalCommand {
    /// The statement, e.g. "daily between 10:00 and 12:00".
    #[arg(required_unless_present = "jsonl")]
    statement: Option<String>,
    /// The instant: ISO 8601, civil time in --tz unless it has an offset (default: now).
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
    #[command(flatten)]
    common: EvalArgs,
    /// Read cases as JSON Lines from stdin and answer each on one line (a case without "tz"
    /// is in --tz, else UTC).
    #[arg(long, conflicts_with_all = ["statement", "at"])]
    jsonl: bool,
}

/// Runs `tminus eval`.
pub fn run(args: &EvalCommand) -> u8 {
    if args.jsonl {
        let zone = match settings::zone(args.common.tz.as_deref().unwrap_or("UTC")) {
            Ok(z) => z,
            Err(e) => return usage(&e),
        };
        return jsonl::answer_each(|input| answer(input, zone, &args.common));
    }
    let text = args.statement.as_deref().unwrap_or_default();
    let statement = match super::statement(text, &args.common.parse_options()) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match one(args, &statement) {
        Ok(value) => {
            println!("{value}");
            if value {
                OK
            } else {
                FINDINGS
            }
        }
        Err(e) => usage(&e),
    }
}

fn one(args: &EvalCommand, statement: &tminus::Statement) -> Result<bool, String> {
    let settings::Resolved { zone, at, history } =
        settings::resolve(&args.common, args.at.as_deref())?;
    let schedule = args.common.schedule(statement);
    Ok(schedule.is_true(at, zone, &history))
}

/// The answer to one case: the input's `cond` and `now`, `parsed`, `value`, `error`.
fn answer(input: &Value, zone: chrono_tz::Tz, common: &settings::EvalArgs) -> Value {
    let mut out = case::echo(input);
    let result = case::read(input, zone).and_then(|c| {
        let statement = case::statement(&c, &common.parse_options())?;
        let schedule = statement
            .schedule()
            .with_task(c.task.clone())
            .with_dst(common.dst_policy());
        Ok(schedule.is_true(c.now, c.zone, &c.history))
    });
    let parsed = input
        .get("cond")
        .and_then(Value::as_str)
        .is_some_and(|t| tminus::Statement::parse_with(t, &common.parse_options()).is_ok());
    out.insert("parsed".into(), json!(parsed));
    match result {
        Ok(v) => {
            out.insert("value".into(), json!(v));
            out.insert("error".into(), Value::Null);
        }
        Err(e) => {
            out.insert("value".into(), Value::Null);
            out.insert("error".into(), json!(e));
        }
    }
    Value::Object(out)
}
