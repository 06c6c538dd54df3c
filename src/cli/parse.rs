//! `tminus parse STATEMENT [--format text|json]`: the statement's meaning.

use super::{parse_options, Format, OK};

/// Arguments of `tminus parse`.
#[derive(clap::Args, Debug)]
pub struct ParseArgs {
    /// The statement, e.g. "daily between 10:00 and 12:00".
    statement: String,
    /// `text` prints the canonical statement, `json` the IR.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Register a custom condition (a phrase or a function name); repeatable.
    #[arg(long = "cond", value_name = "NAME")]
    conds: Vec<String>,
}

/// Runs `tminus parse`.
pub fn run(args: &ParseArgs) -> u8 {
    let s = match super::statement(&args.statement, &parse_options(&args.conds)) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match args.format {
        Format::Text => println!("{s}"),
        Format::Json => println!("{}", tminus::ir::json::to_json(s.cond())),
    }
    OK
}
