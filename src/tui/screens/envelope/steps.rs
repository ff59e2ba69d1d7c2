//! The six steps of the walkthrough, drawn from the model's run.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::super::Ctx;
use crate::core::kms::walkthrough::{
    Called, KEY_ALIAS, Run, bytes, group, hex_preview, lab_number, sanitize,
};
use crate::tui::widgets::wrap::wrap;

/// Lines being built for one step, wrapped to `width`.
pub(super) struct Out<'a, 'b> {
    pub(super) lines: Vec<Line<'static>>,
    pub(super) width: usize,
    pub(super) ctx: &'a Ctx<'b>,
}

/// Width of the label column of `kv` lines.
const LABEL: usize = 20;

impl Out<'_, '_> {
    pub(super) fn line(&mut self, l: Line<'static>) {
        self.lines.push(l);
    }

    pub(super) fn blank(&mut self) {
        self.lines.push(Line::default());
    }

    pub(super) fn para(&mut self, text: &str, style: Style) {
        let runs = vec![(text.to_string(), style)];
        self.lines.extend(wrap(&runs, self.width, &[], &[]));
    }

    /// `  label               value`, the value wrapped under itself.
    fn kv(&mut self, label: &str, value: &str, style: Style) {
        let lead = vec![Span::styled(
            format!("  {label:<LABEL$}"),
            self.ctx.theme.strong,
        )];
        let rest = vec![Span::raw(" ".repeat(LABEL + 2))];
        let runs = vec![(value.to_string(), style)];
        self.lines.extend(wrap(&runs, self.width, &lead, &rest));
    }

    /// The engine's verdict and its sentence.
    fn verdict<T>(&mut self, called: &Called<T>, action: &str) {
        let ctx = self.ctx;
        let t = ctx.theme;
        let (word, sentence, style) = match called {
            Called::Done { sentence, .. } => (
                format!("ALLOW {} {action}", ctx.sym("✓", "ok")),
                sentence.clone(),
                t.allow,
            ),
            Called::Denied { action, sentence } => (
                format!("DENY {} {action}", ctx.sym("✗", "x")),
                sentence.clone(),
                t.deny,
            ),
            Called::Failed(m) => (format!("REFUSED {}", ctx.sym("✗", "x")), m.clone(), t.deny),
            Called::Stopped(m) => (
                format!("NOT ASKED {}", ctx.sym("✗", "x")),
                m.clone(),
                t.warn,
            ),
        };
        self.line(Line::styled(format!("  {word}"), style));
        // The sentence is indented by two only: a key ARN (75 characters)
        // then still fits one line at 80 columns.
        let runs = vec![(super::super::ascii_text(&sentence, ctx.ascii), t.text)];
        self.lines.extend(wrap(
            &runs,
            self.width,
            &[Span::raw("  ")],
            &[Span::raw("  ")],
        ));
    }
}

pub(super) fn encrypt(o: &mut Out, run: &Run) {
    let t = o.ctx.theme;
    o.para(
        &format!(
            "Account A's report-writer calls KMS Encrypt with {KEY_ALIAS} and the whole sample, \
             {}.",
            super::super::ascii_text(&sanitize(&run.name), o.ctx.ascii)
        ),
        t.text,
    );
    o.blank();
    o.kv("Sample size", &bytes(run.sample.len()), t.text);
    o.kv(
        "Encrypt's limit",
        &format!(
            "{} of plaintext",
            bytes(crate::core::kms::toy::MAX_ENCRYPT_BYTES)
        ),
        t.text,
    );
    o.blank();
    let Some(called) = &run.encrypt else {
        return;
    };
    match called {
        Called::Failed(m) if run.sample.len() > crate::core::kms::toy::MAX_ENCRYPT_BYTES => {
            o.line(Line::styled(
                format!("  REFUSED {} KMS answers:", o.ctx.sym("✗", "x")),
                t.deny,
            ));
            let runs = vec![(super::super::ascii_text(m, o.ctx.ascii), t.text)];
            o.lines
                .extend(wrap(&runs, o.width, &[Span::raw("  ")], &[Span::raw("  ")]));
            o.blank();
            o.para(
                "Encrypt is made for small secrets such as passwords, tokens or other keys: \
                 everything you pass travels to KMS and back in one metered API call. For data \
                 of any size, KMS hands you a data key instead, and the data is encrypted where \
                 it is. That is envelope encryption, the next steps.",
                t.text,
            );
        }
        Called::Done { value, .. } => {
            o.verdict(called, "kms:Encrypt");
            o.blank();
            o.para(
                &format!(
                    "The sample fits: Encrypt returned a {} ciphertext blob. Services still use \
                     envelope encryption for data: one KMS call per object whatever its size, \
                     and the data itself never travels to KMS.",
                    bytes(*value)
                ),
                t.text,
            );
        }
        other => o.verdict(other, "kms:Encrypt"),
    }
}

