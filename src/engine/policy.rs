//! When to try again after a dropped connection: the reconnection delay with optional
//! exponential backoff, jitter, a cap, and a limit on consecutive failures.
//!
//! The defaults are native `EventSource` behaviour: wait exactly the reconnection time, forever.
//! Randomness for jitter comes from a small generator seeded by the I/O layer, keeping the core
//! free of clocks and entropy sources (and its tests repeatable).

/// 1.0 in the millionths [`ReconnectPolicy::backoff_millionths`] counts in.
pub const FACTOR_ONE: u32 = 1_000_000;

/// The reconnection policy, fixed at construction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReconnectPolicy {
    /// Each consecutive failure multiplies the delay by this, in millionths ([`FACTOR_ONE`]: no
    /// backoff; factors below 1 are taken as 1, so a delay never shrinks).
    pub backoff_millionths: u32,
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
            backoff_millionths: FACTOR_ONE,
            max_delay: u64::MAX,
            jitter_permille: 0,
            max_retries: u32::MAX,
        }
    }
}

impl ReconnectPolicy {
    /// The delay before reconnection attempt `failures` (1 for the first after an open), from the
    /// reconnection time `base` (spec: the event source's reconnection time): `base` times the
    /// factor `failures - 1` times, capped, less the jitter, in whole milliseconds (floored).
    ///
    /// With backoff or jitter, computed in double precision, as a page's JavaScript would compute
    /// it: exact while the delay stays below 2^53 ms (far past any timer), and saturating at
    /// `u64::MAX`; without either, the reconnection time as it is, capped. Integer
    /// arithmetic would need 64-bit division, which wasm2js (the legacy build) turns into long
    /// helper functions.
    // A body of its own: inlined into the failure path it deflates worse.
    #[inline(never)]
    pub fn delay(&self, base: u64, failures: u32, random: &mut Random) -> u64 {
        let factor = f64::from(self.backoff_millionths) / f64::from(FACTOR_ONE);
        // Native's behaviour, exactly: the reconnection time as it is (past 2^53 ms too).
        if factor <= 1.0 && self.jitter_permille == 0 {
            return base.min(self.max_delay);
        }
        let cap = self.max_delay as f64;
        let mut delay = base as f64;
        if factor > 1.0 {
            for _ in 1..failures {
                // No work past the cap, or on a delay of 0.
                if delay >= cap || delay == 0.0 {
                    break;
                }
                delay *= factor;
            }
        }
        let delay = delay.min(cap);
        // Jitter: up to its fraction of the delay is taken off, uniformly, before the one floor
        // (as `setTimeout(f, delay - Math.random() * delay * jitter)` would).
        let jitter = f64::from(self.jitter_permille.min(1000)) / 1000.0;
        (delay - random.fraction() * delay * jitter) as u64
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

    /// The next number of the sequence.
    pub fn next_u32(&mut self) -> u32 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.0 = x;
        x
    }

