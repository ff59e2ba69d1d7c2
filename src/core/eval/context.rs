//! The request context a condition sees: values the scenario gave, and the
//! ones AWS fills in (evaluation.md §2 "Context the evaluator fills in").

use crate::core::policy::condition::ContextValue;
use crate::core::policy::document::Context;

/// Context keys and values for one call; lookups are by lowercase key.
#[derive(Debug, Clone, Default)]
pub struct RequestContext {
    /// (lowercase key, key as written, value); given values come first, so
    /// they win over filled-in ones.
    entries: Vec<(String, String, ContextValue)>,
    /// `kms:EncryptionContextKeys`, derived when not given.
    derived_keys: Option<ContextValue>,
}

const ENCRYPTION_CONTEXT_PREFIX: &str = "kms:encryptioncontext:";

impl RequestContext {
    /// Starts from the values a request gave.
    pub fn new(given: &[(String, String, ContextValue)]) -> Self {
        RequestContext {
            entries: given.to_vec(),
            derived_keys: None,
        }
    }

    /// Adds a value unless the request already gave one for `key`.
    pub fn fill(&mut self, key: &str, value: ContextValue) {
        let lower = key.to_ascii_lowercase();
        if !self.entries.iter().any(|(k, _, _)| *k == lower) {
            self.entries.push((lower, key.to_string(), value));
        }
    }

    /// Computes `kms:EncryptionContextKeys` from the `kms:EncryptionContext:*`
    /// keys present, in the case they were written. Call after filling.
    pub fn finish(&mut self) {
        if self
            .entries
            .iter()
            .any(|(k, _, _)| k == "kms:encryptioncontextkeys")
        {
            return;
        }
        let keys: Vec<String> = self
            .entries
            .iter()
            .filter(|(k, _, _)| k.starts_with(ENCRYPTION_CONTEXT_PREFIX))
            .map(|(_, written, _)| written[ENCRYPTION_CONTEXT_PREFIX.len()..].to_string())
            .collect();
        if !keys.is_empty() {
            self.derived_keys = Some(ContextValue::List(keys));
        }
    }

    /// The entries, for display: (key as written, value).
    pub fn entries(&self) -> impl Iterator<Item = (&str, &ContextValue)> {
        self.entries.iter().map(|(_, k, v)| (k.as_str(), v)).chain(
            self.derived_keys
                .iter()
                .map(|v| ("kms:EncryptionContextKeys", v)),
        )
    }

    /// A view for policies of one kind. `kms:ResourceAliases` is honoured in
    /// identity policies only (AWS KMS "kms:ResourceAliases"): a key policy
    /// condition on it sees no value.
    pub fn view(&self, identity: bool) -> View<'_> {
        View {
            ctx: self,
            identity,
        }
    }

    fn lookup(&self, key_lower: &str, identity: bool) -> Option<&ContextValue> {
        if !identity && key_lower == "kms:resourcealiases" {
            return None;
        }
        if let Some((_, _, v)) = self.entries.iter().find(|(k, _, _)| k == key_lower) {
            return Some(v);
        }
        if key_lower == "kms:encryptioncontextkeys" {
            return self.derived_keys.as_ref();
        }
        None
    }
}

/// A [`RequestContext`] as seen by one kind of policy.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    ctx: &'a RequestContext,
    identity: bool,
}

impl Context for View<'_> {
    fn get(&self, key_lower: &str) -> Option<&ContextValue> {
        self.ctx.lookup(key_lower, self.identity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn given_values_win_and_keys_are_case_insensitive() {
        let given = vec![(
            "kms:viaservice".to_string(),
            "kms:ViaService".to_string(),
            ContextValue::String("given".into()),
        )];
        let mut ctx = RequestContext::new(&given);
        ctx.fill("kms:ViaService", ContextValue::String("filled".into()));
        ctx.fill(
            "kms:EncryptionContext:Project",
            ContextValue::String("x".into()),
        );
        ctx.fill(
            "kms:ResourceAliases",
            ContextValue::List(vec!["alias/a".into()]),
        );
        ctx.finish();
        let view = ctx.view(true);
        assert_eq!(
            view.get("kms:viaservice"),
            Some(&ContextValue::String("given".into()))
        );
        assert_eq!(
            view.get("kms:encryptioncontextkeys"),
            Some(&ContextValue::List(vec!["Project".into()]))
        );
        assert!(view.get("kms:resourcealiases").is_some());
        assert!(ctx.view(false).get("kms:resourcealiases").is_none());
    }
}
