//! Opening a pack: the built-in one, a folder (alone or extending the
//! built-in course), and the everything-at-once view `pack check` needs.

use std::path::Path;

use super::diagram::{self, DiagramId};
use super::{
    PACK_FILE, Pack, PackInfo, PackMode, builtin_info, builtin_source, fingerprint, load, safe,
};
use crate::core::diag::Diagnostic;

impl Pack {
    /// The pack compiled into the binary (every file under `content/`).
    /// Diagnostics name files as `content/lessons/...`.
    pub fn builtin() -> Result<Pack, Vec<Diagnostic>> {
        let files = builtin_source();
        let hash = fingerprint(&files);
        let mut pack = load::load("content/", files, Vec::new())?;
        pack.info = PackInfo {
            hash,
            ..builtin_info()
        };
        pack.add_builtin_diagrams();
        Ok(pack)
    }

    /// Puts the built-in diagrams, with the pack's names, before its own.
    fn add_builtin_diagrams(&mut self) {
        let own = std::mem::take(&mut self.diagrams);
        self.diagrams = diagram::builtins(&self.info.names);
        self.diagrams.extend(own);
    }

    /// The diagram `@diagram NAME` shows.
    pub fn diagram(&self, id: &DiagramId) -> Option<&diagram::Diagram> {
        self.diagrams.iter().find(|d| &d.id == id)
    }

    /// Loads a pack from a folder with the same layout as `content/` and,
    /// optionally, a `pack.toml` at its root. With `mode = "extend"` the
    /// built-in files are loaded too. Diagnostics name files by their real
    /// path. Files are limited in size and number, and a symlink leading
    /// out of the folder is refused (see [`MAX_FILE_BYTES`](super::MAX_FILE_BYTES)).
    pub fn load_dir(dir: &Path) -> Result<Pack, Vec<Diagnostic>> {
        // Diagnostics quote file names and text from the pack: they are
        // printed to the terminal, so they are neutralised too.
        Pack::load_dir_raw(dir).map_err(|diags| {
            diags
                .into_iter()
                .map(|d| Diagnostic {
                    path: safe::neutralise(&d.path),
                    message: safe::neutralise(&d.message),
                    hint: d.hint.as_deref().map(safe::neutralise),
                    ..d
                })
                .collect()
        })
    }

    fn load_dir_raw(dir: &Path) -> Result<Pack, Vec<Diagnostic>> {
        let (mut pack, mut diags) = Pack::load_dir_all(dir);
        if diags
            .iter()
            .any(|d| d.severity == crate::core::diag::Severity::Error)
        {
            diags.sort_by_key(|d| d.severity);
            return Err(diags);
        }
        pack.warnings = diags;
        Ok(pack)
    }

    /// What `keyshake pack check` needs: the pack as far as it loads and
    /// every problem, errors and warnings together, sorted by file and
    /// position (neutralised for printing). `None` is the built-in pack.
    pub fn check(dir: Option<&Path>) -> (Pack, Vec<Diagnostic>) {
        let (pack, diags) = match dir {
            Some(dir) => Pack::load_dir_all(dir),
            None => {
                let files = builtin_source();
                let hash = fingerprint(&files);
                let (mut pack, diags) = load::load_all("content/", files, Vec::new());
                pack.info = PackInfo {
                    hash,
                    ..builtin_info()
                };
                pack.add_builtin_diagrams();
                (pack, diags)
            }
        };
        let diags = diags
            .into_iter()
            .map(|d| Diagnostic {
                path: safe::neutralise(&d.path),
                message: safe::neutralise(&d.message),
                hint: d.hint.as_deref().map(safe::neutralise),
                ..d
            })
            .collect();
        (pack, diags)
    }

    fn load_dir_all(dir: &Path) -> (Pack, Vec<Diagnostic>) {
        // The built-in files are shown as `content/...`; a pack folder
        // given as the relative path `content` is shown as `./content/...`
        // so that its files are never taken for built-in ones.
        let shown;
        let dir = if dir.is_relative() && dir.starts_with("content") {
            shown = Path::new(".").join(dir);
            shown.as_path()
        } else {
            dir
        };
        let (mut files, mut problems) = load::read_dir(dir);
        if files.is_empty() && !problems.is_empty() {
            return (Pack::default(), problems);
        }
        let hash = fingerprint(&files);
        let root = dir.join("").display().to_string();
        let mut info = PackInfo {
            name: dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            ..PackInfo::default()
        };
        let mut selection = load::Selection::default();
        if let Some(at) = files.iter().position(|f| f.rel == PACK_FILE) {
            let file = files.remove(at);
            if let Some((read, chosen)) = load::pack_info(&file, &mut problems) {
                info = read;
                selection = chosen;
            }
        }
        if info.mode == PackMode::Extend {
            let mut all = builtin_source();
            all.append(&mut files);
            files = all;
        }
        let (mut pack, mut diags) = load::load_all(&root, files, problems);
        selection.apply(&mut pack, &mut diags);
        pack.info = PackInfo { hash, ..info };
        pack.add_builtin_diagrams();
        safe::fix_pack(&mut pack);
        (pack, diags)
    }

    /// The pack from `dir` if given (`--content`), else the built-in one.
    pub fn load(dir: Option<&Path>) -> Result<Pack, Vec<Diagnostic>> {
        match dir {
            Some(dir) => Pack::load_dir(dir),
            None => Pack::builtin(),
        }
    }
}
