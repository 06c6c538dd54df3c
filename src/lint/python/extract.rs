//! Rocketry's condition strings in a parsed Python module, and what the module defines.
//!
//! Read the way Rocketry's documentation writes apps:
//!
//! - conditions: the first argument and the `start_cond=` / `end_cond=` keywords of
//!   `app.task(...)` (as a decorator or a call, whatever the receiver is called), and the
//!   keywords of task constructors (`Task(...)`, `FuncTask(...)`, any name ending in
//!   `Task`). Operands of Python's `&`, `|` and `~` are conditions of their own.
//! - tasks: functions decorated with `@app.task(...)` or `@FuncTask(...)`, named by
//!   `name=` or else by the function; constructors with `name=`, or named by the function
//!   they wrap (`FuncTask(extract, ...)`, `app.task("daily")(extract)`). A group's
//!   `Grouper(prefix=...)` may stand in front of any of these names; its `start_cond=` is
//!   a condition too.
//! - custom conditions: `@app.cond("is business day")` (or `FuncCond(syntax=...)`) registers
//!   its phrases, a list of them, or patterns (`re.compile(...)`); `@app.cond()` without a
//!   phrase registers the function's name.
//!
//! A condition is a [`Traced`] string when it is made of literals and module-level
//! constants (`"weekly on Monday & " + WINDOW`, `f"every {N} minutes"`), and
//! [`Condition::Skipped`] with the reason when it is built at run time. Python objects
//! (`from rocketry.conds import daily`, calls such as `after_success(extract)`) are not
//! strings and are left alone.

mod conds;
mod members;

use super::trace::{trace_part, PartKind, Traced, Use};
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{
    self as ast, ConversionFlag, Expr, FStringPart, InterpolatedStringElement, Number, Operator,
    Stmt, UnaryOp,
};
use ruff_text_size::Ranged;
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::rc::Rc;

/// A condition given to Rocketry somewhere in the module.
#[derive(Clone, Debug)]
pub enum Condition {
    /// A statement to check.
    Statement {
        /// The statement, traced to the file.
        text: Traced,
        /// File bytes of the whole expression it was written as.
        range: Range<usize>,
    },
    /// A string built at run time.
    Skipped {
        /// File bytes of the part that could not be resolved.
        range: Range<usize>,
        /// Why, e.g. "`hour` is not a module-level constant".
        reason: String,
    },
}

/// A custom-condition pattern (`re.compile(...)` given to `@app.cond`).
#[derive(Clone, Debug)]
pub struct Pattern {
    /// The regular expression, with `(?i)` in front for `re.IGNORECASE`.
    pub regex: String,
    /// File bytes of the pattern's expression.
    pub range: Range<usize>,
}

/// What one module gives Rocketry and defines for it.
#[derive(Debug, Default)]
pub struct Module {
    /// Every condition, in source order.
    pub conditions: Vec<Condition>,
    /// Phrases and function names registered as custom conditions.
    pub phrases: BTreeSet<String>,
    /// Patterns registered as custom conditions.
    pub patterns: Vec<Pattern>,
    /// Names of the tasks the module defines.
    pub tasks: BTreeSet<String>,
    /// Prefixes of task groups (`Grouper(prefix="etl.")`): `etl.extract` names `extract`.
    pub task_prefixes: BTreeSet<String>,
    /// Names computed at run time from an f-string, as regular expressions:
    /// `f"sync-{region}"` is `sync-.*`.
    pub task_patterns: Vec<String>,
    /// Whether some task's name is computed at run time in another way (then the
    /// module's task names are not all known).
    pub has_unnamed_tasks: bool,
    /// Whether some custom condition's phrase or pattern is computed at run time (then
    /// the module's phrases are not all known).
    pub has_unknown_phrases: bool,
    /// Whether the module imports `rocketry` (or something from it).
    pub imports_rocketry: bool,
    /// The modules of the linted tree it imports, by their index in the tree.
    pub imported: BTreeSet<usize>,
    /// Whether it imports a module of its own package that is not linted (then other
    /// modules of the program may define tasks and conditions tminus does not see).
    pub misses_relative: bool,
}

/// One module of the linted tree, parsed.
#[derive(Debug)]
pub struct Source<'s> {
    /// Its path as given.
    pub file: Rc<str>,
    /// Its text.
    pub text: &'s str,
    /// Its statements.
    pub body: &'s [Stmt],
}

/// Finds the module that an import names: `find(importer, module, level)` is the index of
/// the tree's module that module `importer` means by `from <dots><module> import ...`
/// (`level` dots), if the tree has it.
pub type FindModule<'f> = &'f dyn Fn(usize, &str, u32) -> Option<usize>;

/// Reads `body`, the statements of a module whose text is `source`, on its own.
#[cfg(test)]
pub fn module(body: &[Stmt], source: &str) -> Module {
    let source = Source {
        file: "<module>".into(),
        text: source,
        body,
    };
    modules(std::slice::from_ref(&source), &|_, _, _| None)
        .pop()
        .unwrap_or_default()
}

