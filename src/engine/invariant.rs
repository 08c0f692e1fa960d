//! The SPEC §4 / §7.22 invariant, checked after every replay in tests and debug builds.

use super::ClientState;

/// Check, in minutes, bought + granted + adjusted in = debited + expired + refunded + applied +
/// remaining (negative while debt is carried), and, in money, paid in = money of time debited +
/// expired + applied + refunded + value remaining. Both hold exactly.
pub fn check(state: &ClientState) -> Result<(), String> {
    let t = &state.totals;
    let remaining = state.balance();
    let inflow = t.bought + t.granted + t.adjusted_in;
    let outflow = t.debited + t.expired + t.refunded + t.applied + remaining;
    if inflow != outflow {
        return Err(format!(
            "minutes: bought {} + granted {} + adjusted {} = {inflow}, but debited {} + expired {} + refunded {} + applied {} + remaining {remaining} = {outflow}",
            t.bought, t.granted, t.adjusted_in, t.debited, t.expired, t.refunded, t.applied
        ));
    }
    let value = state.value();
    let out_money = t.money_debited + t.money_expired + t.money_applied + t.money_refunded + value;
    if t.paid_in != out_money {
        return Err(format!(
            "money: paid in {}, but debited {} + expired {} + applied {} + refunded {} + value {value} = {out_money}",
            t.paid_in, t.money_debited, t.money_expired, t.money_applied, t.money_refunded
        ));
    }
    Ok(())
}
