//! `labs/*.toml`: each lab parsed by [`Lab::parse`], then its id and
//! objectives checked against the rest of the pack.

use std::collections::HashMap;

use super::{Loader, PendingLinks, did_you_mean};
use crate::core::content::Lab;
use crate::core::diag::{Diagnostic, Severity};

impl Loader<'_> {
    /// The labs, in file-name order.
    pub(super) fn load_labs(&mut self) {
        let files = self.files;
        let mut lab_files = self.kinds.labs.clone();
        lab_files.sort_by(|a, b| {
            let name = |i: &usize| files.get(*i).map(|f| f.rel.clone());
            name(a).cmp(&name(b))
        });
        let mut lab_ids: HashMap<String, String> = HashMap::new();
        for i in lab_files {
            let Some(f) = files.get(i) else { continue };
            let lab = match Lab::parse(&f.display, &f.text) {
                Ok(lab) => lab,
                Err(diags) => {
                    self.out.extend(diags);
                    continue;
                }
            };
            let at = |(line, column): (usize, usize), message: String| Diagnostic {
                path: f.display.clone(),
                line,
                column,
                severity: Severity::Error,
                message,
                hint: None,
            };
            let (line, column) = lab.refs.id_at;
            match lab_ids.get(&lab.id) {
                Some(first) => self.out.push(at(
                    lab.refs.id_at,
                    format!("duplicate lab id {:?} (first defined at {first})", lab.id),
                )),
                None => {
                    lab_ids.insert(lab.id.clone(), format!("{}:{line}:{column}", f.display));
                }
            }
            if let Some(known) = &self.objectives {
                for (id, line, column) in &lab.refs.objectives {
                    if !known.contains(id) {
                        self.out.push(
                            at((*line, *column), format!("unknown objective id {id:?}")).with_hint(
                                did_you_mean(
                                    id,
                                    known.iter().map(String::as_str),
                                    "objective ids are listed in objectives.toml",
                                ),
                            ),
                        );
                    }
                }
            }
            self.pending_links.push(PendingLinks {
                file: i,
                links: lab.refs.links.clone(),
            });
            self.pack.labs.push(lab);
        }
    }
}
