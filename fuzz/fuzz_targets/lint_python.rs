//! A Python file of any bytes, linted as `tminus lint app.py` in every output format: no
//! panic, and the outputs agree (see `tminus_fuzz::lint`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tminus_fuzz::lint::{check, Source};

fuzz_target!(|data: &[u8]| check(data, Source::Python));
