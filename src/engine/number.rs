//! The engine's arithmetic beyond `Decimal`'s operators: a lot's money shared out over the
//! minutes taken from it ([`share`]), the whole units in a quantity ([`whole_units`]) and a
//! product-then-quotient that never panics ([`mul_div`]). Each gives exactly what the plain
//! `Decimal` expression gives (value and scale), through integer fast paths kept here, behind
//! these three names, with property tests against the general expression.
//!
//! Sums, differences and comparisons are `Decimal`'s own operators: the rules read
//! `lot.remaining -= taken`.

use crate::model::Minutes;
use rust_decimal::Decimal;

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
pub(super) fn share(value: Decimal, m: Minutes, remaining: Minutes) -> Decimal {
    integer_share(value, m, remaining)
        .unwrap_or_else(|| mul_div(value, m, remaining).round_dp(MONEY_DP))
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
pub(super) fn whole_units(p: Minutes, unit: Minutes) -> Minutes {
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
pub(super) fn mul_div(a: Decimal, b: Decimal, c: Decimal) -> Decimal {
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
    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn the_integer_paths_give_the_decimal_results_scale_and_all(a in dec(), b in dec(), c in dec()) {
            let want = mul_div(a, b, c).round_dp(MONEY_DP);
            let got = share(a, b, c);
            prop_assert_eq!((got, got.scale()), (want, want.scale()));
            // Exact shares, as a lot's value shared out in whole minutes gives them.
            let whole = Decimal::new(b.mantissa() as i64 % 1000 + 1, 0);
            if let Some(v) = c.checked_mul(whole) {
                let want = mul_div(v, b, c).round_dp(MONEY_DP);
                let got = share(v, b, c);
                prop_assert_eq!((got, got.scale()), (want, want.scale()));
            }

            // Shares of lots whose value has 12 decimals, over few minutes: most of them do not
            // end within 12 decimals, and some end on a midpoint (halves of an odd last digit).
            let value = Decimal::new(a.mantissa() as i64 % 10_000_000_000_000_000, 12);
            for r in [c.mantissa() as i64 % 1000 + 1, 2, 8, 60, 540] {
                let (m, r) = (Decimal::new(b.mantissa() as i64 % r + 1, 0), Decimal::new(r, 0));
                let want = mul_div(value, m, r).round_dp(MONEY_DP);
                let got = share(value, m, r);
                prop_assert_eq!((got, got.scale()), (want, want.scale()), "{} {} {}", value, m, r);
            }

            let (p, unit) = (a.max(b), a.min(b));
            // Far outside minutes, `Decimal` itself overflows.
            if let Some(want) = p.checked_div(unit).and_then(|q| q.floor().checked_mul(unit)) {
                let got = whole_units(p, unit);
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
            let got = whole_units(p, unit);
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
            let want = mul_div(v, m, r).round_dp(MONEY_DP);
            let got = share(v, m, r);
            assert_eq!((got, got.scale()), (want, want.scale()), "{v} {m} {r}");
        }
    }
}
