//! Any scenario file opened as a sandbox lab (`keyshake lab FILE`).

use super::raw::{RawLabFile, start_text};
use super::{Editable, Goal, Lab, LabRefs, PolicyRef};
use crate::core::content::markup;
use crate::core::diag::Diagnostic;
use crate::core::world::load_str;

impl Lab {
    /// Any scenario file as a sandbox lab: every policy it has is
    /// editable (each key policy of a customer managed key, each identity
    /// policy, boundary, SCP and RCP), plus a bucket policy for every bucket and
    /// a first identity policy for every principal that has none, so they
    /// can be written. Every request is shown; those with `expect` are
    /// goals. A `[lab]` table, if the file has one, is ignored. Errors are
    /// the engine's, at file:line:column.
    pub fn sandbox(path: &str, text: &str) -> Result<Lab, Vec<Diagnostic>> {
        let world = load_str(path, text)?;
        let raw: RawLabFile = toml::from_str(text)
            .map_err(|e| vec![Diagnostic::file_error(path, e.message().trim())])?;
        let table: toml::Table = toml::from_str(text).unwrap_or_default();
        let mut refs = Vec::new();
        for k in &world.keys {
            if !k.generated && !k.is_aws_managed() {
                refs.push(PolicyRef::Key(k.arn.clone()));
            }
        }
        for p in &raw.principals {
            let n = p.policies.len().max(1);
            refs.extend((0..n).map(|index| PolicyRef::Identity {
                principal: p.arn.clone(),
                index,
            }));
            if p.permissions_boundary.is_some() {
                refs.push(PolicyRef::Boundary(p.arn.clone()));
            }
        }
        refs.extend(
            raw.buckets
                .iter()
                .map(|b| PolicyRef::Bucket(b.name.clone())),
        );
        for a in &raw.accounts {
            refs.extend((0..a.scps.len()).map(|index| PolicyRef::Scp {
                account: a.id.clone(),
                index,
            }));
            refs.extend((0..a.rcps.len()).map(|index| PolicyRef::Rcp {
                account: a.id.clone(),
                index,
            }));
        }
        let mut editable = Vec::new();
        for r in refs {
            let start =
                start_text(&raw, &world, &r).map_err(|m| vec![Diagnostic::file_error(path, m)])?;
            editable.push(Editable {
                label: r.label(&world),
                policy: r,
                solution: start.clone(),
                start,
            });
        }
        let goals = world
            .requests
            .iter()
            .enumerate()
            .map(|(i, r)| Goal {
                request: i,
                text: r
                    .name
                    .clone()
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| format!("{} on {}", r.action, r.resource)),
                expect: r.expect,
                expect_reason: r.expect_reason,
                line: r.line,
            })
            .collect();
        let name = std::path::Path::new(path)
            .file_name()
            .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned());
        let title = raw
            .title
            .as_ref()
            .map(|t| t.get_ref().trim().to_string())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| name.clone());
        let story = markup::parse(
            &format!(
                "This is a **sandbox**: the scenario file `{}`, with every policy in it open for editing. Each request is re-evaluated as you type; the ones with `expect` in the file are judged as goals.\n\nCtrl-S writes your policies back into the file. Only the policy strings change: comments and the rest of the file stay as they are. `keyshake eval` grades the saved file.",
                safe_code(path)
            ),
            1,
        )
        .blocks;
        let mut lab = Lab {
            id: "sandbox".to_string(),
            title,
            objectives: Vec::new(),
            story,
            editable,
            goals,
            hints: Vec::new(),
            explanation: Vec::new(),
            path: path.to_string(),
            sandbox: true,
            world,
            table,
            refs: LabRefs::default(),
        };
        lab.count_lines_in_texts();
        Ok(lab)
    }
}

/// A path inside markup code marks (no backtick can end it early).
fn safe_code(path: &str) -> String {
    path.replace('`', "'")
}