/// Reads every module of a tree; names imported from one module of the tree into another
/// are resolved through `find`.
pub fn modules(sources: &[Source], find: FindModule) -> Vec<Module> {
    let scopes = Scopes {
        sources,
        find,
        built: RefCell::new(vec![None; sources.len()]),
        building: RefCell::new(vec![false; sources.len()]),
    };
    (0..sources.len())
        .map(|i| {
            let Some(scope) = scopes.get(i) else {
                return Module::default();
            };
            let mut collector = Collector {
                scope: &scope,
                module: Module::default(),
            };
            collector.visit_body(sources[i].body);
            let mut module = collector.module;
            module.conditions.sort_by_key(start_of);
            module.imports_rocketry = scope.imports_rocketry;
            module.imported = scope.imported.clone();
            module.misses_relative = scope.misses_relative;
            module
        })
        .collect()
}

fn start_of(c: &Condition) -> usize {
    match c {
        Condition::Statement { range, .. } | Condition::Skipped { range, .. } => range.start,
    }
}

/// The module-level names of every module, each built once, on first need.
struct Scopes<'a, 's> {
    sources: &'a [Source<'s>],
    find: FindModule<'a>,
    built: RefCell<Vec<Option<Rc<ModuleNames<'a, 's>>>>>,
    /// Modules whose names are being bound: an import of one of them is circular.
    building: RefCell<Vec<bool>>,
}

impl std::fmt::Debug for Scopes<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Scopes({} modules)", self.sources.len())
    }
}

impl<'a, 's> Scopes<'a, 's> {
    /// The names of module `index`; `None` while they are being bound (a circular import).
    fn get(&'a self, index: usize) -> Option<Rc<ModuleNames<'a, 's>>> {
        if let Some(names) = &self.built.borrow()[index] {
            return Some(names.clone());
        }
        if std::mem::replace(&mut self.building.borrow_mut()[index], true) {
            return None;
        }
        let names = Rc::new(ModuleNames::of(index, self));
        self.built.borrow_mut()[index] = Some(names.clone());
        Some(names)
    }
}

// ---------------------------------------------------------------------------------------
// Module-level names

/// What a module-level name is bound to.
#[derive(Clone, Debug)]
enum Binding {
    /// A string or integer built from literals, or a condition object read as a
    /// statement: its text, traced to its definition.
    Text(Traced),
    /// A string built at run time (the reason says how).
    Unresolved(String),
    /// Anything else: a class, a Python object.
    Object,
    /// A value computed when the module runs, e.g. `os.environ.get("INTERVAL")`: how, as
    /// written (`os.environ.get(...)`).
    Computed(String),
    /// A name imported from outside the linted tree: its dotted path, e.g.
    /// `rocketry.conds.daily`.
    Import(String),
    /// A module of the linted tree (`import schedules`), by its index in the tree.
    Module(usize),
    /// A function: the task it defines and the custom-condition phrase it registers.
    Function {
        /// The task's name, when the function is a task (`@app.task(...)`).
        task: Option<String>,
        /// The phrase, when the function is a custom condition (`@app.cond(...)`).
        phrase: Option<String>,
    },
}

impl Binding {
    /// Whether it may be bound again without making a constant ambiguous.
    fn is_object(&self) -> bool {
        !matches!(self, Binding::Text(_) | Binding::Unresolved(_))
    }
}

/// The module-level names, bound in source order; a name bound twice is not a constant.
#[derive(Debug)]
struct ModuleNames<'a, 's> {
    source: &'s str,
    file: Rc<str>,
    /// Its index in the tree.
    index: usize,
    /// Every module of the tree, for attributes of imported modules (`schedules.NIGHTLY`),
    /// read on first use.
    scopes: &'a Scopes<'a, 's>,
    names: HashMap<String, Binding>,
    /// Whether the module imports `rocketry`.
    imports_rocketry: bool,
    /// The modules of the tree it imports.
    imported: BTreeSet<usize>,
    /// Whether it imports a module of its package that is not linted.
    misses_relative: bool,
}

/// Why a piece of a condition is not a string tminus can read.
#[derive(Debug)]
enum Unresolved {
    /// Not a string at all (a Python object).
    NotText,
    /// A string built at run time: where and why.
    Skipped(Range<usize>, String),
}

impl<'a, 's> ModuleNames<'a, 's> {
    fn of(index: usize, scopes: &'a Scopes<'a, 's>) -> ModuleNames<'a, 's> {
        let source = &scopes.sources[index];
        let mut scope = ModuleNames {
            source: source.text,
            file: source.file.clone(),
            index,
            scopes,
            names: HashMap::new(),
            imports_rocketry: false,
            imported: BTreeSet::new(),
            misses_relative: false,
        };
        for stmt in source.body {
            scope.bind_stmt(stmt);
        }
        scope
    }

