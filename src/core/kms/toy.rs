//! The toy KMS operations, each authorised by the policy engine first.

use std::collections::BTreeMap;
use std::fmt;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};

use super::blob::{CiphertextBlob, aad};
use super::keyring::Keyring;
use crate::core::eval::{Outcome, evaluate};
use crate::core::policy::condition::ContextValue;
use crate::core::policy::principal::Caller;
use crate::core::world::{Reason, Request, Verdict, World};

/// Encryption context: non-secret key/value pairs bound to a ciphertext.
pub type EncryptionContext = BTreeMap<String, String>;

/// The most plaintext KMS Encrypt accepts (AWS KMS API reference, Encrypt).
pub const MAX_ENCRYPT_BYTES: usize = 4096;

/// The longest encryption context KMS accepts: all keys and values
/// together, in characters (AWS KMS Developer Guide, encryption context).
pub const MAX_CONTEXT_CHARS: usize = 8192;

/// Refuses an encryption context KMS would reject: longer than
/// [`MAX_CONTEXT_CHARS`] in total, or with an empty key. It also keeps
/// every length within the envelope header's 2-byte fields.
pub fn check_context(context: &EncryptionContext) -> Result<(), KmsError> {
    if context.keys().any(String::is_empty) {
        return Err(KmsError::Validation(
            "an encryption context key is empty; write NAME=VALUE with a name".to_string(),
        ));
    }
    let total: usize = context
        .iter()
        .map(|(k, v)| k.chars().count() + v.chars().count())
        .sum();
    if total > MAX_CONTEXT_CHARS {
        return Err(KmsError::Validation(format!(
            "the encryption context has {total} characters; KMS accepts at most {MAX_CONTEXT_CHARS} (all keys and values together)"
        )));
    }
    Ok(())
}

/// Why a toy KMS call failed, in KMS's own exception names.
#[derive(Debug, thiserror::Error)]
pub enum KmsError {
    /// The policy engine denied the call; `explanation` says why.
    #[error("AccessDeniedException: {action} denied. {explanation}")]
    AccessDenied {
        /// The KMS action, e.g. `kms:Decrypt`.
        action: String,
        /// The engine's decision.
        outcome: Box<Outcome>,
        /// The engine's sentence.
        explanation: String,
    },
    /// The key could not be found from the caller's side.
    #[error("NotFoundException: {0}")]
    NotFound(String),
    /// A request KMS would reject before authorisation (plaintext too big,
    /// encryption context too long).
    #[error("ValidationException: {0}")]
    Validation(String),
    /// The blob is damaged, was made by another key, or the encryption
    /// context differs.
    #[error("InvalidCiphertextException: {0}")]
    InvalidCiphertext(String),
    /// The keyring file could not be read or written, or is damaged.
    #[error("keyring: {message}")]
    Keyring {
        /// What went wrong, with the file's path (and line:column for a
        /// parse error).
        message: String,
        /// The operating system's error, when there was one.
        #[source]
        source: Option<std::io::Error>,
    },
}

impl KmsError {
    /// A keyring problem without an underlying I/O error.
    pub fn keyring(message: impl Into<String>) -> Self {
        KmsError::Keyring {
            message: message.into(),
            source: None,
        }
    }

    /// A keyring problem caused by the operating system.
    pub fn keyring_io(message: impl Into<String>, source: std::io::Error) -> Self {
        KmsError::Keyring {
            message: message.into(),
            source: Some(source),
        }
    }
}

/// A data key from GenerateDataKey: the plaintext copy (use it, then drop
/// it) and the copy encrypted under the KMS key (store it with the data).
pub struct DataKey {
    /// The key to encrypt data with locally.
    pub plaintext: [u8; 32],
    /// The same key encrypted under the KMS key.
    pub ciphertext_blob: Vec<u8>,
    /// The KMS key's ARN.
    pub key_arn: String,
}

impl Drop for DataKey {
    fn drop(&mut self) {
        // Discard the plaintext key, as the envelope pattern asks.
        self.plaintext = [0; 32];
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DataKey")
            .field("plaintext", &"<32 bytes, not shown>")
            .field("key_arn", &self.key_arn)
            .finish()
    }
}

/// A toy KMS over one scenario's world and a keyring.
pub struct ToyKms<'a> {
    world: &'a World,
    keyring: &'a mut Keyring,
}

