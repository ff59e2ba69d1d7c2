//! Command-line arguments, shared by the binary and by generated completions.

pub mod eval;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// keyshake: learn to share KMS-encrypted data across AWS accounts.
///
/// With no command, opens the tutor in the terminal.
#[derive(Debug, Parser)]
#[command(name = "keyshake", version, about, long_about = None)]
pub struct Cli {
    /// Load the course from this folder instead of the built-in pack.
    #[arg(long, global = true, env = "KEYSHAKE_CONTENT", value_name = "DIR")]
    pub content: Option<PathBuf>,

    /// Keep progress in this folder instead of the default data folder.
    #[arg(long, global = true, env = "KEYSHAKE_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Draw with ASCII only (no box-drawing characters or symbols), for
    /// terminals or fonts that cannot show them.
    #[arg(long, global = true, env = "KEYSHAKE_ASCII")]
    pub ascii: bool,

    /// What to do; without one, the tutor opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Evaluate the requests of scenario files and explain each decision.
    ///
    /// Exit status: 0 when every expectation holds, 1 when one does not,
    /// 2 when a file cannot be read or is invalid.
    Eval {
        /// Scenario files (TOML).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Print one JSON document instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Show how far you are in the course, or start over.
    ///
    /// Without a subcommand, prints per lesson the sections completed and
    /// the checkpoints answered right, and the overall percentage.
    Progress {
        /// `reset` to start over.
        #[command(subcommand)]
        action: Option<ProgressCommand>,
    },
}

/// What `keyshake progress` can do besides printing the summary.
#[derive(Debug, Subcommand)]
pub enum ProgressCommand {
    /// Erase all progress. Asks first (unless --yes) and keeps a backup copy,
    /// whose path it prints.
    Reset {
        /// Do not ask for confirmation.
        #[arg(long, short)]
        yes: bool,
    },
}
