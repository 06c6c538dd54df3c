//! The JSON API of `tminus serve` against a real server process: answers of every
//! endpoint, every kind of bad input (a 4xx with a JSON error, never a 5xx or a hang), the
//! OpenAPI document and the headers every response carries.

use crate::support::http::{self, Response};
use crate::support::server::Server;
use serde_json::{json, Value};

const ENDPOINTS: [&str; 5] = [
    "/api/lint",
    "/api/parse",
    "/api/next",
    "/api/truth",
    "/api/explain",
];

/// A refusal: the status, a JSON error with the code, and the security headers.
fn assert_error(r: &Response, status: u16, code: &str) {
    assert_eq!(r.status, status, "{}", r.text());
    assert_eq!(r.json()["error"]["code"], code, "{}", r.text());
    assert!(r.json()["error"]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_secure(r);
}

fn assert_secure(r: &Response) {
    let csp = r.header("content-security-policy").expect("a CSP header");
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
}

#[test]
fn next_lists_windows_in_the_zone_across_dst() {
    let server = Server::start(&[]);
    let body = json!({
        "statement": "time of day between 02:30 and 03:30",
        "zone": "America/New_York",
        "after": "2024-03-09T00:00",
        "count": 3,
    });
    let r = http::post(server.addr, "/api/next", &body);
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    let texts: Vec<(&str, &str)> = v["windows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["start_text"].as_str().unwrap(),
                w["end_text"].as_str().unwrap(),
            )
        })
        .collect();
    // 2024-03-10 02:30 does not exist in New York: the window opens when the clock jumps.
    assert_eq!(
        texts,
        [
            ("2024-03-09 02:30", "2024-03-09 03:30"),
            ("2024-03-10 03:00", "2024-03-10 03:30"),
            ("2024-03-11 02:30", "2024-03-11 03:30"),
        ]
    );
    assert_eq!(v["windows"][2]["start"], "2024-03-11T02:30:00-04:00");
    assert_eq!(v["truncated"], true);
    assert_eq!(v["after"], "2024-03-09T00:00:00-05:00");
    assert_secure(&r);
}

#[test]
fn next_until_and_verdicts() {
    let server = Server::start(&[]);
    let week = json!({
        "statement": "time of week on Monday & time of day between 09:00 and 10:00",
        "after": "2024-03-09T00:00:00Z",
        "until": "2024-03-16T00:00:00Z",
        "count": 1000,
    });
    let v = http::post(server.addr, "/api/next", &week).json();
    assert_eq!(v["windows"].as_array().unwrap().len(), 1);
    assert_eq!(v["windows"][0]["start_text"], "2024-03-11 09:00");

    let never = json!({"statement": "cron 0 0 30 2 *"});
    assert_eq!(
        http::post(server.addr, "/api/next", &never).json()["never"],
        true
    );

    let waits = json!({"statement": "after task 'extract'"});
    let v = http::post(server.addr, "/api/next", &waits).json();
    assert_eq!(
        v["waits_on"],
        json!([{"task": "extract", "action": "success"}])
    );
    assert_eq!(v["windows"], json!([]));
}

#[test]
fn lint_parse_truth_and_explain_answer() {
    let server = Server::start(&[]);
    let lint = http::post(server.addr, "/api/lint", &json!({"statement": "dialy"}));
    assert_eq!(lint.status, 200);
    let v = lint.json();
    assert_eq!(v["valid"], false);
    assert_eq!(v["diagnostics"][0]["help"], "did you mean `daily`?");
    assert_eq!(v["diagnostics"][0]["labels"][0]["start"], 0);
    assert_eq!(v["diagnostics"][0]["labels"][0]["end"], 5);

    let warn = json!({"statement": "time of day before 10:00 & time of day after 11:00"});
    let v = http::post(server.addr, "/api/lint", &warn).json();
    assert_eq!(
        (v["valid"].clone(), v["diagnostics"][0]["code"].clone()),
        (json!(true), json!("tminus::never-true"))
    );

    let parse = json!({"statement": "daily between 10am and 2:00 pm"});
    let v = http::post(server.addr, "/api/parse", &parse).json();
    assert_eq!(v["canonical"], "daily between 10:00 and 14:00");
    assert_eq!(v["ir"]["type"], "periodic");

    let truth = json!({"statement": "time of day after 17:00", "zone": "Europe/Helsinki", "at": "2024-03-15T16:00:00Z"});
    let v = http::post(server.addr, "/api/truth", &truth).json();
    assert_eq!(v["value"], true);
    assert_eq!(v["at_text"], "2024-03-15 18:00");

    let explain = json!({"statement": "daily & time of day after 10:00", "zone": "UTC", "at": "2024-03-30T12:00:00Z"});
    let v = http::post(server.addr, "/api/explain", &explain).json();
    let e = &v["explanation"];
    assert_eq!(e["value"], true);
    assert_eq!(
        e["children"][1]["next_change"],
        "false from 2024-03-31T00:00:00Z"
    );
}