pub(super) fn data_key(o: &mut Out, run: &Run) {
    let ctx = o.ctx;
    let t = ctx.theme;
    o.para(
        &format!(
            "report-writer calls GenerateDataKey on {KEY_ALIAS} with KeySpec AES_256. Only \
             the request goes to KMS, not the sample."
        ),
        t.text,
    );
    o.blank();
    let Some(called) = &run.data_key else {
        return;
    };
    o.verdict(called, "kms:GenerateDataKey");
    o.blank();
    match called {
        Called::Done { value, .. } => {
            o.para("KMS returns one new data key twice:", t.text);
            let plain = if run.key.is_some() {
                format!(
                    "32 bytes: {} (in this program's memory only)",
                    value.plaintext_preview
                )
            } else {
                "32 bytes, wiped at step 4 (used, then discarded)".to_string()
            };
            o.kv("Plaintext data key", &plain, t.text);
            o.kv(
                "Encrypted data key",
                &format!(
                    "{}: {} (the same key, encrypted under the KMS key)",
                    bytes(value.encrypted.len()),
                    hex_preview(&value.encrypted, 12, ctx.ascii)
                ),
                t.text,
            );
            o.blank();
            o.para(
                "The KMS key itself never leaves KMS. KMS keeps no copy of the data key: from \
                 now on the encrypted copy is the only way back to it. (This toy's blob starts \
                 with KSC1 and the key's ARN; a real one also names its key, inside AWS's own \
                 format.)",
                t.dim,
            );
        }
        _ => {
            o.para(
                "Without a data key nothing can be encrypted. Press e to fix the key policy \
                 (account A's role needs kms:GenerateDataKey), then → to ask again.",
                t.warn,
            );
        }
    }
}

pub(super) fn local(o: &mut Out, run: &Run) {
    let ctx = o.ctx;
    let t = ctx.theme;
    o.para(
        "Your code encrypts the sample with the plaintext data key, on this machine. There is \
         no KMS call in this step.",
        t.text,
    );
    o.blank();
    let Some(sealed) = &run.local else {
        return;
    };
    o.kv(
        "Algorithm",
        "AES-256-GCM: 256-bit key, 96-bit nonce, 128-bit authentication tag",
        t.text,
    );
    o.kv(
        "Plaintext",
        &format!(
            "{}: {}",
            bytes(run.sample.len()),
            hex_preview(&run.sample, 12, ctx.ascii)
        ),
        t.text,
    );
    o.kv(
        "Nonce",
        &format!("12 bytes: {}", hex_preview(&sealed.nonce, 12, ctx.ascii)),
        t.text,
    );
    o.kv(
        "Ciphertext",
        &format!(
            "{} = {} of data + 16-byte tag",
            bytes(run.sample.len() + 16),
            group(run.sample.len())
        ),
        t.text,
    );
    o.kv("", &sealed.ciphertext_preview, t.text);
    o.blank();
    o.para(
        "AES-GCM keeps the size (plus the tag) and makes the bytes unreadable. The tag lets \
         decryption detect any change. A nonce must never repeat under the same key; a fresh \
         data key for every file makes that easy.",
        t.dim,
    );
}

pub(super) fn discard(o: &mut Out, run: &Run) {
    let t = o.ctx.theme;
    o.para(
        "The data is encrypted, so the plaintext data key has done its job. Drop it now: the \
         longer it stays in memory, the longer it can leak.",
        t.text,
    );
    o.blank();
    o.kv(
        "Plaintext data key",
        &format!(
            "gone {} overwritten with zeros and freed",
            o.ctx.sym("✓", "(done)")
        ),
        t.ok,
    );
    let edk = run.encrypted_key_len();
    o.kv(
        "Still in hand",
        &format!(
            "the ciphertext ({}) and the encrypted data key ({})",
            bytes(run.sample.len() + 16),
            bytes(edk)
        ),
        t.text,
    );
    o.blank();
    o.para(
        "Now nobody, this program included, can read the ciphertext until KMS decrypts the \
         encrypted data key again, and KMS checks the caller's permissions every time it is \
         asked.",
        t.text,
    );
}

