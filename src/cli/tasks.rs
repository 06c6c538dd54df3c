//! What `run`, `check`, `status` and `log` share: reading a tasks file, reporting its
//! diagnostics, opening its log.

use super::settings;
use std::path::Path;
use tminus::run::{ClusterOptions, FileError, LogUrl, TaskLog, TasksFile};

/// Reads and checks `path`; `tz` overrides the file's zone, which defaults to `TZ` or the
/// system's. Diagnostics go to stderr.
pub fn read(path: &Path, tz: Option<&str>) -> Result<TasksFile, u8> {
    // With `--tz` the environment is never consulted: a bad `TZ` must not stop a command
    // that names its zone.
    let zone = settings::zone_or_system(tz).map_err(|e| super::usage(&e))?;
    let mut file = TasksFile::read(path, zone).map_err(|e| report(&e))?;
    if tz.is_some() {
        file.zone = zone;
    }
    Ok(file)
}

/// Prints the diagnostics of a refused file to stderr; the exit code of a finding.
pub fn report(error: &FileError) -> u8 {
    if error.source().is_empty() {
        return super::usage(&error.to_string());
    }
    let name = error.path().display().to_string();
    let options = tminus::RenderOptions {
        color: super::use_color(),
    };
    let mut err = std::io::stderr().lock();
    for d in error.diagnostics() {
        let _ = tminus::render(d, error.source(), &name, options, &mut err);
    }
    super::FINDINGS
}

/// The log `url` names (else the file's), opened; a clear error and exit 2 otherwise.
pub fn open_log(
    file: Option<&TasksFile>,
    url: Option<&str>,
) -> Result<(LogUrl, Box<dyn TaskLog>), u8> {
    let url = log_url(file, url)?;
    let log = tminus::run::open_log(&url)
        .map_err(|e| super::usage(&format!("cannot open the task log {url}: {e}")))?;
    Ok((url, log))
}

/// The log URL given (else the file's).
pub fn log_url(file: Option<&TasksFile>, url: Option<&str>) -> Result<LogUrl, u8> {
    match (url, file) {
        (Some(url), _) => url
            .parse::<LogUrl>()
            .map_err(|e| super::usage(&e.to_string())),
        (None, Some(file)) => Ok(file.log.clone()),
        (None, None) => Err(super::usage("give a tasks file or --log URL")),
    }
}

/// The log a scheduler writes: a PostgreSQL log is joined as one instance of a cluster
/// (`options`), any other is opened.
pub fn open_run_log(
    file: &TasksFile,
    url: Option<&str>,
    options: &ClusterOptions,
) -> Result<Box<dyn TaskLog>, u8> {
    let url = log_url(Some(file), url)?;
    if !matches!(url, LogUrl::Postgres { .. }) || cfg!(not(feature = "postgres")) {
        let _ = options;
        return tminus::run::open_log(&url)
            .map_err(|e| super::usage(&format!("cannot open the task log {url}: {e}")));
    }
    #[cfg(feature = "postgres")]
    match tminus::run::ClusterLog::join(&url, options) {
        Ok(log) => {
            eprintln!("joined the cluster on {url} as {}", log.instance());
            Ok(Box::new(log))
        }
        Err(e) => Err(super::usage(&format!(
            "cannot join the cluster on {url}: {e}"
        ))),
    }
    #[cfg(not(feature = "postgres"))]
    unreachable!("checked above")
}
