//! `tminus log`: a task log's records, oldest first.

use super::{settings, tasks, Format};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct LogArgs {
    /// A tasks file whose log to read (instead of --log).
    file: Option<PathBuf>,
    /// The task log: memory, csv:PATH, sqlite:PATH, postgres://…
    #[arg(long, value_name = "URL")]
    log: Option<String>,
    /// Only this task's records.
    #[arg(long, value_name = "NAME")]
    task: Option<String>,
    /// Only records at or after this instant (ISO 8601; without an offset, in --tz).
    #[arg(long, value_name = "INSTANT")]
    since: Option<String>,
    /// IANA zone the instants are printed in (default: the file's, else the system's).
    #[arg(long, value_name = "ZONE")]
    tz: Option<String>,
    /// A line per record, or a JSON object per line.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub fn run(args: &LogArgs) -> u8 {
    let file = match &args.file {
        Some(path) => match tasks::read(path, args.tz.as_deref()) {
            Ok(file) => Some(file),
            Err(code) => return code,
        },
        None => None,
    };
    let zone = match (&file, args.tz.as_deref()) {
        (Some(file), _) => file.zone,
        (None, tz) => match settings::zone_or_system(tz) {
            Ok(zone) => zone,
            Err(e) => return super::usage(&e),
        },
    };
    let since = match args
        .since
        .as_deref()
        .map(|s| settings::instant(Some(s), zone))
    {
        None => None,
        Some(Ok(at)) => Some(at),
        Some(Err(e)) => return super::usage(&e),
    };
    let (url, mut log) = match tasks::open_log(file.as_ref(), args.log.as_deref()) {
        Ok(log) => log,
        Err(code) => return code,
    };
    let records = match log.read() {
        Ok(records) => records,
        Err(e) => return super::usage(&format!("cannot read the task log {url}: {e}")),
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for record in records {
        if args.task.as_ref().is_some_and(|t| *t != record.task_name)
            || since.is_some_and(|s| record.created < s)
        {
            continue;
        }
        let line = match args.format {
            Format::Text => super::human::record_line(&record, zone),
            Format::Json => record.to_json(zone).to_string(),
        };
        if std::io::Write::write_all(&mut out, format!("{line}\n").as_bytes()).is_err() {
            break;
        }
    }
    super::OK
}
