//! Envelope encryption of data of any size, and its file format.
//!
//! `seal` asks KMS for a data key (GenerateDataKey), encrypts the data
//! locally with AES-256-GCM, drops the plaintext key and stores the
//! encrypted data key beside the ciphertext. `open` asks KMS to decrypt the
//! data key (Decrypt) and decrypts the data locally.
//!
//! File layout (integers big-endian):
//!
//! | bytes | field |
//! | --- | --- |
//! | 8 | magic `KSHKENV1` |
//! | 4 | header length H |
//! | H | header: 2-byte count of context entries, each as 2-byte length + key, 2-byte length + value; then 4-byte length + the encrypted data key (a ciphertext blob, see [`super::blob`]); then the 12-byte nonce |
//! | rest | the data, AES-256-GCM encrypted under the data key, with the 16-byte tag at the end |
//!
//! The magic and the whole header are authenticated with the data, so
//! changing any bit of the file makes `open` fail.

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::{Aes256Gcm, Key, Nonce, Tag};

use super::toy::{DataKey, EncryptionContext, KmsError, ToyKms, check_context};
use crate::core::policy::principal::Caller;

const MAGIC: &[u8; 8] = b"KSHKENV1";

/// The parts of an envelope file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// The encryption context both the data key and the data are bound to.
    pub context: EncryptionContext,
    /// The data key, encrypted under the KMS key.
    pub encrypted_data_key: Vec<u8>,
    /// The nonce of the data encryption.
    pub nonce: [u8; 12],
    /// The encrypted data and its tag.
    pub ciphertext: Vec<u8>,
}

impl Envelope {
    /// The header bytes. Lengths fit their fields for every context that
    /// passed [`check_context`] (at most 8,192 characters, so at most 32 KiB
    /// of UTF-8) and for every parsed file (read from those fields).
    fn header(&self) -> Vec<u8> {
        let mut h = Vec::new();
        h.extend_from_slice(&(self.context.len() as u16).to_be_bytes());
        for (k, v) in &self.context {
            for s in [k, v] {
                h.extend_from_slice(&(s.len() as u16).to_be_bytes());
                h.extend_from_slice(s.as_bytes());
            }
        }
        h.extend_from_slice(&(self.encrypted_data_key.len() as u32).to_be_bytes());
        h.extend_from_slice(&self.encrypted_data_key);
        h.extend_from_slice(&self.nonce);
        h
    }

    /// The file bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let header = self.header();
        let mut out = Vec::with_capacity(12 + header.len() + self.ciphertext.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(header.len() as u32).to_be_bytes());
        out.extend_from_slice(&header);
        out.extend_from_slice(&self.ciphertext);
        out
    }

    /// Reads an envelope file.
    pub fn parse(bytes: &[u8]) -> Result<Envelope, KmsError> {
        let (mut envelope, body) = Envelope::parse_header(bytes)?;
        envelope.ciphertext = body.to_vec();
        Ok(envelope)
    }

    /// Reads the header; returns it (with an empty `ciphertext`) and the
    /// encrypted data with its tag, borrowed.
    fn parse_header(bytes: &[u8]) -> Result<(Envelope, &[u8]), KmsError> {
        let bad = |what: &str| {
            KmsError::InvalidCiphertext(format!("not a keyshake envelope file: {what}"))
        };
        let rest = bytes
            .strip_prefix(MAGIC)
            .ok_or_else(|| bad("it does not start with KSHKENV1"))?;
        let (len, rest) = rest
            .split_first_chunk::<4>()
            .ok_or_else(|| bad("it ends in its header"))?;
        let len = u32::from_be_bytes(*len) as usize;
        let header = rest
            .get(..len)
            .ok_or_else(|| bad("it ends in its header"))?;
        let body = &rest[len..];
        let mut h = header;
        let mut take = |n: usize| -> Result<&[u8], KmsError> {
            let (a, b) = h
                .split_at_checked(n)
                .ok_or_else(|| bad("its header is cut short"))?;
            h = b;
            Ok(a)
        };
        let count = u16::from_be_bytes([take(1)?[0], take(1)?[0]]);
        let mut context = EncryptionContext::new();
        for _ in 0..count {
            let mut pair = Vec::with_capacity(2);
            for _ in 0..2 {
                let n = u16::from_be_bytes([take(1)?[0], take(1)?[0]]) as usize;
                let s =
                    std::str::from_utf8(take(n)?).map_err(|_| bad("its context is not UTF-8"))?;
                pair.push(s.to_string());
            }
            context.insert(pair[0].clone(), pair[1].clone());
        }
        let n = take(4)?;
        let n = u32::from_be_bytes([n[0], n[1], n[2], n[3]]) as usize;
        let encrypted_data_key = take(n)?.to_vec();
        let mut nonce = [0u8; 12];
        nonce.copy_from_slice(take(12)?);
        if body.len() < 16 {
            return Err(bad("it has no room for its authentication tag"));
        }
        Ok((
            Envelope {
                context,
                encrypted_data_key,
                nonce,
                ciphertext: Vec::new(),
            },
            body,
        ))
    }
}