    fn bind_stmt(&mut self, stmt: &Stmt) {
        let (index, scopes) = (self.index, self.scopes);
        match stmt {
            Stmt::Assign(a) => {
                let binding = self.binding_of(&a.value);
                for target in &a.targets {
                    self.bind_target(target, binding.clone());
                }
            }
            Stmt::AnnAssign(a) => {
                let binding = a
                    .value
                    .as_deref()
                    .map_or(Binding::Object, |v| self.binding_of(v));
                self.bind_target(&a.target, binding);
            }
            Stmt::AugAssign(a) => self.bind_target(
                &a.target,
                Binding::Unresolved("it is changed with an augmented assignment".into()),
            ),
            Stmt::FunctionDef(f) => {
                let binding = self.function(f);
                self.bind(f.name.as_str(), binding);
            }
            Stmt::ClassDef(c) => self.bind(c.name.as_str(), Binding::Object),
            Stmt::Import(i) => i.names.iter().for_each(|a| self.import(a)),
            Stmt::ImportFrom(i) => {
                let module = i.module.as_ref().map_or("", |m| m.as_str());
                self.imports_rocketry |= i.level == 0 && is_rocketry(module);
                let found = (scopes.find)(index, module, i.level);
                self.misses_relative |= i.level > 0 && found.is_none() && !module.is_empty();
                for alias in &i.names {
                    let local = alias.asname.as_ref().unwrap_or(&alias.name).as_str();
                    let submodule = format!("{module}.{}", alias.name);
                    let binding = match (scopes.find)(index, &submodule, i.level) {
                        Some(j) => {
                            self.imported.insert(j);
                            Binding::Module(j)
                        }
                        None => match found {
                            Some(j) => self.imported_from(j, alias.name.as_str(), module),
                            None => Binding::Import(submodule),
                        },
                    };
                    self.names.insert(local.to_owned(), binding);
                }
            }
            _ => {}
        }
    }

    /// `import a.b` binds `a`; `import a.b as c` binds `c` to `a.b`.
    fn import(&mut self, alias: &ast::Alias) {
        let find = |module: &str| (self.scopes.find)(self.index, module, 0);
        let path = alias.name.as_str();
        self.imports_rocketry |= is_rocketry(path);
        let (local, bound) = match &alias.asname {
            Some(asname) => (asname.as_str(), path),
            None => {
                let first = path.split('.').next().unwrap_or(path);
                (first, first)
            }
        };
        if let Some(j) = find(path) {
            self.imported.insert(j);
        }
        let binding = match find(bound) {
            Some(j) => {
                self.imported.insert(j);
                Binding::Module(j)
            }
            None => Binding::Import(bound.to_owned()),
        };
        self.names.insert(local.to_owned(), binding);
    }

    /// What `name` is in module `j` of the tree, as seen from this one.
    fn imported_from(&mut self, j: usize, name: &str, module: &str) -> Binding {
        self.imported.insert(j);
        let Some(names) = self.scopes.get(j) else {
            return Binding::Unresolved(format!("`{module}` is imported in a circle"));
        };
        match names.names.get(name) {
            Some(Binding::Text(t)) => Binding::Text(t.clone().in_module(&names.file)),
            Some(Binding::Unresolved(why)) => Binding::Unresolved(format!(
                "`{name}` in `{module}` is not a plain constant: {why}"
            )),
            Some(other) => other.clone(),
            None => Binding::Unresolved(format!("`{module}` has no module-level `{name}`")),
        }
    }

    /// A function: a task named by its decorator's `name=` or by itself, and a custom
    /// condition named by its decorator's phrase or by itself.
    fn function(&self, f: &ast::StmtFunctionDef) -> Binding {
        let (mut task, mut phrase) = (None, None);
        for d in &f.decorator_list {
            let (kind, call) = match &d.expression {
                Expr::Call(call) => (callee(&call.func), Some(call)),
                other => (callee(other), None),
            };
            let named = |key: &str| {
                call.and_then(|c| keyword(c, key))
                    .and_then(|e| self.resolve(e).ok())
                    .map(|t| t.text().to_owned())
            };
            match kind {
                Some(Callee::TaskMethod | Callee::TaskClass) => {
                    task = Some(named("name").unwrap_or_else(|| f.name.to_string()));
                }
                Some(Callee::Cond) => {
                    let syntax = call.and_then(syntax_of).and_then(|e| self.resolve(e).ok());
                    phrase =
                        Some(syntax.map_or_else(|| f.name.to_string(), |t| t.text().to_owned()));
                }
                _ => {}
            }
        }
        Binding::Function { task, phrase }
    }

    fn bind_target(&mut self, target: &Expr, binding: Binding) {
        match target {
            Expr::Name(n) => self.bind(n.id.as_str(), binding),
            Expr::Tuple(t) => t
                .elts
                .iter()
                .for_each(|e| self.bind_target(e, Binding::Object)),
            _ => {}
        }
    }

