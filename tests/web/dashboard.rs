//! The dashboard of `tminus run --ui` and `tminus serve --tasks` against real processes: a
//! scheduler running real commands, its tasks, runs and log through the API, the three
//! actions with and without the token, and bad requests.

use crate::support::http::{self, Response};
use crate::support::server::{scratch_dir, ScratchDir, Server};
use serde_json::{json, Value};
use std::path::Path;
use std::time::{Duration, Instant};

/// The token the tests give through `TMINUS_UI_TOKEN`.
pub const TOKEN: &str = "test-token-0123";

/// Two tasks: `greet` runs only when asked (once a year otherwise); `flaky` runs at once
/// and fails with markup on its standard error.
pub const TASKS: &str = r#"
[scheduler]
timezone = "Europe/Helsinki"
log = "sqlite:tasks.db"

[tasks.greet]
command = "echo hello"
start_cond = "cron 0 0 1 1 *"

[tasks.flaky]
command = "echo '<img src=x onerror=alert(1)>' >&2; exit 3"
start_cond = "every 1 hour"
"#;

/// A folder with the tasks file.
pub fn tasks_dir(name: &str) -> ScratchDir {
    let dir = scratch_dir(name);
    std::fs::write(dir.join("tasks.toml"), TASKS).unwrap();
    dir
}

/// `tminus run tasks.toml --ui 127.0.0.1:0` in `dir`, with `env`.
pub fn run_with_ui(dir: &Path, env: &[(&str, &str)]) -> Server {
    let args = ["run", "tasks.toml", "--ui", "127.0.0.1:0"];
    Server::spawn(Some(dir), &args, env, "dashboard on http://")
}

