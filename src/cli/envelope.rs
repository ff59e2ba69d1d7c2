//! `keyshake envelope --scenario FILE encrypt|decrypt ...`: envelope
//! encryption on a scenario's teaching keyring, with the policy engine's
//! ALLOW/DENY on every KMS call.

use std::fmt::Write as _;
use std::path::Path;

use super::EnvelopeCommand;
use crate::core::kms::{EncryptionContext, Keyring, KmsError, ToyKms, open, seal};
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

fn read(path: &Path) -> Result<Vec<u8>, (u8, String)> {
    std::fs::read(path).map_err(|e| (2, format!("{}: cannot read: {e}", path.display())))
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
        KmsError::Keyring(m) => (2, m),
        other => (1, other.to_string()),
    }
}

fn run_inner(
    scenario: &Path,
    action: &EnvelopeCommand,
    data_dir_override: Option<&Path>,
    out: &mut String,
) -> Result<(), (u8, String)> {
    let bytes = read(scenario)?;
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
    let mut ring = Keyring::open(&ring_path).map_err(kms_failure)?;
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
            let mut ctx = EncryptionContext::new();
            for entry in context {
                let (k, v) = entry
                    .split_once('=')
                    .ok_or_else(|| (2, format!("--context {entry:?}: write NAME=VALUE")))?;
                ctx.insert(k.to_string(), v.to_string());
            }
            let data = read(input)?;
            let sealed = {
                let mut kms = ToyKms::new(&world, &mut ring);
                seal(&mut kms, &who, key, &data, &ctx, &mut rng).map_err(kms_failure)?
            };
            ring.save().map_err(kms_failure)?;
            std::fs::write(output, &sealed)
                .map_err(|e| (2, format!("{}: cannot write: {e}", output.display())))?;
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
            let file = read(input)?;
            let data = {
                let mut kms = ToyKms::new(&world, &mut ring);
                open(&mut kms, &who, &file).map_err(kms_failure)?
            };
            std::fs::write(output, &data)
                .map_err(|e| (2, format!("{}: cannot write: {e}", output.display())))?;
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