    /// Binds `name`; a string bound twice, or a name rebound to a string, is not a constant.
    fn bind(&mut self, name: &str, binding: Binding) {
        let rebound = match self.names.get(name) {
            None => false,
            Some(old) => !(old.is_object() && binding.is_object()),
        };
        let binding = if rebound {
            Binding::Unresolved("it is assigned more than once".into())
        } else {
            binding
        };
        self.names.insert(name.to_owned(), binding);
    }

    /// A string constant, a condition object read as a statement, or an object.
    fn binding_of(&self, value: &Expr) -> Binding {
        let read = match self.resolve(value) {
            Err(Unresolved::NotText) => self.condition(value),
            other => other,
        };
        match read {
            Ok(t) => Binding::Text(t),
            Err(Unresolved::NotText) => self.computed(value),
            Err(Unresolved::Skipped(_, reason)) => Binding::Unresolved(reason),
        }
    }

    /// A value that is neither text nor a condition: a call or a subscript computes it when
    /// the module runs (`os.environ.get(...)`, `SETTINGS["poll"]`); anything else is an
    /// object.
    fn computed(&self, value: &Expr) -> Binding {
        let written = &self.source[range(value)];
        match value {
            Expr::Call(c) => Binding::Computed(format!("{}(...)", &self.source[range(&*c.func)])),
            Expr::Subscript(_) if written.len() <= 60 && !written.contains('\n') => {
                Binding::Computed(written.to_owned())
            }
            _ => Binding::Object,
        }
    }

    /// Why `expr`, a name or a module's attribute, is not a constant, when its value is
    /// computed at run time.
    fn computed_reason(&self, expr: &Expr) -> Option<String> {
        let bound = match expr {
            Expr::Name(n) => self.names.get(n.id.as_str()).cloned(),
            Expr::Attribute(a) => self.member(a).and_then(Result::ok),
            _ => None,
        };
        let Some(Binding::Computed(how)) = bound else {
            return None;
        };
        let written = &self.source[range(expr)];
        Some(format!(
            "`{written}` is computed when the module runs, by `{how}`"
        ))
    }
}

impl ModuleNames<'_, '_> {
    /// Why `expr`, which is not a string, is no condition tminus can read.
    fn unreadable(&self, expr: &Expr) -> String {
        let written = &self.source[range(expr)];
        if let Some(module) = self.imported_path(expr) {
            return format!(
                "`{written}` is imported from `{module}`, which is not among the linted files"
            );
        }
        if let Some(reason) = self.computed_reason(expr) {
            return reason;
        }
        match expr {
            Expr::Name(n) => match self.names.get(n.id.as_str()) {
                Some(Binding::Function { .. }) => {
                    format!("`{written}` is a function that is not a custom condition")
                }
                _ => format!("`{written}` is not a condition tminus can read"),
            },
            _ => format!(
                "`{written}` is not a string, a `rocketry.conds` condition or a constant of the linted files"
            ),
        }
    }
}

/// Whether an import of `module` is an import of Rocketry.
fn is_rocketry(module: &str) -> bool {
    module == "rocketry" || module.starts_with("rocketry.")
}

// ---------------------------------------------------------------------------------------
// Strings

impl ModuleNames<'_, '_> {
    /// The text of `expr` if it is made of literals and module-level constants.
    fn resolve(&self, expr: &Expr) -> Result<Traced, Unresolved> {
        match expr {
            Expr::StringLiteral(s) => Ok(self.string(s.value.iter())),
            Expr::FString(f) => self.fstring(f),
            Expr::BinOp(b) if b.op == Operator::Add => self.concat(&b.left, &b.right),
            Expr::BinOp(b) if b.op == Operator::Mod && is_text(&b.left) => {
                Err(self.skipped(expr, "the string is formatted with `%` at run time"))
            }
            Expr::Call(c) if is_format_call(c) => {
                Err(self.skipped(expr, "the string is formatted with `.format()` at run time"))
            }
            Expr::Name(n) => self.name(n),
            Expr::Attribute(a) => self.member_text(a),
            Expr::NumberLiteral(n) => self.number(n),
            _ => Err(Unresolved::NotText),
        }
    }

    fn skipped(&self, expr: &Expr, reason: &str) -> Unresolved {
        Unresolved::Skipped(range(expr), reason.to_owned())
    }