/// Polls `GET path` until `ok` holds on its JSON, for up to 30 s.
pub fn wait_for(server: &Server, path: &str, ok: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let v = http::get(server.addr, path).json();
        if ok(&v) {
            return v;
        }
        assert!(
            Instant::now() < deadline,
            "{path} never satisfied the test: {v:#}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn task<'a>(tasks: &'a Value, name: &str) -> &'a Value {
    tasks["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["task"] == name)
        .unwrap_or_else(|| panic!("no task {name} in {tasks:#}"))
}

fn action(server: &Server, name: &str, what: &str, token: Option<&str>) -> Response {
    let bearer = token.map(|t| format!("Bearer {t}"));
    let headers: Vec<(&str, &str)> = bearer
        .iter()
        .map(|b| ("Authorization", b.as_str()))
        .collect();
    http::request(
        server.addr,
        "POST",
        &format!("/api/tasks/{name}/{what}"),
        &headers,
        b"",
    )
}

fn error_code(r: &Response) -> Value {
    r.json()["error"]["code"].clone()
}

#[test]
fn tasks_runs_and_the_log_are_shown() {
    let dir = tasks_dir("dashboard-show");
    let server = run_with_ui(&dir, &[("TMINUS_UI_TOKEN", TOKEN)]);
    let tasks = wait_for(&server, "/api/tasks", |v| {
        task(v, "flaky")["last"]["action"] == "fail"
    });
    assert_eq!(tasks["zone"], "Europe/Helsinki");
    assert_eq!(tasks["live"], true);
    let flaky = task(&tasks, "flaky");
    assert_eq!(flaky["last"]["message"], "exit status 3");
    assert_eq!(flaky["statement"], "every 1 hour");
    assert_eq!(flaky["next"]["kind"], "at");
    let greet = task(&tasks, "greet");
    assert_eq!(
        (greet["state"].clone(), greet["last"].clone()),
        (json!("idle"), Value::Null)
    );
    assert!(greet["next_text"]
        .as_str()
        .unwrap()
        .ends_with("-01-01 00:00:00"));

    let detail = http::get(server.addr, "/api/tasks/flaky").json();
    assert_eq!(detail["runs"][0]["outcome"], "fail");
    assert_eq!(
        detail["runs"][0]["exc_text"],
        "<img src=x onerror=alert(1)>"
    );
    assert!(!detail["windows"].as_array().unwrap().is_empty());

    // Every documented dashboard path answers here.
    let doc = http::get(server.addr, "/api/openapi.json").json();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        if ops
            .get("get")
            .is_some_and(|op| op["tags"][0] == "dashboard")
        {
            let path = path.replace("{name}", "flaky");
            assert_eq!(http::get(server.addr, &path).status, 200, "{path}");
        }
    }

    let log = http::get(server.addr, "/api/log").json();
    let actions: Vec<(&str, &str)> = log["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["task"].as_str().unwrap(), r["action"].as_str().unwrap()))
        .collect();
    assert_eq!(actions, [("flaky", "run"), ("flaky", "fail")]);
    assert_eq!(log["next"], 2);
    let newer = http::get(server.addr, "/api/log?after=0").json();
    assert_eq!(newer["records"].as_array().unwrap().len(), 1);
    assert_eq!(newer["records"][0]["seq"], 1);
    assert_eq!(
        http::get(server.addr, "/api/log?after=1").json()["records"],
        json!([])
    );
    assert_eq!(
        http::get(server.addr, "/api/log?limit=1").json()["records"][0]["seq"],
        1
    );
}

#[test]
fn actions_need_the_token() {
    let dir = tasks_dir("dashboard-actions");
    let server = run_with_ui(&dir, &[("TMINUS_UI_TOKEN", TOKEN)]);
    for token in [None, Some("wrong-token-0123"), Some("")] {
        for what in ["run", "disable", "enable"] {
            let r = action(&server, "greet", what, token);
            assert_eq!(r.status, 401, "{what} with {token:?}: {}", r.text());
            assert_eq!(error_code(&r), "unauthorized");
            assert_eq!(r.header("www-authenticate"), Some("Bearer"));
        }
    }
    std::thread::sleep(Duration::from_millis(500));
    let tasks = http::get(server.addr, "/api/tasks").json();
    assert_eq!(
        task(&tasks, "greet")["last"],
        Value::Null,
        "refused actions did nothing"
    );

    let r = action(&server, "greet", "run", Some(TOKEN));
    assert_eq!(
        (r.status, r.json()),
        (200, json!({"task": "greet", "action": "run"}))
    );
    wait_for(&server, "/api/tasks", |v| {
        task(v, "greet")["last"]["action"] == "success"
    });
    let log = wait_for(&server, "/api/log", |v| {
        v["records"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["task"] == "greet" && r["action"] == "success")
    });
    assert!(log["records"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["task"] == "greet" && r["action"] == "run"));

    assert_eq!(action(&server, "greet", "disable", Some(TOKEN)).status, 200);
    wait_for(&server, "/api/tasks", |v| {
        task(v, "greet")["state"] == "disabled"
    });
    assert_eq!(action(&server, "greet", "enable", Some(TOKEN)).status, 200);
    wait_for(&server, "/api/tasks", |v| {
        task(v, "greet")["state"] == "idle"
    });

    let unknown = action(&server, "nobody", "run", Some(TOKEN));
    assert_eq!(
        (unknown.status, error_code(&unknown)),
        (404, json!("not-found"))
    );
}

#[test]
fn no_state_changes_through_get_and_bad_requests_are_4xx() {
    let dir = tasks_dir("dashboard-bad");
    let server = run_with_ui(&dir, &[("TMINUS_UI_TOKEN", TOKEN)]);
    let bearer = format!("Bearer {TOKEN}");
    for what in ["run", "disable", "enable"] {
        let path = format!("/api/tasks/greet/{what}");
        let r = http::request(
            server.addr,
            "GET",
            &path,
            &[("Authorization", &bearer)],
            b"",
        );
        assert_eq!(
            (r.status, error_code(&r)),
            (405, json!("method-not-allowed"))
        );
    }
    let other = http::request(
        server.addr,
        "POST",
        "/api/tasks/greet/delete",
        &[("Authorization", &bearer)],
        b"",
    );
    assert_eq!(other.status, 404);
    let cases = [
        ("/api/log?after=x", 400),
        ("/api/log?after=-1", 400),
        ("/api/log?limit=0", 422),
        ("/api/log?limit=1001", 422),
        ("/api/log?limit=99999999999999999999999", 400),
        ("/api/log?since=1", 400),
        ("/api/tasks/nobody", 404),
        ("/api/tasks/%FF", 400),
    ];
    for (path, status) in cases {
        let r = http::get(server.addr, path);
        assert_eq!(r.status, status, "{path}: {}", r.text());
        assert!(r.json()["error"]["message"].is_string());
    }
    std::thread::sleep(Duration::from_millis(300));
    let tasks = http::get(server.addr, "/api/tasks").json();
    assert_eq!(task(&tasks, "greet")["state"], "idle");
    assert_eq!(task(&tasks, "greet")["last"], Value::Null);
    let refused = http::raw(
        server.addr,
        b"GET /api/tasks HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(refused.status, 421);
}

#[test]
fn the_token_is_printed_when_none_is_given() {
    let dir = tasks_dir("dashboard-token");
    let server = run_with_ui(&dir, &[]);
    let line = server.printed("dashboard on http://");
    let token = line
        .split("(token: ")
        .nth(1)
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("no token in `{line}`"));
    assert_eq!(token.len(), 32);
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(action(&server, "greet", "run", None).status, 401);
    assert_eq!(action(&server, "greet", "run", Some(token)).status, 200);
}

#[test]
fn a_bad_ui_address_or_token_stops_before_anything_runs() {
    let dir = tasks_dir("dashboard-bad-address");
    let bad = crate::support::cli::tminus_in(
        Some(&*dir),
        &["run", "tasks.toml", "--ui", "nonsense"],
        b"",
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("cannot listen on nonsense"));
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_tminus"));
    let short = command
        .current_dir(&*dir)
        .args(["run", "tasks.toml", "--ui", "127.0.0.1:0"])
        .env("TMINUS_UI_TOKEN", "short")
        .output()
        .unwrap();
    assert_eq!(short.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&short.stderr).contains("TMINUS_UI_TOKEN"));
    assert!(
        !dir.join("tasks.db").exists(),
        "nothing ran, no log was written"
    );
}

#[cfg(unix)]
#[test]
fn serve_tasks_shows_the_log_without_actions() {
    let dir = tasks_dir("dashboard-serve-tasks");
    {
        let mut daemon = run_with_ui(&dir, &[("TMINUS_UI_TOKEN", TOKEN)]);
        wait_for(&daemon, "/api/tasks", |v| {
            task(v, "flaky")["last"]["action"] == "fail"
        });
        daemon.terminate().expect("tminus run stops on SIGTERM");
    }
    let tasks_file = dir.join("tasks.toml");
    let server = Server::start(&["--tasks", tasks_file.to_str().unwrap()]);
    let tasks = http::get(server.addr, "/api/tasks").json();
    assert_eq!(tasks["live"], false);
    assert_eq!(task(&tasks, "flaky")["last"]["action"], "fail");
    assert_eq!(task(&tasks, "flaky")["last"]["message"], "exit status 3");
    let log = http::get(server.addr, "/api/log").json();
    assert!(log["records"].as_array().unwrap().len() >= 2);
    let r = action(&server, "greet", "run", Some(TOKEN));
    assert_eq!((r.status, error_code(&r)), (409, json!("conflict")));
    assert_eq!(http::get(server.addr, "/dashboard").status, 200);
    // Without --tasks there is no dashboard.
    let plain = Server::start(&[]);
    assert_eq!(http::get(plain.addr, "/dashboard").status, 404);
    assert_eq!(http::get(plain.addr, "/api/tasks").status, 404);
}

#[test]
fn a_reloaded_file_shows_its_new_statements() {
    let dir = tasks_dir("dashboard-reload");
    let server = run_with_ui(&dir, &[("TMINUS_UI_TOKEN", TOKEN)]);
    let before = http::get(server.addr, "/api/tasks").json();
    assert_eq!(task(&before, "greet")["statement"], "cron 0 0 1 1 *");
    let changed = TASKS.replace("cron 0 0 1 1 *", "cron 0 0 2 1 *");
    std::fs::write(dir.join("tasks.toml"), changed).unwrap();
    wait_for(&server, "/api/tasks", |v| {
        task(v, "greet")["statement"] == "cron 0 0 2 1 *"
    });
    let detail = http::get(server.addr, "/api/tasks/greet").json();
    assert_eq!(detail["task"]["statement"], "cron 0 0 2 1 *");
}
