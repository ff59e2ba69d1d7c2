//! The envelope-encryption walkthrough: a sample (a generated 10 KB report
//! or a file the learner names) goes through the toy KMS and real
//! AES-256-GCM one step per key press: Encrypt refused over 4,096 bytes,
//! GenerateDataKey, local encryption, the plaintext key discarded, the
//! envelope stored, and Decrypt as account B's role, decided by the policy
//! engine with the policies the learner saved in the walkthrough's lab.
//!
//! Every byte shown is real; nothing runs between key presses.

use std::cell::Cell;

use rand::SeedableRng;
use rand::rngs::StdRng;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::{Ctx, EventResult, Screen, hint_bar, render_scrolled};
use crate::core::content::PolicyRef;
use crate::core::content::diagram::DiagramId;
use crate::core::kms::{
    DataKey, EncryptionContext, Keyring, KmsError, ToyKms, open_with_data_key, seal_with_data_key,
};
use crate::core::policy::principal::Caller;
use crate::core::world::World;
use crate::tui::action::{Action, Change};
use crate::tui::keymap::ScreenId;
use crate::tui::widgets::diagram::diagram_boxes;
use crate::tui::widgets::wrap::wrap;

/// The lab whose scenario (and the learner's saved policies) the
/// walkthrough runs in.
pub const LAB_ID: &str = "envelope-cross-account";
/// The KMS key in account A, as its alias (what account A's code names).
pub const KEY_ALIAS: &str = "alias/quarterly-reports";
/// Account A's role that seals the sample.
pub const WRITER: &str = "arn:aws:iam::111122223333:role/report-writer";
/// Account B's role that opens it.
pub const READER: &str = "arn:aws:iam::444455556666:role/report-reader";
/// The size of the generated report.
pub const SAMPLE_LEN: usize = 10_240;
/// The largest file the walkthrough takes (it is read into memory).
pub const MAX_FILE: u64 = 64 * 1024 * 1024;

/// The number of steps after the sample is chosen.
const STEPS: usize = 6;

/// The generated sample: a made-up quarterly sales report as CSV, always
/// the same [`SAMPLE_LEN`] bytes.
pub fn sample_report() -> Vec<u8> {
    let regions = ["eu-west", "us-east", "ap-south", "sa-east"];
    let months = ["2026-07", "2026-08", "2026-09"];
    let products = [
        ("widget", 12),
        ("gadget", 30),
        ("gizmo", 7),
        ("sprocket", 3),
        ("flange", 19),
    ];
    let mut out = String::from(
        "Quarterly sales report, Q3 2026 (generated sample: invented figures)\n\
         region,month,product,units,revenue_usd\n",
    );
    let mut i: usize = 0;
    loop {
        let region = regions[i % regions.len()];
        let month = months[(i / regions.len()) % months.len()];
        let (product, price) = products[(i / (regions.len() * months.len())) % products.len()];
        let units = (i * 37 + 11) % 900 + 100;
        let row = format!("{region},{month},{product},{units},{}\n", units * price);
        if out.len() + row.len() + 32 > SAMPLE_LEN {
            break;
        }
        out.push_str(&row);
        i += 1;
    }
    let lead = "# end of report ";
    let fill = SAMPLE_LEN - out.len() - lead.len() - 1;
    out.push_str(lead);
    out.push_str(&"-".repeat(fill));
    out.push('\n');
    out.into_bytes()
}

/// Where the walkthrough is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Choosing the sample.
    Choose,
    /// a. KMS Encrypt on the whole sample.
    Encrypt,
    /// b. GenerateDataKey.
    DataKey,
    /// c. AES-256-GCM on this machine.
    Local,
    /// d. The plaintext data key dropped.
    Discard,
    /// e. The envelope: encrypted data key beside the ciphertext.
    Store,
    /// f. Decrypt as account B's role.
    Decrypt,
}

impl Stage {
    const ORDER: [Stage; 7] = [
        Stage::Choose,
        Stage::Encrypt,
        Stage::DataKey,
        Stage::Local,
        Stage::Discard,
        Stage::Store,
        Stage::Decrypt,
    ];

    fn index(self) -> usize {
        Stage::ORDER.iter().position(|s| *s == self).unwrap_or(0)
    }

    fn next(self) -> Stage {
        Stage::ORDER
            .get(self.index() + 1)
            .copied()
            .unwrap_or(Stage::Decrypt)
    }

    fn prev(self) -> Stage {
        Stage::ORDER[self.index().saturating_sub(1)]
    }

