//! `tminus serve [--bind ADDR] [--tasks TASKS.toml]`: the web playground, its JSON API and,
//! with `--tasks`, the dashboard of that file's log; and `tminus run --ui ADDR`'s dashboard
//! of the running scheduler ([`Ui`]). A thin layer over `tminus::serve`.

use super::{tasks, usage, OK};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use tminus::run::{Handle, TasksFile};
use tminus::serve::{Dashboard, Options, Token};

/// Arguments of `tminus serve`.
#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port. Only loopback by default: give
    /// another address to let other machines in.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    bind: String,
    /// Also show the dashboard of this tasks file, read from its log (no actions: they
    /// need the scheduler, `tminus run --ui`).
    #[arg(long, value_name = "TASKS.toml")]
    tasks: Option<PathBuf>,
    /// The task log, overriding the tasks file's.
    #[arg(long, value_name = "URL", requires = "tasks")]
    log: Option<String>,
}

/// Runs `tminus serve` until SIGINT or SIGTERM.
pub fn run(args: &ServeArgs) -> u8 {
    let dashboard = match &args.tasks {
        Some(path) => {
            let file = match tasks::read(path, None) {
                Ok(file) => file,
                Err(code) => return code,
            };
            match tasks::open_log(Some(&file), args.log.as_deref()) {
                Ok((_, log)) => Some(Dashboard::from_log(&file, log)),
                Err(code) => return code,
            }
        }
        None => None,
    };
    let listener = match bind(&args.bind) {
        Ok(l) => l,
        Err(e) => return usage(&e),
    };
    let runtime = match runtime() {
        Ok(r) => r,
        Err(e) => return usage(&e),
    };
    let served = runtime.block_on(async {
        let listener = tokio::net::TcpListener::from_std(listener).map_err(|e| e.to_string())?;
        let mut options = Options::for_listener(&listener).map_err(|e| e.to_string())?;
        if let Some(d) = dashboard {
            options = options.with_dashboard(d);
        }
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        // Tests and scripts read this line to learn the port chosen for `:0`.
        println!("tminus serve: listening on http://{addr}/");
        let _ = std::io::stdout().flush();
        let app = tminus::serve::app(&options);
        tminus::serve::serve(listener, app, shutdown_signal())
            .await
            .map_err(|e| e.to_string())
    });
    match served {
        Ok(()) => OK,
        Err(e) => usage(&e),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))
}

fn bind(addr: &str) -> Result<std::net::TcpListener, String> {
    let listener =
        std::net::TcpListener::bind(addr).map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    Ok(listener)
}

/// The dashboard of `tminus run --ui ADDR`: its address taken before the scheduler starts,
/// its token from `TMINUS_UI_TOKEN` or made up.
pub struct Ui {
    listener: std::net::TcpListener,
    token: Token,
    from_env: bool,
}

impl Ui {
    /// Listens on `addr` and settles the token.
    pub fn bind(addr: &str) -> Result<Ui, String> {
        let (token, from_env) = match std::env::var("TMINUS_UI_TOKEN") {
            Ok(text) if !text.is_empty() => (
                Token::new(&text).map_err(|e| format!("TMINUS_UI_TOKEN: {e}"))?,
                true,
            ),
            _ => (Token::generate(), false),
        };
        Ok(Ui {
            listener: bind(addr)?,
            token,
            from_env,
        })
    }

    /// Serves the dashboard of the scheduler behind `handle` on a thread of its own, and
    /// prints where, with the token, to stderr (stdout carries the scheduler's events).
    /// Gives back what a reload of the file must tell the dashboard.
    pub fn start(self, handle: Handle, file: &TasksFile) -> Arc<dyn Fn(&TasksFile) + Send + Sync> {
        let noop: Arc<dyn Fn(&TasksFile) + Send + Sync> = Arc::new(|_: &TasksFile| {});
        let runtime = match runtime() {
            Ok(r) => r,
            Err(e) => {
                eprintln!("tminus run: no dashboard: {e}");
                return noop;
            }
        };
        let dashboard = {
            let _inside = runtime.enter();
            Dashboard::live(handle, file.zone, &file.tasks, self.token.clone())
        };
        let addr = self
            .listener
            .local_addr()
            .map(|a| a.to_string())
            .unwrap_or_default();
        let token = if self.from_env {
            "from TMINUS_UI_TOKEN".to_owned()
        } else {
            self.token.as_str().to_owned()
        };
        eprintln!("tminus run: dashboard on http://{addr}/dashboard (token: {token})");
        let served = dashboard.clone();
        let listener = self.listener;
        std::thread::spawn(move || {
            runtime.block_on(async move {
                let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                    return;
                };
                let Ok(options) = Options::for_listener(&listener) else {
                    return;
                };
                let app = tminus::serve::app(&options.with_dashboard(served));
                if let Err(e) = tminus::serve::serve(listener, app, std::future::pending()).await {
                    eprintln!("tminus run: the dashboard stopped: {e}");
                }
            })
        });
        Arc::new(move |file: &TasksFile| dashboard.set_tasks(&file.tasks))
    }
}

/// Completes on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
