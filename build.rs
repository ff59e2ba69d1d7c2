//! Embeds the built-in course: every `.toml` file under `content/` becomes an
//! `include_str!` entry in `$OUT_DIR/builtin_content.rs`, so adding a lesson
//! needs no code change. Indexes the AWS catalog's services
//! (`$OUT_DIR/catalog_index.rs`), so the first lookup does not scan it.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}

/// (prefix start, prefix end, block start, block end) byte offsets of each service of
/// the catalog, as `Catalog::parse` reads them: a service is an `S prefix`
/// line and the lines up to the next one; its block starts after the line.
fn catalog_index(data: &str) -> String {
    let mut starts = Vec::new();
    let mut at = 0;
    for line in data.split_inclusive('\n') {
        if line.starts_with("S ") {
            starts.push(at);
        }
        at += line.len();
    }
    let mut code = String::from(
        "/// (prefix start, prefix end, block start, block end) in the catalog's text.\n\
         static INDEX: &[(usize, usize, usize, usize)] = &[\n",
    );
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(data.len());
        let section = &data[start + 2..end];
        let line = section.find('\n').unwrap_or(section.len());
        let prefix_end = start + 2 + section[..line].trim_end().len();
        let block = (start + 2 + line + 1).min(end);
        code.push_str(&format!(
            "    ({}, {prefix_end}, {block}, {end}),\n",
            start + 2
        ));
    }
    code.push_str("];\n");
    code
}

fn main() -> io::Result<()> {
    println!("cargo:rerun-if-changed=data/aws-catalog.txt");
    println!("cargo:rerun-if-changed=content");
    println!("cargo:rerun-if-changed=build.rs");
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").map_err(io::Error::other)?);
    let root = manifest.join("content");
    let mut files = Vec::new();
    if root.is_dir() {
        collect(&root, &mut files)?;
    }
    files.sort();
    let mut code = String::from(
        "/// (path relative to `content/`, text) of every built-in file.\n\
         pub(crate) static FILES: &[(&str, &str)] = &[\n",
    );
    for path in &files {
        let rel = path
            .strip_prefix(&root)
            .map_err(io::Error::other)?
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        code.push_str(&format!(
            "    ({rel:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    code.push_str("];\n");
    let catalog = fs::read_to_string(manifest.join("data/aws-catalog.txt"))?;
    let out = PathBuf::from(std::env::var("OUT_DIR").map_err(io::Error::other)?);
    fs::write(out.join("catalog_index.rs"), catalog_index(&catalog))?;
    fs::write(out.join("builtin_content.rs"), code)
}