pub(super) fn store(o: &mut Out, run: &Run) {
    let ctx = o.ctx;
    let t = ctx.theme;
    let edk = run.encrypted_key_len();
    let total = run.local.as_ref().map_or(0, |s| s.file.len());
    o.para(
        "Store the encrypted data key beside the ciphertext: here one file (format KSHKENV1); \
         S3 with SSE-KMS keeps it with the object in the same way.",
        t.text,
    );
    o.blank();
    let row = |o: &mut Out, n: &str, what: &str, style: Style| {
        o.line(Line::from(vec![
            Span::styled(format!("  {n:>10}  "), style),
            Span::styled(what.to_string(), style),
        ]));
    };
    row(o, "bytes", "field", t.strong);
    row(o, "8", "magic \"KSHKENV1\"", t.text);
    row(o, "4", "header length", t.text);
    row(o, "2", "encryption context entries (none here)", t.text);
    row(o, "4", "encrypted data key length", t.text);
    row(
        o,
        &group(edk),
        "encrypted data key (it names the KMS key)",
        t.text,
    );
    row(o, "12", "nonce", t.text);
    row(
        o,
        &group(run.sample.len() + 16),
        "ciphertext + 16-byte tag",
        t.text,
    );
    let over = total.saturating_sub(run.sample.len());
    row(
        o,
        &group(total),
        &format!("in all: {} more than the sample", bytes(over)),
        t.strong,
    );
    o.blank();
    o.para(
        "Anyone with this file who may call kms:Decrypt on the KMS key can read it; KMS needs \
         to remember nothing. Lose the encrypted data key and the data is lost, even though \
         the KMS key still exists. The header is authenticated with the data: change one byte \
         and decryption fails.",
        t.dim,
    );
}

pub(super) fn decrypt(o: &mut Out, run: &Run) {
    let ctx = o.ctx;
    let t = ctx.theme;
    let edk = run.encrypted_key_len();
    o.para(
        &format!(
            "Account B's report-reader has the file. It sends the encrypted data key ({}) to \
             KMS Decrypt; the blob tells KMS which key in account A to use.",
            bytes(edk)
        ),
        t.text,
    );
    o.blank();
    let Some(called) = &run.decrypt else {
        return;
    };
    o.verdict(called, "kms:Decrypt");
    o.blank();
    match called {
        Called::Done { value, .. } => {
            o.kv(
                "Plaintext data key",
                &format!(
                    "32 bytes: {} (back from KMS{})",
                    value.key_preview,
                    if run
                        .key_info()
                        .is_some_and(|k| k.plaintext_preview == value.key_preview)
                    {
                        ": the key of step 2"
                    } else {
                        ""
                    }
                ),
                t.text,
            );
            o.kv(
                "Local decrypt",
                &format!(
                    "AES-256-GCM, tag verified: {} of plaintext",
                    bytes(value.len)
                ),
                t.text,
            );
            let (word, style) = if value.matches {
                (
                    format!("yes {} every byte equals the sample", ctx.sym("✓", "ok")),
                    t.allow,
                )
            } else {
                (
                    format!("no {} the bytes differ from the sample", ctx.sym("✗", "x")),
                    t.deny,
                )
            };
            o.kv("Matches the sample", &word, style);
            let first = value.first_line.as_deref().map_or_else(
                || "(binary data, not text)".to_string(),
                |l| super::super::ascii_text(l, ctx.ascii),
            );
            o.kv("First line", &first, t.code);
            o.kv("Plaintext data key", "wiped again after use", t.ok);
            o.blank();
            o.para(
                &format!(
                    "Done: {} went from account A to account B, and not one byte of it went \
                     to KMS; only the {}-byte encrypted data key did. r starts again with \
                     another sample.",
                    bytes(run.sample.len()),
                    group(edk)
                ),
                t.text,
            );
        }
        Called::Denied { .. } => {
            o.para(
                "Across accounts, kms:Decrypt needs an Allow in both halves: account A's key \
                 policy (who can use the key) and the IAM policy of B's role (who does).",
                t.text,
            );
            let runs = vec![
                ("Press".to_string(), t.text),
                (" e ".to_string(), t.strong),
                (
                    format!(
                        "to fix both in lab {}; leave it (Esc, then Esc again) and this step asks KMS again.",
                        lab_number(ctx.pack)
                    ),
                    t.text,
                ),
            ];
            o.lines.extend(wrap(&runs, o.width, &[], &[]));
        }
        Called::Failed(_) | Called::Stopped(_) => {}
    }
}