fn aad(envelope: &Envelope) -> Vec<u8> {
    let mut a = MAGIC.to_vec();
    a.extend_from_slice(&envelope.header());
    a
}

/// Encrypts `plaintext` of any size under a fresh data key from `key`.
pub fn seal(
    kms: &mut ToyKms,
    caller: &Caller,
    key: &str,
    plaintext: &[u8],
    context: &EncryptionContext,
    rng: &mut impl rand::CryptoRng,
) -> Result<Vec<u8>, KmsError> {
    check_context(context)?;
    let data_key = kms.generate_data_key(caller, key, context, rng)?;
    let mut nonce = [0u8; 12];
    rng.fill_bytes(&mut nonce);
    let out = seal_with_data_key(&data_key, context, nonce, plaintext);
    // `data_key` is dropped here, which wipes its plaintext copy.
    drop(data_key);
    out
}

/// The local half of sealing, with no KMS call: encrypts `plaintext` with
/// the plaintext copy of `data_key` (AES-256-GCM, `nonce` fresh for every
/// file) and returns the envelope file, whose header holds the encrypted
/// copy of the data key. The caller drops `data_key` afterwards.
pub fn seal_with_data_key(
    data_key: &DataKey,
    context: &EncryptionContext,
    nonce: [u8; 12],
    plaintext: &[u8],
) -> Result<Vec<u8>, KmsError> {
    check_context(context)?;
    let envelope = Envelope {
        context: context.clone(),
        encrypted_data_key: data_key.ciphertext_blob.clone(),
        nonce,
        ciphertext: Vec::new(),
    };
    let header = envelope.header();
    // One buffer, encrypted in place: magic, header length, header, data, tag.
    let mut out = Vec::with_capacity(12 + header.len() + plaintext.len() + 16);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(header.len() as u32).to_be_bytes());
    out.extend_from_slice(&header);
    let data_start = out.len();
    out.extend_from_slice(plaintext);
    let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(data_key.plaintext));
    let tag = cipher
        .encrypt_inout_detached(
            &Nonce::from(envelope.nonce),
            &aad(&envelope),
            (&mut out[data_start..]).into(),
        )
        .map_err(|_| {
            KmsError::Validation("the data is too large for AES-GCM (64 GB)".to_string())
        })?;
    out.extend_from_slice(&tag);
    Ok(out)
}

/// Decrypts an envelope file: KMS decrypts the data key (authorised for
/// `caller`), then the data is decrypted locally.
pub fn open(kms: &mut ToyKms, caller: &Caller, file: &[u8]) -> Result<Vec<u8>, KmsError> {
    let (envelope, body) = Envelope::parse_header(file)?;
    let (_, mut key) = kms.decrypt(caller, &envelope.encrypted_data_key, &envelope.context)?;
    let out = decrypt_body(&envelope, body, &key);
    key.fill(0);
    out
}

/// The local half of opening, with no KMS call: decrypts the data of an
/// envelope file with the plaintext data key that KMS Decrypt returned for
/// its encrypted data key.
pub fn open_with_data_key(file: &[u8], data_key: &[u8]) -> Result<Vec<u8>, KmsError> {
    let (envelope, body) = Envelope::parse_header(file)?;
    decrypt_body(&envelope, body, data_key)
}

fn decrypt_body(envelope: &Envelope, body: &[u8], key: &[u8]) -> Result<Vec<u8>, KmsError> {
    let key: &[u8; 32] = key
        .try_into()
        .map_err(|_| KmsError::InvalidCiphertext("the data key is not 32 bytes".to_string()))?;
    let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(*key));
    let (data, tag) = body.split_at(body.len() - 16);
    let tag = Tag::try_from(tag)
        .map_err(|_| KmsError::InvalidCiphertext("the envelope has no tag".to_string()))?;
    let mut out = data.to_vec();
    cipher
        .decrypt_inout_detached(
            &Nonce::from(envelope.nonce),
            &aad(envelope),
            out.as_mut_slice().into(),
            &tag,
        )
        .map_err(|_| {
            KmsError::InvalidCiphertext(
                "the envelope does not authenticate: the file was changed after it was sealed"
                    .to_string(),
            )
        })?;
    Ok(out)
}
