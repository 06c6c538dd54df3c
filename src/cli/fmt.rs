//! `tminus fmt STATEMENT... [--simplify]`: the canonical form of each statement (full
//! keywords, single spaces, operands sorted where order does not matter), or with
//! `--simplify` the optimized statement. Running it on its own output changes nothing.

use super::{parse_options, use_color, FINDINGS, OK};
use tminus::{render, Diagnostic, RenderOptions, Statement};

/// Arguments of `tminus fmt`.
#[derive(clap::Args, Debug)]
pub struct FmtArgs {
    /// The statements; each is printed on its own line.
    #[arg(required = true)]
    statements: Vec<String>,
    /// Print the optimized statement (merged time windows, constants folded, cheap clauses first).
    #[arg(long)]
    simplify: bool,
    /// Register a custom condition (a phrase or a function name); repeatable.
    #[arg(long = "cond", value_name = "NAME")]
    conds: Vec<String>,
}

/// Runs `tminus fmt`.
pub fn run(args: &FmtArgs) -> u8 {
    let options = parse_options(&args.conds);
    let mut code = OK;
    for text in &args.statements {
        match Statement::parse_with(text, &options) {
            Ok(s) if args.simplify => println!("{}", tminus::opt::optimize(s.cond())),
            Ok(s) => println!("{}", tminus::opt::sorted(s.cond())),
            Err(errors) => {
                let options = RenderOptions { color: use_color() };
                for e in errors.errors() {
                    let _ = render(
                        &Diagnostic::from(e),
                        text,
                        "<statement>",
                        options,
                        &mut std::io::stderr(),
                    );
                }
                code = FINDINGS;
            }
        }
    }
    code
}
