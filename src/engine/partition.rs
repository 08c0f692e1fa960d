//! Clients dealt out to parts (a hash of the id), and clients found by id fast: packed ids
//! in a table of their own, and an FNV hasher for the rest.

use std::hash::Hasher;

/// Which of `parts` replayers takes each client: a hash of its id decides, so that any name,
/// known to the book or not, has its part without a lookup (the replayer of that part reports
/// an unknown one).
#[derive(Debug, Clone, Copy)]
pub struct Partition {
    parts: usize,
}

impl Partition {
    /// Clients dealt out to `parts` parts (at least one).
    #[must_use]
    pub fn new(parts: usize) -> Partition {
        Partition {
            parts: parts.max(1),
        }
    }

    /// The part that replays `client`.
    #[must_use]
    pub fn of(&self, client: &str) -> usize {
        if self.parts == 1 {
            return 0;
        }
        // FNV-1a, whose bits follow the last bytes too closely (`c000`…`c199` would all land
        // in one of two parts), then mixed (MurmurHash3's finaliser).
        let mut k = client.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        k ^= k >> 33;
        k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
        k ^= k >> 33;
        k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        k ^= k >> 33;
        (k % self.parts as u64) as usize
    }
}

/// FNV-1a: client ids are short, and std's `SipHash` costs more than the rest of the lookup.
#[derive(Default)]
pub(super) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// A client id of at most 15 bytes as one number: its length in the low byte, then its bytes.
/// Two ids are the same exactly when their numbers are. Ids are short, so nearly every entry's
/// client is looked up by a number, hashed and compared at once, instead of by a string.
pub(super) fn packed(id: &str) -> Option<u128> {
    let b = id.as_bytes();
    if b.len() > 15 {
        return None;
    }
    // Two 64-bit halves: shifts of a `u128` cost several instructions each.
    let (mut lo, mut hi) = (b.len() as u64, 0u64);
    for (i, &x) in b.iter().enumerate() {
        if i < 7 {
            lo |= u64::from(x) << (8 * (i + 1));
        } else {
            hi |= u64::from(x) << (8 * (i - 7));
        }
    }
    Some(u128::from(lo) | (u128::from(hi) << 64))
}

/// Clients by [`packed`] id: a table of slots at most a quarter full, probed one after the
/// other from where the id's hash points. The ids are known before the first lookup and never
/// change, and nearly every lookup finds its id (or an empty slot) at the first slot: cheaper
/// than a general hash map.
pub(super) struct PackedTable {
    /// (packed id, client index); `u32::MAX` marks an empty slot.
    slots: Vec<(u128, u32)>,
    /// `64 - log2(slots.len())`: a hash's top bits index the slots.
    shift: u32,
}

impl PackedTable {
    pub(super) fn new(ids: impl Iterator<Item = (u128, u32)>) -> PackedTable {
        let ids: Vec<(u128, u32)> = ids.collect();
        let len = (ids.len() * 4).next_power_of_two().max(4);
        let mut table = PackedTable {
            slots: vec![(0, u32::MAX); len],
            shift: 64 - len.trailing_zeros(),
        };
        for (key, index) in ids {
            let mut at = table.slot(key);
            while table.slots[at].1 != u32::MAX {
                at = (at + 1) % len;
            }
            table.slots[at] = (key, index);
        }
        table
    }

    /// Where `key`'s probe starts: its halves folded, then Fibonacci hashing (the top bits of
    /// the product depend on every bit of the key).
    fn slot(&self, key: u128) -> usize {
        let h = ((key as u64) ^ ((key >> 64) as u64)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        (h >> self.shift) as usize
    }

    pub(super) fn get(&self, key: u128) -> Option<u32> {
        let mut at = self.slot(key);
        loop {
            let (k, index) = self.slots[at];
            if index == u32::MAX {
                return None;
            }
            if k == key {
                return Some(index);
            }
            at = (at + 1) & (self.slots.len() - 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{ReplayOptions, Replayer, replay_with};
    use std::collections::HashSet;

    #[test]
    fn packed_ids_differ_when_the_ids_do_and_long_ids_are_found_by_name() {
        let ids = [
            "",
            "a",
            "a-",
            "ab",
            "ba",
            "c000",
            "c0000",
            "c001",
            "acme",
            "abcdefg",
            "abcdefgh",
            "abcdefghi",
            "0123456789abcde",
        ];
        let keys: HashSet<u128> = ids.iter().map(|id| packed(id).unwrap()).collect();
        assert_eq!(keys.len(), ids.len());
        assert_eq!(packed("0123456789abcdef"), None);
        // A table of many ids finds each, and no other.
        let many: Vec<String> = (0..3000).map(|i| format!("c{i:03}")).collect();
        let table = PackedTable::new(
            many.iter()
                .enumerate()
                .filter(|(i, _)| i % 3 != 0)
                .map(|(i, id)| (packed(id).unwrap(), i as u32)),
        );
        for (i, id) in many.iter().enumerate() {
            let want = (i % 3 != 0).then_some(i as u32);
            assert_eq!(table.get(packed(id).unwrap()), want, "{id}");
        }
        assert_eq!(
            PackedTable::new(std::iter::empty()).get(packed("c0").unwrap()),
            None
        );
        // Ids of 15 and 16 bytes, a long one, and one a prefix of another, all in one book.
        let book = crate::testing::book(
            "[clients.c0123456789abcde]\n[clients.c0123456789abcdef]\n\
             [clients.a-client-with-a-very-long-id]\n[clients.c0]\n[clients.c00]\n",
        );
        let text = [
            "2026-01-05 buy c0123456789abcde 10h @ 100",
            "2026-01-05 buy c0123456789abcdef 5h @ 100",
            "2026-01-05 buy a-client-with-a-very-long-id 3h @ 100",
            "2026-01-05 buy c0 2h @ 100",
            "2026-01-06 log c0123456789abcdef 90m",
            "2026-01-06 log a-client-with-a-very-long-id 2h",
            "2026-01-06 log c00 1h",
            "2026-01-07 log c0123456789abcde 30m",
            "2026-01-07 log c0 45m",
            "2026-01-07 log c0123456789abcdeg 45m",
        ]
        .join("\n");
        let entries = crate::testing::entries(&book, &text);
        let opts = ReplayOptions::default();
        let batch = replay_with(&book, &entries, None, opts);
        let mut replayer = Replayer::new(&book, None, opts);
        for e in &entries {
            replayer.push(e.clone()).unwrap();
        }
        let streamed = replayer.finish().unwrap();
        assert_eq!(streamed.clients, batch.clients);
        assert_eq!(streamed.problems, batch.problems);
        assert_eq!(streamed.problems.len(), 1, "the one unknown client");
        // 90m under `accumulate`: one hour debited, 30m pending.
        assert_eq!(streamed.clients["c0123456789abcdef"].balance(), 240.into());
        assert_eq!(streamed.clients["c00"].totals.overage, 60.into());
    }
}
