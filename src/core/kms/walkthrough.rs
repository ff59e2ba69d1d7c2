//! The envelope-encryption walkthrough as a model, without a terminal: a
//! sample (a generated 10 KB report or a file the learner names) goes
//! through the toy KMS and real AES-256-GCM one step at a time: Encrypt
//! refused over 4,096 bytes, GenerateDataKey, local encryption, the
//! plaintext key discarded, the envelope stored, and Decrypt as account
//! B's role, decided by the policy engine with the policies the learner
//! saved in the walkthrough's lab. A front end draws [`Walkthrough`] and
//! calls its steps; nothing runs between them.

use rand::SeedableRng;
use rand::rngs::StdRng;

use super::{
    DataKey, EncryptionContext, Keyring, KmsError, ToyKms, open_with_data_key, seal_with_data_key,
};
use crate::core::content::{Pack, PolicyRef};
use crate::core::policy::principal::Caller;
use crate::core::progress::Progress;
use crate::core::world::World;

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
pub const STEPS: usize = 6;

/// The walkthrough's id in progress (`Progress::walkthroughs`).
pub const WALKTHROUGH_ID: &str = crate::core::progress::ENVELOPE_WALKTHROUGH;

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
    /// Every stage, in order.
    pub const ORDER: [Stage; 7] = [
        Stage::Choose,
        Stage::Encrypt,
        Stage::DataKey,
        Stage::Local,
        Stage::Discard,
        Stage::Store,
        Stage::Decrypt,
    ];

    /// The step number (0 for the chooser).
    pub fn index(self) -> usize {
        Stage::ORDER.iter().position(|s| *s == self).unwrap_or(0)
    }

    /// The stage after this one (the last stays).
    pub fn next(self) -> Stage {
        Stage::ORDER
            .get(self.index() + 1)
            .copied()
            .unwrap_or(Stage::Decrypt)
    }

    /// The stage before this one (the first stays).
    pub fn prev(self) -> Stage {
        Stage::ORDER[self.index().saturating_sub(1)]
    }

    /// The step's title.
    pub fn title(self) -> &'static str {
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
pub enum Called<T> {
    /// Allowed (the engine's sentence) and done.
    Done {
        /// The engine's sentence.
        sentence: String,
        /// What KMS gave back.
        value: T,
    },
    /// The policy engine said no.
    Denied {
        /// The KMS action refused.
        action: String,
        /// The engine's sentence.
        sentence: String,
    },
    /// KMS refused for another reason (too big, bad ciphertext).
    Failed(String),
    /// KMS was not asked: the scenario could not be built (the saved lab
    /// policies do not parse).
    Stopped(String),
}

impl<T> Called<T> {
    /// What KMS gave back, if the call was done.
    pub fn value(&self) -> Option<&T> {
        match self {
            Called::Done { value, .. } => Some(value),
            _ => None,
        }
    }
}

/// What GenerateDataKey gave.
#[derive(Debug)]
pub struct KeyInfo {
    /// The plaintext key's first bytes in hex (the key itself is dropped).
    pub plaintext_preview: String,
    /// The encrypted copy of the key (a ciphertext blob).
    pub encrypted: Vec<u8>,
}

/// The sample sealed locally with the data key.
#[derive(Debug)]
pub struct Sealed {
    /// The AES-GCM nonce.
    pub nonce: [u8; 12],
    /// The sealed file (header, nonce, ciphertext and tag).
    pub file: Vec<u8>,
    /// The ciphertext's first bytes in hex.
    pub ciphertext_preview: String,
}

/// The sample opened again as account B.
#[derive(Debug)]
pub struct Opened {
    /// The data key KMS gave back, its first bytes in hex.
    pub key_preview: String,
    /// The recovered plaintext's size.
    pub len: usize,
    /// The recovered plaintext is the sample, byte for byte.
    pub matches: bool,
    /// The recovered plaintext's first line, if it is text.
    pub first_line: Option<String>,
}

/// One pass through the steps with one sample.
pub struct Run {
    /// The sample's name as shown.
    pub name: String,
    /// The sample's bytes.
    pub sample: Vec<u8>,
    keyring: Keyring,
    rng: StdRng,
    /// Step a: KMS Encrypt on the whole sample (its ciphertext's size).
    pub encrypt: Option<Called<usize>>,
    /// Step b: GenerateDataKey.
    pub data_key: Option<Called<KeyInfo>>,
    /// The plaintext data key, held from GenerateDataKey until discarded.
    pub key: Option<DataKey>,
    /// Step c: the sample sealed locally.
    pub local: Option<Sealed>,
    /// Step f: Decrypt as account B.
    pub decrypt: Option<Called<Opened>>,
    /// The lab texts KMS was last asked with.
    seen: Option<Vec<(PolicyRef, String)>>,
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Run")
            .field("name", &self.name)
            .field("len", &self.sample.len())
            .finish_non_exhaustive()
    }
}

