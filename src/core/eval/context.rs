//! The request context a condition sees: values the scenario gave, and the
//! ones AWS fills in (evaluation.md §2 "Context the evaluator fills in").

use crate::core::policy::condition::ContextValue;
use crate::core::policy::document::Context;

/// Context keys and values for one call; lookups are by lowercase key.
#[derive(Debug, Clone, Default)]
pub struct RequestContext<'a> {
    /// Values the request gave: (lowercase key, key as written, value).
    /// They win over filled-in ones.
    given: &'a [(String, String, ContextValue)],
    /// Values AWS fills in: (lowercase key, key as written, value). The keys
    /// are constants, so filling allocates only the values.
    filled: Vec<(&'static str, &'static str, ContextValue)>,
    /// `kms:EncryptionContextKeys`, derived when not given.
    derived_keys: Option<ContextValue>,
}

const ENCRYPTION_CONTEXT_PREFIX: &str = "kms:encryptioncontext:";

impl<'a> RequestContext<'a> {
    /// Starts from the values a request gave.
    pub fn new(given: &'a [(String, String, ContextValue)]) -> Self {
        RequestContext {
            given,
            filled: Vec::with_capacity(10),
            derived_keys: None,
        }
    }

    /// Adds a value unless the request already gave one for `key`; `key` is
    /// written as AWS writes it and compared case-insensitively.
    pub fn fill(&mut self, key: &'static str, value: ContextValue) {
        if !self
            .given
            .iter()
            .any(|(k, _, _)| k.eq_ignore_ascii_case(key))
        {
            self.filled.push((key, key, value));
        }
    }

    fn all(&self) -> impl Iterator<Item = (&str, &str, &ContextValue)> {
        self.given
            .iter()
            .map(|(l, w, v)| (l.as_str(), w.as_str(), v))
            .chain(self.filled.iter().map(|(l, w, v)| (*l, *w, v)))
    }

    /// Computes `kms:EncryptionContextKeys` from the `kms:EncryptionContext:*`
    /// keys present, in the case they were written. Call after filling.
    pub fn finish(&mut self) {
        if self
            .given
            .iter()
            .any(|(k, _, _)| k == "kms:encryptioncontextkeys")
        {
            return;
        }
        let keys: Vec<String> = self
            .all()
            .filter(|(l, _, _)| {
                l.len() > ENCRYPTION_CONTEXT_PREFIX.len()
                    && l[..ENCRYPTION_CONTEXT_PREFIX.len()]
                        .eq_ignore_ascii_case(ENCRYPTION_CONTEXT_PREFIX)
            })
            .map(|(_, written, _)| written[ENCRYPTION_CONTEXT_PREFIX.len()..].to_string())
            .collect();
        if !keys.is_empty() {
            self.derived_keys = Some(ContextValue::List(keys));
        }
    }

    /// The entries, for display: (key as written, value).
    pub fn entries(&self) -> impl Iterator<Item = (&str, &ContextValue)> {
        self.all().map(|(_, k, v)| (k, v)).chain(
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
        if let Some((_, _, v)) = self.given.iter().find(|(k, _, _)| k == key_lower) {
            return Some(v);
        }
        if let Some((_, _, v)) = self
            .filled
            .iter()
            .find(|(k, _, _)| k.eq_ignore_ascii_case(key_lower))
        {
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
    ctx: &'a RequestContext<'a>,
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
