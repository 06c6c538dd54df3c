//! Names of the linted tree's modules reached through attributes: `schedules.NIGHTLY`
//! after `import schedules`, `windows.HOURLY` after `from pkg import windows`,
//! `pkg.windows.HOURLY` after `import pkg.windows`.
//!
//! An attribute of a module is one of its module-level names, read the way an imported
//! name is (`from schedules import NIGHTLY`): a constant is traced to its definition in
//! that module and marked as used at the attribute, so a finding inside it is placed at
//! the use and the definition becomes the related location. A module's attribute may
//! itself be a module: one the module imports, or a submodule of a package (`pkg.windows`
//! is `pkg/windows.py` when `pkg` is `pkg/__init__.py`). A chain that ends in no name of
//! a linted module is not a constant; the caller notes it with the reason.

use super::super::trace::{Traced, Use};
use super::{is_rocketry, range, Binding, ModuleNames, Unresolved};
use ruff_python_ast::{self as ast, Expr};
use std::path::Path;

impl ModuleNames<'_, '_> {
    /// The text of `module.NAME` when `NAME` is a constant of a linted module;
    /// [`Unresolved::NotText`] when the attribute is not of a linted module or names no
    /// constant (a function, a class, a name imported from Rocketry).
    pub(super) fn member_text(&self, a: &ast::ExprAttribute) -> Result<Traced, Unresolved> {
        let written = &self.source[range(a)];
        let used = Use {
            name: a.attr.to_string(),
            range: range(a),
        };
        match self.member(a) {
            Some(Ok(Binding::Text(text))) => Ok(text.through(used)),
            Some(Ok(Binding::Unresolved(why))) => Err(Unresolved::Skipped(
                used.range,
                format!("`{written}` is not a plain constant: {why}"),
            )),
            Some(Err(unresolved)) => Err(unresolved),
            None | Some(Ok(_)) => Err(Unresolved::NotText),
        }
    }

    /// What `module.NAME` is bound to, when `module` is a linted module (`None` when it is
    /// not): its constants are placed in their file, a name it lacks is an error with the
    /// reason.
    pub(super) fn member(&self, a: &ast::ExprAttribute) -> Option<Result<Binding, Unresolved>> {
        let j = self.module_of(&a.value)?;
        let module = &self.source[range(&*a.value)];
        let attr = a.attr.as_str();
        let Some(names) = self.scopes.get(j) else {
            let reason = format!("`{module}` is imported in a circle");
            return Some(Err(Unresolved::Skipped(range(a), reason)));
        };
        Some(match names.names.get(attr) {
            Some(Binding::Text(t)) => Ok(Binding::Text(t.clone().in_module(&names.file))),
            Some(other) => Ok(other.clone()),
            None => match self.submodule(j, attr) {
                Some(k) => Ok(Binding::Module(k)),
                None => Err(Unresolved::Skipped(
                    range(a),
                    format!("`{module}` has no module-level `{attr}`"),
                )),
            },
        })
    }

    /// The linted module `expr` stands for: a name bound to one, a module's attribute
    /// that is one, or a dotted path of a package that is not linted itself
    /// (`ns.schedules` after `import ns.schedules`, with no `ns/__init__.py`).
    pub(super) fn module_of(&self, expr: &Expr) -> Option<usize> {
        let (root, attrs) = chain(expr)?;
        let (mut module, mut path) = match self.names.get(root) {
            Some(Binding::Module(j)) => (Some(*j), String::new()),
            Some(Binding::Import(path)) if !is_rocketry(path) => (None, path.clone()),
            _ => return None,
        };
        for attr in attrs {
            module = match module {
                Some(j) => match self.scopes.get(j)?.names.get(attr) {
                    Some(Binding::Module(k)) => Some(*k),
                    Some(_) => return None,
                    None => Some(self.submodule(j, attr)?),
                },
                None => {
                    path = format!("{path}.{attr}");
                    (self.scopes.find)(self.index, &path, 0)
                }
            };
        }
        module
    }

    /// Module `attr` of package `j` (`j` is an `__init__.py`), if it is linted.
    fn submodule(&self, j: usize, attr: &str) -> Option<usize> {
        let file = &self.scopes.sources.get(j)?.file;
        let is_package = Path::new(&**file).file_name()? == "__init__.py";
        is_package.then(|| (self.scopes.find)(j, attr, 1)).flatten()
    }
}

/// The longest attribute chain read (`a.b.c` is two): real apps stay far below it, and a
/// bound keeps a hostile file from costing more than its size.
const MAX_CHAIN: usize = 16;

/// `a.b.c` as its root name and attributes in order; `None` for anything but a name
/// followed by attributes, or a chain longer than [`MAX_CHAIN`].
fn chain(expr: &Expr) -> Option<(&str, Vec<&str>)> {
    let mut attrs = Vec::new();
    let mut at = expr;
    loop {
        match at {
            Expr::Attribute(a) if attrs.len() < MAX_CHAIN => {
                attrs.push(a.attr.as_str());
                at = &a.value;
            }
            Expr::Name(n) => {
                attrs.reverse();
                return Some((n.id.as_str(), attrs));
            }
            _ => return None,
        }
    }
}