    /// String literal parts, implicitly concatenated.
    fn string<'e>(&self, parts: impl Iterator<Item = &'e ast::StringLiteral>) -> Traced {
        let mut traced = Traced::default();
        for part in parts {
            let kind = PartKind {
                raw: part.flags.prefix().is_raw(),
                fstring: false,
            };
            traced.push(self.part(part.range, part.flags, &part.value, kind));
        }
        traced
    }

    /// One literal part: the text between its quotes, traced against its value.
    fn part(
        &self,
        whole: ruff_text_size::TextRange,
        flags: impl ast::StringFlags,
        value: &str,
        kind: PartKind,
    ) -> Traced {
        let start = usize::from(whole.start() + flags.opener_len());
        let end = usize::from(whole.end() - flags.closer_len()).max(start);
        trace_part(&self.source[start..end], start, value, kind)
    }

    fn fstring(&self, f: &ast::ExprFString) -> Result<Traced, Unresolved> {
        let mut traced = Traced::default();
        for part in f.value.iter() {
            match part {
                FStringPart::Literal(s) => traced.push(self.string(std::iter::once(s))),
                FStringPart::FString(f) => traced.push(self.fstring_part(f)?),
            }
        }
        Ok(traced)
    }

    fn fstring_part(&self, f: &ast::FString) -> Result<Traced, Unresolved> {
        let kind = PartKind {
            raw: f.flags.prefix().is_raw(),
            fstring: true,
        };
        let mut traced = Traced::default();
        for element in &f.elements {
            match element {
                InterpolatedStringElement::Literal(l) => {
                    let start = usize::from(l.range.start());
                    let source = &self.source[start..usize::from(l.range.end())];
                    traced.push(trace_part(source, start, &l.value, kind));
                }
                InterpolatedStringElement::Interpolation(i) => traced.push(self.interpolation(i)?),
            }
        }
        Ok(traced)
    }

    fn interpolation(&self, i: &ast::InterpolatedElement) -> Result<Traced, Unresolved> {
        let plain = i.debug_text.is_none()
            && i.format_spec.is_none()
            && matches!(i.conversion, ConversionFlag::None | ConversionFlag::Str);
        if !plain {
            let reason = "the f-string formats a value with a conversion or format spec";
            return Err(Unresolved::Skipped(
                usize::from(i.range.start())..usize::from(i.range.end()),
                reason.into(),
            ));
        }
        self.resolve(&i.expression).map_err(|e| match e {
            Unresolved::NotText => self.not_constant(&i.expression),
            skipped => skipped,
        })
    }

    /// `a + b`: text only when both sides are.
    fn concat(&self, left: &Expr, right: &Expr) -> Result<Traced, Unresolved> {
        match (self.resolve(left), self.resolve(right)) {
            (Ok(mut l), Ok(r)) => {
                l.push(r);
                Ok(l)
            }
            (Err(Unresolved::NotText), Err(Unresolved::NotText)) => Err(Unresolved::NotText),
            (Err(Unresolved::Skipped(r, why)), _) | (_, Err(Unresolved::Skipped(r, why))) => {
                Err(Unresolved::Skipped(r, why))
            }
            (Err(Unresolved::NotText), Ok(_)) => Err(self.not_constant(left)),
            (Ok(_), Err(Unresolved::NotText)) => Err(self.not_constant(right)),
        }
    }

    fn not_constant(&self, expr: &Expr) -> Unresolved {
        let text = &self.source[range(expr)];
        let reason = match self.imported_path(expr) {
            Some(module) => {
                format!("`{text}` is imported from `{module}`, which is not among the linted files")
            }
            None => self.computed_reason(expr).unwrap_or_else(|| {
                format!("`{text}` is not a string literal or a module-level constant")
            }),
        };
        Unresolved::Skipped(range(expr), reason)
    }

    /// The module a name was imported from, when that is not a linted file nor Rocketry:
    /// `settings` for `WINDOW` after `from settings import WINDOW`, and for
    /// `settings.WINDOW` after `import settings`.
    fn imported_path(&self, expr: &Expr) -> Option<String> {
        let path = match expr {
            Expr::Name(n) => match self.names.get(n.id.as_str()) {
                Some(Binding::Import(path)) => {
                    path.rsplit_once('.').map_or(path.as_str(), |(m, _)| m)
                }
                _ => return None,
            }
            .to_owned(),
            Expr::Attribute(a) => self.dotted(&a.value)?,
            _ => return None,
        };
        (!is_rocketry(&path)).then_some(path)
    }

    fn name(&self, n: &ast::ExprName) -> Result<Traced, Unresolved> {
        let name = n.id.as_str();
        let used = Use {
            name: name.to_owned(),
            range: usize::from(n.range.start())..usize::from(n.range.end()),
        };
        match self.names.get(name) {
            Some(Binding::Text(t)) => Ok(t.clone().through(used)),
            Some(Binding::Unresolved(why)) => Err(Unresolved::Skipped(
                used.range,
                format!("`{name}` is not a plain constant: {why}"),
            )),
            None => Err(Unresolved::Skipped(
                used.range,
                format!("`{name}` is not a module-level constant"),
            )),
            Some(_) => Err(Unresolved::NotText),
        }
    }

    /// An integer, as `str()` writes it.
    fn number(&self, n: &ast::ExprNumberLiteral) -> Result<Traced, Unresolved> {
        let r = usize::from(n.range.start())..usize::from(n.range.end());
        let written = &self.source[r.clone()];
        match &n.value {
            Number::Int(_) if is_decimal(written) => Ok(trace_part(
                written,
                r.start,
                written,
                PartKind {
                    raw: true,
                    fstring: false,
                },
            )),
            Number::Int(i) => i
                .as_u64()
                .map(|v| Traced::uniform(&v.to_string(), r.clone()))
                .ok_or(Unresolved::NotText),
            _ => Err(Unresolved::Skipped(
                r,
                "a float is formatted by Python at run time".into(),
            )),
        }
    }
}

