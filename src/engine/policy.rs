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
    /// reconnection time `base` (spec: the event source's reconnection time).
    // A body of its own: inlined into the failure path it deflates worse.
    #[inline(never)]
    pub fn delay(&self, base: u64, failures: u32, random: &mut Random) -> u64 {
        let delay = self.backoff(base, failures).min(self.max_delay);
        if self.jitter_permille == 0 {
            return delay;
        }
        let span = per_mille(delay, self.jitter_permille.min(1000));
        delay - random.below(span.saturating_add(1))
    }

    /// `base` times the factor `failures - 1` times, saturating, uncapped (but no work past the cap).
    fn backoff(&self, base: u64, failures: u32) -> u64 {
        let one = u64::from(FACTOR_ONE);
        let factor = u64::from(self.backoff_millionths);
        if failures <= 1 || factor <= one || base == 0 {
            return base;
        }
        // The delay is kept in millionths of a millisecond, the factor's own precision: each step
        // floors away less than a millionth of a millisecond (flooring whole milliseconds each
        // step kept 500 ms x 1.001 at 500 forever), and exact products (x 2.0) stay exact. Past
        // u64 millionths (about 584 years) the delay saturates.
        // (A base past the range saturates: no multiple of 10^6 is u64::MAX, so this is the
        // saturated case, which the loop leaves as it is.)
        let mut scaled = mul_sat(base, FACTOR_ONE);
        let cap = mul_sat(self.max_delay, FACTOR_ONE);
        for _ in 1..failures {
            if scaled >= cap {
                break;
            }
            // scaled * factor / one, exactly floored, without a 128-bit product: the whole part
            // times the factor, plus the fraction's share (below 10^6 * 2^32, no overflow).
            scaled = mul_sat(scaled / one, self.backoff_millionths)
                .saturating_add(scaled % one * factor / one);
        }
        if scaled == u64::MAX {
            u64::MAX
        } else {
            scaled / one
        }
    }

    /// Whether attempt `failures` is past the limit.
    pub fn gives_up(&self, failures: u32) -> bool {
        failures > self.max_retries
    }
}

/// `value * permille / 1000`, saturating. (A plain division: the backoff divides 64-bit numbers
/// anyway, so wasm2js's division helper is linked either way, and a 128-bit product would link
/// compiler-builtins' multiplication.)
fn per_mille(value: u64, permille: u32) -> u64 {
    mul_sat(value, permille) / 1000
}

/// `value * factor`, saturating, from two 32 x 32-bit products: overflow checked this way needs
/// no 128-bit multiplication (wasm32 has no wide multiply: `saturating_mul` and `checked_mul` on
/// u64 call compiler-builtins' `__multi3`, and wasm2js emulates that one in a long function).
pub(crate) fn mul_sat(value: u64, factor: u32) -> u64 {
    let factor = u64::from(factor);
    let high = (value >> 32) * factor;
    let low = (value & 0xFFFF_FFFF) * factor;
    if high >> 32 != 0 {
        return u64::MAX;
    }
    (high << 32).saturating_add(low)
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
        let mut values = std::vec![0, 1, 999, 1000, 1001, u64::MAX, u64::MAX - 999, 1 << 63];
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
    fn mul_sat_saturates_exactly() {
        let mut random = Random::new(11);
        let mut values = std::vec![
            0,
            1,
            u64::from(u32::MAX),
            1 << 32,
            u64::MAX,
            u64::MAX / 1000
        ];
        for _ in 0..20_000 {
            let value = random.below(u64::from(u32::MAX) + 1) << 32 | random.below(1 << 32);
            values.extend([value, value >> (value % 64)]);
        }
        for value in values {
            for factor in [0, 1, 10, 1000, FACTOR_ONE, FACTOR_ONE + 1, u32::MAX] {
                let wide = u128::from(value) * u128::from(factor);
                let expected = u64::try_from(wide).unwrap_or(u64::MAX);
                assert_eq!(mul_sat(value, factor), expected, "{value} * {factor}");
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
        // 500 ms x 1.001 per failure: 500.5, 501.0005, ... each floored only when reported.
        let grown = delays(backoff(1_001_000, u64::MAX), 500, 1001);
        assert_eq!(&grown[..4], &[500, 500, 501, 501]);
        assert!(
            grown.windows(2).all(|pair| pair[0] <= pair[1]),
            "never shrinks"
        );
        // 500 * 1.001^1000 = 1358.4...
        assert_eq!(grown[1000], 1358);
        // The smallest factor above 1 compounds too: 1000 ms x 1.000001^700000 = 2013.75... ms;
        // each step floors away under a millionth of a millisecond.
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
        // Just below the scaled range's edge, and just above it.
        let edge = u64::MAX / u64::from(FACTOR_ONE);
        let doubling = backoff(2 * FACTOR_ONE, u64::MAX);
        assert_eq!(doubling.delay(edge / 2, 2, &mut random), edge / 2 * 2);
        assert_eq!(doubling.delay(edge + 1, 2, &mut random), u64::MAX);
        // Jitter on a saturated delay takes off no more than its fraction.
        let jittery = ReconnectPolicy {
            jitter_permille: 500,
            ..policy
        };
        assert!((0..50).all(|_| jittery.delay(1000, 100, &mut random) >= u64::MAX / 2));
    }
}
