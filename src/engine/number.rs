//! The engine's one number, [`Num`]: minutes and money, exact, with the ordinary operators
//! (`+`, `-`, `+=`, `-=`, unary `-`, comparisons, `min`, `max`, `sum`). A `Num` is a
//! `Decimal` and gives exactly what `Decimal` gives, value, scale and sign, so what the
//! renderers print is unchanged; its operators take operands of 64 bits (minutes and money
//! nearly always are), and sums of one scale up to 96 bits, in integers, as `Decimal` would,
//! and leave the rest to `Decimal`.
//! Property tests compare every operator with `Decimal`'s, bit for bit.
//!
//! Beyond the operators: a lot's money shared out over the minutes taken from it ([`share`]),
//! the whole units in a quantity ([`whole_units`]) and a product-then-quotient that never
//! panics ([`mul_div`]), each exactly the plain `Decimal` expression, through integer fast
//! paths kept here.
//!
//! `Num` lives in the engine: entries bring `Decimal`s in (`Num::from`), reports take them
//! out (`Decimal::from`, [`Num::dec`]).

use crate::model::Minutes;
use rust_decimal::Decimal;
use std::cmp::Ordering;
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

/// Minutes or money inside the engine: a `Decimal` whose operators have integer fast paths.
#[derive(Clone, Copy, Default)]
#[repr(transparent)]
pub struct Num(Decimal);

impl Num {
    /// Zero (scale 0).
    pub const ZERO: Num = Num(Decimal::ZERO);

    /// The `Decimal` it is, value and scale.
    #[must_use]
    pub const fn dec(self) -> Decimal {
        self.0
    }

    /// Zero, of any scale or sign.
    #[must_use]
    pub const fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// Rounded to `dp` decimals, half to even (`Decimal::round_dp`).
    #[must_use]
    pub fn round_dp(self, dp: u32) -> Num {
        Num(self.0.round_dp(dp))
    }

    /// The smaller of the two; `self` on a tie (as `Decimal::min`: the scale kept is `self`'s).
    #[must_use]
    #[inline]
    pub fn min(self, other: Num) -> Num {
        if self > other { other } else { self }
    }

    /// The larger of the two; `self` on a tie (as `Decimal::max`).
    #[must_use]
    #[inline]
    pub fn max(self, other: Num) -> Num {
        if self < other { other } else { self }
    }
}

impl From<Decimal> for Num {
    #[inline]
    fn from(d: Decimal) -> Num {
        Num(d)
    }
}

impl From<Num> for Decimal {
    #[inline]
    fn from(n: Num) -> Decimal {
        n.0
    }
}

impl Add for Num {
    type Output = Num;
    #[inline]
    fn add(self, rhs: Num) -> Num {
        Num(add_sub(self.0, rhs.0, false))
    }
}

impl Sub for Num {
    type Output = Num;
    #[inline]
    fn sub(self, rhs: Num) -> Num {
        Num(add_sub(self.0, rhs.0, true))
    }
}

impl AddAssign for Num {
    #[inline]
    fn add_assign(&mut self, rhs: Num) {
        *self = *self + rhs;
    }
}

impl SubAssign for Num {
    #[inline]
    fn sub_assign(&mut self, rhs: Num) {
        *self = *self - rhs;
    }
}

/// The engine's totals are `Decimal`s that reports read: `totals.debited += taken` sums there.
impl AddAssign<Num> for Decimal {
    #[inline]
    fn add_assign(&mut self, rhs: Num) {
        *self = add_sub(*self, rhs.0, false);
    }
}

impl SubAssign<Num> for Decimal {
    #[inline]
    fn sub_assign(&mut self, rhs: Num) {
        *self = add_sub(*self, rhs.0, true);
    }
}

impl Neg for Num {
    type Output = Num;
    #[inline]
    fn neg(self) -> Num {
        Num(-self.0)
    }
}

impl Sum for Num {
    fn sum<I: Iterator<Item = Num>>(iter: I) -> Num {
        iter.fold(Num::ZERO, |a, b| a + b)
    }
}

impl PartialEq for Num {
    #[inline]
    fn eq(&self, other: &Num) -> bool {
        compare(self.0, other.0) == Ordering::Equal
    }
}

impl Eq for Num {}

impl PartialEq<Decimal> for Num {
    fn eq(&self, other: &Decimal) -> bool {
        compare(self.0, *other) == Ordering::Equal
    }
}

