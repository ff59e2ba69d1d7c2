//! Key material for the toy KMS, per key ARN and version.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::toy::KmsError;

/// The words every keyring file carries, so nobody mistakes it for a vault.
pub const NOTICE: &str = "keyshake teaching keyring: toy key material for learning envelope encryption. Never use it for real secrets.";

/// Schema version of the keyring file.
pub const VERSION: u32 = 1;

/// The most bytes `keyring.json` may have (a keyring for every key of a
/// course is a few KiB).
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

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
    version: u32,
    /// Key ARN → material, oldest version first (checked when read, so a
    /// damaged entry can never become a key).
    keys: BTreeMap<String, Vec<[u8; 32]>>,
}

/// The exclusive lock on a keyring file (`keyring.lock` beside it), held
/// until dropped. Hold it from [`Keyring::open`] to [`Keyring::save_locked`]
/// whenever new material may be created, so two keyshake processes never
/// both create "version 1" of the same key.
#[derive(Debug)]
pub struct KeyringLock {
    _file: File,
}

impl Keyring {
    /// A keyring that lives only in memory (tests, one-off runs).
    pub fn in_memory() -> Self {
        Keyring {
            path: None,
            version: VERSION,
            keys: BTreeMap::new(),
        }
    }

    /// Takes the exclusive lock for the keyring file at `path`, waiting for
    /// another keyshake that holds it.
    pub fn lock(path: &Path) -> Result<KeyringLock, KmsError> {
        let lock_path = path.with_extension("lock");
        if let Some(dir) = lock_path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                KmsError::keyring_io(format!("{}: cannot create the folder", dir.display()), e)
            })?;
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| {
                KmsError::keyring_io(format!("{}: cannot open the lock", lock_path.display()), e)
            })?;
        file.lock().map_err(|e| {
            KmsError::keyring_io(format!("{}: cannot lock", lock_path.display()), e)
        })?;
        Ok(KeyringLock { _file: file })
    }

    /// Opens the keyring file at `path`, or starts an empty one there.
    pub fn open(path: &Path) -> Result<Self, KmsError> {
        let mut ring = Keyring::in_memory();
        ring.path = Some(path.to_path_buf());
        if let Some((version, keys)) = read_file(path)? {
            ring.version = version;
            ring.keys = keys;
        }
        Ok(ring)
    }

    /// Writes the keyring back (atomically), if it has a file: takes the
    /// lock, then as [`Keyring::save_locked`]. Do not call it while holding
    /// a [`KeyringLock`] for the same file (it would wait for itself).
    pub fn save(&self) -> Result<(), KmsError> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let lock = Keyring::lock(path)?;
        self.save_locked(&lock)
    }

    /// Writes the keyring back while the caller holds its lock: the file is
    /// read again and merged (keys and versions another process added are
    /// kept), then replaced atomically. Material that another process made
    /// for the same key version is a conflict and an error, never a loss.
    pub fn save_locked(&self, _lock: &KeyringLock) -> Result<(), KmsError> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let mut merged = read_file(path)?.map_or_else(BTreeMap::new, |(_, keys)| keys);
        for (arn, ours) in &self.keys {
            let theirs = merged.entry(arn.clone()).or_default();
            if let Some(i) = theirs.iter().zip(ours).position(|(a, b)| a != b) {
                return Err(KmsError::keyring(format!(
                    "{}: another keyshake created different material for version {} of {arn} at the same time; nothing was saved",
                    path.display(),
                    i + 1
                )));
            }
            if ours.len() > theirs.len() {
                *theirs = ours.clone();
            }
        }
        let file = KeyringFile {
            version: VERSION,
            notice: NOTICE.to_string(),
            keys: merged
                .iter()
                .map(|(arn, vs)| (arn.clone(), vs.iter().map(|k| hex(k)).collect()))
                .collect(),
        };
        let text = serde_json::to_string_pretty(&file)
            .map_err(|e| KmsError::keyring(format!("cannot encode the keyring: {e}")))?;
        let new_file = std::fs::symlink_metadata(path).is_err();
        crate::core::fs::write_atomic(path, |f| {
            // Key material is for its owner's eyes only, even in a toy; an
            // existing file keeps the mode its owner gave it.
            #[cfg(unix)]
            if new_file {
                use std::os::unix::fs::PermissionsExt;
                f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
            }
            #[cfg(not(unix))]
            let _ = new_file;
            f.write_all(text.as_bytes())
        })
        .map_err(|e| {
            KmsError::keyring_io(format!("{}: cannot write the keyring", path.display()), e)
        })
    }

    /// The current version and material of `key_arn`, creating version 1
    /// from `rng` on first use.
    pub fn current(&mut self, key_arn: &str, rng: &mut impl rand::CryptoRng) -> (u32, [u8; 32]) {
        let versions = self.keys.entry(key_arn.to_string()).or_default();
        if versions.is_empty() {
            versions.push(fresh(rng));
        }
        let material = versions.last().copied().unwrap_or_default();
        (u32::try_from(versions.len()).unwrap_or(u32::MAX), material)
    }

    /// The material of one version, if the keyring has it.
    pub fn version(&self, key_arn: &str, version: u32) -> Option<[u8; 32]> {
        let index = usize::try_from(version).ok()?.checked_sub(1)?;
        self.keys.get(key_arn)?.get(index).copied()
    }

    /// Adds new material for `key_arn` (rotation); old versions stay so old
    /// ciphertexts still decrypt. Returns the new version.
    pub fn rotate(&mut self, key_arn: &str, rng: &mut impl rand::CryptoRng) -> u32 {
        let versions = self.keys.entry(key_arn.to_string()).or_default();
        if versions.is_empty() {
            versions.push(fresh(rng));
        }
        versions.push(fresh(rng));
        u32::try_from(versions.len()).unwrap_or(u32::MAX)
    }

    /// How many versions `key_arn` has (0 if never used).
    pub fn versions(&self, key_arn: &str) -> usize {
        self.keys.get(key_arn).map_or(0, Vec::len)
    }
}

