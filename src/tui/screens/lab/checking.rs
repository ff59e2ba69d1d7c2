//! Re-checking the goals off the key path. A check that took longer than
//! [`BUDGET`] last time runs on a thread of its own the next time: the
//! screen says "still evaluating…", keeps reading keys, and takes the
//! result when it comes (a newer edit's check replaces an older one's).
//! Quick checks stay on the key path, so each key shows its verdict at
//! once.

use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

use crate::core::lab::{CheckJob, CheckResult};

/// A check slower than this moves off the key path.
pub const BUDGET: Duration = Duration::from_millis(40);
/// How often a running check is looked at.
const POLL: Duration = Duration::from_millis(25);

/// The state of the goal checks.
#[derive(Debug)]
pub struct Checking {
    running: Option<(Receiver<CheckResult>, Instant)>,
    /// How long the last check took.
    last: Duration,
    budget: Duration,
}

impl Default for Checking {
    fn default() -> Self {
        Checking {
            running: None,
            last: Duration::ZERO,
            budget: BUDGET,
        }
    }
}

impl Checking {
    /// Whether the next check should run off the key path.
    pub fn slow(&self) -> bool {
        self.last > self.budget
    }

    /// Sets the budget (tests use zero to see the threaded path).
    pub fn set_budget(&mut self, budget: Duration) {
        self.budget = budget;
    }

    /// Records how long a check on the key path took.
    pub fn took(&mut self, spent: Duration) {
        self.last = spent;
    }

    /// Starts `job` on its own thread (a running one is dropped: its
    /// result would be older than the texts).
    pub fn start(&mut self, job: CheckJob) {
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let _ = tx.send(job.run());
        });
        self.running = Some((rx, Instant::now()));
    }

    /// A check is running.
    pub fn busy(&self) -> bool {
        self.running.is_some()
    }

    /// The result of the running check, once it is done.
    pub fn poll(&mut self) -> Option<CheckResult> {
        let (rx, started) = self.running.as_ref()?;
        match rx.try_recv() {
            Ok(result) => {
                self.last = started.elapsed();
                self.running = None;
                Some(result)
            }
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                self.running = None;
                None
            }
        }
    }

    /// When to look at a running check again.
    pub fn deadline(&self) -> Option<Instant> {
        self.running.as_ref().map(|_| Instant::now() + POLL)
    }
}