    fn title(self) -> &'static str {
        match self {
            Stage::Choose => "Choose what to encrypt",
            Stage::Encrypt => "Try KMS Encrypt on the whole sample",
            Stage::DataKey => "GenerateDataKey: one key, two copies",
            Stage::Local => "Encrypt locally with AES-256-GCM",
            Stage::Discard => "Discard the plaintext data key",
            Stage::Store => "Store the encrypted key beside the data",
            Stage::Decrypt => "Decrypt as account B's role",
        }
    }
}

/// A KMS call as the walkthrough shows it.
#[derive(Debug)]
enum Called<T> {
    /// Allowed (the engine's sentence) and done.
    Done { sentence: String, value: T },
    /// The policy engine said no.
    Denied { action: String, sentence: String },
    /// KMS refused for another reason (too big, bad ciphertext).
    Failed(String),
    /// KMS was not asked: the scenario could not be built (the saved lab
    /// policies do not parse).
    Stopped(String),
}

impl<T> Called<T> {
    fn value(&self) -> Option<&T> {
        match self {
            Called::Done { value, .. } => Some(value),
            _ => None,
        }
    }
}

#[derive(Debug)]
struct KeyInfo {
    plaintext_preview: String,
    encrypted: Vec<u8>,
}

#[derive(Debug)]
struct Sealed {
    nonce: [u8; 12],
    file: Vec<u8>,
    ciphertext_preview: String,
}

#[derive(Debug)]
struct Opened {
    key_preview: String,
    len: usize,
    matches: bool,
    first_line: Option<String>,
}

/// One pass through the steps with one sample.
struct Run {
    name: String,
    sample: Vec<u8>,
    keyring: Keyring,
    rng: StdRng,
    encrypt: Option<Called<usize>>,
    data_key: Option<Called<KeyInfo>>,
    /// The plaintext data key, held from GenerateDataKey until discarded.
    key: Option<DataKey>,
    local: Option<Sealed>,
    decrypt: Option<Called<Opened>>,
    /// The lab texts KMS was last asked with.
    seen: Option<Vec<(PolicyRef, String)>>,
}

impl Run {
    /// What GenerateDataKey gave, once it succeeded.
    fn key_info(&self) -> Option<&KeyInfo> {
        self.data_key.as_ref().and_then(Called::value)
    }

    /// The encrypted data key's size (0 before GenerateDataKey).
    fn encrypted_key_len(&self) -> usize {
        self.key_info().map_or(0, |k| k.encrypted.len())
    }
}

/// The walkthrough screen.
pub struct EnvelopeScreen {
    seed: Option<u64>,
    stage: Stage,
    /// In the chooser: the file row (and its path field) is selected.
    file_row: bool,
    path: String,
    /// Why the chosen file cannot be used.
    error: Option<String>,
    run: Option<Run>,
    /// A one-line message (why → did not move on).
    note: Option<String>,
    scroll: u16,
    max_scroll: Cell<usize>,
    /// The finish was saved to progress (in this visit or before).
    recorded: bool,
}

/// The walkthrough's id in progress (`Progress::walkthroughs`).
pub const WALKTHROUGH_ID: &str = crate::core::progress::ENVELOPE_WALKTHROUGH;

impl EnvelopeScreen {
    /// The walkthrough at its sample chooser. `seed` fixes the random
    /// bytes (tests); `None` takes them from the operating system.
    pub fn new(seed: Option<u64>) -> Self {
        EnvelopeScreen {
            seed,
            stage: Stage::Choose,
            file_row: false,
            path: String::new(),
            error: None,
            run: None,
            note: None,
            scroll: 0,
            max_scroll: Cell::new(0),
            recorded: false,
        }
    }

    /// Finished: the decrypt as account B gave back the sample.
    pub fn finished(&self) -> bool {
        self.stage == Stage::Decrypt && self.decrypted_matches() == Some(true)
    }

    /// The progress change for a finish not saved yet.
    fn unrecorded(&self) -> Option<Change> {
        (self.finished() && !self.recorded).then(|| Change::WalkthroughDone {
            id: WALKTHROUGH_ID.to_string(),
        })
    }

    /// The current step.
    pub fn stage(&self) -> Stage {
        self.stage
    }

    /// The recovered plaintext matched the sample in the last decrypt.
    pub fn decrypted_matches(&self) -> Option<bool> {
        let run = self.run.as_ref()?;
        run.decrypt.as_ref()?.value().map(|o| o.matches)
    }

