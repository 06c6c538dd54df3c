//! Signals to the processes a test started, as a person sends them: through `kill`.

use std::process::{Child, Command};

/// Sends `signal` (`-TERM`, `-9`, `-STOP`, ...) to `child`; panics when `kill` refuses.
pub fn send(child: &Child, signal: &str) {
    let status = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill {signal} {} failed", child.id());
}