type Material = BTreeMap<String, Vec<[u8; 32]>>;

/// Reads and checks the keyring file; `None` when there is none yet.
fn read_file(path: &Path) -> Result<Option<(u32, Material)>, KmsError> {
    let text = match crate::core::fs::read_regular_string(path, MAX_FILE_BYTES) {
        Ok(t) => t,
        Err(e) if e.is_not_found() => return Ok(None),
        Err(e) => return Err(KmsError::keyring(format!("cannot read the keyring: {e}"))),
    };
    let file: KeyringFile = serde_json::from_str(&text).map_err(|e| {
        KmsError::keyring(format!(
            "{}:{}:{}: the teaching keyring is not valid ({e}); move it aside to start a new one (data encrypted with it can then no longer be decrypted)",
            path.display(),
            e.line(),
            e.column()
        ))
    })?;
    if file.version > VERSION {
        return Err(KmsError::keyring(format!(
            "{}: keyring version {} is newer than this keyshake understands ({VERSION})",
            path.display(),
            file.version
        )));
    }
    let mut keys = Material::new();
    for (arn, versions) in file.keys {
        let mut material = Vec::with_capacity(versions.len());
        for (i, h) in versions.iter().enumerate() {
            let key = unhex(h).ok_or_else(|| {
                KmsError::keyring(format!(
                    "{}: the keyring entry for {arn} (version {}) is damaged: key material must be 64 hex digits; restore the file from a backup (data encrypted under that version cannot be decrypted without it)",
                    path.display(),
                    i + 1
                ))
            })?;
            material.push(key);
        }
        keys.insert(arn, material);
    }
    Ok(Some((file.version, keys)))
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
    if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    for (slot, chunk) in out.iter_mut().zip(text.as_bytes().chunks(2)) {
        let s = std::str::from_utf8(chunk).ok()?;
        *slot = u8::from_str_radix(s, 16).ok()?;
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
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "a new keyring is private");
        }
    }

    #[test]
    fn a_corrupt_keyring_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keyring.json");
        std::fs::write(&path, "{ not json").unwrap();
        let e = Keyring::open(&path).unwrap_err().to_string();
        assert!(e.contains("keyring.json:1:3"), "{e}");
    }

    #[test]
    fn a_damaged_entry_is_an_error_never_a_zero_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keyring.json");
        let good = "ab".repeat(32);
        for bad in [
            "zz",
            "",
            &"a".repeat(63),
            &"0".repeat(66),
            &format!("+{}", &good[1..]),
        ] {
            let text =
                format!(r#"{{"version":1,"notice":"n","keys":{{"arn:k":["{good}","{bad}"]}}}}"#);
            std::fs::write(&path, text).unwrap();
            let e = Keyring::open(&path).unwrap_err().to_string();
            assert!(e.contains("arn:k (version 2) is damaged"), "{bad:?}: {e}");
        }
    }

    #[test]
    fn saving_merges_what_another_process_added_and_refuses_a_clash() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keyring.json");
        let mut rng = rand::rngs::StdRng::seed_from_u64(2);
        let mut a = Keyring::open(&path).unwrap();
        let mut b = Keyring::open(&path).unwrap();
        a.current("arn:a", &mut rng);
        b.current("arn:b", &mut rng);
        a.save().unwrap();
        b.save().unwrap();
        let both = Keyring::open(&path).unwrap();
        assert_eq!(both.version("arn:a", 1), a.version("arn:a", 1));
        assert_eq!(both.version("arn:b", 1), b.version("arn:b", 1));
        // Both made version 1 of the same key without the lock: refused.
        let mut c = Keyring::open(&dir.path().join("none.json")).unwrap();
        c.path = Some(path.clone());
        c.current("arn:a", &mut rng);
        let e = c.save().unwrap_err().to_string();
        assert!(e.contains("version 1 of arn:a"), "{e}");
        assert_eq!(Keyring::open(&path).unwrap(), both);
    }
}
