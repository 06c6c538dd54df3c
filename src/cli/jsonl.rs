//! The JSON Lines loop shared by the `--jsonl` modes: one answer per non-blank input
//! line, in order; a line that cannot be read as input gets an answer with its error, and
//! the run goes on.

use serde_json::{json, Value};
use std::io;

/// Reads stdin line by line, skipping blank lines, and writes `answer(line)` for each
/// (the linter's loop, [`tminus::lint::jsonl::each_line`], on the standard streams).
pub fn each_line(answer: impl FnMut(&[u8]) -> Value) -> u8 {
    let (stdin, stdout, stderr) = (io::stdin(), io::stdout(), io::stderr());
    let mut out = io::BufWriter::new(stdout.lock());
    tminus::lint::jsonl::each_line(&mut stdin.lock(), &mut out, &mut stderr.lock(), answer)
}

/// [`each_line`] for inputs that are JSON objects; any other line is answered with
/// `{"parsed": false, "error": ...}`.
pub fn answer_each(mut answer: impl FnMut(&Value) -> Value) -> u8 {
    each_line(|line| match serde_json::from_slice::<Value>(line) {
        Ok(input) if input.is_object() => answer(&input),
        Ok(_) => json!({"parsed": false, "error": "the line must be a JSON object"}),
        Err(e) => json!({"parsed": false, "error": format!("the line is not JSON: {e}")}),
    })
}