    fn start(&mut self) -> EventResult {
        let sample = if self.file_row {
            match read_sample(&self.path) {
                Ok(s) => s,
                Err(e) => {
                    self.error = Some(e);
                    return EventResult::Changed;
                }
            }
        } else {
            (
                "quarterly-report.csv (generated)".to_string(),
                sample_report(),
            )
        };
        let rng = match self.seed {
            Some(s) => StdRng::seed_from_u64(s),
            None => StdRng::from_rng(&mut rand::rng()),
        };
        self.error = None;
        self.run = Some(Run {
            name: sample.0,
            sample: sample.1,
            keyring: Keyring::in_memory(),
            rng,
            encrypt: None,
            data_key: None,
            key: None,
            local: None,
            decrypt: None,
            seen: None,
        });
        EventResult::Changed
    }

    fn forward(&mut self, ctx: &Ctx) -> EventResult {
        self.note = None;
        if self.stage == Stage::Choose {
            self.start();
            if self.run.is_none() {
                return EventResult::Changed;
            }
        }
        let Some(run) = self.run.as_mut() else {
            return EventResult::Ignored;
        };
        // A step KMS refused is asked again (the learner may have fixed
        // the policies); it must succeed before the walkthrough moves on.
        let blocked = match self.stage {
            Stage::DataKey => !matches!(run.data_key, Some(Called::Done { .. })),
            Stage::Decrypt => {
                if !matches!(run.decrypt, Some(Called::Done { .. })) {
                    run.decrypt = Some(decrypt(run, ctx));
                    self.scroll = 0;
                    return EventResult::Changed;
                }
                self.note = Some(
                    "That was the last step: r starts again, Esc goes back to the course map."
                        .into(),
                );
                return EventResult::Changed;
            }
            _ => false,
        };
        if blocked {
            run.data_key = Some(generate(run, ctx));
            if !matches!(run.data_key, Some(Called::Done { .. })) {
                self.note = Some("KMS still refuses: press e to fix the policies.".into());
                return EventResult::Changed;
            }
        }
        let next = self.stage.next();
        match next {
            Stage::Encrypt if run.encrypt.is_none() => run.encrypt = Some(encrypt(run, ctx)),
            Stage::DataKey if run.data_key.is_none() => run.data_key = Some(generate(run, ctx)),
            Stage::Local if run.local.is_none() => {
                if let Some(key) = &run.key {
                    let mut nonce = [0u8; 12];
                    rand::Rng::fill_bytes(&mut run.rng, &mut nonce);
                    match seal_with_data_key(key, &EncryptionContext::new(), nonce, &run.sample) {
                        Ok(file) => {
                            let body = &file[file.len() - (run.sample.len() + 16)..];
                            run.local = Some(Sealed {
                                nonce,
                                ciphertext_preview: hex_preview(body, 16, ctx.ascii),
                                file,
                            });
                        }
                        Err(e) => {
                            self.note = Some(e.to_string());
                            return EventResult::Changed;
                        }
                    }
                }
            }
            // Dropping the DataKey overwrites its plaintext copy.
            Stage::Discard => run.key = None,
            Stage::Decrypt => run.decrypt = Some(decrypt(run, ctx)),
            _ => {}
        }
        self.stage = next;
        self.scroll = 0;
        EventResult::Changed
    }

    fn back(&mut self) -> EventResult {
        self.note = None;
        if self.stage <= Stage::Encrypt {
            if self.stage == Stage::Encrypt {
                self.note =
                    Some("This is the first step: r starts again with another sample.".into());
                return EventResult::Changed;
            }
            return EventResult::Ignored;
        }
        self.stage = self.stage.prev();
        self.scroll = 0;
        EventResult::Changed
    }

    fn restart(&mut self) -> EventResult {
        *self = EnvelopeScreen {
            path: std::mem::take(&mut self.path),
            file_row: self.file_row,
            ..EnvelopeScreen::new(self.seed)
        };
        EventResult::Changed
    }

    /// The diagram step that matches the current step (none for the
    /// direct Encrypt, which the envelope diagram does not draw).
    fn diagram_step(&self) -> Option<usize> {
        let allowed = self
            .run
            .as_ref()
            .is_some_and(|r| matches!(r.decrypt, Some(Called::Done { .. })));
        match self.stage {
            Stage::Choose | Stage::Encrypt => None,
            Stage::DataKey => Some(0),
            Stage::Local => Some(1),
            Stage::Discard => Some(2),
            Stage::Store => Some(4),
            Stage::Decrypt if allowed => Some(6),
            Stage::Decrypt => Some(5),
        }
    }

