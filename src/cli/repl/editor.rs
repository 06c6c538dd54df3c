//! The REPL on a terminal: a rustyline editor whose helper highlights ([`super::highlight`])
//! and completes ([`super::complete`]). While a statement is unfinished
//! ([`super::is_unfinished`]) each further line is read after the continuation prompt
//! `   ...> `, with the lines above as the context of highlighting and completion; the whole
//! statement then goes to the session and into the history as one entry. Ctrl-R searches
//! the line history, which is kept across runs in a file (see [`history_file`]).

use super::session::{Flow, Session};
use super::{complete, highlight, is_unfinished};
use crate::cli::{OK, USAGE};
use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{CompletionType, Config, Context, Editor, Helper};
use std::borrow::Cow;
use std::path::PathBuf;

/// The prompt.
const PROMPT: &str = "tminus> ";
/// The prompt in bold.
const PROMPT_STYLED: &str = "\x1b[1mtminus>\x1b[0m ";
/// The prompt of a statement's further lines, as wide as [`PROMPT`] so that lines align.
const CONTINUATION: &str = "   ...> ";
/// The continuation prompt in bold.
const CONTINUATION_STYLED: &str = "   \x1b[1m...>\x1b[0m ";
/// Lines kept in the history file.
const HISTORY_LINES: usize = 1000;

/// What the editor needs to know to help: task names for completion, custom predicate
/// words that are not errors, and the lines already typed of an unfinished statement.
/// Refreshed from the session before each line.
#[derive(Debug, Default)]
struct ReplHelper {
    tasks: Vec<String>,
    custom_words: Vec<String>,
    above: String,
}

impl Helper for ReplHelper {}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        // The statement so far is the lines above and this one up to the cursor.
        let above = match self.above.is_empty() {
            true => String::new(),
            false => format!("{}\n", self.above),
        };
        let text = above.clone() + line;
        let (start, found) = complete::candidates(&text, above.len() + pos, &self.tasks);
        let Some(start) = start.checked_sub(above.len()) else {
            return Ok((pos, Vec::new())); // a word begun on a line above cannot be replaced
        };
        let pairs = found
            .into_iter()
            .map(|c| Pair {
                display: c.trim_end().to_owned(),
                replacement: c,
            })
            .collect();
        Ok((start, pairs))
    }
}

impl Hinter for ReplHelper {
    type Hint = String;
}

impl Highlighter for ReplHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        Cow::Owned(highlight::paint_continued(
            &self.above,
            line,
            &self.custom_words,
        ))
    }

    fn highlight_char(&self, _line: &str, _pos: usize, kind: CmdKind) -> bool {
        // Colours depend on the text only, not on where the cursor is.
        kind != CmdKind::MoveCursor
    }
}

/// Every line is accepted on Enter: the loop in [`run`] asks for the next line of an
/// unfinished statement itself, after its own prompt.
impl Validator for ReplHelper {}

/// The line history file: `$TMINUS_HISTORY` if set (empty: keep no history), else
/// `tminus/history.txt` in the user's data directory.
pub fn history_file() -> Option<PathBuf> {
    match std::env::var_os("TMINUS_HISTORY") {
        Some(path) if path.is_empty() => None,
        Some(path) => Some(PathBuf::from(path)),
        None => dirs::data_dir().map(|d| d.join("tminus").join("history.txt")),
    }
}

/// Runs the session on the terminal until `:quit` or Ctrl-D.
pub fn run(mut session: Session, color: bool) -> u8 {
    let mut editor = match editor() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: cannot start the line editor: {e}");
            return USAGE;
        }
    };
    let history = history_file();
    if let Some(path) = &history {
        // A first run has no file yet; any other problem only costs the old lines.
        let _ = editor.load_history(path);
    }
    let first = (PROMPT, if color { PROMPT_STYLED } else { PROMPT });
    let further = (
        CONTINUATION,
        if color {
            CONTINUATION_STYLED
        } else {
            CONTINUATION
        },
    );
    let mut stdout = std::io::stdout();
    println!("type a statement to see when it is true; :help lists the commands, Ctrl-D leaves");
    let mut statement = String::new();
    loop {
        if let Some(helper) = editor.helper_mut() {
            helper.tasks = session.task_names();
            helper.custom_words = custom_words(&session);
            helper.above.clone_from(&statement);
        }
        let prompt = if statement.is_empty() { first } else { further };
        let line = match editor.readline(&prompt) {
            Ok(line) => line,
            // Ctrl-C drops the line and any lines of the statement above it.
            Err(ReadlineError::Interrupted) => {
                statement.clear();
                continue;
            }
            Err(ReadlineError::Eof) => return OK,
            Err(e) => {
                eprintln!("error: {e}");
                return USAGE;
            }
        };
        if !statement.is_empty() {
            statement.push('\n');
        }
        statement.push_str(&line);
        if is_unfinished(&statement) {
            continue;
        }
        let input = std::mem::take(&mut statement);
        save(&mut editor, history.as_deref(), &input);
        match session.handle(&input, &mut stdout) {
            Ok(Flow::Continue) => {}
            Ok(Flow::Quit) => return OK,
            Err(e) => {
                eprintln!("error: {e}");
                return USAGE;
            }
        }
    }
}

fn editor() -> rustyline::Result<Editor<ReplHelper, rustyline::history::DefaultHistory>> {
    let config = Config::builder()
        .max_history_size(HISTORY_LINES)?
        .history_ignore_dups(true)?
        .history_ignore_space(true)
        // Tab completes the common prefix, a second Tab lists the candidates.
        .completion_type(CompletionType::List)
        .build();
    let mut editor = Editor::with_config(config)?;
    editor.set_helper(Some(ReplHelper::default()));
    Ok(editor)
}

/// Adds the line to the history and appends it to the file at once, so that a REPL that is
/// killed keeps what was typed.
fn save(
    editor: &mut Editor<ReplHelper, rustyline::history::DefaultHistory>,
    file: Option<&std::path::Path>,
    line: &str,
) {
    if line.trim().is_empty() || !editor.add_history_entry(line).unwrap_or(false) {
        return;
    }
    if let Some(path) = file {
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        if let Err(e) = editor.append_history(path) {
            eprintln!(
                "warning: cannot write the history to {}: {e}",
                path.display()
            );
        }
    }
}

/// The words of the registered custom predicates (`is business day`, `file_exists`).
fn custom_words(session: &Session) -> Vec<String> {
    session
        .options()
        .registered()
        .flat_map(str::split_whitespace)
        .map(str::to_owned)
        .collect()
}
