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
            delay = per_mille(delay, self.backoff_permille);
        }
        let delay = delay.min(self.max_delay);
        if self.jitter_permille == 0 {
            return delay;
        }
        let span = per_mille(delay, self.jitter_permille.min(1000));
        delay - random.below(span.saturating_add(1))
    }

    /// Whether attempt `failures` is past the limit.
    pub fn gives_up(&self, failures: u32) -> bool {
        failures > self.max_retries
    }
}

/// `value * permille / 1000`, saturating: the division is a multiplication by 2^68 / 1000 rounded
/// up and a shift (exact for every u64: Granlund-Montgomery, as compilers divide by constants),
/// since wasm2js turns a 64-bit division into a long helper function.
fn per_mille(value: u64, permille: u32) -> u64 {
    let product = value.saturating_mul(u64::from(permille));
    ((u128::from(product >> 3) * 0x20C4_9BA5_E353_F7CF) >> 68) as u64
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
        // `x` is below 2^32: a bigger bound leaves it as it is, a smaller one fits 32 bits. No
        // 64-bit division, which wasm2js (the legacy build) turns into a long helper function.
        if bound == 0 {
            0
        } else if bound > u64::from(x) {
            u64::from(x)
        } else {
            u64::from(x % bound as u32)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_mille_divides_exactly() {
        let mut random = Random::new(7);
        let mut values = vec![0, 1, 999, 1000, 1001, u64::MAX, u64::MAX - 999, 1 << 63];
        for _ in 0..100_000 {
            let high = random.below(u64::from(u32::MAX) + 1);
            let low = random.below(u64::from(u32::MAX) + 1);
            let value = high << 32 | low;
            values.extend([
                value,
                value >> (high % 64),
                (value / 1000) * 1000,
                (value / 1000) * 1000 + 999,
            ]);
        }
        for value in values {
            for permille in [0, 1, 999, 1000, 1500, u32::MAX] {
                assert_eq!(
                    per_mille(value, permille),
                    value.saturating_mul(u64::from(permille)) / 1000,
                    "{value} * {permille}"
                );
            }
        }
    }

    #[test]
    fn below_is_the_remainder() {
        for seed in 0..2000u32 {
            for bound in [
                0,
                1,
                2,
                3,
                1000,
                u64::from(u32::MAX),
                u64::from(u32::MAX) + 1,
                u64::MAX,
            ] {
                let (mut a, mut b) = (Random::new(seed), Random::new(seed));
                let x = {
                    b.below(0);
                    u64::from(b.0)
                };
                let expected = if bound == 0 { 0 } else { x % bound };
                assert_eq!(a.below(bound), expected, "seed {seed}, bound {bound}");
            }
        }
    }
}