    fn body(&self, ctx: &Ctx, width: usize) -> Vec<Line<'static>> {
        let mut o = Out {
            lines: Vec::new(),
            width,
            ctx,
        };
        match (&self.run, self.stage) {
            (Some(run), Stage::Encrypt) => step_encrypt(&mut o, run),
            (Some(run), Stage::DataKey) => step_data_key(&mut o, run),
            (Some(run), Stage::Local) => step_local(&mut o, run),
            (Some(run), Stage::Discard) => step_discard(&mut o, run),
            (Some(run), Stage::Store) => step_store(&mut o, run),
            (Some(run), Stage::Decrypt) => step_decrypt(&mut o, run),
            _ => self.chooser(&mut o),
        }
        o.lines
    }

    fn chooser(&self, o: &mut Out) {
        let ctx = o.ctx;
        let t = ctx.theme;
        o.para(
            "Envelope encryption with real bytes: a toy KMS on this machine, real AES-256-GCM, \
             and the policy engine deciding every KMS call, as in the labs.",
            t.text,
        );
        o.blank();
        o.line(Line::styled("What should be encrypted?", t.strong));
        let radio = |on: bool| {
            if on { ctx.sym("(•)", "(*)") } else { "( )" }
        };
        let marker = |on: bool| if on { ctx.sym("▶ ", "> ") } else { "  " };
        let gen_style = if self.file_row { t.text } else { t.selected };
        o.line(Line::from(vec![
            Span::raw(marker(!self.file_row)),
            Span::styled(
                format!(
                    "{} A generated quarterly sales report (CSV, {})",
                    radio(!self.file_row),
                    bytes(SAMPLE_LEN)
                ),
                gen_style,
            ),
        ]));
        let file_style = if self.file_row { t.selected } else { t.text };
        let cursor = if self.file_row { "_" } else { "" };
        let shown = if self.path.is_empty() && !self.file_row {
            "(choose this row, then type a path)".to_string()
        } else {
            format!(
                "{}{cursor}",
                super::ascii_text(&sanitize(&self.path), ctx.ascii)
            )
        };
        o.line(Line::from(vec![
            Span::raw(marker(self.file_row)),
            Span::styled(
                format!("{} A file of yours: ", radio(self.file_row)),
                file_style,
            ),
            Span::styled(shown, if self.file_row { t.code } else { t.dim }),
        ]));
        if let Some(e) = &self.error {
            o.line(Line::styled(
                format!(
                    "  {} {}",
                    ctx.sym("✗", "x"),
                    super::ascii_text(&sanitize(e), ctx.ascii)
                ),
                t.warn,
            ));
        }
        o.blank();
        o.para(
            &format!(
                "Who is who: account A (111122223333) owns the KMS key {KEY_ALIAS}; its role \
                 report-writer encrypts. Account B (444455556666) has the role report-reader, \
                 which must decrypt. The key policy and B's IAM policy are lab {}'s, as you last \
                 saved them (e edits them).",
                lab_number(ctx)
            ),
            t.text,
        );
        o.blank();
        o.para(
            "The steps: try Encrypt on the whole sample; GenerateDataKey; encrypt locally; \
             discard the plaintext key; store the encrypted key beside the ciphertext; decrypt \
             as account B's role.",
            t.dim,
        );
        o.blank();
        o.para(
            &format!(
                "Press {} or Enter to start. Files up to 64 MB are read into memory and never \
                 changed.",
                ctx.sym("→", "Right")
            ),
            t.dim,
        );
    }
}

/// Lines being built for one step, wrapped to `width`.
struct Out<'a, 'b> {
    lines: Vec<Line<'static>>,
    width: usize,
    ctx: &'a Ctx<'b>,
}

/// Width of the label column of `kv` lines.
const LABEL: usize = 20;

impl Out<'_, '_> {
    fn line(&mut self, l: Line<'static>) {
        self.lines.push(l);
    }

    fn blank(&mut self) {
        self.lines.push(Line::default());
    }

    fn para(&mut self, text: &str, style: Style) {
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
        let runs = vec![(super::ascii_text(&sentence, ctx.ascii), t.text)];
        self.lines.extend(wrap(
            &runs,
            self.width,
            &[Span::raw("  ")],
            &[Span::raw("  ")],
        ));
    }
}