impl<'a> ToyKms<'a> {
    /// KMS for the keys of `world`, with material from `keyring`.
    pub fn new(world: &'a World, keyring: &'a mut Keyring) -> Self {
        ToyKms { world, keyring }
    }

    /// What the policy engine decides for `caller` calling `action` on
    /// `key`, and its one-sentence explanation, without making the call
    /// (a screen shows the sentence of an allowed call too).
    pub fn check(
        &self,
        caller: &Caller,
        action: &str,
        key: &str,
        context: &EncryptionContext,
    ) -> (Outcome, String) {
        let request = Request {
            name: None,
            caller: caller.clone(),
            action: action.to_string(),
            resource: key.to_string(),
            context: context
                .iter()
                .map(|(k, v)| {
                    let written = format!("kms:EncryptionContext:{k}");
                    (
                        written.to_ascii_lowercase(),
                        written,
                        ContextValue::String(v.clone()),
                    )
                })
                .collect(),
            expect: None,
            expect_reason: None,
            line: 0,
        };
        let outcome = evaluate(self.world, &request);
        let explanation = outcome.explain(self.world, caller);
        (outcome, explanation)
    }

    /// Asks the policy engine; returns the key ARN the name resolved to.
    fn authorise(
        &self,
        caller: &Caller,
        action: &str,
        key: &str,
        context: &EncryptionContext,
    ) -> Result<String, KmsError> {
        // KMS validates the request before it authorises it, and nothing
        // (no key material) may be created for a request it will refuse.
        check_context(context)?;
        let (outcome, explanation) = self.check(caller, action, key, context);
        match (outcome.verdict, outcome.reason, &outcome.resolved) {
            (Verdict::Allow, _, Some(arn)) => Ok(arn.clone()),
            (_, Reason::NotFound, _) => Err(KmsError::NotFound(explanation)),
            _ => Err(KmsError::AccessDenied {
                action: action.to_string(),
                outcome: Box::new(outcome),
                explanation,
            }),
        }
    }

