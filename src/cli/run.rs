//! `tminus run TASKS.toml`: the daemon. Signals and file changes become calls on the
//! scheduler's handle; everything else is the library's.

use super::{tasks, Format, OK, USAGE};
use nix::sys::inotify::{AddWatchFlags, InitFlags, Inotify};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;
use std::io::Write;
use std::path::{Path, PathBuf};
use tminus::run::{Handle, LogRecord};

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// The tasks file (TOML).
    file: PathBuf,
    /// The task log, overriding the file's: memory, csv:PATH, sqlite:PATH, postgres://…
    #[arg(long, value_name = "URL")]
    log: Option<String>,
    /// IANA zone of the statements' wall clock, overriding the file's.
    #[arg(long, value_name = "ZONE")]
    tz: Option<String>,
    /// How each event is printed: a line, or a JSON object per line.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// This instance's name in a cluster (a postgres:// log); default HOST:PID:XXXX.
    #[arg(long, value_name = "NAME")]
    instance: Option<String>,
    /// Serve the dashboard on this address (e.g. 127.0.0.1:8081): tasks, runs, the log,
    /// and run now/disable/enable with the token printed at start (or TMINUS_UI_TOKEN).
    #[cfg(feature = "serve")]
    #[arg(long, value_name = "ADDR")]
    ui: Option<String>,
}

/// Told about each tasks file that was reloaded (the dashboard shows its statements).
type OnReload = std::sync::Arc<dyn Fn(&tminus::run::TasksFile) + Send + Sync>;

pub fn run(args: &RunArgs) -> u8 {
    // Handlers first: a signal that comes while the file is read is not lost.
    let Ok(signals) = Signals::new([SIGTERM, SIGINT, SIGHUP]) else {
        return super::usage("cannot handle signals");
    };
    // The dashboard's address is taken before the log is opened or anything runs: a bad
    // one is a usage error.
    #[cfg(feature = "serve")]
    let ui = match args.ui.as_deref().map(super::serve::Ui::bind).transpose() {
        Ok(ui) => ui,
        Err(e) => return super::usage(&e),
    };
    let file = match tasks::read(&args.file, args.tz.as_deref()) {
        Ok(file) => file,
        Err(code) => return code,
    };
    let mut cluster = file.cluster.clone();
    cluster.instance = args.instance.clone();
    let log = match tasks::open_run_log(&file, args.log.as_deref(), &cluster) {
        Ok(log) => log,
        Err(code) => return code,
    };
    let zone = file.zone;
    let format = args.format;
    let scheduler = match file.scheduler() {
        Ok(s) => s
            .log(log)
            .on_record(move |record| print(record, zone, format)),
        Err(e) => return super::usage(&e.to_string()),
    };
    let (handle, thread) = scheduler.spawn();
    #[cfg(feature = "serve")]
    let on_reload: OnReload = match ui {
        Some(ui) => ui.start(handle.clone(), &file),
        None => std::sync::Arc::new(|_: &tminus::run::TasksFile| {}),
    };
    #[cfg(not(feature = "serve"))]
    let on_reload: OnReload = std::sync::Arc::new(|_: &tminus::run::TasksFile| {});
    let (path, tz) = (args.file.clone(), args.tz.clone());
    spawn_signal_thread(
        signals,
        handle.clone(),
        path.clone(),
        tz.clone(),
        on_reload.clone(),
    );
    spawn_watch_thread(handle, path, tz, on_reload);
    match thread.join() {
        Ok(Ok(())) => OK,
        Ok(Err(e)) => super::usage(&e.to_string()),
        Err(_) => USAGE,
    }
}

fn print(record: &LogRecord, zone: chrono_tz::Tz, format: Format) {
    let line = match format {
        Format::Text => super::human::record_line(record, zone),
        Format::Json => record.to_json(zone).to_string(),
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// Re-reads the file; a file that no longer passes is reported and the running
/// configuration stays.
fn reload(handle: &Handle, path: &Path, tz: Option<&str>, on_reload: &OnReload) {
    match tasks::read(path, tz) {
        Ok(file) => match handle.reload(file.reload()) {
            Ok(Ok(())) => {
                on_reload(&file);
                eprintln!("{}: reloaded", path.display())
            }
            Ok(Err(why)) => eprintln!("{}: not reloaded: {why}", path.display()),
            Err(_) => {}
        },
        Err(_) => eprintln!("{}: not reloaded, the running tasks stay", path.display()),
    }
}

fn spawn_signal_thread(
    mut signals: Signals,
    handle: Handle,
    path: PathBuf,
    tz: Option<String>,
    on_reload: OnReload,
) {
    std::thread::spawn(move || {
        for signal in signals.forever() {
            match signal {
                SIGHUP => reload(&handle, &path, tz.as_deref(), &on_reload),
                _ => handle.shutdown(),
            }
        }
    });
}

/// Reloads when the file is written or replaced (editors often write a new file and
/// rename it over the old one, so the folder is watched).
fn spawn_watch_thread(handle: Handle, path: PathBuf, tz: Option<String>, on_reload: OnReload) {
    let Some(name) = path.file_name().map(|n| n.to_owned()) else {
        return;
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let Ok(inotify) = Inotify::init(InitFlags::IN_CLOEXEC) else {
        return;
    };
    let flags = AddWatchFlags::IN_CLOSE_WRITE | AddWatchFlags::IN_MOVED_TO;
    if inotify.add_watch(&dir, flags).is_err() {
        return;
    }
    std::thread::spawn(move || loop {
        let Ok(events) = inotify.read_events() else {
            return;
        };
        if events
            .iter()
            .any(|e| e.name.as_deref() == Some(name.as_os_str()))
        {
            reload(&handle, &path, tz.as_deref(), &on_reload);
        }
    });
}