/// Digits as `str()` prints them back: no `_`, no base prefix, no leading zero.
fn is_decimal(written: &str) -> bool {
    written.bytes().all(|b| b.is_ascii_digit()) && (written == "0" || !written.starts_with('0'))
}

fn is_text(expr: &Expr) -> bool {
    matches!(expr, Expr::StringLiteral(_) | Expr::FString(_))
}

/// The names an f-string can give, as a regular expression: its literal parts, and
/// anything for each replacement field.
fn name_pattern(expr: &Expr) -> Option<String> {
    let Expr::FString(f) = expr else {
        return None;
    };
    let mut pattern = String::new();
    for part in f.value.iter() {
        match part {
            FStringPart::Literal(s) => pattern.push_str(&regex::escape(&s.value)),
            FStringPart::FString(f) => {
                for element in &f.elements {
                    match element {
                        InterpolatedStringElement::Literal(l) => {
                            pattern.push_str(&regex::escape(&l.value));
                        }
                        InterpolatedStringElement::Interpolation(_) => pattern.push_str(".*"),
                    }
                }
            }
        }
    }
    Some(pattern)
}

/// `"...".format(...)`.
fn is_format_call(call: &ast::ExprCall) -> bool {
    matches!(&*call.func, Expr::Attribute(a) if a.attr.as_str() == "format" && is_text(&a.value))
}

fn range(node: &impl Ranged) -> Range<usize> {
    usize::from(node.start())..usize::from(node.end())
}

// ---------------------------------------------------------------------------------------
// Rocketry's calls

/// What a called expression is to Rocketry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Callee {
    /// `app.task`: the first argument is a condition.
    TaskMethod,
    /// `FuncTask`, `Task`, `rocketry.tasks.CommandTask`: conditions only as keywords.
    TaskClass,
    /// `app.cond` or `FuncCond`: registers custom conditions.
    Cond,
    /// `Grouper(prefix, start_cond)`: a group of tasks whose names get the prefix.
    Grouper,
}

fn callee(func: &Expr) -> Option<Callee> {
    let name = match func {
        Expr::Attribute(a) if a.attr.as_str() == "task" => return Some(Callee::TaskMethod),
        Expr::Attribute(a) if a.attr.as_str() == "cond" => return Some(Callee::Cond),
        Expr::Attribute(a) => a.attr.as_str(),
        Expr::Name(n) => n.id.as_str(),
        _ => return None,
    };
    match name {
        "FuncCond" => Some(Callee::Cond),
        "Grouper" => Some(Callee::Grouper),
        _ if name.ends_with("Task") => Some(Callee::TaskClass),
        _ => None,
    }
}

fn keyword<'e>(call: &'e ast::ExprCall, name: &str) -> Option<&'e Expr> {
    call.arguments.find_keyword(name).map(|k| &k.value)
}

/// The name of a function given by reference (`extract`, `jobs.extract`).
fn function_name(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => Some(a.attr.as_str()),
        _ => None,
    }
}

/// Walks the whole module, nested functions and classes included.
struct Collector<'c, 'a, 's> {
    scope: &'c ModuleNames<'a, 's>,
    module: Module,
}

impl<'v> Visitor<'v> for Collector<'_, '_, '_> {
    fn visit_stmt(&mut self, stmt: &'v Stmt) {
        if let Stmt::FunctionDef(f) = stmt {
            for d in &f.decorator_list {
                self.decorator(&d.expression, f.name.as_str());
            }
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'v Expr) {
        if let Expr::Call(call) = expr {
            self.call(call);
        }
        visitor::walk_expr(self, expr);
    }
}

