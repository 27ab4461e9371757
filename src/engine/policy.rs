//! When to try again after a dropped connection: the reconnection delay with optional
//! exponential backoff, jitter, a cap, and a limit on consecutive failures.
//!
//! The defaults are native `EventSource` behaviour: wait exactly the reconnection time, forever.
//! Randomness for jitter comes from a small generator seeded by the I/O layer, keeping the core
//! free of clocks and entropy sources (and its tests repeatable).

/// The reconnection policy, fixed at construction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReconnectPolicy {
    /// Each consecutive failure multiplies the delay by this, in thousandths (1000: no backoff).
    pub backoff_permille: u32,
    /// No delay is longer than this, in milliseconds.
    pub max_delay: u64,
    /// Up to this fraction of the delay, in thousandths, is taken off at random.
    pub jitter_permille: u32,
    /// After this many consecutive reconnections without a successful open, fail instead.
    pub max_retries: u32,
}

impl Default for ReconnectPolicy {
    fn default() -> Self {
        Self {
            backoff_permille: 1000,
            max_delay: u64::MAX,
            jitter_permille: 0,
            max_retries: u32::MAX,
        }
    }
}

impl ReconnectPolicy {
    /// The delay before reconnection attempt `failures` (1 for the first after an open), from the
    /// reconnection time `base` (spec: the event source's reconnection time).
    pub fn delay(&self, base: u64, failures: u32, random: &mut Random) -> u64 {
        let mut delay = base;
        for _ in 1..failures {
            if self.backoff_permille == 1000 || delay == 0 || delay >= self.max_delay {
                break;
            }
            delay = delay.saturating_mul(u64::from(self.backoff_permille)) / 1000;
        }
        let delay = delay.min(self.max_delay);
        if self.jitter_permille == 0 {
            return delay;
        }
        let span = delay.saturating_mul(u64::from(self.jitter_permille.min(1000))) / 1000;
        delay - random.below(span.saturating_add(1))
    }

    /// Whether attempt `failures` is past the limit.
    pub fn gives_up(&self, failures: u32) -> bool {
        failures > self.max_retries
    }
}

/// xorshift32: enough to spread clients' reconnections apart, never zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Random(u32);

impl Random {
    pub fn new(seed: u32) -> Self {
        Self(seed | 1)
    }

    /// A number in `0..bound` (0 when `bound` is 0).
    pub fn below(&mut self, bound: u64) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.0 = x;
        if bound == 0 {
            0
        } else {
            u64::from(x) % bound
        }
    }
}
