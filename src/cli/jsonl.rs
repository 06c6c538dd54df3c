//! The JSON Lines loop shared by the `--jsonl` modes: one answer per non-blank input
//! line, in order; a line that cannot be read as input gets an answer with its error, and
//! the run goes on.

use super::{OK, USAGE};
use serde_json::{json, Value};
use std::io::{self, BufRead, Write};

/// Reads stdin line by line, skipping blank lines, and writes `answer(line)` for each.
/// Returns [`USAGE`] when stdin cannot be read; a closed stdout ends the run quietly.
pub fn each_line(mut answer: impl FnMut(&[u8]) -> Value) -> u8 {
    let stdin = io::stdin();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    for line in stdin.lock().split(b'\n') {
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                eprintln!("error: {e}");
                return USAGE;
            }
        };
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if writeln!(out, "{}", answer(&line)).is_err() {
            return OK;
        }
    }
    let _ = out.flush();
    OK
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