#[test]
fn custom_conditions_are_declared_with_their_value() {
    let server = Server::start(&[]);
    let undeclared = json!({"statement": "is business day & time of day after 10:00"});
    assert_error(
        &http::post(server.addr, "/api/truth", &undeclared),
        422,
        "invalid-statement",
    );
    let declared = json!({
        "statement": "is business day & time of day after 10:00",
        "conds": [{"name": "is business day", "value": true}],
        "at": "2024-03-15T16:00:00Z",
    });
    assert_eq!(
        http::post(server.addr, "/api/truth", &declared).json()["value"],
        true
    );
    let bare = json!({"statement": "~file_exists('x')", "conds": ["file_exists"], "at": "2024-03-15T16:00:00Z"});
    assert_eq!(
        http::post(server.addr, "/api/truth", &bare).json()["value"],
        true
    );
}

#[test]
fn invalid_statements_are_422_with_diagnostics() {
    let server = Server::start(&[]);
    for path in &ENDPOINTS[1..] {
        let r = http::post(server.addr, path, &json!({"statement": "every 10 minuts"}));
        assert_error(&r, 422, "invalid-statement");
        let d = &r.json()["error"]["diagnostics"][0];
        assert_eq!(d["code"], "tminus::unknown-unit", "{path}");
        assert_eq!(d["help"], "did you mean `minutes`?", "{path}");
    }
    // Too long, control characters, unbalanced, too deep: refused, never a crash.
    let hostile = [
        "every ".repeat(20_000),
        "daily\u{0}".into(),
        "((((daily".into(),
        format!("{}daily{}", "(".repeat(500), ")".repeat(500)),
        "~".repeat(10_000) + "daily",
    ];
    for statement in hostile {
        for path in &ENDPOINTS[1..] {
            let r = http::post(server.addr, path, &json!({"statement": statement}));
            assert_error(&r, 422, "invalid-statement");
        }
    }
}

#[test]
fn bad_values_are_422() {
    let server = Server::start(&[]);
    let cases = [
        (
            "/api/next",
            json!({"statement": "daily", "zone": "Mars/Olympus"}),
        ),
        (
            "/api/next",
            json!({"statement": "daily", "after": "yesterday"}),
        ),
        (
            "/api/next",
            json!({"statement": "daily", "after": "2024-13-45T99:00"}),
        ),
        ("/api/next", json!({"statement": "daily", "count": 0})),
        (
            "/api/next",
            json!({"statement": "daily", "count": 1_000_000_000u64}),
        ),
        (
            "/api/next",
            json!({"statement": "daily", "count": u64::MAX}),
        ),
        (
            "/api/next",
            json!({"statement": "daily", "horizon_days": 0}),
        ),
        (
            "/api/next",
            json!({"statement": "daily", "horizon_days": 100_000}),
        ),
        (
            "/api/next",
            json!({"statement": "daily", "after": "2024-03-10T00:00:00Z", "until": "2024-03-09T00:00:00Z"}),
        ),
        ("/api/truth", json!({"statement": "daily", "zone": ""})),
        (
            "/api/truth",
            json!({"statement": "daily", "at": "+999999-01-01T00:00:00Z"}),
        ),
        (
            "/api/explain",
            json!({"statement": "daily", "horizon_days": 5000}),
        ),
        ("/api/lint", json!({"statement": "daily", "conds": [""]})),
        (
            "/api/parse",
            json!({"statement": "daily", "conds": vec!["c"; 65]}),
        ),
        (
            "/api/parse",
            json!({"statement": "daily", "conds": ["x".repeat(201)]}),
        ),
    ];
    for (path, body) in cases {
        let r = http::post(server.addr, path, &body);
        assert_error(&r, 422, "invalid-value");
    }
}

