//! `tminus fmt STATEMENT... [--sort] [--simplify]`: the canonical form of each statement —
//! full keywords, single spaces, the operands in the order written — which is what
//! `tminus parse` prints. `--sort` orders the operands of every `&` and `|` by their text
//! (for comparing statements whose order does not matter); `--simplify` prints the
//! optimized statement. Running it on its own output, with the same flags, changes nothing.

use super::{parse_options, OK};

/// Arguments of `tminus fmt`.
#[derive(clap::Args, Debug)]
pub struct FmtArgs {
    /// The statements; each is printed on its own line.
    #[arg(required = true)]
    statements: Vec<String>,
    /// Sort the operands of every `&` and `|` by their text (the written order is kept otherwise).
    #[arg(long)]
    sort: bool,
    /// Print the optimized statement (merged time windows, constants folded, cheap clauses first).
    #[arg(long)]
    simplify: bool,
    /// Register a custom condition (a phrase or a function name); repeatable.
    #[arg(long = "cond", value_name = "NAME")]
    conds: Vec<String>,
}

/// Runs `tminus fmt`: every statement is printed or its errors drawn; 1 when any has errors.
pub fn run(args: &FmtArgs) -> u8 {
    let options = parse_options(&args.conds);
    let mut code = OK;
    for text in &args.statements {
        match super::statement(text, &options) {
            Ok(s) => println!("{}", formatted(&s, args)),
            Err(findings) => code = findings,
        }
    }
    code
}

/// The statement as `fmt` prints it with the given flags.
fn formatted(s: &tminus::Statement, args: &FmtArgs) -> String {
    let cond = match args.simplify {
        true => tminus::opt::optimize(s.cond()),
        false => s.cond().clone(),
    };
    match args.sort {
        true => tminus::opt::sorted(&cond).to_string(),
        false => cond.to_string(),
    }
}
