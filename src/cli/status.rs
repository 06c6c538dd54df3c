//! `tminus status TASKS.toml`: each task's state, last outcome and next window, from the
//! file and its log.

use super::{tasks, Format};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct StatusArgs {
    /// The tasks file (TOML).
    file: PathBuf,
    /// The task log, overriding the file's.
    #[arg(long, value_name = "URL")]
    log: Option<String>,
    /// A table, or one JSON object per task and line.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub fn run(args: &StatusArgs) -> u8 {
    let file = match tasks::read(&args.file, None) {
        Ok(file) => file,
        Err(code) => return code,
    };
    let (url, mut log) = match tasks::open_log(Some(&file), args.log.as_deref()) {
        Ok(log) => log,
        Err(code) => return code,
    };
    let records = match log.read() {
        Ok(records) => records,
        Err(e) => return super::usage(&format!("cannot read the task log {url}: {e}")),
    };
    let zone = file.zone;
    let statuses = tminus::run::status_from_log(&file.tasks, &records, zone, chrono::Utc::now());
    if args.format == Format::Json {
        for status in &statuses {
            println!("{}", status.to_json(zone));
        }
        return super::OK;
    }
    let mut rows = vec![[
        "TASK".to_owned(),
        "STATE".into(),
        "LAST".into(),
        "WHEN".into(),
        "NEXT".into(),
    ]];
    for s in &statuses {
        let (last, when) = match &s.last {
            Some(l) => {
                let what = match &l.message {
                    Some(m) => format!("{} ({m})", l.action),
                    None => l.action.to_string(),
                };
                (
                    what,
                    l.at.with_timezone(&zone)
                        .format("%Y-%m-%d %H:%M:%S")
                        .to_string(),
                )
            }
            None => ("-".into(), "-".into()),
        };
        rows.push([
            s.task.clone(),
            s.state.as_str().into(),
            last,
            when,
            s.next.describe(zone),
        ]);
    }
    let widths: Vec<usize> = (0..5)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        println!("{}", cells.join("  ").trim_end());
    }
    super::OK
}