#[test]
fn malformed_json_and_wrong_shapes_are_400() {
    let server = Server::start(&[]);
    let bad_json: [&[u8]; 6] = [
        b"",
        b"{\"statement\": ",
        b"statement=daily",
        b"{\"statement\": \"daily\"} trailing",
        b"\xff\xfe{}",
        b"{\"statement\": \"\\ud800\"}",
    ];
    let nested = format!(
        "{{\"statement\": \"daily\", \"conds\": {}",
        "[".repeat(10_000)
    );
    for path in ENDPOINTS {
        for body in bad_json {
            let r = http::request(server.addr, "POST", path, &[], body);
            assert_error(&r, 400, "bad-json");
        }
        let r = http::request(server.addr, "POST", path, &[], nested.as_bytes());
        assert_eq!(r.status, 400, "{}", r.text());
        let shapes = [
            json!({}),
            json!([]),
            json!("daily"),
            json!(null),
            json!({"statement": 3}),
            json!({"statement": "daily", "unknown": 1}),
            json!({"statement": "daily", "conds": "x"}),
            json!({"statement": "daily", "conds": [{"value": true}]}),
        ];
        for body in shapes {
            let r = http::post(server.addr, path, &body);
            assert_error(&r, 400, "bad-request");
        }
    }
    let wrong_types = [
        json!({"statement": "daily", "count": -1}),
        json!({"statement": "daily", "count": 1.5}),
        json!({"statement": "daily", "count": "10"}),
        json!({"statement": "daily", "count": 1e300}),
        json!({"statement": "daily", "zone": 7}),
    ];
    for body in wrong_types {
        assert_error(
            &http::post(server.addr, "/api/next", &body),
            400,
            "bad-request",
        );
    }
    let horizon_on_truth = json!({"statement": "daily", "horizon_days": 3});
    assert_error(
        &http::post(server.addr, "/api/truth", &horizon_on_truth),
        400,
        "bad-request",
    );
}

