//! Helpers shared by the test binaries.
#![allow(dead_code)]

pub mod cli;
pub mod gen;
pub mod http;
pub mod oracle;
#[cfg(unix)]
pub mod pty;
pub mod server;
pub mod signal;