impl Run {
    /// What GenerateDataKey gave, once it succeeded.
    pub fn key_info(&self) -> Option<&KeyInfo> {
        self.data_key.as_ref().and_then(Called::value)
    }

    /// The encrypted data key's size (0 before GenerateDataKey).
    pub fn encrypted_key_len(&self) -> usize {
        self.key_info().map_or(0, |k| k.encrypted.len())
    }
}

/// What the steps read: the course (the walkthrough's lab), the learner's
/// saved lab policies, and whether hex previews use ASCII only.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// The course.
    pub pack: &'a Pack,
    /// The learner's progress (the lab's saved policies).
    pub progress: &'a Progress,
    /// Previews with `...` instead of `…`.
    pub ascii: bool,
}

/// What a step did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Moved {
    /// Nothing to do here.
    Nothing,
    /// The step on screen asked KMS again (show it from the top).
    Asked,
    /// On to the next step (show it from the top).
    On,
    /// Stayed, and this is why.
    Stayed(String),
}

/// The walkthrough: where it is, and the run of the chosen sample.
#[derive(Debug)]
pub struct Walkthrough {
    seed: Option<u64>,
    stage: Stage,
    run: Option<Run>,
}

impl Walkthrough {
    /// At the sample chooser. `seed` fixes the random bytes (tests);
    /// `None` takes them from the operating system.
    pub fn new(seed: Option<u64>) -> Self {
        Walkthrough {
            seed,
            stage: Stage::Choose,
            run: None,
        }
    }

    /// The current step.
    pub fn stage(&self) -> Stage {
        self.stage
    }

    /// The run of the chosen sample, once chosen.
    pub fn run(&self) -> Option<&Run> {
        self.run.as_ref()
    }

    /// The recovered plaintext matched the sample in the last decrypt.
    pub fn decrypted_matches(&self) -> Option<bool> {
        let run = self.run.as_ref()?;
        run.decrypt.as_ref()?.value().map(|o| o.matches)
    }

    /// Finished: the decrypt as account B gave back the sample.
    pub fn finished(&self) -> bool {
        self.stage == Stage::Decrypt && self.decrypted_matches() == Some(true)
    }

    /// Chooses the sample `(name, bytes)`: a new run with a fresh keyring.
    pub fn start(&mut self, name: String, sample: Vec<u8>) {
        let rng = match self.seed {
            Some(s) => StdRng::seed_from_u64(s),
            None => StdRng::from_rng(&mut rand::rng()),
        };
        self.run = Some(Run {
            name,
            sample,
            keyring: Keyring::in_memory(),
            rng,
            encrypt: None,
            data_key: None,
            key: None,
            local: None,
            decrypt: None,
            seen: None,
        });
    }

    /// The next step, which runs it (a sample must be chosen first). A
    /// step KMS refused is asked again (the learner may have fixed the
    /// policies); it must succeed before the walkthrough moves on.
    pub fn forward(&mut self, inp: &Inputs) -> Moved {
        let Some(run) = self.run.as_mut() else {
            return Moved::Nothing;
        };
        let blocked = match self.stage {
            Stage::DataKey => !matches!(run.data_key, Some(Called::Done { .. })),
            Stage::Decrypt => {
                if !matches!(run.decrypt, Some(Called::Done { .. })) {
                    run.decrypt = Some(decrypt(run, inp));
                    return Moved::Asked;
                }
                return Moved::Stayed(
                    "That was the last step: r starts again, Esc goes back to the course map."
                        .into(),
                );
            }
            _ => false,
        };
        if blocked {
            run.data_key = Some(generate(run, inp));
            if !matches!(run.data_key, Some(Called::Done { .. })) {
                return Moved::Stayed("KMS still refuses: press e to fix the policies.".into());
            }
        }
        let next = self.stage.next();
        match next {
            Stage::Encrypt if run.encrypt.is_none() => run.encrypt = Some(encrypt(run, inp)),
            Stage::DataKey if run.data_key.is_none() => run.data_key = Some(generate(run, inp)),
            Stage::Local if run.local.is_none() => {
                if let Err(e) = seal(run, inp) {
                    return Moved::Stayed(e);
                }
            }
            // Dropping the DataKey overwrites its plaintext copy.
            Stage::Discard => run.key = None,
            Stage::Decrypt => run.decrypt = Some(decrypt(run, inp)),
            _ => {}
        }
        self.stage = next;
        Moved::On
    }

