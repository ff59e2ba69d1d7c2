//! Key material for the toy KMS, per key ARN and version.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::toy::KmsError;

/// The words every keyring file carries, so nobody mistakes it for a vault.
pub const NOTICE: &str = "keyshake teaching keyring: toy key material for learning envelope encryption. Never use it for real secrets.";

/// Schema version of the keyring file.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct KeyringFile {
    version: u32,
    notice: String,
    /// Key ARN → hex key material, oldest version first (version 1 is
    /// index 0).
    keys: BTreeMap<String, Vec<String>>,
}

/// 256-bit key material for each KMS key, all versions kept so that data
/// encrypted before a rotation still decrypts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyring {
    path: Option<PathBuf>,
    file: KeyringFile,
}

impl Keyring {
    /// A keyring that lives only in memory (tests, one-off runs).
    pub fn in_memory() -> Self {
        Keyring {
            path: None,
            file: KeyringFile {
                version: VERSION,
                notice: NOTICE.to_string(),
                keys: BTreeMap::new(),
            },
        }
    }

    /// Opens the keyring file at `path`, or starts an empty one there.
    pub fn open(path: &Path) -> Result<Self, KmsError> {
        let mut ring = Keyring::in_memory();
        ring.path = Some(path.to_path_buf());
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let file: KeyringFile = serde_json::from_str(&text).map_err(|e| {
                    KmsError::Keyring(format!(
                        "{}:{}:{}: the teaching keyring is not valid ({e}); move it aside to start a new one (data encrypted with it can then no longer be decrypted)",
                        path.display(),
                        e.line(),
                        e.column()
                    ))
                })?;
                if file.version > VERSION {
                    return Err(KmsError::Keyring(format!(
                        "{}: keyring version {} is newer than this keyshake understands ({VERSION})",
                        path.display(),
                        file.version
                    )));
                }
                ring.file = file;
                Ok(ring)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ring),
            Err(e) => Err(KmsError::Keyring(format!(
                "{}: cannot read the keyring: {e}",
                path.display()
            ))),
        }
    }

    /// Writes the keyring back (atomically), if it has a file.
    pub fn save(&self) -> Result<(), KmsError> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| KmsError::Keyring(format!("{}: {e}", dir.display())))?;
        }
        let text = serde_json::to_string_pretty(&self.file)
            .map_err(|e| KmsError::Keyring(format!("cannot write the keyring: {e}")))?;
        crate::core::fs::write_atomic(path, |f| {
            use std::io::Write;
            f.write_all(text.as_bytes())
        })
        .map_err(|e| {
            KmsError::Keyring(format!("{}: cannot write the keyring: {e}", path.display()))
        })
    }

    /// The current version and material of `key_arn`, creating version 1
    /// from `rng` on first use.
    pub fn current(&mut self, key_arn: &str, rng: &mut impl rand::CryptoRng) -> (u32, [u8; 32]) {
        let versions = self.file.keys.entry(key_arn.to_string()).or_default();
        if versions.is_empty() {
            versions.push(hex(&fresh(rng)));
        }
        let v = versions.len();
        let material = versions.last().and_then(|h| unhex(h)).unwrap_or([0; 32]);
        (v as u32, material)
    }

    /// The material of one version, if the keyring has it.
    pub fn version(&self, key_arn: &str, version: u32) -> Option<[u8; 32]> {
        let index = usize::try_from(version).ok()?.checked_sub(1)?;
        self.file
            .keys
            .get(key_arn)?
            .get(index)
            .and_then(|h| unhex(h))
    }

    /// Adds new material for `key_arn` (rotation); old versions stay so old
    /// ciphertexts still decrypt. Returns the new version.
    pub fn rotate(&mut self, key_arn: &str, rng: &mut impl rand::CryptoRng) -> u32 {
        let versions = self.file.keys.entry(key_arn.to_string()).or_default();
        if versions.is_empty() {
            versions.push(hex(&fresh(rng)));
        }
        versions.push(hex(&fresh(rng)));
        versions.len() as u32
    }

    /// How many versions `key_arn` has (0 if never used).
    pub fn versions(&self, key_arn: &str) -> usize {
        self.file.keys.get(key_arn).map_or(0, Vec::len)
    }
}

fn fresh(rng: &mut impl rand::CryptoRng) -> [u8; 32] {
    let mut k = [0u8; 32];
    rng.fill_bytes(&mut k);
    k
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    if text.len() != 64 {
        return None;
    }
    for (i, chunk) in text.as_bytes().chunks(2).enumerate() {
        let s = std::str::from_utf8(chunk).ok()?;
        out[i] = u8::from_str_radix(s, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn rotation_keeps_old_versions_and_files_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keyring.json");
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let mut ring = Keyring::open(&path).unwrap();
        let (v1, m1) = ring.current("arn:k", &mut rng);
        assert_eq!(v1, 1);
        assert_eq!(ring.rotate("arn:k", &mut rng), 2);
        let (v2, m2) = ring.current("arn:k", &mut rng);
        assert_eq!(v2, 2);
        assert_ne!(m1, m2);
        ring.save().unwrap();
        let again = Keyring::open(&path).unwrap();
        assert_eq!(again.version("arn:k", 1), Some(m1));
        assert_eq!(again.version("arn:k", 2), Some(m2));
        assert_eq!(again.version("arn:k", 3), None);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("Never use it for real secrets"));
    }

    #[test]
    fn a_corrupt_keyring_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keyring.json");
        std::fs::write(&path, "{ not json").unwrap();
        let e = Keyring::open(&path).unwrap_err().to_string();
        assert!(e.contains("keyring.json:1:3"), "{e}");
    }
}
