//! The sandbox's file operations, carried out by the app: Ctrl-S, and the
//! answers to the sandbox dialogs (reload, overwrite, save elsewhere,
//! restore kept edits). Every write goes through the file's
//! [`Baseline`], so a change made on disk is never overwritten unasked.

use std::path::{Path, PathBuf};

use super::App;
use crate::core::content::sandbox::{self, Baseline, SandboxError};
use crate::core::content::{Lab, PolicyRef};
use crate::tui::action::{Action, Resolve};
use crate::tui::screens::lab::LabScreen;
use crate::tui::screens::sandbox_dialog::{Question, SandboxDialog};

type Edits = [(PolicyRef, String)];

impl App {
    /// Writes a sandbox's edits into its file, tells the sandbox how it
    /// went, and does `then` if it worked. A change on disk or a
    /// read-only file opens the dialog that asks what to do instead.
    pub(super) fn save_sandbox(
        &mut self,
        path: &Path,
        edits: &Edits,
        then: Option<Box<Action>>,
    ) -> bool {
        let disk = self.find_mut::<LabScreen>().and_then(LabScreen::disk_mut);
        let result = match disk {
            // Checked against the file as opened: someone else's change is
            // reported, never overwritten.
            Some(disk) => disk.save(edits),
            None => sandbox::save(path, edits).map(|()| sandbox::Saved {
                path: path.to_path_buf(),
                recreated: false,
                unchanged: false,
            }),
        };
        self.after_save(edits, result, then)
    }

    /// Tells the sandbox how a write went; asks when it met a conflict.
    fn after_save(
        &mut self,
        edits: &Edits,
        result: Result<sandbox::Saved, SandboxError>,
        then: Option<Box<Action>>,
    ) -> bool {
        let question = match &result {
            Err(SandboxError::Conflict(c)) => Some(Question::Conflict {
                changed: c.to_string(),
            }),
            Err(e @ SandboxError::ReadOnly { .. }) => {
                Some(Question::ReadOnly { why: e.to_string() })
            }
            _ => None,
        };
        let recreated = matches!(&result, Ok(s) if s.recreated);
        let saved = result.is_ok();
        if let Some(lab) = self.find_mut::<LabScreen>() {
            lab.saved(edits, result.map(|_| ()).map_err(|e| e.to_string()));
            if recreated {
                lab.tell(format!(
                    "The file had been deleted; it was created again with your policies ({} {}).",
                    edits.len(),
                    if edits.len() == 1 {
                        "policy"
                    } else {
                        "policies"
                    }
                ));
            }
        }
        if let Some(q) = question {
            self.push(Box::new(SandboxDialog::new(q, then)));
            return true;
        }
        if saved && let Some(next) = then {
            self.update(*next);
        }
        true
    }

    /// Carries out the learner's answer to a sandbox dialog.
    pub(super) fn resolve(&mut self, resolve: Resolve, then: Option<Box<Action>>) -> bool {
        let Some(lab) = self.find_mut::<LabScreen>() else {
            return false;
        };
        let edits = lab.unsaved_edits();
        let Some(path) = lab.sandbox_path().map(Path::to_path_buf) else {
            return false;
        };
        match resolve {
            Resolve::Overwrite => {
                let result = match lab.disk_mut() {
                    Some(disk) => disk.overwrite(&edits),
                    None => return false,
                };
                self.after_save(&edits, result, then)
            }
            Resolve::SaveElsewhere => {
                let to = elsewhere(&path);
                let result = match lab.disk_mut() {
                    Some(disk) => disk.save_as(&to, &edits),
                    None => return false,
                };
                let note = match result {
                    Ok(s) => format!(
                        "Saved your version to {}; {} is unchanged (your edits stay open here).",
                        s.path.display(),
                        path.display()
                    ),
                    Err(e) => format!("Not saved elsewhere either, your text is kept: {e}"),
                };
                lab.tell(note);
                true
            }
            Resolve::Reload => self.reload(&path, &edits),
            Resolve::Restore => self.restore(&path),
        }
    }

