//! `tminus explain`: the statement as a tree, each node with its reading, truth at the
//! instant, why, and when it next changes.

use super::settings::{self, EvalArgs};
use super::{usage, Format, OK};
use tminus::explain::{explain, Context};

/// Arguments of `tminus explain`.
#[derive(clap::Args, Debug)]
pub struct ExplainCommand {
    /// The statement, e.g. "daily between 10:00 and 12:00 & after task 'extract'".
    statement: String,
    /// The instant: ISO 8601, civil time in --tz unless it has an offset (default: now).
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
    /// How far to look for each node's next change.
    #[arg(long, value_name = "DURATION", default_value = "400 days")]
    horizon: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    #[command(flatten)]
    common: EvalArgs,
}

/// Runs `tminus explain`.
pub fn run(args: &ExplainCommand) -> u8 {
    let statement = match super::statement(&args.statement, &args.common.parse_options()) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match one(args, &statement) {
        Ok(text) => {
            print!("{text}");
            OK
        }
        Err(e) => usage(&e),
    }
}

fn one(args: &ExplainCommand, statement: &tminus::Statement) -> Result<String, String> {
    let settings::Resolved { zone, at, history } =
        settings::resolve(&args.common, args.at.as_deref())?;
    let horizon = settings::duration(&args.horizon)?;
    let cx = Context {
        at,
        zone,
        task: &args.common.task,
        history: &history,
        horizon,
        dst: args.common.dst_policy(),
    };
    let e = explain(statement, &cx);
    Ok(match args.format {
        Format::Text => e.to_string(),
        Format::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&e).map_err(|e| e.to_string())?
        ),
    })
}
