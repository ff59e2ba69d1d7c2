//! `keyshake envelope --scenario FILE encrypt|decrypt ...`: envelope
//! encryption on a scenario's teaching keyring, with the policy engine's
//! ALLOW/DENY on every KMS call.

use std::fmt::Write as _;
use std::path::Path;

use super::EnvelopeCommand;
use crate::core::kms::{EncryptionContext, Keyring, KmsError, ToyKms, check_context, open, seal};
use crate::core::policy::principal::Caller;
use crate::core::progress::data_dir;
use crate::core::world::{World, load};

/// Runs the command: returns (stdout, stderr, exit code).
pub fn run(
    scenario: &Path,
    action: &EnvelopeCommand,
    data_dir_override: Option<&Path>,
) -> (String, String, u8) {
    let mut out = String::new();
    let mut err = String::new();
    let code = match run_inner(scenario, action, data_dir_override, &mut out) {
        Ok(()) => 0,
        Err((code, message)) => {
            let _ = writeln!(err, "{message}");
            code
        }
    };
    (out, err, code)
}

/// The largest file `envelope` encrypts or decrypts: everything is held in
/// memory, so a device like `/dev/zero` must not be read without end.
pub const MAX_INPUT_BYTES: u64 = 1 << 30;

fn read(path: &Path, limit: u64) -> Result<Vec<u8>, (u8, String)> {
    crate::core::fs::read_regular(path, limit).map_err(|e| (2, e.to_string()))
}

/// Writes `output` whole or not at all, so encrypting a file onto itself on
/// a full disk keeps the original.
fn write(output: &Path, bytes: &[u8]) -> Result<(), (u8, String)> {
    use std::io::Write as _;
    crate::core::fs::write_atomic(output, |f| f.write_all(bytes))
        .map_err(|e| (2, format!("{}: cannot write: {e}", output.display())))
}

/// `--context NAME=VALUE` entries as a context KMS accepts; a repeated or
/// empty name is refused rather than silently dropped.
fn parse_context(entries: &[String]) -> Result<EncryptionContext, (u8, String)> {
    let mut ctx = EncryptionContext::new();
    for entry in entries {
        let (k, v) = entry
            .split_once('=')
            .ok_or_else(|| (2, format!("--context {entry:?}: write NAME=VALUE")))?;
        if k.is_empty() {
            return Err((
                2,
                format!("--context {entry:?}: the name before '=' is empty"),
            ));
        }
        if ctx.insert(k.to_string(), v.to_string()).is_some() {
            return Err((
                2,
                format!("--context: {k:?} is given twice; give each name once"),
            ));
        }
    }
    check_context(&ctx).map_err(|e| (2, format!("--context: {e}")))?;
    Ok(ctx)
}

fn caller(world: &World, arn: &str) -> Result<Caller, (u8, String)> {
    Caller::parse(arn, |account, role| {
        world
            .principals
            .iter()
            .find(|p| {
                p.account == account
                    && p.arn.contains(":role/")
                    && p.arn.rsplit('/').next() == Some(role)
            })
            .map(|p| p.arn.clone())
    })
    .map_err(|m| (2, format!("--as: {m}")))
}

fn kms_failure(e: KmsError) -> (u8, String) {
    match e {
        KmsError::AccessDenied {
            action,
            explanation,
            ..
        } => (1, format!("DENY ✗ {action}: {explanation}")),
        KmsError::Keyring { message, source } => match source {
            Some(e) => (2, format!("{message}: {e}")),
            None => (2, message),
        },
        other => (1, other.to_string()),
    }
}

fn run_inner(
    scenario: &Path,
    action: &EnvelopeCommand,
    data_dir_override: Option<&Path>,
    out: &mut String,
) -> Result<(), (u8, String)> {
    let bytes = read(scenario, crate::core::world::load::MAX_FILE_BYTES as u64)?;
    let world = load(&scenario.display().to_string(), &bytes).map_err(|diags| {
        (
            2,
            diags
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })?;
    let dir = data_dir(data_dir_override).map_err(|e| (2, e.to_string()))?;
    let ring_path = dir.join("keyring.json");
    let mut rng = rand::rng();
    match action {
        EnvelopeCommand::Encrypt {
            key,
            principal,
            context,
            input,
            output,
        } => {
            let who = caller(&world, principal)?;
            let ctx = parse_context(context)?;
            let data = read(input, MAX_INPUT_BYTES)?;
            // Locked from reading the keyring to saving it: material made
            // for a key's first use must reach the file before another
            // keyshake reads it, or that one makes its own "version 1"
            // and one of the two envelopes can never be opened.
            let lock = Keyring::lock(&ring_path).map_err(kms_failure)?;
            let mut ring = Keyring::open(&ring_path).map_err(kms_failure)?;
            let sealed = {
                let mut kms = ToyKms::new(&world, &mut ring);
                seal(&mut kms, &who, key, &data, &ctx, &mut rng).map_err(kms_failure)?
            };
            ring.save_locked(&lock).map_err(kms_failure)?;
            drop(lock);
            write(output, &sealed)?;
            let _ = writeln!(
                out,
                "ALLOW ✓ kms:GenerateDataKey on {key} for {principal}\nsealed {} ({} bytes) into {} ({} bytes): encrypted locally with AES-256-GCM under a fresh data key; the data key is stored encrypted in the envelope and its plaintext copy was discarded\nteaching keyring: {}",
                input.display(),
                data.len(),
                output.display(),
                sealed.len(),
                ring_path.display()
            );
        }
        EnvelopeCommand::Decrypt {
            principal,
            input,
            output,
        } => {
            let who = caller(&world, principal)?;
            let file = read(input, MAX_INPUT_BYTES.saturating_add(4096))?;
            let mut ring = Keyring::open(&ring_path).map_err(kms_failure)?;
            let data = {
                let mut kms = ToyKms::new(&world, &mut ring);
                open(&mut kms, &who, &file).map_err(kms_failure)?
            };
            write(output, &data)?;
            let _ = writeln!(
                out,
                "ALLOW ✓ kms:Decrypt of the data key for {principal}\nopened {} into {} ({} bytes)",
                input.display(),
                output.display(),
                data.len()
            );
        }
    }
    Ok(())
}