#[test]
fn huge_and_slow_bodies_are_refused() {
    let server = Server::start(&[]);
    let huge = vec![b' '; 300 * 1024];
    for path in ENDPOINTS {
        assert_error(
            &http::request(server.addr, "POST", path, &[], &huge),
            413,
            "body-too-large",
        );
    }
    // No length declared: the limit applies to what arrives.
    let mut chunked = format!(
        "POST /api/lint HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n",
        server.addr
    )
    .into_bytes();
    for _ in 0..40 {
        chunked.extend_from_slice(format!("{:x}\r\n", 10 * 1024).as_bytes());
        chunked.extend_from_slice(&[b' '; 10 * 1024]);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    assert_error(&http::raw(server.addr, &chunked), 413, "body-too-large");
    // A body that never arrives is given up on, not waited for.
    let slow = format!(
        "POST /api/lint HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: 100\r\n\r\n{{\"statement\"",
        server.addr
    );
    assert_error(
        &http::raw(server.addr, slow.as_bytes()),
        408,
        "body-timeout",
    );
}

#[test]
fn wrong_methods_and_paths_are_json_errors() {
    let server = Server::start(&[]);
    for path in ENDPOINTS {
        for method in ["GET", "PUT", "DELETE"] {
            assert_error(
                &http::request(server.addr, method, path, &[], b""),
                405,
                "method-not-allowed",
            );
        }
    }
    assert_error(
        &http::post(server.addr, "/api/zones", &json!({})),
        405,
        "method-not-allowed",
    );
    assert_error(&http::get(server.addr, "/api/nothing"), 404, "not-found");
    assert_error(
        &http::get(server.addr, "/../../etc/passwd"),
        404,
        "not-found",
    );
}

#[test]
fn hostile_statements_come_back_as_json_text() {
    let server = Server::start(&[]);
    let statement = "<img src=x onerror=alert(1)>";
    let r = http::post(server.addr, "/api/lint", &json!({ "statement": statement }));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    let v = r.json();
    assert_eq!(v["valid"], false);
    assert_eq!(v["diagnostics"][0]["code"], "tminus::syntax");
    let parse = http::post(
        server.addr,
        "/api/parse",
        &json!({ "statement": statement }),
    );
    assert_error(&parse, 422, "invalid-statement");
}

#[test]
fn only_loopback_hosts_are_answered_on_loopback() {
    let server = Server::start(&[]);
    let r = http::raw(
        server.addr,
        b"GET / HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(r.status, 421);
    assert_secure(&r);
    let ok = http::raw(
        server.addr,
        b"GET /api/zones HTTP/1.1\r\nHost: localhost:1\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(ok.status, 200);
}

#[test]
fn the_openapi_document_describes_what_answers() {
    let server = Server::start(&[]);
    let r = http::get(server.addr, "/api/openapi.json");
    assert_eq!(r.status, 200);
    let doc = r.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    let statements: Vec<_> = paths
        .iter()
        .filter(|(_, ops)| {
            ops.as_object()
                .unwrap()
                .values()
                .all(|op| op["tags"][0] == "statements")
        })
        .collect();
    assert_eq!(statements.len(), 7);
    for (path, methods) in statements {
        for method in methods.as_object().unwrap().keys() {
            let method = method.to_ascii_uppercase();
            let body = json!({"statement": "daily"}).to_string();
            let r = http::request(server.addr, &method, path, &[], body.as_bytes());
            assert_eq!(r.status, 200, "{method} {path}: {}", r.text());
            assert_secure(&r);
        }
    }
    for (path, methods) in paths {
        for op in methods.as_object().unwrap().values() {
            for (status, _) in op["responses"].as_object().unwrap() {
                assert!(!status.starts_with('5'), "{path} documents a {status}");
            }
        }
    }
    // The dashboard's paths exist only with a dashboard (tests/web/dashboard.rs).
    assert_eq!(http::get(server.addr, "/api/tasks").status, 404);
    let zones = http::get(server.addr, "/api/zones").json();
    let zones: Vec<&str> = zones["zones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| z.as_str().unwrap())
        .collect();
    assert!(zones.contains(&"Europe/Helsinki") && zones.contains(&"UTC"));
}

#[test]
fn pages_are_served_from_the_binary_with_a_strict_policy() {
    let server = Server::start(&[]);
    for (path, kind) in [
        ("/", "text/html"),
        ("/playground.js", "text/javascript"),
        ("/common.js", "text/javascript"),
        ("/style.css", "text/css"),
    ] {
        let r = http::get(server.addr, path);
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.header("content-type").unwrap().starts_with(kind),
            "{path}"
        );
        assert_secure(&r);
    }
    let page = http::get(server.addr, "/").text();
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "the page loads nothing from elsewhere"
    );
    assert!(!page.contains("<script>"), "no inline script");
    for asset in ["/playground.js", "/common.js"] {
        let js = http::get(server.addr, asset).text();
        assert!(
            !js.contains("innerHTML") && !js.contains("eval("),
            "{asset} writes text, never markup"
        );
    }
}

#[test]
fn many_requests_at_once_are_all_answered() {
    let server = Server::start(&[]);
    let addr = server.addr;
    let workers: Vec<_> = (0..16)
        .map(|i| {
            std::thread::spawn(move || {
                let body = json!({"statement": "cron */5 * * * *", "count": 1000, "after": format!("2024-01-{:02}T00:00:00Z", i + 1)});
                http::post(addr, "/api/next", &body).status
            })
        })
        .collect();
    for w in workers {
        assert_eq!(w.join().unwrap(), 200);
    }
    let v: Value = http::post(addr, "/api/next", &json!({"statement": "daily"})).json();
    assert!(v["windows"].is_array());
}

#[test]
fn broken_http_is_a_400_and_the_server_goes_on() {
    let server = Server::start(&[]);
    let broken: [&[u8]; 3] = [
        b"GARBAGE\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"POST /api/lint HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n",
    ];
    for request in broken {
        // Not HTTP: hyper answers before the application, without a JSON body.
        assert_eq!(http::raw(server.addr, request).status, 400);
    }
    assert_eq!(http::get(server.addr, "/api/zones").status, 200);
}