    fn seal(
        &mut self,
        key_arn: &str,
        plaintext: &[u8],
        context: &EncryptionContext,
        rng: &mut impl rand::CryptoRng,
    ) -> Result<Vec<u8>, KmsError> {
        let (version, material) = self.keyring.current(key_arn, rng);
        let mut nonce = [0u8; 12];
        rng.fill_bytes(&mut nonce);
        let mut blob = CiphertextBlob {
            key_arn: key_arn.to_string(),
            version,
            nonce,
            ciphertext: Vec::new(),
        };
        let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(material));
        let aad = aad(&blob.header(), context);
        blob.ciphertext = cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: plaintext,
                    aad: &aad,
                },
            )
            .map_err(|_| KmsError::Validation("the data is too large for AES-GCM".to_string()))?;
        Ok(blob.to_bytes())
    }

    fn unseal(
        &self,
        blob: &CiphertextBlob,
        context: &EncryptionContext,
    ) -> Result<Vec<u8>, KmsError> {
        let material = self.keyring.version(&blob.key_arn, blob.version).ok_or_else(|| {
            KmsError::InvalidCiphertext(format!(
                "the keyring has no version {} of {}: this ciphertext was made with another keyring",
                blob.version, blob.key_arn
            ))
        })?;
        let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(material));
        let aad = aad(&blob.header(), context);
        cipher
            .decrypt(&Nonce::from(blob.nonce), Payload { msg: &blob.ciphertext, aad: &aad })
            .map_err(|_| {
                KmsError::InvalidCiphertext(
                    "the ciphertext does not authenticate: it was changed, or the encryption context differs from the one used to encrypt".to_string(),
                )
            })
    }

    /// KMS Encrypt: at most 4,096 bytes of plaintext.
    pub fn encrypt(
        &mut self,
        caller: &Caller,
        key: &str,
        plaintext: &[u8],
        context: &EncryptionContext,
        rng: &mut impl rand::CryptoRng,
    ) -> Result<Vec<u8>, KmsError> {
        if plaintext.len() > MAX_ENCRYPT_BYTES {
            return Err(KmsError::Validation(format!(
                "plaintext is {} bytes, but Encrypt accepts at most {MAX_ENCRYPT_BYTES}; for larger data ask for a data key (GenerateDataKey) and encrypt locally: envelope encryption",
                plaintext.len()
            )));
        }
        let arn = self.authorise(caller, "kms:Encrypt", key, context)?;
        self.seal(&arn, plaintext, context, rng)
    }

    /// KMS Decrypt: the key comes from the blob; returns (key ARN, plaintext).
    pub fn decrypt(
        &mut self,
        caller: &Caller,
        blob: &[u8],
        context: &EncryptionContext,
    ) -> Result<(String, Vec<u8>), KmsError> {
        let parsed = CiphertextBlob::parse(blob).ok_or_else(|| {
            KmsError::InvalidCiphertext(
                "this is not a ciphertext blob from keyshake's KMS".to_string(),
            )
        })?;
        let arn = self.authorise(caller, "kms:Decrypt", &parsed.key_arn, context)?;
        let plaintext = self.unseal(&parsed, context)?;
        Ok((arn, plaintext))
    }

    /// KMS GenerateDataKey: a fresh 256-bit data key, in plaintext and
    /// encrypted under `key`.
    pub fn generate_data_key(
        &mut self,
        caller: &Caller,
        key: &str,
        context: &EncryptionContext,
        rng: &mut impl rand::CryptoRng,
    ) -> Result<DataKey, KmsError> {
        let arn = self.authorise(caller, "kms:GenerateDataKey", key, context)?;
        let mut plaintext = [0u8; 32];
        rng.fill_bytes(&mut plaintext);
        let ciphertext_blob = self.seal(&arn, &plaintext, context, rng)?;
        Ok(DataKey {
            plaintext,
            ciphertext_blob,
            key_arn: arn,
        })
    }

    /// KMS GenerateDataKeyWithoutPlaintext: only the encrypted copy, for a
    /// component that must never see the plaintext key.
    pub fn generate_data_key_without_plaintext(
        &mut self,
        caller: &Caller,
        key: &str,
        context: &EncryptionContext,
        rng: &mut impl rand::CryptoRng,
    ) -> Result<Vec<u8>, KmsError> {
        let arn = self.authorise(caller, "kms:GenerateDataKeyWithoutPlaintext", key, context)?;
        let mut key = DataKey {
            plaintext: [0; 32],
            ciphertext_blob: Vec::new(),
            key_arn: arn,
        };
        rng.fill_bytes(&mut key.plaintext);
        key.ciphertext_blob = self.seal(&key.key_arn.clone(), &key.plaintext, context, rng)?;
        // Dropping `key` wipes the plaintext copy.
        Ok(std::mem::take(&mut key.ciphertext_blob))
    }

    /// KMS ReEncrypt: decrypts under the blob's key (kms:ReEncryptFrom) and
    /// encrypts under `destination` (kms:ReEncryptTo) without the plaintext
    /// leaving KMS.
    pub fn re_encrypt(
        &mut self,
        caller: &Caller,
        blob: &[u8],
        source_context: &EncryptionContext,
        destination: &str,
        destination_context: &EncryptionContext,
        rng: &mut impl rand::CryptoRng,
    ) -> Result<Vec<u8>, KmsError> {
        let parsed = CiphertextBlob::parse(blob).ok_or_else(|| {
            KmsError::InvalidCiphertext(
                "this is not a ciphertext blob from keyshake's KMS".to_string(),
            )
        })?;
        self.authorise(caller, "kms:ReEncryptFrom", &parsed.key_arn, source_context)?;
        let arn = self.authorise(caller, "kms:ReEncryptTo", destination, destination_context)?;
        let plaintext = self.unseal(&parsed, source_context)?;
        self.seal(&arn, &plaintext, destination_context, rng)
    }

    /// Rotates `key` now (RotateKeyOnDemand): new material for new
    /// ciphertexts; the key ID, ARN and policy stay; old ciphertexts still
    /// decrypt. Returns the new material version.
    pub fn rotate(
        &mut self,
        caller: &Caller,
        key: &str,
        rng: &mut impl rand::CryptoRng,
    ) -> Result<u32, KmsError> {
        let arn = self.authorise(
            caller,
            "kms:RotateKeyOnDemand",
            key,
            &EncryptionContext::new(),
        )?;
        Ok(self.keyring.rotate(&arn, rng))
    }
}
