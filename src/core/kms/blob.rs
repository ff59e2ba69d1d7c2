//! The ciphertext blob the toy KMS returns from Encrypt and GenerateDataKey.
//!
//! Layout (all integers big-endian):
//!
//! | bytes | field |
//! | --- | --- |
//! | 4 | magic `KSC1` |
//! | 2 | length N of the key ARN |
//! | N | key ARN (UTF-8) |
//! | 4 | key material version |
//! | 12 | AES-GCM nonce |
//! | rest | AES-256-GCM ciphertext followed by its 16-byte tag |
//!
//! Everything before the ciphertext, plus the encryption context, is
//! authenticated data: changing any byte, or decrypting with another
//! context, fails.

use super::toy::EncryptionContext;

const MAGIC: &[u8; 4] = b"KSC1";

/// A parsed ciphertext blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiphertextBlob {
    /// The KMS key that encrypted it.
    pub key_arn: String,
    /// Which version of the key's material.
    pub version: u32,
    /// The AES-GCM nonce.
    pub nonce: [u8; 12],
    /// Ciphertext and tag.
    pub ciphertext: Vec<u8>,
}

impl CiphertextBlob {
    /// The header bytes (everything before the ciphertext).
    pub fn header(&self) -> Vec<u8> {
        let arn = self.key_arn.as_bytes();
        let mut out = Vec::with_capacity(4 + 2 + arn.len() + 4 + 12);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(arn.len() as u16).to_be_bytes());
        out.extend_from_slice(arn);
        out.extend_from_slice(&self.version.to_be_bytes());
        out.extend_from_slice(&self.nonce);
        out
    }

    /// The whole blob.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.header();
        out.extend_from_slice(&self.ciphertext);
        out
    }

    /// Reads a blob; `None` if it is not one.
    pub fn parse(bytes: &[u8]) -> Option<CiphertextBlob> {
        let rest = bytes.strip_prefix(MAGIC)?;
        let (len, rest) = rest.split_first_chunk::<2>()?;
        let len = usize::from(u16::from_be_bytes(*len));
        let arn = rest.get(..len)?;
        let rest = &rest[len..];
        let (version, rest) = rest.split_first_chunk::<4>()?;
        let (nonce, rest) = rest.split_first_chunk::<12>()?;
        if rest.len() < 16 {
            return None;
        }
        Some(CiphertextBlob {
            key_arn: String::from_utf8(arn.to_vec()).ok()?,
            version: u32::from_be_bytes(*version),
            nonce: *nonce,
            ciphertext: rest.to_vec(),
        })
    }
}

/// The additional authenticated data for a blob: its header and the
/// encryption context, each entry as `key=value` on its own line in key
/// order (a BTreeMap iterates sorted).
pub fn aad(header: &[u8], context: &EncryptionContext) -> Vec<u8> {
    let mut out = header.to_vec();
    for (k, v) in context {
        out.extend_from_slice(k.as_bytes());
        out.push(b'=');
        out.extend_from_slice(v.as_bytes());
        out.push(b'\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_garbage() {
        let b = CiphertextBlob {
            key_arn: "arn:aws:kms:us-east-1:111122223333:key/k".into(),
            version: 3,
            nonce: [7; 12],
            ciphertext: vec![1; 20],
        };
        assert_eq!(CiphertextBlob::parse(&b.to_bytes()), Some(b.clone()));
        assert_eq!(CiphertextBlob::parse(b"nope"), None);
        assert_eq!(CiphertextBlob::parse(&b.to_bytes()[..30]), None);
    }
}