fn step_encrypt(o: &mut Out, run: &Run) {
    let t = o.ctx.theme;
    o.para(
        &format!(
            "Account A's report-writer calls KMS Encrypt with {KEY_ALIAS} and the whole sample, \
             {}.",
            super::ascii_text(&sanitize(&run.name), o.ctx.ascii)
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
            let runs = vec![(super::ascii_text(m, o.ctx.ascii), t.text)];
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

fn step_data_key(o: &mut Out, run: &Run) {
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

fn step_local(o: &mut Out, run: &Run) {
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

fn step_discard(o: &mut Out, run: &Run) {
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

fn step_store(o: &mut Out, run: &Run) {
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

fn step_decrypt(o: &mut Out, run: &Run) {
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
                |l| super::ascii_text(l, ctx.ascii),
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
                        lab_number(ctx)
                    ),
                    t.text,
                ),
            ];
            o.lines.extend(wrap(&runs, o.width, &[], &[]));
        }
        Called::Failed(_) | Called::Stopped(_) => {}
    }
}

/// The world of the walkthrough's lab with the learner's saved texts.
fn world(ctx: &Ctx) -> Result<World, String> {
    let lab = ctx
        .pack
        .lab(LAB_ID)
        .ok_or_else(|| format!("this course has no lab \"{LAB_ID}\" for the walkthrough"))?;
    let edits = ctx.progress.saved_edits(lab);
    let world = lab.with_policies(&edits).map_err(|d| {
        let first = d.first().map(ToString::to_string).unwrap_or_default();
        format!(
            "your saved policies in lab {} do not parse ({first}); press e to fix them",
            lab_number(ctx)
        )
    })?;
    Ok(world)
}

/// The learner's saved texts of the walkthrough's lab (`None` without
/// the lab).
fn saved(ctx: &Ctx) -> Option<Vec<(PolicyRef, String)>> {
    ctx.pack
        .lab(LAB_ID)
        .map(|lab| ctx.progress.saved_edits(lab))
}

fn lab_number(ctx: &Ctx) -> String {
    ctx.pack
        .labs
        .iter()
        .position(|l| l.id == LAB_ID)
        .map_or_else(|| LAB_ID.to_string(), |i| (i + 1).to_string())
}

fn caller(arn: &str) -> Result<Caller, String> {
    Caller::parse(arn, |_, _| None)
}

/// Before each KMS call: notes the lab texts it is asked with, and builds
/// the world from them and the caller `arn`.
fn ready(run: &mut Run, ctx: &Ctx, arn: &str) -> Result<(World, Caller), String> {
    run.seen = saved(ctx);
    Ok((world(ctx)?, caller(arn)?))
}

fn called<T>(r: Result<T, KmsError>, sentence: String) -> Called<T> {
    match r {
        Ok(value) => Called::Done { sentence, value },
        Err(KmsError::AccessDenied {
            action,
            explanation,
            ..
        }) => Called::Denied {
            action,
            sentence: explanation,
        },
        Err(e) => Called::Failed(e.to_string()),
    }
}

fn encrypt(run: &mut Run, ctx: &Ctx) -> Called<usize> {
    let (world, who) = match ready(run, ctx, WRITER) {
        Ok(x) => x,
        Err(e) => return Called::Stopped(e),
    };
    let none = EncryptionContext::new();
    let mut kms = ToyKms::new(&world, &mut run.keyring);
    let (_, sentence) = kms.check(&who, "kms:Encrypt", KEY_ALIAS, &none);
    let r = kms
        .encrypt(&who, KEY_ALIAS, &run.sample, &none, &mut run.rng)
        .map(|b| b.len());
    called(r, sentence)
}

fn generate(run: &mut Run, ctx: &Ctx) -> Called<KeyInfo> {
    let (world, who) = match ready(run, ctx, WRITER) {
        Ok(x) => x,
        Err(e) => return Called::Stopped(e),
    };
    let none = EncryptionContext::new();
    let mut kms = ToyKms::new(&world, &mut run.keyring);
    let (_, sentence) = kms.check(&who, "kms:GenerateDataKey", KEY_ALIAS, &none);
    match kms.generate_data_key(&who, KEY_ALIAS, &none, &mut run.rng) {
        Ok(key) => {
            let info = KeyInfo {
                plaintext_preview: hex_preview(&key.plaintext, 12, ctx.ascii),
                encrypted: key.ciphertext_blob.clone(),
            };
            run.key = Some(key);
            Called::Done {
                sentence,
                value: info,
            }
        }
        Err(e) => called(Err(e), sentence),
    }
}

fn decrypt(run: &mut Run, ctx: &Ctx) -> Called<Opened> {
    let (world, who) = match ready(run, ctx, READER) {
        Ok(x) => x,
        Err(e) => return Called::Stopped(e),
    };
    let (Some(info), Some(sealed)) = (run.data_key.as_ref().and_then(Called::value), &run.local)
    else {
        return Called::Stopped("there is no sealed sample yet".into());
    };
    let none = EncryptionContext::new();
    let mut kms = ToyKms::new(&world, &mut run.keyring);
    // Decrypt finds the key in the blob; ask the engine about that key.
    let key_arn = crate::core::kms::blob::CiphertextBlob::parse(&info.encrypted)
        .map(|b| b.key_arn)
        .unwrap_or_default();
    let (_, sentence) = kms.check(&who, "kms:Decrypt", &key_arn, &none);
    match kms.decrypt(&who, &info.encrypted, &none) {
        Ok((_, mut key)) => {
            let opened = open_with_data_key(&sealed.file, &key).map(|plain| Opened {
                key_preview: hex_preview(&key, 12, ctx.ascii),
                len: plain.len(),
                matches: plain == run.sample,
                first_line: first_line(&plain),
            });
            key.fill(0);
            called(opened, sentence)
        }
        Err(e) => called(Err(e), sentence),
    }
}

/// Reads the file the learner named: `~/` is the home folder; a missing,
/// unreadable, empty or too large file is one line of error.
fn read_sample(path: &str) -> Result<(String, Vec<u8>), String> {
    let typed = path.trim();
    if typed.is_empty() {
        return Err("type the path of a file first".into());
    }
    let full = match typed.strip_prefix("~/") {
        Some(rest) => match std::env::var_os("HOME") {
            Some(home) => std::path::Path::new(&home).join(rest),
            None => std::path::PathBuf::from(typed),
        },
        None => std::path::PathBuf::from(typed),
    };
    let meta = std::fs::metadata(&full).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("{typed}: no such file"),
        _ => format!("{typed}: cannot read: {e}"),
    })?;
    if meta.is_dir() {
        return Err(format!("{typed}: is a folder; name a file"));
    }
    if meta.len() > MAX_FILE {
        return Err(format!(
            "{typed}: {} is too big; the walkthrough takes files up to 64 MB",
            bytes(usize::try_from(meta.len()).unwrap_or(usize::MAX))
        ));
    }
    let data = std::fs::read(&full).map_err(|e| format!("{typed}: cannot read: {e}"))?;
    if data.is_empty() {
        return Err(format!(
            "{typed}: is empty; choose a file with something in it"
        ));
    }
    let name = full
        .file_name()
        .map_or_else(|| typed.to_string(), |n| n.to_string_lossy().into_owned());
    Ok((name, data))
}

