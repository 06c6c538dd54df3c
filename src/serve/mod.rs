//! `tminus serve`: a web playground for statements and its JSON API (feature `serve`).
//!
//! - `/` is the playground: type a statement, see its diagnostics, canonical form,
//!   explanation, warnings, next windows and a week timeline in a zone of your choice.
//! - `/api/...` is the JSON API the page uses, described by the OpenAPI 3 document at
//!   `/api/openapi.json`: lint, parse, next windows, truth at an instant, explain.
//! - `/dashboard`, with a [`Dashboard`]: a scheduler's tasks, runs and log, and the
//!   token-guarded actions run now, disable, enable (`/api/tasks/...`, `/api/log`).
//!
//! The pages' files are compiled into the binary. Every bad request gets a 4xx and a
//! JSON error ([`ApiError`]); bodies, counts and horizons are bounded and every answer has
//! a time limit. The binary's `tminus serve` is a thin layer over [`app`] and [`serve`].
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! let app = tminus::serve::app(&tminus::serve::Options::for_listener(&listener)?);
//! tminus::serve::serve(listener, app, std::future::pending()).await
//! # }
//! ```

mod answers;
mod api;
mod assets;
mod dashboard;
mod error;
mod headers;
mod request;

pub use answers::civil_text;
pub use dashboard::{Dashboard, Token};
pub use error::ApiError;
pub use headers::CSP;
pub use request::{MAX_BODY, MAX_COUNT, MAX_HORIZON_DAYS};

use axum::Router;
use std::future::Future;
use std::sync::Arc;
use tokio::net::TcpListener;

/// How the server is set up.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Answer only requests whose `Host` is a loopback name or address (set when listening
    /// on loopback, against DNS rebinding).
    pub loopback_only: bool,
    /// The scheduler dashboard at `/dashboard`, if any.
    pub dashboard: Option<Arc<Dashboard>>,
}

impl Options {
    /// The options for a server on `listener`: loopback-only when it listens on loopback.
    pub fn for_listener(listener: &TcpListener) -> std::io::Result<Options> {
        Ok(Options {
            loopback_only: listener.local_addr()?.ip().is_loopback(),
            dashboard: None,
        })
    }

    /// With the dashboard `dashboard`.
    pub fn with_dashboard(mut self, dashboard: Arc<Dashboard>) -> Options {
        self.dashboard = Some(dashboard);
        self
    }
}

/// The whole application: pages, API, fallbacks and security headers.
pub fn app(options: &Options) -> Router {
    let api = api::routes().with_state(Arc::new(api::Workers::new()));
    let mut app = assets::routes().merge(api);
    if let Some(d) = &options.dashboard {
        app = app.merge(dashboard::routes(d.clone()));
    }
    let mut app = app
        .fallback(|| async { ApiError::not_found("path") })
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() });
    if options.loopback_only {
        app = app.layer(axum::middleware::from_fn(headers::loopback_host));
    }
    app.layer(axum::middleware::from_fn(headers::secure))
}

/// Serves `app` on `listener` until `shutdown` completes, then finishes the requests under
/// way.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