    /// A fraction in `0.0..1.0`, in steps of 2^-32.
    pub fn fraction(&mut self) -> f64 {
        f64::from(self.next_u32()) / 4_294_967_296.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backoff(factor: u32, max_delay: u64) -> ReconnectPolicy {
        ReconnectPolicy {
            backoff_millionths: factor,
            max_delay,
            ..ReconnectPolicy::default()
        }
    }

    fn delays(policy: ReconnectPolicy, base: u64, attempts: u32) -> std::vec::Vec<u64> {
        let mut random = Random::new(1);
        (1..=attempts)
            .map(|failures| policy.delay(base, failures, &mut random))
            .collect()
    }

    #[test]
    fn small_factors_compound() {
        // 500 ms x 1.001 per failure: 500.5, 501.0005, ... floored only when reported.
        let grown = delays(backoff(1_001_000, u64::MAX), 500, 1001);
        assert_eq!(&grown[..4], &[500, 500, 501, 501]);
        assert!(
            grown.windows(2).all(|pair| pair[0] <= pair[1]),
            "never shrinks"
        );
        // 500 * 1.001^1000 = 1358.4...
        assert_eq!(grown[1000], 1358);
        // The smallest factor above 1 compounds too: 1000 ms x 1.000001^700000 = 2013.75... ms.
        let tiny = backoff(FACTOR_ONE + 1, u64::MAX);
        let exact = 1000.0 * 1.000_001f64.powi(700_000);
        let got = tiny.delay(1000, 700_001, &mut Random::new(1));
        assert!(
            got as f64 <= exact && got as f64 > exact - 2.0,
            "{got} vs {exact}"
        );
    }

    #[test]
    fn doubling_is_exact() {
        let doubled = delays(backoff(2 * FACTOR_ONE, u64::MAX), 3000, 6);
        assert_eq!(doubled, [3000, 6000, 12000, 24000, 48000, 96000]);
        let odd = delays(backoff(1_500_000, u64::MAX), 333, 4);
        assert_eq!(odd, [333, 499, 749, 1123], "333 x 1.5^n, floored once");
    }

    #[test]
    fn without_backoff_or_jitter_any_reconnection_time_is_kept_exactly() {
        let mut random = Random::new(1);
        for base in [0, 1, (1 << 53) + 1, u64::MAX - 1, u64::MAX] {
            assert_eq!(ReconnectPolicy::default().delay(base, 7, &mut random), base);
            let capped = backoff(FACTOR_ONE, u64::MAX - 2);
            assert_eq!(capped.delay(base, 1, &mut random), base.min(u64::MAX - 2));
        }
    }

    #[test]
    fn no_backoff_and_factors_below_one() {
        assert_eq!(delays(ReconnectPolicy::default(), 3000, 5), [3000; 5]);
        assert_eq!(delays(backoff(500_000, u64::MAX), 3000, 5), [3000; 5]);
        assert_eq!(delays(backoff(0, u64::MAX), 3000, 3), [3000; 3]);
        assert_eq!(delays(backoff(2 * FACTOR_ONE, u64::MAX), 0, 3), [0; 3]);
    }

    #[test]
    fn cap_is_respected() {
        let capped = delays(backoff(3 * FACTOR_ONE, 10_000), 1000, 5);
        assert_eq!(capped, [1000, 3000, 9000, 10_000, 10_000]);
        // A base above the cap is capped from the first attempt.
        assert_eq!(delays(backoff(FACTOR_ONE, 50), 1000, 2), [50, 50]);
        // Many failures with a cap stop at it at once (no overflow, no long loop past it).
        let policy = backoff(u32::MAX, 60_000);
        assert_eq!(policy.delay(1, u32::MAX, &mut Random::new(1)), 60_000);
    }

    #[test]
    fn huge_values_saturate() {
        let policy = backoff(u32::MAX, u64::MAX);
        let mut random = Random::new(1);
        assert_eq!(policy.delay(u64::MAX, 2, &mut random), u64::MAX);
        assert_eq!(policy.delay(u64::MAX, 1, &mut random), u64::MAX);
        assert_eq!(policy.delay(1 << 40, 3, &mut random), u64::MAX);
        assert_eq!(policy.delay(1000, 1000, &mut random), u64::MAX);
        // Exact up to 2^53 ms, and past it only rounded (to 53 bits), never wrapped.
        let doubling = backoff(2 * FACTOR_ONE, u64::MAX);
        let edge = 1 << 52;
        assert_eq!(doubling.delay(edge - 1, 2, &mut random), 2 * edge - 2);
        assert_eq!(doubling.delay(u64::MAX / 2 + 1, 2, &mut random), u64::MAX);
        let big = doubling.delay(1 << 60, 3, &mut random);
        assert_eq!(big, 1 << 62);
        // Jitter on a saturated delay takes off no more than its fraction.
        let jittery = ReconnectPolicy {
            jitter_permille: 500,
            ..policy
        };
        assert!((0..50).all(|_| jittery.delay(1000, 100, &mut random) >= u64::MAX / 2));
    }

    #[test]
    fn jitter_takes_off_up_to_its_fraction() {
        for (permille, delay) in [(1000, 10), (500, 1000), (100, 3001), (1, 999), (1000, 0)] {
            let policy = ReconnectPolicy {
                jitter_permille: permille,
                ..ReconnectPolicy::default()
            };
            // The delay less its fraction, floored: 3001 less 10% is 2700.9, so 2700.
            let lowest = delay * u64::from(1000 - permille) / 1000;
            let mut seen = std::collections::BTreeSet::new();
            let mut random = Random::new(permille);
            for _ in 0..20_000 {
                let got = policy.delay(delay, 1, &mut random);
                assert!(
                    (lowest..=delay).contains(&got),
                    "{got} for {delay} less {permille}‰"
                );
                seen.insert(got);
            }
            // Every whole millisecond from the lowest up comes up; the delay itself only when no
            // jitter applies, as any jitter takes off more than nothing.
            let expected = (delay - lowest).max(1);
            assert_eq!(seen.len() as u64, expected, "{permille}‰ of {delay}");
        }
        // Above 1000‰ is 1000‰: the delay never goes below 0.
        let policy = ReconnectPolicy {
            jitter_permille: u32::MAX,
            ..ReconnectPolicy::default()
        };
        let mut random = Random::new(5);
        assert!((0..1000).all(|_| policy.delay(10, 1, &mut random) <= 10));
    }
}
