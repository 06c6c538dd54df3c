//! `tminus check TASKS.toml`: the daemon's validation, without running anything.

use super::tasks;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// The tasks file (TOML).
    file: PathBuf,
}

pub fn run(args: &CheckArgs) -> u8 {
    match tasks::read(&args.file, None) {
        Ok(file) => {
            println!(
                "{}: {} tasks, log {}",
                args.file.display(),
                file.tasks.len(),
                file.log
            );
            super::OK
        }
        Err(code) => code,
    }
}