/// The first line of `data` if it starts as text, with control
/// characters made harmless.
fn first_line(data: &[u8]) -> Option<String> {
    let head = &data[..data.len().min(200)];
    let text = match std::str::from_utf8(head) {
        Ok(t) => t,
        // A multi-byte character cut at the end is fine; anything else is binary.
        Err(e) if e.valid_up_to() > 0 && e.error_len().is_none() => {
            std::str::from_utf8(&head[..e.valid_up_to()]).ok()?
        }
        Err(_) => return None,
    };
    let line = text.lines().next().unwrap_or("");
    if line.chars().any(|c| c.is_control() && c != '\t') {
        return None;
    }
    Some(sanitize(line))
}

/// Text from outside (a path, a file's first line) with control
/// characters replaced, so nothing typed or read can drive the terminal.
fn sanitize(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// `n` with thousands separators: 10,240.
fn group(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// `10,240 bytes`.
fn bytes(n: usize) -> String {
    if n == 1 {
        "1 byte".into()
    } else {
        format!("{} bytes", group(n))
    }
}

/// The first `n` bytes as hex in groups of four, with an ellipsis when
/// there are more.
fn hex_preview(data: &[u8], n: usize, ascii: bool) -> String {
    let mut out = String::new();
    for (i, b) in data.iter().take(n).enumerate() {
        if i > 0 && i.is_multiple_of(4) {
            out.push(' ');
        }
        out.push_str(&format!("{b:02x}"));
    }
    if data.len() > n {
        out.push_str(if ascii { " ..." } else { " …" });
    }
    out
}

impl EnvelopeScreen {
    /// What a key does; [`Screen::on_action`] adds the save of a finish.
    fn act(&mut self, action: Action, ctx: &Ctx) -> EventResult {
        if self.stage == Stage::Choose {
            match action {
                Action::Up | Action::Back if self.file_row => {
                    self.file_row = false;
                    self.error = None;
                    return EventResult::Changed;
                }
                Action::Down if !self.file_row => {
                    self.file_row = true;
                    return EventResult::Changed;
                }
                Action::Type(c) if self.file_row => {
                    self.path.push(c);
                    self.error = None;
                    return EventResult::Changed;
                }
                Action::Paste(text) if self.file_row => {
                    // A pasted path: its first line, without the newline a
                    // copy from a terminal often brings.
                    self.path
                        .push_str(text.lines().next().unwrap_or_default().trim_end());
                    self.error = None;
                    return EventResult::Changed;
                }
                Action::Erase if self.file_row => {
                    self.path.pop();
                    self.error = None;
                    return EventResult::Changed;
                }
                Action::Enter | Action::StepForward => return self.forward(ctx),
                Action::Back => return EventResult::Emit(vec![Action::Close]),
                Action::Up | Action::Down => return EventResult::Ignored,
                _ => {}
            }
        }
        match action {
            Action::StepForward | Action::Enter => self.forward(ctx),
            Action::StepBack => self.back(),
            Action::Reset => self.restart(),
            // The policies this walkthrough runs under are its lab's.
            Action::EditPolicies => EventResult::Emit(vec![Action::OpenLab(LAB_ID.to_string())]),
            Action::Back => EventResult::Emit(vec![Action::Close]),
            Action::Up | Action::ScrollUp(_) | Action::PageUp => {
                let by = match action {
                    Action::ScrollUp(n) => n,
                    Action::PageUp => 10,
                    _ => 1,
                };
                let before = self.scroll;
                self.scroll = self.scroll.saturating_sub(by);
                if before == self.scroll {
                    EventResult::Ignored
                } else {
                    EventResult::Changed
                }
            }
            Action::Down | Action::ScrollDown(_) | Action::PageDown => {
                let by = match action {
                    Action::ScrollDown(n) => n,
                    Action::PageDown => 10,
                    _ => 1,
                };
                let max = u16::try_from(self.max_scroll.get()).unwrap_or(u16::MAX);
                let before = self.scroll;
                self.scroll = self.scroll.saturating_add(by).min(max);
                if before == self.scroll {
                    EventResult::Ignored
                } else {
                    EventResult::Changed
                }
            }
            _ => EventResult::Ignored,
        }
    }
}

impl EnvelopeScreen {
    /// If the learner's saved policies changed since KMS was last asked,
    /// the step on screen asks again (a step that succeeded before the
    /// decrypt is history and stays).
    fn ask_again(&mut self, ctx: &Ctx) {
        let Some(run) = self.run.as_mut() else {
            return;
        };
        if saved(ctx) == run.seen {
            return;
        }
        match self.stage {
            Stage::Encrypt => run.encrypt = Some(encrypt(run, ctx)),
            Stage::DataKey if !matches!(run.data_key, Some(Called::Done { .. })) => {
                run.data_key = Some(generate(run, ctx));
            }
            Stage::Decrypt => run.decrypt = Some(decrypt(run, ctx)),
            _ => return,
        }
        self.note = None;
        self.scroll = 0;
    }
}

impl Screen for EnvelopeScreen {
    fn id(&self) -> ScreenId {
        if self.stage == Stage::Choose && self.file_row {
            ScreenId::EnvelopeFile
        } else {
            ScreenId::Envelope
        }
    }

    fn keymap(&self) -> &'static crate::tui::keymap::Keymap {
        match self.id() {
            ScreenId::Envelope if self.stage == Stage::Choose => {
                &crate::tui::keymap::ENVELOPE_CHOOSE
            }
            id => crate::tui::keymap::keymap(id),
        }
    }

    fn on_action(&mut self, action: Action, ctx: &Ctx) -> EventResult {
        let out = self.act(action, ctx);
        // A finish is saved with whatever the key did (the decrypt may also
        // succeed on coming back from the lab, which emits nothing).
        let Some(done) = self.unrecorded() else {
            return out;
        };
        self.recorded = true;
        let mut emit = vec![Action::Save(done)];
        if let EventResult::Emit(more) = out {
            emit.extend(more);
        }
        EventResult::Emit(emit)
    }

    fn position(&self, _ctx: &Ctx) -> Option<Change> {
        self.unrecorded()
    }

    /// Back from the lab (or help): if the learner's saved policies
    /// changed since KMS was last asked, the step on screen asks again
    /// (a step that succeeded before the decrypt is history and stays).
    fn uncovered(&mut self, ctx: &Ctx) -> Vec<Action> {
        self.ask_again(ctx);
        match self.unrecorded() {
            Some(done) => {
                self.recorded = true;
                vec![Action::Save(done)]
            }
            None => Vec::new(),
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let t = ctx.theme;
        let bottom = area.y + area.height;
        let dot = ctx.sym("·", "-");
        let step = if self.stage == Stage::Choose {
            format!(" {dot} ")
        } else {
            format!(" {dot} Step {} of {STEPS} {dot} ", self.stage.index())
        };
        Line::from(vec![
            Span::styled(" Envelope walkthrough", t.heading),
            Span::styled(step, t.dim),
            Span::styled(self.stage.title(), t.strong),
        ])
        .render(Rect::new(area.x, area.y, area.width, 1), buf);
        Line::styled(
            " Teaching keyring (in memory, gone when you leave): never for real secrets",
            t.dim,
        )
        .render(Rect::new(area.x, area.y + 1, area.width, 1), buf);

        let width = area.width.saturating_sub(2);
        let mut top = area.y + 3;
        // The note line and the hint bar take the last two rows.
        let end = bottom.saturating_sub(2);
        let mut body = self.body(ctx, usize::from(width));
        if self.stage != Stage::Choose {
            let diagram = diagram_boxes(
                DiagramId::Envelope,
                self.diagram_step(),
                width,
                t,
                ctx.ascii,
            );
            let tall = area.height >= 34;
            if tall {
                // The diagram stays put above the step on a tall terminal.
                let height = u16::try_from(diagram.len()).unwrap_or(u16::MAX);
                for (i, l) in diagram.into_iter().enumerate() {
                    let row = top + u16::try_from(i).unwrap_or(0);
                    if row < end {
                        l.render(Rect::new(area.x + 1, row, width, 1), buf);
                    }
                }
                if self.diagram_step().is_none() {
                    let row = top + height;
                    if row < end {
                        Line::styled(
                            format!(
                                "{} Not in the diagram: Encrypt sends the data itself to KMS",
                                ctx.sym("▶", "*")
                            ),
                            t.strong,
                        )
                        .render(Rect::new(area.x + 1, row, width, 1), buf);
                    }
                }
                top = (top + height + 2).min(end);
            } else {
                // Small terminal: the diagram follows the step (scroll down).
                body.push(Line::default());
                body.extend(diagram);
            }
        }
        let height = end.saturating_sub(top);
        let (_, max) = render_scrolled(
            body,
            Rect::new(area.x, top, area.width, height),
            self.scroll,
            buf,
        );
        self.max_scroll.set(max);
        let more = if max > usize::from(self.scroll) {
            format!(
                " {} more below (j/{})",
                ctx.sym("↓", "v"),
                ctx.sym("↓", "Down")
            )
        } else {
            String::new()
        };
        let note = match &self.note {
            Some(n) => Line::styled(format!(" {n}{more}"), t.warn),
            None => Line::styled(more, t.dim),
        };
        note.render(
            Rect::new(area.x, bottom.saturating_sub(2), area.width, 1),
            buf,
        );
        hint_bar(self.keymap(), area, buf, ctx);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_report_is_always_the_same_10_kb_of_text() {
        let a = sample_report();
        assert_eq!(a.len(), SAMPLE_LEN);
        assert_eq!(a, sample_report());
        let text = String::from_utf8(a).unwrap_or_default();
        assert!(text.starts_with("Quarterly sales report"));
        assert!(text.ends_with("-\n"));
    }

    #[test]
    fn sizes_and_hex_read_as_people_write_them() {
        assert_eq!(group(10_240), "10,240");
        assert_eq!(group(999), "999");
        assert_eq!(group(67_108_864), "67,108,864");
        assert_eq!(bytes(1), "1 byte");
        assert_eq!(hex_preview(&[0xab; 6], 4, false), "abababab …");
        assert_eq!(hex_preview(&[1, 2, 3, 4, 5], 8, true), "01020304 05");
    }

    #[test]
    fn a_file_that_cannot_be_used_is_one_line_of_error() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let missing = dir.path().join("nope.csv");
        let e = read_sample(&missing.display().to_string()).unwrap_err();
        assert!(e.ends_with("no such file"), "{e}");
        let e = read_sample(&dir.path().display().to_string()).unwrap_err();
        assert!(e.contains("is a folder"), "{e}");
        let empty = dir.path().join("empty");
        std::fs::write(&empty, "").unwrap_or_else(|e| panic!("{e}"));
        assert!(
            read_sample(&empty.display().to_string())
                .unwrap_err()
                .contains("is empty")
        );
        let big = dir.path().join("big");
        let f = std::fs::File::create(&big).unwrap_or_else(|e| panic!("{e}"));
        f.set_len(MAX_FILE + 1).unwrap_or_else(|e| panic!("{e}"));
        let e = read_sample(&big.display().to_string()).unwrap_err();
        assert!(e.contains("67,108,865 bytes is too big"), "{e}");
        assert!(!e.contains('\n'));
    }

    #[test]
    fn a_first_line_with_escape_codes_is_not_shown_as_text() {
        assert_eq!(first_line(b"plain\nmore"), Some("plain".into()));
        assert_eq!(first_line(b"\x1b]52;c;AAAA\x07\n"), None);
        assert_eq!(first_line(&[0xff, 0xfe, 0]), None);
        assert_eq!(sanitize("a\x1bb"), "a?b");
    }
}
