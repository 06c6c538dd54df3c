//! `tminus run` and the `tminus::run` library, one binary: each module's first line says
//! what it covers. Everything is real: commands in child processes, files, signals, a
//! PostgreSQL server on 127.0.0.1:5432.

mod support;

/// Several instances on one PostgreSQL log: claims, takeover, wake-ups, kill -9 chaos.
#[path = "run/cluster.rs"]
mod cluster;
/// The daemon on real files: launches, failures, timeouts, signals, reload, kill -9.
#[path = "run/daemon.rs"]
mod daemon;
/// The library scheduler: executions, options, the handle, restarts and catch-up.
#[path = "run/library.rs"]
mod library;
/// Task log backends: written, read back by the history readers, Rocketry's layouts.
#[path = "run/logs.rs"]
mod logs;