impl Collector<'_, '_, '_> {
    /// A decorator of function `function`: task and condition definitions by name.
    fn decorator(&mut self, expr: &Expr, function: &str) {
        let (kind, call) = match expr {
            Expr::Call(call) => (callee(&call.func), Some(call)),
            other => (callee(other), None),
        };
        match (kind, call) {
            (Some(Callee::TaskMethod | Callee::TaskClass), Some(call))
                if keyword(call, "name").is_some() => {}
            (Some(Callee::TaskMethod | Callee::TaskClass), _) => {
                self.module.tasks.insert(function.to_owned());
            }
            (Some(Callee::Cond), Some(call)) if syntax_of(call).is_none() => {
                self.module.phrases.insert(function.to_owned());
            }
            _ => {}
        }
    }

    fn call(&mut self, call: &ast::ExprCall) {
        match callee(&call.func) {
            Some(Callee::TaskMethod) => {
                if let Some(first) = call.arguments.args.first() {
                    self.conditions(first);
                }
                self.task_keywords(call);
                self.task_name(call, keyword(call, "func"));
            }
            Some(Callee::TaskClass) => {
                self.task_keywords(call);
                self.task_name(call, call.arguments.args.first());
            }
            Some(Callee::Cond) => {
                if let Some(syntax) = syntax_of(call) {
                    self.register(syntax);
                }
            }
            Some(Callee::Grouper) => self.grouper(call),
            None => self.wrapped_task(call),
        }
    }

    /// `Grouper(prefix="etl.", start_cond="daily")`.
    fn grouper(&mut self, call: &ast::ExprCall) {
        self.task_keywords(call);
        let prefix = keyword(call, "prefix").or(call.arguments.args.first());
        if let Some(Ok(prefix)) = prefix.map(|p| self.scope.resolve(p)) {
            self.module.task_prefixes.insert(prefix.text().to_owned());
        }
    }

    fn task_keywords(&mut self, call: &ast::ExprCall) {
        for name in ["start_cond", "end_cond"] {
            if let Some(value) = keyword(call, name) {
                self.conditions(value);
            }
        }
    }

    /// A task's name: `name=`, else the function it wraps, if given.
    fn task_name(&mut self, call: &ast::ExprCall, function: Option<&Expr>) {
        match keyword(call, "name") {
            Some(name) => match self.scope.resolve(name) {
                Ok(t) => {
                    self.module.tasks.insert(t.text().to_owned());
                }
                Err(_) => match name_pattern(name) {
                    Some(pattern) => self.module.task_patterns.push(pattern),
                    None => self.module.has_unnamed_tasks = true,
                },
            },
            None => {
                if let Some(f) = function.and_then(function_name) {
                    self.module.tasks.insert(f.to_owned());
                }
            }
        }
    }

    /// `app.task("daily")(extract)`: the task is named by the function.
    fn wrapped_task(&mut self, call: &ast::ExprCall) {
        let Expr::Call(inner) = &*call.func else {
            return;
        };
        let is_task = matches!(
            callee(&inner.func),
            Some(Callee::TaskMethod | Callee::TaskClass)
        );
        if is_task && keyword(inner, "name").is_none() {
            if let Some(f) = call.arguments.args.first().and_then(function_name) {
                self.module.tasks.insert(f.to_owned());
            }
        }
    }

    /// A condition argument: strings and Rocketry's condition objects are statements, and
    /// so is Python's `&`, `|` and `~` between them. When some operand cannot be read,
    /// each of the others is a statement of its own, and that operand gets a note.
    fn conditions(&mut self, expr: &Expr) {
        let skipped = match self.scope.condition(expr) {
            Ok(text) => {
                let range = range(expr);
                self.module
                    .conditions
                    .push(Condition::Statement { text, range });
                return;
            }
            Err(Unresolved::Skipped(range, reason)) => Condition::Skipped { range, reason },
            Err(Unresolved::NotText) => Condition::Skipped {
                range: range(expr),
                reason: self.scope.unreadable(expr),
            },
        };
        match expr {
            Expr::BinOp(b) if matches!(b.op, Operator::BitAnd | Operator::BitOr) => {
                self.conditions(&b.left);
                self.conditions(&b.right);
            }
            Expr::UnaryOp(u) if u.op == UnaryOp::Invert => self.conditions(&u.operand),
            _ => self.module.conditions.push(skipped),
        }
    }

    /// What `@app.cond(...)` registers: a phrase, a list of them, or patterns.
    fn register(&mut self, syntax: &Expr) {
        match syntax {
            Expr::List(ast::ExprList { elts, .. })
            | Expr::Tuple(ast::ExprTuple { elts, .. })
            | Expr::Set(ast::ExprSet { elts, .. }) => elts.iter().for_each(|e| self.register(e)),
            Expr::Call(call) if is_compile(call) => self.pattern(call),
            _ => match self.scope.resolve(syntax) {
                Ok(t) => {
                    self.module.phrases.insert(t.text().trim().to_owned());
                }
                Err(Unresolved::NotText) => self.module.has_unknown_phrases = true,
                Err(Unresolved::Skipped(range, reason)) => {
                    self.module.has_unknown_phrases = true;
                    let reason =
                        format!("the phrase this `@app.cond` registers is not known: {reason}");
                    self.module
                        .conditions
                        .push(Condition::Skipped { range, reason });
                }
            },
        }
    }

    /// `re.compile(r"...", re.IGNORECASE)`.
    fn pattern(&mut self, call: &ast::ExprCall) {
        let Some(Ok(text)) = call.arguments.args.first().map(|a| self.scope.resolve(a)) else {
            self.module.has_unknown_phrases = true;
            return;
        };
        let flags = call
            .arguments
            .args
            .get(1)
            .or_else(|| keyword(call, "flags"));
        let ignore_case = flags.is_some_and(|f| {
            let written = &self.scope.source[range(f)];
            written.contains("IGNORECASE")
                || written
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|w| w == "I")
        });
        let regex = if ignore_case {
            format!("(?i){}", text.text())
        } else {
            text.text().to_owned()
        };
        self.module.patterns.push(Pattern {
            regex,
            range: range(call),
        });
    }
}

