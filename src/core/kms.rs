//! A toy AWS KMS for teaching envelope encryption, with real cryptography
//! (AES-256-GCM from RustCrypto's `aes-gcm`) and every call authorised by
//! the policy engine, so a role in another account gets the same ALLOW/DENY
//! and the same explanation as in the labs.
//!
//! - [`keyring`]: 256-bit key material per key and version, kept in the
//!   learner's data folder (a *teaching* keyring: never for real secrets).
//! - [`blob`]: the ciphertext blob KMS returns; it names the key and the key
//!   material version that encrypted it.
//! - [`toy`]: Encrypt (at most 4,096 bytes, as KMS), Decrypt,
//!   GenerateDataKey(WithoutPlaintext), ReEncrypt and rotation.
//! - [`envelope`]: envelope encryption of data of any size, and its file
//!   format.

pub mod blob;
pub mod envelope;
pub mod keyring;
pub mod toy;
pub mod walkthrough;

pub use envelope::{open, open_with_data_key, seal, seal_with_data_key};
pub use keyring::Keyring;
pub use toy::{DataKey, EncryptionContext, KmsError, MAX_CONTEXT_CHARS, ToyKms, check_context};
