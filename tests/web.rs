//! `tminus serve` and the dashboard of `tminus run --ui`, tested against real server
//! processes: each module's first line says what it covers.

/// A server process, a raw HTTP client.
mod support;

/// The JSON API: every endpoint, every kind of bad input, the security headers.
#[path = "web/api.rs"]
mod api;
/// The pages in headless Chromium: links, typing, zones, hostile text, the dashboard.
#[path = "web/browser.rs"]
mod browser;
/// The dashboard of `tminus run --ui` and `tminus serve --tasks`: tasks, runs, log, actions.
#[path = "web/dashboard.rs"]
mod dashboard;
