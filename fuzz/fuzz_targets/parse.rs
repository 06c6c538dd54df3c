//! Parsing never panics on any bytes, and every statement that parses prints to a text
//! that parses back to the same IR, whose printing is a fixed point.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tminus::{ParseOptions, Statement};

fuzz_target!(|data: &[u8]| {
    let options = ParseOptions::new()
        .register("is business day")
        .register("file_exists");
    let Ok(first) = Statement::parse_bytes(data, &options) else {
        return;
    };
    let printed = first.canonical();
    let second = match Statement::parse_with(&printed, &options) {
        Ok(s) => s,
        Err(e) => panic!(
            "{:?} printed as {printed:?}, which does not parse: {e}",
            first.source()
        ),
    };
    assert_eq!(
        first.cond(),
        second.cond(),
        "{:?} printed as {printed:?}",
        first.source()
    );
    assert_eq!(second.canonical(), printed);
});
