//! `keyshake pack export-builtin DIR`: the built-in course as a pack folder
//! to start from (every file as compiled in, plus a `pack.toml`).

use std::path::{Path, PathBuf};

use crate::core::content::{PACK_FILE, builtin_files};

/// Writes the built-in course into `dir` (created if missing; it must be
/// empty). Returns the files written.
pub fn export_builtin(dir: &Path) -> Result<Vec<PathBuf>, String> {
    super::require_empty(dir)?;
    let pack_toml = format!(
        "# The built-in keyshake course, exported by `keyshake pack export-builtin`.\n\
         # Rename it, edit it, and check it with `keyshake pack check --strict`.\n\
         name = \"keyshake-course\"\n\
         version = {}\n\
         author = \"the keyshake authors\"\n\
         description = \"Cross-account AWS KMS: the two-sided handshake, key types, S3 SSE-KMS, aliases and envelope encryption.\"\n\
         mode = \"replace\"\n",
        toml::Value::String(env!("CARGO_PKG_VERSION").to_string())
    );
    let files =
        std::iter::once((PACK_FILE, pack_toml.as_str())).chain(builtin_files().iter().copied());
    super::write_files(dir, files)
}
