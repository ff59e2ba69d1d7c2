//! Work spread over the machine's cores without a thread-pool crate: `map`
//! runs a function over a list on scoped threads and returns the results
//! in the list's order, so output stays byte-identical to a serial run.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// `items.iter().map(f).collect()`, on up to as many threads as the
/// machine has cores (one item at a time each, so one slow item does not
/// hold back a whole share). One item, or one core, runs on this thread.
pub fn map<T, R, F>(items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let mut out = Vec::with_capacity(items.len());
    for_each_in_order(items, f, |r| out.push(r));
    out
}

/// [`map`]'s work, handing each result to `sink` on this thread, in the
/// list's order, as soon as it and every result before it are done: the first
/// results are used (printed, say) while the rest are computed, and each
/// is freed when `sink` is done with it rather than all at the end.
pub fn for_each_in_order<T, R, F, S>(items: &[T], f: F, sink: S)
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
    S: FnMut(R),
{
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(items.len());
    if threads <= 1 {
        items.iter().map(f).for_each(sink);
        return;
    }
    let next = &AtomicUsize::new(0);
    let f = &f;
    let (tx, rx) = mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        // This thread is one of the `threads`: it takes items too, so the
        // machine's cores are not shared by one thread more than they hold.
        for _ in 1..threads {
            let tx = tx.clone();
            scope.spawn(move || {
                while let Some((i, item)) = take(next, items) {
                    if tx.send((i, f(item))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut order = InOrder::new(sink);
        while let Some((i, item)) = take(next, items) {
            order.add(i, f(item));
            // What the other threads finished meanwhile.
            while let Ok((i, r)) = rx.try_recv() {
                order.add(i, r);
            }
        }
        for (i, r) in rx {
            order.add(i, r);
        }
    });
}

/// The next item nobody has taken yet, with its index.
fn take<'a, T>(next: &AtomicUsize, items: &'a [T]) -> Option<(usize, &'a T)> {
    let i = next.fetch_add(1, Ordering::Relaxed);
    items.get(i).map(|item| (i, item))
}

/// Results handed to a sink in their items' order, whatever order they
/// arrive in.
struct InOrder<R, S> {
    /// Results that arrived before one ahead of them.
    early: BTreeMap<usize, R>,
    due: usize,
    sink: S,
}

impl<R, S: FnMut(R)> InOrder<R, S> {
    fn new(sink: S) -> Self {
        InOrder {
            early: BTreeMap::new(),
            due: 0,
            sink,
        }
    }

    fn add(&mut self, i: usize, r: R) {
        if i != self.due {
            self.early.insert(i, r);
            return;
        }
        (self.sink)(r);
        self.due += 1;
        while let Some(r) = self.early.remove(&self.due) {
            (self.sink)(r);
            self.due += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{for_each_in_order, map};

    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<u64> = (0..500).collect();
        let out = map(&items, |n| n * n);
        assert_eq!(out, items.iter().map(|n| n * n).collect::<Vec<_>>());
        assert!(map(&[] as &[u64], |n| *n).is_empty());
        assert_eq!(map(&[7u64], |n| n + 1), vec![8]);
    }

    #[test]
    fn the_sink_sees_every_result_once_in_the_order_of_the_items() {
        // Later items finish first: the early ones are the slow ones.
        let items: Vec<u64> = (0..64).collect();
        let mut seen = Vec::new();
        for_each_in_order(
            &items,
            |n| {
                std::thread::sleep(std::time::Duration::from_micros(64 - n));
                n * 3
            },
            |r| seen.push(r),
        );
        assert_eq!(seen, items.iter().map(|n| n * 3).collect::<Vec<_>>());
        let mut none = Vec::new();
        for_each_in_order(&[] as &[u64], |n| *n, |r| none.push(r));
        assert!(none.is_empty());
        let mut one = Vec::new();
        for_each_in_order(&[7u64], |n| n + 1, |r| one.push(r));
        assert_eq!(one, vec![8]);
    }
}
