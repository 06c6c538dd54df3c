//! What the fuzz targets share: the checks of a lint run over every output format
//! ([`lint`]) and a scratch folder for inputs the library reads from a path
//! ([`scratch_file`]).

pub mod lint;

use std::path::PathBuf;

/// `name` in a folder of this process's own (libFuzzer may run several at once), with
/// `bytes` written into it: the readers under test take a path, as `tminus` does.
pub fn scratch_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tminus-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("the scratch folder can be made");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("the scratch file can be written");
    path
}
