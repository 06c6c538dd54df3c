//! Bad input is never fatal: each of these gives a diagnostic, without a panic, a stack
//! overflow or a blow-up in time.
//!
//! The time bound is a guard against super-linear behaviour, not a performance figure: a
//! quadratic pass over a mebibyte takes hours, while each case here takes milliseconds in
//! a release build. The bound is generous (a debug build on a shared, loaded machine) so
//! the test never fails for noise; figures are in `docs/performance.md`.

use std::time::{Duration, Instant};
use tminus::{ErrorKind, ParseOptions, Statement};

fn first_kind(bytes: &[u8]) -> (ErrorKind, Duration) {
    let started = Instant::now();
    let result = Statement::parse_bytes(bytes, &ParseOptions::new());
    let took = started.elapsed();
    match result {
        Ok(s) => panic!("{} bytes parsed as {s}", bytes.len()),
        Err(e) => (e.errors()[0].kind(), took),
    }
}

/// Far above any honest run of these cases, even unoptimized on a busy machine.
const BLOW_UP: Duration = Duration::from_secs(30);

fn check(bytes: &[u8], kind: ErrorKind) {
    let (got, took) = first_kind(bytes);
    assert_eq!(got, kind);
    assert!(took < BLOW_UP, "took {took:?}");
}

#[test]
fn a_mebibyte_statement() {
    check(&b"daily & ".repeat(128 * 1024), ErrorKind::TooLong);
    check(&vec![b'x'; 1 << 20], ErrorKind::TooLong);
}

#[test]
fn a_hundred_thousand_parentheses() {
    let mut deep = b"(".repeat(100_000);
    deep.extend_from_slice(b"true");
    deep.extend(b")".repeat(100_000));
    check(&deep, ErrorKind::NestingLimit);
    check(&b"(".repeat(100_000), ErrorKind::NestingLimit);
    check(&b"~".repeat(100_000), ErrorKind::NestingLimit);
}

#[test]
fn nul_bytes_and_invalid_utf8() {
    check(b"daily\0", ErrorKind::InvalidChar);
    check(b"\0\0\0", ErrorKind::InvalidChar);
    check(b"every 10 \xffminutes", ErrorKind::InvalidUtf8);
}

#[test]
fn long_but_legal_statements_parse() {
    let text = vec!["daily"; 5_000].join(" & ");
    let s = Statement::parse(&text).expect("parses");
    assert_eq!(s.canonical().matches("daily").count(), 5_000);
    let nested = "(".repeat(60) + "true" + &")".repeat(60);
    assert!(Statement::parse(&nested).is_ok());
}
