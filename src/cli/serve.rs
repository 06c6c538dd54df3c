//! `tminus serve [--bind ADDR]`: the web playground and its JSON API, a thin layer over
//! `tminus::serve`.

use super::{usage, OK};
use std::io::Write;

/// Arguments of `tminus serve`.
#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port. Only loopback by default: give
    /// another address to let other machines in.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    bind: String,
}

/// Runs `tminus serve` until SIGINT or SIGTERM.
pub fn run(args: &ServeArgs) -> u8 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return usage(&format!("cannot start the server: {e}")),
    };
    match runtime.block_on(serve(args)) {
        Ok(()) => OK,
        Err(e) => usage(&e),
    }
}

async fn serve(args: &ServeArgs) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(&args.bind)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.bind))?;
    let options = tminus::serve::Options::for_listener(&listener).map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    // Tests and scripts read this line to learn the port chosen for `:0`.
    println!("tminus serve: listening on http://{addr}/");
    let _ = std::io::stdout().flush();
    let app = tminus::serve::app(&options);
    tminus::serve::serve(listener, app, shutdown_signal())
        .await
        .map_err(|e| e.to_string())
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
