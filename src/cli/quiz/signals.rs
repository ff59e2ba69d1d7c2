//! What the plain quiz tells a signal handler: which exam is open (its
//! start time, its identity in progress), and that the process is ending,
//! so the quiz stops saving while the handler keeps the answers. The
//! binary installs the handler (it owns the process's signals); this is
//! the state both share.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

static OPEN: Mutex<Option<u64>> = Mutex::new(None);
static ENDING: AtomicBool = AtomicBool::new(false);

/// An exam started at `started_at` is open (its draft is in progress).
pub(super) fn exam_opened(started_at: u64) {
    if let Ok(mut open) = OPEN.lock() {
        *open = Some(started_at);
    }
}

/// The open exam was submitted or stopped.
pub(super) fn exam_closed() {
    if let Ok(mut open) = OPEN.lock() {
        *open = None;
    }
}

/// Marks the process as ending and returns the open exam, if any: from
/// now on the quiz saves nothing, so what the handler saves is final.
pub fn begin_ending() -> Option<u64> {
    ENDING.store(true, Ordering::SeqCst);
    OPEN.lock().ok().and_then(|open| *open)
}

/// Whether a signal is ending the process.
pub fn ending() -> bool {
    ENDING.load(Ordering::SeqCst)
}
