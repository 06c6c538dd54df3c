//! [`ParseOptions`]: what the embedding program tells the parser, i.e. the custom
//! predicates it registered. Below the stages, since lowering reads it.

use std::collections::BTreeSet;

/// How to parse: the custom predicates the embedding program registered.
///
/// ```
/// let options = tminus::ParseOptions::new().register("is business day").register("file_exists");
/// let s = tminus::Statement::parse_with("daily & is business day & file_exists('data.csv')", &options)?;
/// assert_eq!(s.to_string(), "daily & is business day & file_exists('data.csv')");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParseOptions {
    custom: BTreeSet<String>,
}

impl ParseOptions {
    /// No custom predicates.
    pub fn new() -> ParseOptions {
        ParseOptions::default()
    }

    /// Registers a custom predicate: a phrase (`is business day`, as Rocketry's
    /// `@app.cond("is business day")`) or a function name (`file_exists`, called as
    /// `file_exists('data.csv')`).
    pub fn register(mut self, name: impl Into<String>) -> ParseOptions {
        self.custom.insert(name.into().trim().to_owned());
        self
    }

    /// Whether `name` was registered.
    pub fn is_registered(&self, name: &str) -> bool {
        self.custom.contains(name)
    }

    /// The registered names, sorted.
    pub fn registered(&self) -> impl Iterator<Item = &str> {
        self.custom.iter().map(String::as_str)
    }
}