/// The `syntax` of `app.cond(...)`: its first argument or keyword, unless `None`.
fn syntax_of(call: &ast::ExprCall) -> Option<&Expr> {
    call.arguments
        .args
        .first()
        .or_else(|| keyword(call, "syntax"))
        .filter(|e| !e.is_none_literal_expr())
}

/// `re.compile(...)` or a bare `compile(...)` imported from `re`.
fn is_compile(call: &ast::ExprCall) -> bool {
    match &*call.func {
        Expr::Attribute(a) => a.attr.as_str() == "compile",
        Expr::Name(n) => n.id.as_str() == "compile",
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn read(source: &str) -> Module {
        let parsed = ruff_python_parser::parse_module(source).expect("valid python");
        module(&parsed.syntax().body, source)
    }

    fn statements(m: &Module) -> Vec<&str> {
        m.conditions
            .iter()
            .filter_map(|c| match c {
                Condition::Statement { text, .. } => Some(text.text()),
                Condition::Skipped { .. } => None,
            })
            .collect()
    }

    fn skipped(m: &Module) -> Vec<&str> {
        m.conditions
            .iter()
            .filter_map(|c| match c {
                Condition::Skipped { reason, .. } => Some(reason.as_str()),
                Condition::Statement { .. } => None,
            })
            .collect()
    }

    #[test]
    fn decorators_calls_and_constructors_give_conditions() {
        let m = read(concat!(
            "@app.task('daily', end_cond='time of day after 12:00')\ndef a(): ...\n",
            "rocketry_app.task(start_cond=\"hourly\", func=b)\n",
            "FuncTask(c, start_cond='every 10 minutes', name='see')\n",
            "etl = Grouper(prefix='etl.', start_cond='true')\n",
        ));
        assert_eq!(
            statements(&m),
            [
                "daily",
                "time of day after 12:00",
                "hourly",
                "every 10 minutes",
                "true"
            ]
        );
        assert_eq!(m.task_prefixes.iter().collect::<Vec<_>>(), ["etl."]);
        let tasks: HashSet<&str> = m.tasks.iter().map(String::as_str).collect();
        assert_eq!(tasks, HashSet::from(["a", "b", "see"]));
    }

    #[test]
    fn python_operators_split_conditions() {
        let m = read("@app.task('daily' & ~'after task \\'a\\'' | daily)\ndef t(): ...\n");
        assert_eq!(statements(&m), ["daily & ~after task 'a'"]);
        assert_eq!(skipped(&m), ["`daily` is not a module-level constant"]);
    }

    #[test]
    fn constants_resolve_in_concatenations_and_fstrings() {
        let m = read("N = 10\nW = 'time of day between 10:00 and 12:00'\n@app.task('daily & ' + W)\ndef a(): ...\n@app.task(f'every {N} minutes')\ndef b(): ...\n");
        assert_eq!(
            statements(&m),
            [
                "daily & time of day between 10:00 and 12:00",
                "every 10 minutes"
            ]
        );
    }

    #[test]
    fn run_time_strings_are_skipped_with_a_reason() {
        let m = read("def make(hour):\n    app.task(f'daily after {hour}:00')(run)\nX = 'a'\nX = 'b'\napp.task(X)\napp.task('every %d s' % 3)\n");
        assert_eq!(
            skipped(&m),
            [
                "`hour` is not a module-level constant",
                "`X` is not a plain constant: it is assigned more than once",
                "the string is formatted with `%` at run time",
            ]
        );
    }

    #[test]
    fn custom_conditions_register_phrases_names_and_patterns() {
        let m = read("import re\n@app.cond('is business day')\ndef a(): ...\n@app.cond()\ndef is_ready(): ...\n@app.cond(['x', re.compile(r'is (?P<v>\\w+) ok', re.I)])\ndef b(): ...\n");
        let phrases: Vec<&str> = m.phrases.iter().map(String::as_str).collect();
        assert_eq!(phrases, ["is business day", "is_ready", "x"]);
        assert_eq!(m.patterns[0].regex, r"(?i)is (?P<v>\w+) ok");
        assert!(!m.has_unknown_phrases);
    }

    #[test]
    fn a_pattern_kept_in_a_variable_makes_the_phrases_unknown() {
        let m = read("import re\nPAT = re.compile('is .*')\n@app.cond(PAT)\ndef a(): ...\n");
        assert!(m.has_unknown_phrases);
    }
}