impl PartialOrd for Num {
    #[inline]
    fn partial_cmp(&self, other: &Num) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Num {
    #[inline]
    fn cmp(&self, other: &Num) -> Ordering {
        compare(self.0, other.0)
    }
}

impl fmt::Debug for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// Money is kept to this many decimals inside the engine, so that sums stay exact.
pub(super) const MONEY_DP: u32 = 12;

/// The sign bit of a `Decimal`'s flags.
pub(super) const SIGN: u32 = 0x8000_0000;

/// The scale bits of a `Decimal`'s flags.
pub(super) const SCALE: u32 = 0x00FF_0000;

/// `10^k` for `k` in `0..=19`.
pub(super) const POW10: [u64; 20] = {
    let mut p = [1u64; 20];
    let mut k = 1;
    while k < 20 {
        p[k] = p[k - 1] * 10;
        k += 1;
    }
    p
};

/// `a + b` (`subtract`: `a - b`): the same bits as `Decimal`'s (value, scale and sign). Operands
/// that fit 64 bits are summed here as `Decimal` sums them: the other operand as is when one is
/// zero (`-b` for `0 - b`), else the operand of the smaller scale raised to the larger one and
/// the two added or subtracted in 128 bits, with the sign of `a` unless `b` is the larger of the
/// two in a subtraction. Anything else (past 96 bits, scales far apart) goes to `Decimal`.
// Left to itself the compiler calls it: a call per sum costs more than the sum.
#[allow(clippy::inline_always)]
#[inline(always)]
fn add_sub(a: Decimal, b: Decimal, subtract: bool) -> Decimal {
    let ((fa, la, ha), (fb, lb, hb)) = (parts(a), parts(b));
    if ha | hb != 0 {
        return slow_add_sub(a, b, subtract);
    }
    if la == 0 {
        return if subtract && lb != 0 { -b } else { b };
    }
    if lb == 0 {
        return a;
    }
    let negative = fa & SIGN != 0;
    // Subtract the magnitudes when the operation and the signs say so.
    let apart = subtract ^ ((fa ^ fb) & SIGN != 0);
    if (fa ^ fb) & SCALE == 0 {
        // One scale, the usual case: 64 bits suffice.
        let scale = (fa & SCALE) >> 16;
        if !apart {
            let (sum, carry) = la.overflowing_add(lb);
            return Decimal::from_parts(
                sum as u32,
                (sum >> 32) as u32,
                u32::from(carry),
                negative,
                scale,
            );
        }
        let (diff, negative) = if la >= lb {
            (la - lb, negative)
        } else {
            (lb - la, !negative)
        };
        return Decimal::from_parts(diff as u32, (diff >> 32) as u32, 0, negative, scale);
    }
    add_sub_rescaled(fa, la, fb, lb, apart).unwrap_or_else(|| slow_add_sub(a, b, subtract))
}

/// [`add_sub`] of two non-zero operands of 64 bits and different scales: the one of the smaller
/// scale is raised to the other's, as `Decimal` does; `None` when `Decimal` would take another
/// way (scales more than 19 apart, a result past 96 bits).
#[inline]
fn add_sub_rescaled(fa: u32, la: u64, fb: u32, lb: u64, apart: bool) -> Option<Decimal> {
    let (sa, sb) = ((fa & SCALE) >> 16, (fb & SCALE) >> 16);
    let up = u128::from(*POW10.get(sa.abs_diff(sb) as usize)?);
    let (x, y, scale) = if sa > sb {
        (u128::from(la), u128::from(lb) * up, sa)
    } else {
        (u128::from(la) * up, u128::from(lb), sb)
    };
    let negative = fa & SIGN != 0;
    let (m, negative) = if !apart {
        (x + y, negative)
    } else if x >= y {
        (x - y, negative)
    } else {
        (y - x, !negative)
    };
    if m >> 96 != 0 {
        return None;
    }
    Some(Decimal::from_parts(
        m as u32,
        (m >> 32) as u32,
        (m >> 64) as u32,
        negative,
        scale,
    ))
}

/// [`add_sub`] past 64 bits, kept out of line so that [`add_sub`] stays small enough to be
/// inlined. A zero operand (a total at scale 2 and a zero at scale 0) is taken as `Decimal`
/// takes it; two operands of one scale (money at 12 decimals, summed over years, passes 64
/// bits) are summed in 128 bits when the result stays within `Decimal`'s 96; the rest is
/// `Decimal`'s own sum.
#[inline(never)]
fn slow_add_sub(a: Decimal, b: Decimal, subtract: bool) -> Decimal {
    if a.is_zero() {
        return if subtract && !b.is_zero() { -b } else { b };
    }
    if b.is_zero() {
        return a;
    }
    let ((fa, la, ha), (fb, lb, hb)) = (parts(a), parts(b));
    if (fa ^ fb) & SCALE == 0 {
        let (x, y) = (
            u128::from(la) | (u128::from(ha) << 64),
            u128::from(lb) | (u128::from(hb) << 64),
        );
        let negative = fa & SIGN != 0;
        let (m, negative) = if !(subtract ^ ((fa ^ fb) & SIGN != 0)) {
            (x + y, negative)
        } else if x >= y {
            (x - y, negative)
        } else {
            (y - x, !negative)
        };
        if m >> 96 == 0 {
            let scale = (fa & SCALE) >> 16;
            let (lo, mid, hi) = (m as u32, (m >> 32) as u32, (m >> 64) as u32);
            return Decimal::from_parts(lo, mid, hi, negative, scale);
        }
    }
    if subtract { a - b } else { a + b }
}

/// `a.cmp(&b)`: by the values, as `Decimal` compares them (`0`, `-0` and `0.00` are equal).
/// Operands of 64 bits are compared here, at their common scale when the scales differ.
#[inline]
fn compare(a: Decimal, b: Decimal) -> Ordering {
    let ((fa, la, ha), (fb, lb, hb)) = (parts(a), parts(b));
    if ha | hb == 0 {
        if fa == fb {
            // One sign, one scale: the magnitudes decide (reversed below zero).
            let o = la.cmp(&lb);
            return if fa & SIGN == 0 { o } else { o.reverse() };
        }
        // The signs decide unless both are non-zero and of one sign.
        let sign = |f: u32, l: u64| match (l, f & SIGN) {
            (0, _) => 0,
            (_, 0) => 1,
            _ => -1,
        };
        let (ga, gb) = (sign(fa, la), sign(fb, lb));
        if ga != gb || ga == 0 {
            return ga.cmp(&gb);
        }
        let (sa, sb) = ((fa & SCALE) >> 16, (fb & SCALE) >> 16);
        if let Some(&up) = POW10.get(sa.abs_diff(sb) as usize) {
            let up = u128::from(up);
            let o = if sa > sb {
                u128::from(la).cmp(&(u128::from(lb) * up))
            } else {
                (u128::from(la) * up).cmp(&u128::from(lb))
            };
            return if ga > 0 { o } else { o.reverse() };
        }
    }
    a.cmp(&b)
}

/// A `Decimal`'s flags (sign and scale), and the low 64 and high 32 bits of its mantissa.
#[inline]
pub(super) fn parts(d: Decimal) -> (u32, u64, u32) {
    let b = d.serialize();
    let word = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    (
        word(0),
        u64::from(word(4)) | (u64::from(word(8)) << 32),
        word(12),
    )
}
/// The money `m` minutes of a lot worth `value` with `remaining` minutes left are worth:
/// `mul_div(value, m, remaining).round_dp(MONEY_DP)`, computed in integers by
/// [`integer_share`] nearly always.
pub(super) fn share(value: Num, m: Num, remaining: Num) -> Num {
    let (value, m, remaining) = (value.0, m.0, remaining.0);
    Num(integer_share(value, m, remaining)
        .unwrap_or_else(|| mul_div_dec(value, m, remaining).round_dp(MONEY_DP)))
}

/// [`share`] in integers, for positive operands (the first two of 64 bits) whose product
/// `Decimal` takes exactly (below 96 bits and 28 decimals); `None` leaves the rest to `Decimal`.
///
/// When the product divides exactly (prices are mostly whole per unit), the quotient has the
/// scale `Decimal` gives an exact quotient: the product's scale less the divisor's.
///
/// When it does not end within `MONEY_DP` decimals (a lot's value shared out over minutes that
/// do not divide it), the result is the quotient rounded half to even at `MONEY_DP` decimals.
/// `Decimal` divides first, to as many decimals as 96 bits hold (at least 22 below 10⁵), then
/// `round_dp` rounds half to even. Rounding twice gives what rounding once does here: with a
/// divisor below 10⁷, a quotient that does not end within 12 decimals is at least 10⁻¹⁹ from
/// any 12-decimal number or midpoint, far more than the first rounding moves it.
pub(super) fn integer_share(a: Decimal, b: Decimal, c: Decimal) -> Option<Decimal> {
    let ((fa, am, ah), (fb, bm, bh), (fc, cl, ch)) = (parts(a), parts(b), parts(c));
    if (fa | fb | fc) & SIGN != 0 || ah | bh != 0 || am == 0 || bm == 0 || cl == 0 && ch == 0 {
        return None;
    }
    let (sa, sb, sc) = ((fa & SCALE) >> 16, (fb & SCALE) >> 16, (fc & SCALE) >> 16);
    let product = u128::from(am) * u128::from(bm);
    if product >> 96 != 0 || sa + sb > 28 {
        return None;
    }
    // Exact, at the difference of the scales.
    if let Some(scale) = (sa + sb).checked_sub(sc)
        && scale <= MONEY_DP
    {
        let (q, r) = if ch == 0 {
            div_rem(product, cl)
        } else {
            let cm = u128::from(cl) | (u128::from(ch) << 64);
            (product / cm, product % cm)
        };
        if r == 0 {
            return Some(from_u128(q, scale));
        }
    }
    // Rounded: the quotient in units of 10^-MONEY_DP is `product × 10^up / cl`.
    if ch != 0 || cl >= 10_000_000 {
        return None;
    }
    let up = (MONEY_DP + sc).checked_sub(sa + sb)?;
    let n = product.checked_mul(u128::from(*POW10.get(up as usize)?))?;
    let (q, r) = div_rem(n, cl);
    if r == 0 || q >= 100_000_000_000_000_000 {
        return None;
    }
    let cm = u128::from(cl);
    let up = 2 * r > cm || (2 * r == cm && q & 1 == 1);
    Some(from_u128(q + u128::from(up), MONEY_DP))
}

/// `n / d` and `n % d`, in 64 bits when `n` fits them (a division of 128 bits is a call).
pub(super) fn div_rem(n: u128, d: u64) -> (u128, u128) {
    match u64::try_from(n) {
        Ok(n) => (u128::from(n / d), u128::from(n % d)),
        Err(_) => (n / u128::from(d), n % u128::from(d)),
    }
}

/// `(p / unit).floor() * unit` for positive minutes: the whole units in `p`. For mantissas
/// below 10⁹ (at a common scale) the floor is taken in integers: `Decimal`'s quotient keeps
/// more than 18 digits after the point, so its floor is the exact one. The product has the
/// unit's scale, as `Decimal`'s (a floor has scale 0).
pub(super) fn whole_units(p: Num, unit: Num) -> Num {
    Num(whole_units_dec(p.0, unit.0))
}

fn whole_units_dec(p: Minutes, unit: Minutes) -> Minutes {
    let ((fp, pm, ph), (fu, um, uh)) = (parts(p), parts(unit));
    let (ps, us) = ((fp & SCALE) >> 16, (fu & SCALE) >> 16);
    let k = ps.max(us);
    // The mantissa at scale `k`, when positive and below 10⁹ (64 bits suffice).
    let at_k = |f: u32, m: u64, h: u32, s: u32| {
        if f & SIGN != 0 || h != 0 {
            return None;
        }
        POW10
            .get((k - s) as usize)
            .and_then(|&t| m.checked_mul(t))
            .filter(|&x| x > 0 && x < 1_000_000_000)
    };
    match (at_k(fp, pm, ph, ps), at_k(fu, um, uh, us)) {
        (Some(p), Some(u)) => match p / u * um {
            0 => Decimal::ZERO,
            d => from_u128(u128::from(d), us),
        },
        _ => (p / unit).floor() * unit,
    }
}

/// A positive `Decimal` of mantissa `m` (below 2⁹⁶) and `scale`.
pub(super) fn from_u128(m: u128, scale: u32) -> Decimal {
    Decimal::from_parts(m as u32, (m >> 32) as u32, (m >> 64) as u32, false, scale)
}

/// `a × b ÷ c` as exactly as `Decimal` allows, and never a panic: on overflow it divides
/// first; a zero divisor gives zero (callers never divide by an empty lot).
pub(super) fn mul_div(a: Num, b: Num, c: Num) -> Num {
    Num(mul_div_dec(a.0, b.0, c.0))
}

fn mul_div_dec(a: Decimal, b: Decimal, c: Decimal) -> Decimal {
    if c.is_zero() {
        return Decimal::ZERO;
    }
    a.checked_mul(b)
        .and_then(|x| x.checked_div(c))
        .or_else(|| a.checked_div(c).and_then(|q| q.checked_mul(b)))
        .unwrap_or(Decimal::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A `Decimal` with a small mantissa and scale: the shapes minutes and money take.
    fn dec() -> impl Strategy<Value = Decimal> {
        prop_oneof![
            (1i64..100_000, 0u32..3),
            (1i64..10_000_000_000_000, 0u32..13),
            (1i64..i64::MAX, 0u32..29),
        ]
        .prop_map(|(m, s)| Decimal::new(m, s))
    }
    /// [`dec`], zeros (of any scale, `-0` too), negatives and the extremes.
    fn signed() -> impl Strategy<Value = Decimal> {
        prop_oneof![
            dec(),
            dec().prop_map(|d| -d),
            (0u32..6, any::<bool>()).prop_map(|(s, neg)| {
                let mut z = Decimal::new(0, s);
                z.set_sign_negative(neg);
                z
            }),
            (1i64..100_000, 0u32..3).prop_map(|(m, s)| Decimal::new(-m, s)),
            (any::<i128>(), 0u32..29).prop_map(|(m, s)| {
                Decimal::try_from_i128_with_scale(m >> 32, s).unwrap_or(Decimal::ONE)
            }),
            Just(Decimal::MAX),
            Just(Decimal::MIN),
        ]
    }

    /// `d` at `k` more decimals, the same value (as far as 28 decimals and 96 bits allow).
    fn rescaled(d: Decimal, k: u32) -> Decimal {
        let mut r = d;
        r.rescale((d.scale() + k).min(28));
        r
    }

    /// The pairs every operator is tried on: zeros and negatives of both scales, equal
    /// operands, equal values at other scales (their difference a zero of the larger scale).
    fn pairs(a: Decimal, b: Decimal, k: u32) -> [(Decimal, Decimal); 9] {
        [
            (a, b),
            (b, a),
            (a, a),
            (a, -a),
            (a, a.round_dp(1)),
            (a, rescaled(a, k)),
            (rescaled(a, k), a),
            (-a, rescaled(b, k)),
            (rescaled(a, k), -b),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        /// Every operator of `Num` gives `Decimal`'s result bit for bit: value, scale and sign.
        #[test]
        fn num_is_decimal_bit_for_bit(a in signed(), b in signed(), k in 0u32..24) {
            for (x, y) in pairs(a, b, k) {
                let (n, m) = (Num::from(x), Num::from(y));
                if let Some(want) = x.checked_add(y) {
                    prop_assert_eq!((n + m).dec().serialize(), want.serialize(), "{} + {}", x, y);
                    let mut s = n;
                    s += m;
                    prop_assert_eq!(s.dec().serialize(), want.serialize(), "{} += {}", x, y);
                    let mut t = x;
                    t += m;
                    prop_assert_eq!(t.serialize(), want.serialize(), "{} += {}", x, y);
                }
                if let Some(want) = x.checked_sub(y) {
                    prop_assert_eq!((n - m).dec().serialize(), want.serialize(), "{} - {}", x, y);
                    let mut s = n;
                    s -= m;
                    prop_assert_eq!(s.dec().serialize(), want.serialize(), "{} -= {}", x, y);
                    let mut t = x;
                    t -= m;
                    prop_assert_eq!(t.serialize(), want.serialize(), "{} -= {}", x, y);
                }
                prop_assert_eq!((-n).dec().serialize(), (-x).serialize());
                prop_assert_eq!(n.cmp(&m), x.cmp(&y), "{} <=> {}", x, y);
                prop_assert_eq!(n.partial_cmp(&m), x.partial_cmp(&y));
                prop_assert_eq!(n < m, x < y);
                prop_assert_eq!(n > m, x > y);
                prop_assert_eq!(n <= m, x <= y);
                prop_assert_eq!(n == m, x == y);
                prop_assert_eq!(n == y, x == y);
                prop_assert_eq!(n.is_zero(), x.is_zero());
                prop_assert_eq!(n.min(m).dec().serialize(), x.min(y).serialize(), "min({}, {})", x, y);
                prop_assert_eq!(n.max(m).dec().serialize(), x.max(y).serialize(), "max({}, {})", x, y);
                prop_assert_eq!(format!("{n} {n:?}"), format!("{x} {x:?}"));
            }
            if let Some(want) = a.checked_add(b).and_then(|s| s.checked_add(a)) {
                let got: Num = [a, b, a].into_iter().map(Num::from).sum();
                prop_assert_eq!(got.dec().serialize(), want.serialize());
            }
            prop_assert_eq!(Num::ZERO.dec().serialize(), Decimal::ZERO.serialize());
            prop_assert_eq!(Num::default().dec().serialize(), Decimal::default().serialize());
        }


        /// Operands of one scale past 64 bits (money at 12 decimals over years), sums that
        /// pass 96 bits included: `Decimal` then rounds, and `Num` leaves those to it.
        #[test]
        fn wide_sums_of_one_scale_are_decimals_bit_for_bit(
            x in any::<i128>(), y in any::<i128>(), shift in 32u32..64, s in 0u32..29,
        ) {
            let (Ok(a), Ok(b)) = (
                Decimal::try_from_i128_with_scale(x >> shift, s),
                Decimal::try_from_i128_with_scale(y >> shift, s),
            ) else {
                return Ok(());
            };
            for (x, y) in [(a, b), (b, a), (a, -b), (-a, b)] {
                let (n, m) = (Num::from(x), Num::from(y));
                if let Some(want) = x.checked_add(y) {
                    prop_assert_eq!((n + m).dec().serialize(), want.serialize(), "{} + {}", x, y);
                }
                if let Some(want) = x.checked_sub(y) {
                    prop_assert_eq!((n - m).dec().serialize(), want.serialize(), "{} - {}", x, y);
                }
            }
        }

        #[test]
        fn the_integer_paths_give_the_decimal_results_scale_and_all(a in dec(), b in dec(), c in dec()) {
            let want = mul_div_dec(a, b, c).round_dp(MONEY_DP);
            let got = share(a.into(), b.into(), c.into()).dec();
            prop_assert_eq!((got, got.scale()), (want, want.scale()));
            // Exact shares, as a lot's value shared out in whole minutes gives them.
            let whole = Decimal::new(b.mantissa() as i64 % 1000 + 1, 0);
            if let Some(v) = c.checked_mul(whole) {
                let want = mul_div_dec(v, b, c).round_dp(MONEY_DP);
                let got = share(v.into(), b.into(), c.into()).dec();
                prop_assert_eq!((got, got.scale()), (want, want.scale()));
            }

            // Shares of lots whose value has 12 decimals, over few minutes: most of them do not
            // end within 12 decimals, and some end on a midpoint (halves of an odd last digit).
            let value = Decimal::new(a.mantissa() as i64 % 10_000_000_000_000_000, 12);
            for r in [c.mantissa() as i64 % 1000 + 1, 2, 8, 60, 540] {
                let (m, r) = (Decimal::new(b.mantissa() as i64 % r + 1, 0), Decimal::new(r, 0));
                let want = mul_div_dec(value, m, r).round_dp(MONEY_DP);
                let got = share(value.into(), m.into(), r.into()).dec();
                prop_assert_eq!((got, got.scale()), (want, want.scale()), "{} {} {}", value, m, r);
            }

            let (p, unit) = (a.max(b), a.min(b));
            // Far outside minutes, `Decimal` itself overflows.
            if let Some(want) = p.checked_div(unit).and_then(|q| q.floor().checked_mul(unit)) {
                let got = whole_units_dec(p, unit);
                prop_assert_eq!((got, got.scale()), (want, want.scale()));
            }
        }
    }

    #[test]
    fn whole_units_and_shares_of_usual_minutes() {
        let d = |m: i64, s: u32| Decimal::new(m, s);
        for (p, unit) in [
            (d(90, 0), d(60, 0)),
            (d(900, 1), d(60, 0)),
            (d(120, 0), d(600, 1)),
            (d(61, 0), d(1, 0)),
        ] {
            let want = (p / unit).floor() * unit;
            let got = whole_units_dec(p, unit);
            assert_eq!((got, got.scale()), (want, want.scale()), "{p} {unit}");
        }
        for (v, m, r) in [
            (d(1200, 0), d(60, 0), d(600, 0)),
            (d(1000, 0), d(60, 0), d(540, 0)),
            (d(120_000, 2), d(90, 1), d(600, 0)),
            // Divisors past 64 bits: exact, and not.
            (
                d(1024, 0),
                Decimal::from(1u64 << 60),
                Decimal::from(1u128 << 66),
            ),
            (
                d(1000, 0),
                Decimal::from(1u64 << 60),
                Decimal::from(1u128 << 66),
            ),
        ] {
            let want = mul_div_dec(v, m, r).round_dp(MONEY_DP);
            let got = share(v.into(), m.into(), r.into()).dec();
            assert_eq!((got, got.scale()), (want, want.scale()), "{v} {m} {r}");
        }
    }
}
