//! `parse(print(ir)) == ir` on generated statements covering every family, and printing
//! is a fixed point: the canonical text prints to itself.

use crate::support::gen::statement;
use proptest::prelude::*;
use tminus::{ParseOptions, Statement};

fn options() -> ParseOptions {
    ParseOptions::new()
        .register("is business day")
        .register("file_exists")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn print_then_parse_gives_the_same_ir(text in statement(true)) {
        let first = Statement::parse_with(&text, &options()).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        let printed = first.canonical();
        let second = Statement::parse_with(&printed, &options()).map_err(|e| TestCaseError::fail(format!("{printed}: {e}")))?;
        prop_assert_eq!(first.cond(), second.cond(), "{} printed as {}", text, printed);
        prop_assert_eq!(second.canonical(), printed);
    }
}
