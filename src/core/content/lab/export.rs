//! The scenario file `keyshake eval` grades: the lab file with the
//! learner's texts in place and without its `[lab]` table.

use super::{Lab, PolicyRef};

/// The start of each header line the grader reads back
/// ([`super::read_header`]): `# keyshake-export: NAME = "VALUE"`.
pub(super) const HEADER_PREFIX: &str = "# keyshake-export:";

/// Who and what an export is about, written as TOML comments at the top of
/// the file. The grader shows them but trusts none of them: a student can
/// edit a comment as easily as a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportHeader {
    /// The profile the work was saved in (`default` without `--profile`).
    pub profile: String,
    /// The pack's name and version (`kms-class 2026.1`).
    pub pack: String,
    /// The lab's status in progress: `solved`, `in progress`, `not started`.
    pub status: String,
    /// When it was exported, ISO 8601 in UTC (`2026-12-02T15:55:51Z`).
    pub exported_at: String,
}

impl Lab {
    /// A complete scenario file with the learner's texts in place of the
    /// editable policies and without the `[lab]` table: `keyshake eval`
    /// grades it (exit 0 exactly when every goal is met; 2 if a text does
    /// not parse). Edits of policies that are not editable are ignored.
    pub fn export_scenario(&self, edits: &[(PolicyRef, String)]) -> String {
        self.export_scenario_with(edits, None)
    }

    /// [`Lab::export_scenario`] with the header fields of `header` (and
    /// always the lab id) as `# keyshake-export:` comment lines.
    pub fn export_scenario_with(
        &self,
        edits: &[(PolicyRef, String)],
        header: Option<&ExportHeader>,
    ) -> String {
        let mut table = self.table.clone();
        table.remove("lab");
        for (r, text) in edits {
            if self.editable(r).is_some() {
                put_text(&mut table, r, text);
            }
        }
        let body = toml::to_string(&table).unwrap_or_default();
        let quoted = |v: &str| toml::Value::String(v.to_string()).to_string();
        let mut fields = vec![("lab", self.id.as_str())];
        if let Some(h) = header {
            fields.extend([
                ("profile", h.profile.as_str()),
                ("pack", h.pack.as_str()),
                ("status", h.status.as_str()),
                ("exported_at", h.exported_at.as_str()),
            ]);
        }
        let mut head = format!(
            "# Policy lab {} ({}), exported from keyshake.\n",
            quoted(&self.id),
            quoted(&self.title)
        );
        for (name, value) in fields {
            head.push_str(&format!("{HEADER_PREFIX} {name} = {}\n", quoted(value)));
        }
        head.push_str(
            "# Grade it with: keyshake lab grade FILE (points per goal; only the editable policies count)\n",
        );
        format!("{head}\n{body}")
    }
}

/// An identity policy that allows nothing (written for an emptied slot, so
/// later policies keep their numbers).
pub(in crate::core::content) const EMPTY_IDENTITY: &str =
    "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}\n";

/// Writes `text` where `r` names it in the scenario table.
pub(super) fn put_text(table: &mut toml::Table, r: &PolicyRef, text: &str) {
    let value = toml::Value::String(text.to_string());
    let empty = text.trim().is_empty();
    match r {
        PolicyRef::Key(arn) => with_entry(table, "keys", "arn", arn, |t| {
            t.insert("policy".into(), value);
        }),
        PolicyRef::Bucket(name) => with_entry(table, "buckets", "name", name, |t| {
            if empty {
                t.remove("policy");
            } else {
                t.insert("policy".into(), value);
            }
        }),
        PolicyRef::Boundary(arn) => with_entry(table, "principals", "arn", arn, |t| {
            if empty {
                t.remove("permissions_boundary");
            } else {
                t.insert("permissions_boundary".into(), value);
            }
        }),
        PolicyRef::Identity { principal, index } => {
            with_entry(table, "principals", "arn", principal, |t| {
                let list = t
                    .entry("policies")
                    .or_insert_with(|| toml::Value::Array(Vec::new()));
                if let Some(items) = list.as_array_mut() {
                    let v = if empty {
                        toml::Value::String(EMPTY_IDENTITY.to_string())
                    } else {
                        value
                    };
                    match items.get_mut(*index) {
                        Some(slot) => *slot = v,
                        None if !empty => items.push(v),
                        None => {}
                    }
                }
            })
        }
        PolicyRef::Scp { account, index } | PolicyRef::Rcp { account, index } => {
            let field = if matches!(r, PolicyRef::Rcp { .. }) {
                "rcps"
            } else {
                "scps"
            };
            with_entry(table, "accounts", "id", account, |t| {
                let list = t
                    .entry(field)
                    .or_insert_with(|| toml::Value::Array(Vec::new()));
                if let Some(items) = list.as_array_mut() {
                    match items.get_mut(*index) {
                        Some(slot) => *slot = value,
                        None => items.push(value),
                    }
                }
            })
        }
    }
}

/// Runs `f` on the entry of array-of-tables `list` whose `field` is `name`.
fn with_entry(
    table: &mut toml::Table,
    list: &str,
    field: &str,
    name: &str,
    f: impl FnOnce(&mut toml::Table),
) {
    let Some(items) = table.get_mut(list).and_then(toml::Value::as_array_mut) else {
        return;
    };
    let found = items.iter_mut().find_map(|item| {
        let t = item.as_table_mut()?;
        let matches = t.get(field).and_then(toml::Value::as_str) == Some(name);
        matches.then_some(t)
    });
    if let Some(t) = found {
        f(t);
    }
}