    /// The previous step (it shows what it did; nothing runs again).
    pub fn back(&mut self) -> Moved {
        if self.stage <= Stage::Encrypt {
            if self.stage == Stage::Encrypt {
                return Moved::Stayed(
                    "This is the first step: r starts again with another sample.".into(),
                );
            }
            return Moved::Nothing;
        }
        self.stage = self.stage.prev();
        Moved::On
    }

    /// If the learner's saved policies changed since KMS was last asked,
    /// the step on screen asks again (a step that succeeded before the
    /// decrypt is history and stays); `true` if it did.
    pub fn ask_again(&mut self, inp: &Inputs) -> bool {
        let Some(run) = self.run.as_mut() else {
            return false;
        };
        if saved(inp) == run.seen {
            return false;
        }
        match self.stage {
            Stage::Encrypt => run.encrypt = Some(encrypt(run, inp)),
            Stage::DataKey if !matches!(run.data_key, Some(Called::Done { .. })) => {
                run.data_key = Some(generate(run, inp));
            }
            Stage::Decrypt => run.decrypt = Some(decrypt(run, inp)),
            _ => return false,
        }
        true
    }

    /// The step of the envelope diagram that matches the current step
    /// (none for the direct Encrypt, which the diagram does not draw).
    pub fn diagram_step(&self) -> Option<usize> {
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
}

/// Step c: seals the sample with the data key and a fresh nonce.
fn seal(run: &mut Run, inp: &Inputs) -> Result<(), String> {
    let Some(key) = &run.key else {
        return Ok(());
    };
    let mut nonce = [0u8; 12];
    rand::Rng::fill_bytes(&mut run.rng, &mut nonce);
    let file = seal_with_data_key(key, &EncryptionContext::new(), nonce, &run.sample)
        .map_err(|e| e.to_string())?;
    let body = &file[file.len() - (run.sample.len() + 16)..];
    run.local = Some(Sealed {
        nonce,
        ciphertext_preview: hex_preview(body, 16, inp.ascii),
        file,
    });
    Ok(())
}

/// The world of the walkthrough's lab with the learner's saved texts.
fn world(inp: &Inputs) -> Result<World, String> {
    let lab = inp
        .pack
        .lab(LAB_ID)
        .ok_or_else(|| format!("this course has no lab \"{LAB_ID}\" for the walkthrough"))?;
    let edits = inp.progress.saved_edits(lab);
    let world = lab.with_policies(&edits).map_err(|d| {
        let first = d.first().map(ToString::to_string).unwrap_or_default();
        format!(
            "your saved policies in lab {} do not parse ({first}); press e to fix them",
            lab_number(inp.pack)
        )
    })?;
    Ok(world)
}

/// The learner's saved texts of the walkthrough's lab (`None` without
/// the lab).
fn saved(inp: &Inputs) -> Option<Vec<(PolicyRef, String)>> {
    inp.pack
        .lab(LAB_ID)
        .map(|lab| inp.progress.saved_edits(lab))
}

/// The walkthrough's lab as the course numbers it ("13"), or its id.
pub fn lab_number(pack: &Pack) -> String {
    pack.labs
        .iter()
        .position(|l| l.id == LAB_ID)
        .map_or_else(|| LAB_ID.to_string(), |i| (i + 1).to_string())
}

fn caller(arn: &str) -> Result<Caller, String> {
    Caller::parse(arn, |_, _| None)
}

/// Before each KMS call: notes the lab texts it is asked with, and builds
/// the world from them and the caller `arn`.
fn ready(run: &mut Run, inp: &Inputs, arn: &str) -> Result<(World, Caller), String> {
    run.seen = saved(inp);
    Ok((world(inp)?, caller(arn)?))
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

fn encrypt(run: &mut Run, inp: &Inputs) -> Called<usize> {
    let (world, who) = match ready(run, inp, WRITER) {
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

fn generate(run: &mut Run, inp: &Inputs) -> Called<KeyInfo> {
    let (world, who) = match ready(run, inp, WRITER) {
        Ok(x) => x,
        Err(e) => return Called::Stopped(e),
    };
    let none = EncryptionContext::new();
    let mut kms = ToyKms::new(&world, &mut run.keyring);
    let (_, sentence) = kms.check(&who, "kms:GenerateDataKey", KEY_ALIAS, &none);
    match kms.generate_data_key(&who, KEY_ALIAS, &none, &mut run.rng) {
        Ok(key) => {
            let info = KeyInfo {
                plaintext_preview: hex_preview(&key.plaintext, 12, inp.ascii),
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

fn decrypt(run: &mut Run, inp: &Inputs) -> Called<Opened> {
    let (world, who) = match ready(run, inp, READER) {
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
                key_preview: hex_preview(&key, 12, inp.ascii),
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
pub fn read_sample(path: &str) -> Result<(String, Vec<u8>), String> {
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
    if meta.is_file() && meta.len() > MAX_FILE {
        return Err(format!(
            "{typed}: {} is too big; the walkthrough takes files up to 64 MB",
            bytes(usize::try_from(meta.len()).unwrap_or(usize::MAX))
        ));
    }
    // A regular file only, read to the limit: a FIFO, /dev/tty or
    // /dev/stdin would block the tutor (keys unread), /dev/zero never ends.
    let data = crate::core::fs::read_regular(&full, MAX_FILE)
        .map_err(|e| format!("{typed}: {}", e.reason()))?;
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
pub fn sanitize(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// `n` with thousands separators: 10,240.
pub fn group(n: usize) -> String {
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
pub fn bytes(n: usize) -> String {
    if n == 1 {
        "1 byte".into()
    } else {
        format!("{} bytes", group(n))
    }
}

/// The first `n` bytes as hex in groups of four, with an ellipsis when
/// there are more.
pub fn hex_preview(data: &[u8], n: usize, ascii: bool) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Walks every step with the generated report; returns the model.
    fn walk(progress: &Progress) -> Walkthrough {
        let pack = Pack::builtin().expect("the built-in course loads");
        let inp = Inputs {
            pack: &pack,
            progress,
            ascii: false,
        };
        let mut w = Walkthrough::new(Some(7));
        assert_eq!(w.forward(&inp), Moved::Nothing, "no sample chosen yet");
        w.start("report".into(), sample_report());
        for _ in 0..STEPS {
            w.forward(&inp);
        }
        w
    }

    /// With the lab as it starts, B's Decrypt is refused; with the lab's
    /// solution saved, the data comes back byte for byte.
    #[test]
    fn the_walkthrough_finishes_only_when_the_lab_lets_b_decrypt() {
        let refused = walk(&Progress::default());
        assert_eq!(refused.stage(), Stage::Decrypt);
        assert!(!refused.finished());
        let run = refused.run().expect("a run");
        assert!(matches!(run.encrypt, Some(Called::Failed(_))), "over 4 KB");
        assert!(matches!(run.decrypt, Some(Called::Denied { .. })));
        assert!(run.key.is_none(), "the plaintext key was discarded");

        let pack = Pack::builtin().expect("the built-in course loads");
        let lab = pack.lab(LAB_ID).expect("the walkthrough's lab");
        let mut progress = Progress::default();
        let solution: Vec<(String, String)> = lab
            .solution()
            .into_iter()
            .map(|(r, t)| (r.to_string(), t))
            .collect();
        progress.save_lab_work(LAB_ID, &solution, 1);
        let done = walk(&progress);
        assert!(done.finished());
        assert_eq!(done.decrypted_matches(), Some(true));
        assert_eq!(done.diagram_step(), Some(6));
    }

    #[test]
    fn back_stops_at_the_first_step() {
        let mut w = Walkthrough::new(Some(1));
        assert_eq!(w.back(), Moved::Nothing);
        let pack = Pack::builtin().expect("the built-in course loads");
        let progress = Progress::default();
        let inp = Inputs {
            pack: &pack,
            progress: &progress,
            ascii: true,
        };
        w.start("x".into(), b"short".to_vec());
        assert_eq!(w.forward(&inp), Moved::On);
        assert_eq!(w.stage(), Stage::Encrypt);
        assert!(matches!(w.back(), Moved::Stayed(_)));
        assert!(!w.ask_again(&inp), "nothing changed since KMS was asked");
    }

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
        let dir = tempfile::tempdir().expect("a temporary folder");
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
