//! The pages' files, compiled into the binary: hand-written HTML, CSS and JavaScript, no
//! CDN and nothing fetched at run time.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// One file served at a fixed path.
struct Asset {
    path: &'static str,
    content_type: &'static str,
    body: &'static str,
}

const ASSETS: &[Asset] = &[
    Asset {
        path: "/",
        content_type: "text/html; charset=utf-8",
        body: include_str!("assets/playground.html"),
    },
    Asset {
        path: "/playground.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("assets/playground.js"),
    },
    Asset {
        path: "/common.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("assets/common.js"),
    },
    Asset {
        path: "/favicon.svg",
        content_type: "image/svg+xml",
        body: include_str!("assets/favicon.svg"),
    },
    Asset {
        path: "/style.css",
        content_type: "text/css; charset=utf-8",
        body: include_str!("assets/style.css"),
    },
];

/// The dashboard's files, served only where there is a dashboard.
const DASHBOARD: &[Asset] = &[
    Asset {
        path: "/dashboard",
        content_type: "text/html; charset=utf-8",
        body: include_str!("assets/dashboard.html"),
    },
    Asset {
        path: "/dashboard.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("assets/dashboard.js"),
    },
];

/// The routes of the playground's files.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    routes_of(ASSETS)
}

/// The routes of the dashboard's files.
pub fn dashboard_routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    routes_of(DASHBOARD)
}

fn routes_of<S: Clone + Send + Sync + 'static>(assets: &'static [Asset]) -> Router<S> {
    assets.iter().fold(Router::new(), |router, asset| {
        let (content_type, body) = (asset.content_type, asset.body);
        router.route(asset.path, get(move || serve(content_type, body)))
    })
}

async fn serve(content_type: &'static str, body: &'static str) -> Response {
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (header::CACHE_CONTROL, "no-cache"),
    ];
    (headers, body).into_response()
}
