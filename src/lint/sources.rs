//! What `tminus lint` reads: `-e` statements, stdin, files, and the Python files of
//! directories.
//!
//! A directory is walked as ripgrep walks one (the `ignore` crate): `.gitignore`,
//! `.ignore` and hidden files are skipped, and only `.py` files are taken. A file named
//! on the command line is read whatever its extension: `.py` as Python, anything else as a
//! text file of statements. `--include` and `--exclude` globs select among both.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use std::path::Path;

/// How a file's statements are found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// One statement per line, `#` comments.
    Text,
    /// Python source: the condition strings given to Rocketry.
    Python,
}

/// One input of a lint run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A statement given with `-e` (1-based index among them).
    Expr(usize, String),
    /// `-`: statements on stdin, one per line.
    Stdin,
    /// A file, as named (given, or found in a directory).
    File(String, Kind),
}

/// Which files the `--include` / `--exclude` globs let through.
///
/// A glob uses gitignore syntax and is matched against the file's path and every trailing
/// part of it, so `legacy/**` excludes `src/legacy/jobs.py` and `*_test.py` any test file.
#[derive(Debug)]
pub struct Selection {
    include: Option<GlobSet>,
    exclude: GlobSet,
}

impl Selection {
    /// The selection of the given globs; an error names a glob that cannot be read.
    pub fn new(include: &[String], exclude: &[String]) -> Result<Selection, String> {
        let include = if include.is_empty() {
            None
        } else {
            Some(glob_set(include)?)
        };
        Ok(Selection {
            include,
            exclude: glob_set(exclude)?,
        })
    }

    /// Whether the file at `path` is linted.
    pub fn admits(&self, path: &Path) -> bool {
        let included = self
            .include
            .as_ref()
            .is_none_or(|set| matches_any_tail(set, path));
        included && !matches_any_tail(&self.exclude, path)
    }
}

fn glob_set(globs: &[String]) -> Result<GlobSet, String> {
    let mut set = GlobSetBuilder::new();
    for g in globs {
        let glob = GlobBuilder::new(g)
            .literal_separator(true)
            .build()
            .map_err(|e| format!("bad glob {g:?}: {e}"))?;
        set.add(glob);
    }
    set.build().map_err(|e| e.to_string())
}

/// Whether `set` matches the path or a trailing part of it (`a/b/c.py`, `b/c.py`, `c.py`).
fn matches_any_tail(set: &GlobSet, path: &Path) -> bool {
    let parts: Vec<_> = path
        .components()
        .filter(|c| matches!(c, std::path::Component::Normal(_)))
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    (0..parts.len()).any(|i| set.is_match(parts[i..].join("/")))
}

/// The inputs of `tminus lint`: `-e` statements first, then each path in order, a
/// directory's Python files sorted by name.
pub fn collect(
    statements: &[String],
    paths: &[String],
    selection: &Selection,
) -> Result<Vec<Input>, String> {
    let mut inputs: Vec<Input> = statements
        .iter()
        .enumerate()
        .map(|(i, s)| Input::Expr(i + 1, s.clone()))
        .collect();
    for path in paths {
        if path == "-" {
            inputs.push(Input::Stdin);
        } else if Path::new(path).is_dir() {
            inputs.extend(walk(path, selection)?);
        } else if selection.admits(Path::new(path)) {
            inputs.push(Input::File(path.clone(), kind_of(Path::new(path))));
        }
    }
    Ok(inputs)
}

pub(super) fn kind_of(path: &Path) -> Kind {
    if path.extension().is_some_and(|e| e == "py") {
        Kind::Python
    } else {
        Kind::Text
    }
}

/// The Python files under `dir` that the ignore files and the selection let through.
fn walk(dir: &str, selection: &Selection) -> Result<Vec<Input>, String> {
    let mut found = Vec::new();
    let exclude = selection.exclude.clone();
    let is_pruned = move |e: &ignore::DirEntry| {
        e.depth() > 0
            && e.file_type().is_some_and(|t| t.is_dir())
            && matches_any_tail(&exclude, e.path())
    };
    let walker = ignore::WalkBuilder::new(dir)
        // .gitignore applies outside a git checkout too (an unpacked source archive).
        .require_git(false)
        .sort_by_file_name(Ord::cmp)
        .filter_entry(move |e| !is_pruned(e))
        .build();
    for entry in walker {
        let entry = entry.map_err(|e| format!("cannot walk {dir}: {e}"))?;
        let path = entry.path();
        let is_file = entry.file_type().is_some_and(|t| t.is_file());
        if is_file && kind_of(path) == Kind::Python && selection.admits(path) {
            let shown = path.to_string_lossy();
            found.push(Input::File(
                shown.strip_prefix("./").unwrap_or(&shown).to_owned(),
                Kind::Python,
            ));
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selection(include: &[&str], exclude: &[&str]) -> Selection {
        let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        Selection::new(&owned(include), &owned(exclude)).expect("valid globs")
    }

    #[test]
    fn globs_match_any_trailing_part_of_the_path() {
        let s = selection(&[], &["legacy/**", "*_test.py"]);
        assert!(!s.admits(Path::new("src/legacy/jobs.py")));
        assert!(!s.admits(Path::new("./src/jobs_test.py")));
        assert!(s.admits(Path::new("src/jobs.py")));
    }

    #[test]
    fn include_globs_narrow_the_selection() {
        let s = selection(&["src/**"], &[]);
        assert!(s.admits(Path::new("src/app.py")));
        assert!(!s.admits(Path::new("scripts/app.py")));
    }

    #[test]
    fn a_bad_glob_is_named() {
        let err = Selection::new(&["a[".to_owned()], &[]).unwrap_err();
        assert!(err.contains("a["), "{err}");
    }
}
