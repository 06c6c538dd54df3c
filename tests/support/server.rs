//! A real `tminus` server process for the web tests: started on a free loopback port, its
//! address read from the line it prints, killed when dropped.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A running server (or `tminus run --ui`), killed on drop.
pub struct Server {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
    /// The lines it printed (stdout and stderr) after the address line, as they come.
    pub lines: mpsc::Receiver<String>,
    /// The line that gave the address.
    banner: String,
}

/// A fresh, empty folder for one test under the system's temporary folder, removed when
/// dropped.
pub struct ScratchDir(std::path::PathBuf);

impl std::ops::Deref for ScratchDir {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A [`ScratchDir`] named after the test.
pub fn scratch_dir(name: &str) -> ScratchDir {
    let dir = std::env::temp_dir().join(format!("tminus-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    ScratchDir(dir)
}

impl Server {
    /// `tminus serve --bind 127.0.0.1:0 ARGS`.
    pub fn start(args: &[&str]) -> Server {
        let mut all = vec!["serve", "--bind", "127.0.0.1:0"];
        all.extend_from_slice(args);
        Server::spawn(None, &all, &[], "listening on http://")
    }

    /// `tminus ARGS` in `dir` with `env`, waiting for a line (stdout or stderr) containing
    /// `marker` followed by the address (`http://127.0.0.1:PORT/`).
    pub fn spawn(dir: Option<&Path>, args: &[&str], env: &[(&str, &str)], marker: &str) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_tminus"));
        if let Some(dir) = dir {
            command.current_dir(dir);
        }
        for (k, v) in env {
            command.env(k, v);
        }
        let mut child = command
            .args(args)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tminus starts");
        let (tx, rx) = mpsc::channel();
        forward(child.stdout.take().expect("stdout"), tx.clone());
        forward(child.stderr.take().expect("stderr"), tx);
        let mut server = Server {
            child,
            addr: "127.0.0.1:0".parse().unwrap(),
            lines: rx,
            banner: String::new(),
        };
        server.banner = server
            .line_with(marker, 60)
            .unwrap_or_else(|| panic!("no `{marker}` line from tminus within 60 s"));
        let rest = server.banner.split(marker).nth(1).unwrap_or("");
        let addr = rest.split('/').next().unwrap_or("");
        server.addr = addr
            .parse()
            .unwrap_or_else(|_| panic!("bad address in `{}`", server.banner));
        server
    }

    /// The line that contained `marker` and gave the address.
    pub fn printed(&self, marker: &str) -> &str {
        assert!(self.banner.contains(marker), "{}", self.banner);
        &self.banner
    }

    /// The next printed line containing `text`, within `seconds`.
    pub fn line_with(&self, text: &str, seconds: u64) -> Option<String> {
        let deadline = std::time::Instant::now() + Duration::from_secs(seconds);
        loop {
            let left = deadline.checked_duration_since(std::time::Instant::now())?;
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(text) => return Some(line),
                Ok(_) => continue,
                Err(_) => return None,
            }
        }
    }

    /// `http://ADDR`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Sends SIGTERM and waits for the exit status.
    #[cfg(unix)]
    pub fn terminate(&mut self) -> Option<std::process::ExitStatus> {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().ok()?;
        for _ in 0..200 {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }
}

/// Sends each line of `from` to `to` (and on to stderr, so failing tests show it).
fn forward(from: impl std::io::Read + Send + 'static, to: mpsc::Sender<String>) {
    std::thread::spawn(move || {
        for line in BufReader::new(from).lines() {
            let Ok(line) = line else { break };
            eprintln!("[tminus] {line}");
            if to.send(line).is_err() {
                break;
            }
        }
    });
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
