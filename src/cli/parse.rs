//! `tminus parse STATEMENT [--format text|json]`: the statement's meaning.

use super::{parse_options, use_color, Format, FINDINGS, OK};
use tminus::{render, Diagnostic, RenderOptions, Statement};

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
    match Statement::parse_with(&args.statement, &parse_options(&args.conds)) {
        Ok(s) => {
            match args.format {
                Format::Text => println!("{s}"),
                Format::Json => println!("{}", tminus::ir::json::to_json(s.cond())),
            }
            OK
        }
        Err(errors) => {
            let mut err = std::io::stderr();
            let options = RenderOptions { color: use_color() };
            for e in errors.errors() {
                let _ = render(
                    &Diagnostic::from(e),
                    &args.statement,
                    "<statement>",
                    options,
                    &mut err,
                );
            }
            FINDINGS
        }
    }
}
