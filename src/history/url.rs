//! Log URLs: `memory`, `csv:PATH`, `sqlite:PATH`, `postgres://…`.

use super::log::LogError;
use super::record::is_sql_name;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The table a SQL log uses unless the URL names another (`?table=NAME`).
pub const DEFAULT_TABLE: &str = "tasks";

/// Where a task log lives.
///
/// ```
/// use tminus::history::LogUrl;
///
/// assert_eq!("memory".parse::<LogUrl>()?, LogUrl::Memory);
/// assert_eq!("csv:logs/tasks.csv".parse::<LogUrl>()?, LogUrl::Csv("logs/tasks.csv".into()));
/// let sqlite: LogUrl = "sqlite:app.db?table=log".parse()?;
/// assert_eq!(sqlite, LogUrl::Sqlite { path: "app.db".into(), table: "log".into() });
/// let pg: LogUrl = "postgres://postgres@127.0.0.1:5432/test?schema=ci".parse()?;
/// assert!(matches!(pg, LogUrl::Postgres { ref table, .. } if table == "tasks"));
/// assert!("mysql://x".parse::<LogUrl>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LogUrl {
    /// In memory: lost when the process ends.
    Memory,
    /// A CSV file in Rocketry's `CSVFileRepo` layout.
    Csv(PathBuf),
    /// A table of a SQLite database, in Rocketry's `SQLRepo` layout.
    Sqlite {
        /// The database file.
        path: PathBuf,
        /// The table.
        table: String,
    },
    /// A table of a PostgreSQL database, in the same layout.
    Postgres {
        /// The connection URL, without the `table` and `schema` parameters.
        url: String,
        /// The schema (created when missing); the server's default when `None`.
        schema: Option<String>,
        /// The table.
        table: String,
    },
}

impl LogUrl {
    /// The URL with a relative file path taken relative to `dir` (a tasks file's folder).
    pub fn relative_to(self, dir: &Path) -> LogUrl {
        let join = |path: PathBuf| match path.is_relative() {
            true => dir.join(path),
            false => path,
        };
        match self {
            LogUrl::Csv(path) => LogUrl::Csv(join(path)),
            LogUrl::Sqlite { path, table } => LogUrl::Sqlite {
                path: join(path),
                table,
            },
            other => other,
        }
    }
}

impl FromStr for LogUrl {
    type Err = LogError;

    fn from_str(text: &str) -> Result<LogUrl, LogError> {
        let bad = |why: &str| LogError::new(format!("`{text}` is not a log URL: {why}"));
        if text == "memory" {
            return Ok(LogUrl::Memory);
        }
        if let Some(path) = text.strip_prefix("csv:") {
            if path.is_empty() {
                return Err(bad("`csv:` needs a file path"));
            }
            return Ok(LogUrl::Csv(path.into()));
        }
        if let Some(rest) = text.strip_prefix("sqlite:") {
            let (path, mut params) = split_query(rest);
            let table = params.take("table").unwrap_or_else(|| DEFAULT_TABLE.into());
            if let Some(key) = params.0.first() {
                return Err(bad(&format!("unknown parameter `{}`", key.0)));
            }
            if path.is_empty() {
                return Err(bad("`sqlite:` needs a file path"));
            }
            if !is_sql_name(&table) {
                return Err(bad("a table name is letters, digits and `_`"));
            }
            return Ok(LogUrl::Sqlite {
                path: path.into(),
                table,
            });
        }
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            let (base, mut params) = split_query(text);
            let table = params.take("table").unwrap_or_else(|| DEFAULT_TABLE.into());
            let schema = params.take("schema");
            if !is_sql_name(&table) || !schema.as_deref().is_none_or(is_sql_name) {
                return Err(bad("table and schema names are letters, digits and `_`"));
            }
            let rest: Vec<String> = params.0.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let url = match rest.is_empty() {
                true => base.to_owned(),
                false => format!("{base}?{}", rest.join("&")),
            };
            return Ok(LogUrl::Postgres { url, schema, table });
        }
        Err(bad(
            "expected `memory`, `csv:PATH`, `sqlite:PATH` or `postgres://user@host:port/db`",
        ))
    }
}

impl fmt::Display for LogUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LogUrl::Memory => f.write_str("memory"),
            LogUrl::Csv(path) => write!(f, "csv:{}", path.display()),
            LogUrl::Sqlite { path, table } if table == DEFAULT_TABLE => {
                write!(f, "sqlite:{}", path.display())
            }
            LogUrl::Sqlite { path, table } => write!(f, "sqlite:{}?table={table}", path.display()),
            LogUrl::Postgres { url, schema, table } => {
                let sep = if url.contains('?') { '&' } else { '?' };
                write!(f, "{url}{sep}table={table}")?;
                match schema {
                    Some(schema) => write!(f, "&schema={schema}"),
                    None => Ok(()),
                }
            }
        }
    }
}

/// `base?k=v&k=v` split into the base and its parameters.
fn split_query(text: &str) -> (&str, Params) {
    match text.split_once('?') {
        None => (text, Params(Vec::new())),
        Some((base, query)) => {
            let params = query
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| match p.split_once('=') {
                    Some((k, v)) => (k.to_owned(), v.to_owned()),
                    None => (p.to_owned(), String::new()),
                })
                .collect();
            (base, Params(params))
        }
    }
}

struct Params(Vec<(String, String)>);

impl Params {
    fn take(&mut self, key: &str) -> Option<String> {
        let i = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(i).1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_print_back() {
        for text in [
            "memory",
            "csv:a.csv",
            "sqlite:a.db",
            "sqlite:a.db?table=log",
            "postgres://u@h:1/db?sslmode=disable&table=t&schema=s",
        ] {
            let url: LogUrl = text.parse().unwrap();
            assert_eq!(url.to_string().parse::<LogUrl>().unwrap(), url, "{text}");
        }
    }

    #[test]
    fn bad_urls_say_why() {
        let e = "sqlite:a.db?tabel=x".parse::<LogUrl>().unwrap_err();
        assert!(e.message().contains("unknown parameter `tabel`"), "{e}");
        let e = "sqlite:a.db?table=a-b".parse::<LogUrl>().unwrap_err();
        assert!(e.message().contains("letters"), "{e}");
        assert!("csv:".parse::<LogUrl>().is_err());
    }
}
