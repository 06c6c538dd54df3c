//! The Python files of one lint run as a tree of modules.
//!
//! `from schedules import NIGHTLY` in `jobs/app.py` names a module; which file it is
//! depends on `sys.path`, which a linter cannot know. The linted files stand in for it: a
//! module is a linted file whose path, without `.py` (or the folder of an
//! `__init__.py`), ends with the module's dotted path, and when several do, the one
//! closest to the importing file wins (the script's own folder is first on `sys.path`).
//! A relative import (`from .schedules import ...`) is looked up from the importing
//! file's folder only.

use std::path::{Component, Path};

/// The module paths of the linted files, each as its list of path parts.
#[derive(Debug)]
pub struct Tree {
    /// For each file: its folders and its module name (`["jobs", "app"]`;
    /// `["jobs"]` for `jobs/__init__.py`).
    parts: Vec<Vec<String>>,
    /// For each file: the folders it is in (for relative imports and closeness).
    folders: Vec<Vec<String>>,
}

impl Tree {
    /// The tree of the files at `paths`.
    pub fn new<'p>(paths: impl IntoIterator<Item = &'p str>) -> Tree {
        let (mut parts, mut folders) = (Vec::new(), Vec::new());
        for path in paths {
            let mut components: Vec<String> = Path::new(path)
                .components()
                .filter_map(|c| match c {
                    Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                    _ => None,
                })
                .collect();
            let file = components.pop().unwrap_or_default();
            let stem = file.strip_suffix(".py").unwrap_or(&file).to_owned();
            folders.push(components.clone());
            if stem != "__init__" {
                components.push(stem);
            }
            parts.push(components);
        }
        Tree { parts, folders }
    }

    /// The file that `importer` means by `from <level dots><module> import ...`.
    pub fn find(&self, importer: usize, module: &str, level: u32) -> Option<usize> {
        let wanted: Vec<&str> = module.split('.').filter(|p| !p.is_empty()).collect();
        let here = self.folders.get(importer)?;
        if level > 0 {
            let up = usize::try_from(level - 1).ok()?;
            let base = here.get(..here.len().checked_sub(up)?)?;
            let full: Vec<&str> = base.iter().map(String::as_str).chain(wanted).collect();
            return self.parts.iter().position(|p| *p == full);
        }
        if wanted.is_empty() {
            return None;
        }
        self.parts
            .iter()
            .enumerate()
            .filter(|(i, p)| *i != importer && ends_with(p, &wanted))
            .max_by_key(|(i, _)| shared(here, &self.folders[*i]))
            .map(|(i, _)| i)
    }
}

/// How many leading folders two files share.
fn shared(a: &[String], b: &[String]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// Whether the path parts `parts` end with `tail`.
fn ends_with(parts: &[String], tail: &[&str]) -> bool {
    parts.len() >= tail.len()
        && parts[parts.len() - tail.len()..]
            .iter()
            .zip(tail)
            .all(|(a, b)| a == b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modules_are_found_by_their_trailing_path() {
        let tree = Tree::new([
            "app/main.py",
            "app/schedules.py",
            "app/etl/__init__.py",
            "other/schedules.py",
        ]);
        assert_eq!(tree.find(0, "schedules", 0), Some(1));
        assert_eq!(tree.find(0, "app.schedules", 0), Some(1));
        assert_eq!(tree.find(0, "etl", 0), Some(2));
        assert_eq!(tree.find(0, "nosuch", 0), None);
    }

    #[test]
    fn relative_imports_start_in_the_importers_folder() {
        let tree = Tree::new(["app/main.py", "app/schedules.py", "app/etl/jobs.py"]);
        assert_eq!(tree.find(0, "schedules", 1), Some(1));
        assert_eq!(tree.find(2, "schedules", 2), Some(1));
        assert_eq!(tree.find(2, "schedules", 1), None);
    }
}
