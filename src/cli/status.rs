//! `tminus status TASKS.toml`: each task's state, last outcome and next window, from the
//! file and its log; with a cluster (a PostgreSQL log), which instance runs what and the
//! instances with their leases.

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
    #[cfg(feature = "postgres")]
    let cluster = match tminus::run::ClusterView::read(&url) {
        Ok(view) => view,
        Err(e) => return super::usage(&format!("cannot read the cluster of {url}: {e}")),
    };
    #[cfg(not(feature = "postgres"))]
    let cluster: Option<tminus::run::ClusterView> = None;
    let zone = file.zone;
    let now = super::human::now();
    let statuses = tminus::run::status_from_log(&file.tasks, &records, zone, now);
    let at = |t: &chrono::DateTime<chrono::Utc>| super::human::observed(&t.with_timezone(&zone));
    if args.format == Format::Json {
        for status in &statuses {
            let mut json = status.to_json(zone);
            if let Some(cluster) = &cluster {
                json["instances"] = serde_json::json!(cluster.running(&status.task));
            }
            println!("{json}");
        }
        for instance in cluster.iter().flat_map(|c| &c.instances) {
            let runs: Vec<&str> = cluster
                .iter()
                .flat_map(|c| &c.runs)
                .filter(|r| r.instance == instance.id)
                .map(|r| r.task.as_str())
                .collect();
            let json = serde_json::json!({
                "instance": instance.id,
                "started": instance.started.with_timezone(&zone).to_rfc3339(),
                "renewed": instance.renewed.with_timezone(&zone).to_rfc3339(),
                "expires": instance.expires.with_timezone(&zone).to_rfc3339(),
                "alive": instance.alive,
                "runs": runs,
            });
            println!("{json}");
        }
        return super::OK;
    }
    let mut rows = vec![vec![
        "TASK".to_owned(),
        "STATE".into(),
        "LAST".into(),
        "WHEN".into(),
        "NEXT".into(),
    ]];
    if cluster.is_some() {
        rows[0].push("INSTANCE".into());
    }
    for s in &statuses {
        let (last, when) = match &s.last {
            Some(l) => {
                let what = match &l.message {
                    Some(m) => format!("{} ({m})", l.action),
                    None => l.action.to_string(),
                };
                (what, at(&l.at))
            }
            None => ("-".into(), "-".into()),
        };
        let mut row = vec![
            s.task.clone(),
            s.state.as_str().into(),
            last,
            when,
            s.next.describe(zone),
        ];
        if let Some(cluster) = &cluster {
            let on = cluster.running(&s.task);
            row.push(match on.is_empty() {
                true => "-".into(),
                false => on.join(", "),
            });
        }
        rows.push(row);
    }
    print_table(&rows);
    if let Some(cluster) = &cluster {
        let mut rows = vec![vec![
            "INSTANCE".to_owned(),
            "LEASE".into(),
            "RENEWED".into(),
            "EXPIRES".into(),
            "STARTED".into(),
            "RUNS".into(),
        ]];
        for i in &cluster.instances {
            let runs: Vec<&str> = cluster
                .runs
                .iter()
                .filter(|r| r.instance == i.id)
                .map(|r| r.task.as_str())
                .collect();
            rows.push(vec![
                i.id.clone(),
                if i.alive { "live" } else { "expired" }.into(),
                at(&i.renewed),
                at(&i.expires),
                at(&i.started),
                if runs.is_empty() {
                    "-".into()
                } else {
                    runs.join(", ")
                },
            ]);
        }
        println!();
        print_table(&rows);
    }
    super::OK
}

/// Rows as columns padded to their widest cell.
fn print_table(rows: &[Vec<String>]) {
    let columns = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
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
}