    /// Keeps the edits in a recovery file, then opens the file as it is
    /// on disk now.
    fn reload(&mut self, path: &Path, edits: &Edits) -> bool {
        let Some(lab) = self.find_mut::<LabScreen>() else {
            return false;
        };
        let shown = lab.workbench().lab().path.clone();
        let Some(disk) = lab.disk_mut() else {
            return false;
        };
        let kept = match disk.keep_unsaved(edits) {
            Ok(p) => p,
            Err(e) => {
                lab.tell(format!(
                    "Not reloaded: your edits could not be kept first ({e})."
                ));
                return true;
            }
        };
        let fresh = disk
            .reload()
            .map_err(|e| e.to_string())
            .and_then(|(text, _)| Lab::sandbox(&shown, &text).map_err(|d| first(&d)));
        match fresh {
            Ok(new) => {
                let mut screen = LabScreen::sandbox(new, path.to_path_buf(), &self.model.ctx());
                screen.tell(format!(
                    "Reloaded {shown} from disk; your edits are kept in {}.",
                    kept.display()
                ));
                self.stack.clear();
                self.push(Box::new(screen));
            }
            Err(e) => lab.tell(format!(
                "Not reloaded ({e}); your edits are also kept in {}.",
                kept.display()
            )),
        }
        true
    }

    /// On opening a sandbox: if edits of an earlier session were kept
    /// beside the file, asks whether to restore the newest.
    pub(super) fn offer_restore(&mut self, path: &Path) {
        let kept = sandbox::unsaved_files(path);
        let Some(newest) = kept.last() else {
            return;
        };
        let question = Question::Restore {
            file: newest.display().to_string(),
            more: kept.len() - 1,
        };
        self.push(Box::new(SandboxDialog::new(question, None)));
    }

    /// Puts the newest kept edits into the editors (the file itself is
    /// unchanged until the learner saves).
    fn restore(&mut self, path: &Path) -> bool {
        let kept = sandbox::unsaved_files(path);
        let Some(newest) = kept.last() else {
            return false;
        };
        let ctx = self.model.ctx();
        let Some(lab) = self
            .stack
            .iter_mut()
            .rev()
            .find_map(|s| s.as_mut().as_any_mut().downcast_mut::<LabScreen>())
        else {
            return false;
        };
        let refs: Vec<PolicyRef> = lab
            .workbench()
            .lab()
            .editable
            .iter()
            .map(|e| e.policy.clone())
            .collect();
        let texts = Baseline::open(newest, &refs).map(|b| {
            refs.iter()
                .filter_map(|r| Some((r.clone(), b.policy(r)?.to_string())))
                .collect::<Vec<_>>()
        });
        let note = match texts {
            Ok(texts) => {
                let n = lab.restore(&texts, &ctx);
                format!(
                    "Restored {n} {} from {}; Ctrl-S saves them into the file.",
                    if n == 1 { "policy" } else { "policies" },
                    newest.display()
                )
            }
            Err(e) => format!("Not restored: {e}"),
        };
        lab.tell(note);
        true
    }
}

/// The first problem of a file that does not load, as a sentence.
fn first(diags: &[crate::core::diag::Diagnostic]) -> String {
    diags
        .first()
        .map_or_else(|| "it does not load".to_string(), ToString::to_string)
}

/// A new file beside `path` for "save elsewhere": `NAME.mine.toml`, then
/// `NAME.mine-2.toml`, ... (never an existing file).
pub fn elsewhere(path: &Path) -> PathBuf {
    let stem = path.file_stem().map_or_else(
        || "scenario".to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    let dir = path.parent().unwrap_or_else(|| Path::new(""));
    (1..)
        .map(|n| match n {
            1 => dir.join(format!("{stem}.mine.toml")),
            n => dir.join(format!("{stem}.mine-{n}.toml")),
        })
        .find(|p| std::fs::symlink_metadata(p).is_err())
        .unwrap_or_else(|| dir.join(format!("{stem}.mine.toml")))
}
