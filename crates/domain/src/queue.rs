//! Queue order as a pure function: extraordinary first, then first-priority and general
//! interleaved per the region's rules, inside a category by queue date-time then id. Positions
//! are computed from counts alone, so the database never sorts more than one category's range.

use std::collections::HashMap;

/// A privilege tier. Only a verified claim lifts an application out of `General`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    Extraordinary,
    FirstPriority,
    General,
}

impl Category {
    pub const ALL: [Category; 3] = [
        Category::Extraordinary,
        Category::FirstPriority,
        Category::General,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Extraordinary => "extraordinary",
            Category::FirstPriority => "first_priority",
            Category::General => "general",
        }
    }

    pub fn parse(code: &str) -> Option<Category> {
        Self::ALL.into_iter().find(|c| c.as_str() == code)
    }

    pub fn message_key(self) -> &'static str {
        match self {
            Category::Extraordinary => "queue-category-extraordinary",
            Category::FirstPriority => "queue-category-first-priority",
            Category::General => "queue-category-general",
        }
    }
}

/// How a region orders categories.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueRules {
    /// A permutation of the three categories, highest first.
    pub precedence: [Category; 3],
    /// `first_priority : general` taken in turns when the two are adjacent in `precedence`
    /// (the higher one starts each cycle); `general == 0` or `first_priority == 0` means strict
    /// precedence.
    pub interleave_first_priority: u32,
    pub interleave_general: u32,
}

impl Default for QueueRules {
    fn default() -> Self {
        QueueRules {
            precedence: Category::ALL,
            interleave_first_priority: 1,
            interleave_general: 3,
        }
    }
}

/// How many applications of each category a partition holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub extraordinary: u64,
    pub first_priority: u64,
    pub general: u64,
}

impl Counts {
    pub fn get(&self, category: Category) -> u64 {
        match category {
            Category::Extraordinary => self.extraordinary,
            Category::FirstPriority => self.first_priority,
            Category::General => self.general,
        }
    }

    pub fn total(&self) -> u64 {
        self.extraordinary
            .saturating_add(self.first_priority)
            .saturating_add(self.general)
    }

    fn add(&mut self, category: Category, n: u64) {
        match category {
            Category::Extraordinary => self.extraordinary = self.extraordinary.saturating_add(n),
            Category::FirstPriority => self.first_priority = self.first_priority.saturating_add(n),
            Category::General => self.general = self.general.saturating_add(n),
        }
    }
}

/// Who is ahead of an application, by category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ahead {
    pub extraordinary: u64,
    pub first_priority: u64,
    pub general: u64,
}

impl Ahead {
    pub fn total(&self) -> u64 {
        self.extraordinary
            .saturating_add(self.first_priority)
            .saturating_add(self.general)
    }
}

/// One application as the order sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub category: Category,
    /// Unix seconds; ties broken by `id`.
    pub queue_at: i64,
}

/// What happened to an application of the partition at a moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Joined { category: Category, queue_at: i64 },
    Category(Category),
    Requeued { queue_at: i64 },
    Left,
}

/// One event of the partition's history, in time order; `cause` is a message key shown to the
/// parent ("a privileged application arrived", "a direction was issued ahead", …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueEvent {
    pub at: i64,
    pub application_id: i64,
    pub change: Change,
    pub cause: String,
}

/// A change of one application's position (1-based; `None` when out of the queue).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PositionChange {
    pub at: i64,
    pub from: Option<u64>,
    pub to: Option<u64>,
    pub cause: String,
    /// The change happened to the application itself (joined, verified, …), not to another.
    pub own: bool,
}

/// A run of the queue that is filled before the next one starts.
#[derive(Debug, Clone, Copy)]
enum Tier {
    Single(Category),
    /// `hi` is taken `a` at a time, then `lo` `b` at a time, both `a` and `b` positive.
    Pair {
        hi: Category,
        lo: Category,
        a: u64,
        b: u64,
    },
}

impl Tier {
    fn size(self, counts: &Counts) -> u64 {
        match self {
            Tier::Single(c) => counts.get(c),
            Tier::Pair { hi, lo, .. } => counts.get(hi).saturating_add(counts.get(lo)),
        }
    }

    fn holds(self, category: Category) -> bool {
        match self {
            Tier::Single(c) => c == category,
            Tier::Pair { hi, lo, .. } => hi == category || lo == category,
        }
    }

    /// How many of the other list of a pair precede the `index`-th of `category` (the cycle
    /// arithmetic: `hi` of cycle k waits for `lo` of cycles before k; `lo` of cycle k waits for
    /// `hi` of cycles up to and including k; either capped by what the other list holds).
    fn others_ahead(self, counts: &Counts, category: Category, index: u64) -> u64 {
        match self {
            Tier::Single(_) => 0,
            Tier::Pair { hi, lo, a, b } => {
                if category == hi {
                    b.saturating_mul(index / a).min(counts.get(lo))
                } else {
                    a.saturating_mul((index / b).saturating_add(1))
                        .min(counts.get(hi))
                }
            }
        }
    }

    /// Position inside the tier.
    fn local_position(self, counts: &Counts, category: Category, index: u64) -> u64 {
        index.saturating_add(self.others_ahead(counts, category, index))
    }

    /// Appends the tier's slots at local positions `from..to` (`to <= size`).
    fn push_slots(self, counts: &Counts, from: u64, to: u64, out: &mut Vec<(Category, u64)>) {
        match self {
            Tier::Single(c) => out.extend((from..to).map(|i| (c, i))),
            Tier::Pair { hi, lo, .. } => {
                let (x_len, y_len) = (counts.get(hi), counts.get(lo));
                let x_pos = |i| self.local_position(counts, hi, i);
                let y_pos = |j| self.local_position(counts, lo, j);
                let mut i = first_at_or_after(x_len, from, x_pos);
                let mut j = first_at_or_after(y_len, from, y_pos);
                for _ in from..to {
                    let take_x = match (i < x_len, j < y_len) {
                        (true, true) => x_pos(i) < y_pos(j),
                        (x, _) => x,
                    };
                    if take_x {
                        out.push((hi, i));
                        i += 1;
                    } else if j < y_len {
                        out.push((lo, j));
                        j += 1;
                    } else {
                        break;
                    }
                }
            }
        }
    }
}

/// The smallest `k` in `0..=len` with `pos(k) >= target`, `pos` strictly increasing.
fn first_at_or_after(len: u64, target: u64, pos: impl Fn(u64) -> u64) -> u64 {
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pos(mid) < target {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

impl QueueRules {
    /// Parses "extraordinary,first_priority,general" (a permutation of the three).
    pub fn parse_precedence(text: &str) -> Option<[Category; 3]> {
        let mut out = [Category::Extraordinary; 3];
        let mut items = text.split(',');
        for slot in &mut out {
            *slot = Category::parse(items.next()?.trim())?;
        }
        let distinct = out[0] != out[1] && out[1] != out[2] && out[0] != out[2];
        (items.next().is_none() && distinct).then_some(out)
    }

    pub fn precedence_text(&self) -> String {
        self.precedence.map(Category::as_str).join(",")
    }

    fn interleave(&self, category: Category) -> u64 {
        match category {
            Category::Extraordinary => 0,
            Category::FirstPriority => u64::from(self.interleave_first_priority),
            Category::General => u64::from(self.interleave_general),
        }
    }

    /// The tiers in queue order; a fixed array so that positions never allocate.
    fn tiers(&self) -> impl Iterator<Item = Tier> {
        let p = self.precedence;
        let mut tiers = [None; 3];
        let mut k = 0;
        let mut n = 0;
        while k < 3 {
            let pair = (k + 1 < 3).then(|| (p[k], p[k + 1])).filter(|&(hi, lo)| {
                hi != lo
                    && hi != Category::Extraordinary
                    && lo != Category::Extraordinary
                    && self.interleave(hi) > 0
                    && self.interleave(lo) > 0
            });
            tiers[n] = Some(match pair {
                Some((hi, lo)) => {
                    k += 2;
                    Tier::Pair {
                        hi,
                        lo,
                        a: self.interleave(hi),
                        b: self.interleave(lo),
                    }
                }
                None => {
                    k += 1;
                    Tier::Single(p[k - 1])
                }
            });
            n += 1;
        }
        tiers.into_iter().flatten()
    }

    /// The 0-based position of the `index`-th (0-based, in (queue_at, id) order) application of
    /// `category` in a partition holding `counts`.
    pub fn position(&self, counts: &Counts, category: Category, index: u64) -> u64 {
        self.ahead(counts, category, index).total()
    }

    /// Who is ahead of that application, by category; the sum is `position`.
    pub fn ahead(&self, counts: &Counts, category: Category, index: u64) -> Ahead {
        let mut ahead = Counts::default();
        for tier in self.tiers() {
            if !tier.holds(category) {
                for c in Category::ALL.into_iter().filter(|&c| tier.holds(c)) {
                    ahead.add(c, counts.get(c));
                }
                continue;
            }
            ahead.add(category, index);
            if let Tier::Pair { hi, lo, .. } = tier {
                let other = if category == hi { lo } else { hi };
                ahead.add(other, tier.others_ahead(counts, category, index));
            }
            break;
        }
        Ahead {
            extraordinary: ahead.extraordinary,
            first_priority: ahead.first_priority,
            general: ahead.general,
        }
    }

    /// The applications at positions `offset..offset+limit` as (category, index in category),
    /// in queue order; shorter at the end of the queue.
    pub fn slots(&self, counts: &Counts, offset: u64, limit: u64) -> Vec<(Category, u64)> {
        let end = offset.saturating_add(limit).min(counts.total());
        let wanted = end.saturating_sub(offset);
        let mut out = Vec::with_capacity(usize::try_from(wanted.min(1 << 16)).unwrap_or(0));
        let mut base = 0u64;
        for tier in self.tiers() {
            if base >= end {
                break;
            }
            let size = tier.size(counts);
            let tier_end = base.saturating_add(size);
            if tier_end > offset {
                let from = offset.saturating_sub(base);
                let to = end.min(tier_end) - base;
                tier.push_slots(counts, from, to, &mut out);
            }
            base = tier_end;
        }
        out
    }

    /// The first application of `entries` that `eligible` accepts, in queue order: its index in
    /// `entries` and its 0-based position among all of them (the ineligible count too: they are
    /// still ahead in the queue). `entries` must be in (queue_at, id) order, as the database reads
    /// them; that is what makes one pass enough.
    pub fn first_eligible(
        &self,
        entries: &[Entry],
        eligible: impl Fn(usize) -> bool,
    ) -> Option<(usize, u64)> {
        let mut counts = Counts::default();
        // Per category: (index in the category, index in `entries`) of its first eligible.
        let mut first: [Option<(u64, usize)>; 3] = [None; 3];
        for (i, entry) in entries.iter().enumerate() {
            let slot = Category::ALL
                .iter()
                .position(|&c| c == entry.category)
                .unwrap_or(2);
            let in_category = counts.get(entry.category);
            if first[slot].is_none() && eligible(i) {
                first[slot] = Some((in_category, i));
            }
            counts.add(entry.category, 1);
        }
        Category::ALL
            .into_iter()
            .zip(first)
            .filter_map(|(category, found)| {
                found.map(|(index, i)| (i, self.position(&counts, category, index)))
            })
            .min_by_key(|&(_, position)| position)
    }

    /// The whole order of `entries` (ids, first in the queue first).
    pub fn order(&self, entries: &[Entry]) -> Vec<i64> {
        // Built by taking turns literally rather than through `slots`, so the two computations
        // check each other in the tests.
        let list = |category: Category| {
            let mut list: Vec<&Entry> = entries.iter().filter(|e| e.category == category).collect();
            list.sort_by_key(|e| (e.queue_at, e.id));
            list
        };
        let mut out = Vec::with_capacity(entries.len());
        for tier in self.tiers() {
            match tier {
                Tier::Single(c) => out.extend(list(c).into_iter().map(|e| e.id)),
                Tier::Pair { hi, lo, a, b } => {
                    let (x, y) = (list(hi), list(lo));
                    let a = usize::try_from(a).unwrap_or(usize::MAX);
                    let b = usize::try_from(b).unwrap_or(usize::MAX);
                    let (mut i, mut j) = (0, 0);
                    while i < x.len() || j < y.len() {
                        let take = a.min(x.len() - i);
                        out.extend(x[i..i + take].iter().map(|e| e.id));
                        i += take;
                        let take = b.min(y.len() - j);
                        out.extend(y[j..j + take].iter().map(|e| e.id));
                        j += take;
                    }
                }
            }
        }
        out
    }

    /// Replays `events` (time order) and returns every change of `me`'s position with its cause.
    pub fn position_history(&self, events: &[QueueEvent], me: i64) -> Vec<PositionChange> {
        let mut members: HashMap<i64, (Category, i64)> = HashMap::new();
        let mut current = None;
        let mut changes = Vec::new();
        for event in events {
            let id = event.application_id;
            match &event.change {
                Change::Joined { category, queue_at } => {
                    members.insert(id, (*category, *queue_at));
                }
                Change::Category(category) => {
                    if let Some(member) = members.get_mut(&id) {
                        member.0 = *category;
                    }
                }
                Change::Requeued { queue_at } => {
                    if let Some(member) = members.get_mut(&id) {
                        member.1 = *queue_at;
                    }
                }
                Change::Left => {
                    members.remove(&id);
                }
            }
            let now = self.member_position(&members, me);
            if now != current {
                changes.push(PositionChange {
                    at: event.at,
                    from: current,
                    to: now,
                    cause: event.cause.clone(),
                    own: id == me,
                });
                current = now;
            }
        }
        changes
    }

    /// `me`'s 1-based position among `members` in one pass, without sorting.
    fn member_position(&self, members: &HashMap<i64, (Category, i64)>, me: i64) -> Option<u64> {
        let &(category, queue_at) = members.get(&me)?;
        let mut counts = Counts::default();
        let mut index = 0;
        for (&id, &(c, at)) in members {
            counts.add(c, 1);
            if c == category && (at, id) < (queue_at, me) {
                index += 1;
            }
        }
        Some(self.position(&counts, category, index) + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    use Category::{Extraordinary as E, FirstPriority as P, General as G};

    fn entry(id: i64, category: Category, queue_at: i64) -> Entry {
        Entry {
            id,
            category,
            queue_at,
        }
    }

    fn counts(e: u64, p: u64, g: u64) -> Counts {
        Counts {
            extraordinary: e,
            first_priority: p,
            general: g,
        }
    }

    /// Categories of the whole queue, from `slots`.
    fn pattern(rules: &QueueRules, c: &Counts) -> Vec<Category> {
        rules
            .slots(c, 0, u64::MAX)
            .into_iter()
            .map(|(c, _)| c)
            .collect()
    }

    #[test]
    fn default_rules_interleave_one_to_three() {
        let rules = QueueRules::default();
        assert_eq!(
            pattern(&rules, &counts(0, 2, 7)),
            [P, G, G, G, P, G, G, G, G]
        );
        assert_eq!(pattern(&rules, &counts(2, 1, 1)), [E, E, P, G]);
        // General runs out first: the rest of first priority follows.
        assert_eq!(pattern(&rules, &counts(0, 3, 2)), [P, G, G, P, P]);
        assert_eq!(rules.position(&counts(0, 2, 7), P, 1), 4);
        assert_eq!(rules.position(&counts(0, 2, 7), G, 3), 5);
        assert_eq!(rules.position(&counts(0, 2, 7), G, 6), 8);
        assert_eq!(
            rules.ahead(&counts(3, 2, 7), G, 3),
            Ahead {
                extraordinary: 3,
                first_priority: 2,
                general: 3
            }
        );
    }

    #[test]
    fn zero_interleave_means_strict_precedence() {
        let rules = QueueRules {
            interleave_general: 0,
            ..QueueRules::default()
        };
        assert_eq!(pattern(&rules, &counts(1, 2, 2)), [E, P, P, G, G]);
        let rules = QueueRules {
            interleave_first_priority: 0,
            ..QueueRules::default()
        };
        assert_eq!(rules.position(&counts(1, 2, 2), G, 0), 3);
    }

    #[test]
    fn custom_precedence_general_first() {
        let rules = QueueRules {
            precedence: [G, P, E],
            interleave_first_priority: 1,
            interleave_general: 2,
        };
        assert_eq!(pattern(&rules, &counts(1, 2, 3)), [G, G, P, G, P, E]);
        // Not adjacent: no interleaving.
        let rules = QueueRules {
            precedence: [P, E, G],
            ..QueueRules::default()
        };
        assert_eq!(pattern(&rules, &counts(1, 1, 1)), [P, E, G]);
    }

    #[test]
    fn order_sorts_by_queue_time_then_id() {
        let rules = QueueRules::default();
        let entries = [
            entry(5, G, 10),
            entry(4, G, 10),
            entry(9, P, 50),
            entry(1, G, 5),
            entry(7, E, 99),
        ];
        assert_eq!(rules.order(&entries), [7, 9, 1, 4, 5]);
    }

    #[test]
    fn slots_deep_in_a_large_queue() {
        let rules = QueueRules::default();
        let c = counts(1_000, 200_000, 200_000);
        let slots = rules.slots(&c, 150_000, 50);
        assert_eq!(slots.len(), 50);
        for (k, &(cat, index)) in slots.iter().enumerate() {
            assert_eq!(rules.position(&c, cat, index), 150_000 + k as u64);
        }
        // General runs out first at 1:3, so first priority closes the queue.
        let tail = rules.slots(&c, c.total() - 3, 10);
        assert_eq!(tail, [(P, 199_997), (P, 199_998), (P, 199_999)]);
        assert!(rules.slots(&c, c.total(), 10).is_empty());
        assert!(rules.slots(&c, u64::MAX, u64::MAX).is_empty());
    }

    #[test]
    fn out_of_range_index_saturates() {
        let rules = QueueRules::default();
        let c = counts(1, 1, 1);
        assert_eq!(rules.position(&c, P, u64::MAX), u64::MAX);
        assert!(rules.position(&c, G, u64::MAX) >= 2);
    }

    #[test]
    fn precedence_text_round_trips() {
        assert_eq!(
            QueueRules::parse_precedence(" general , extraordinary,first_priority "),
            Some([G, E, P])
        );
        for bad in [
            "",
            "general,general,extraordinary",
            "general,first_priority",
            "general,first_priority,extraordinary,general",
            "general,first,extraordinary",
        ] {
            assert_eq!(QueueRules::parse_precedence(bad), None, "{bad}");
        }
        let rules = QueueRules::default();
        assert_eq!(
            rules.precedence_text(),
            "extraordinary,first_priority,general"
        );
        assert_eq!(
            QueueRules::parse_precedence(&rules.precedence_text()),
            Some(rules.precedence)
        );
    }

    #[test]
    fn history_reports_changes_with_causes() {
        let rules = QueueRules::default();
        let ev = |at, application_id, change, cause: &str| QueueEvent {
            at,
            application_id,
            change,
            cause: cause.to_owned(),
        };
        let events = [
            ev(
                1,
                1,
                Change::Joined {
                    category: G,
                    queue_at: 1,
                },
                "joined",
            ),
            ev(
                2,
                2,
                Change::Joined {
                    category: G,
                    queue_at: 2,
                },
                "other",
            ),
            ev(
                3,
                3,
                Change::Joined {
                    category: E,
                    queue_at: 3,
                },
                "privileged",
            ),
            ev(4, 2, Change::Left, "direction"),
            ev(5, 3, Change::Left, "direction"),
            ev(6, 1, Change::Left, "withdrawn"),
        ];
        let history = rules.position_history(&events, 1);
        let steps: Vec<_> = history
            .iter()
            .map(|c| (c.at, c.from, c.to, c.cause.as_str(), c.own))
            .collect();
        assert_eq!(
            steps,
            [
                (1, None, Some(1), "joined", true),
                (3, Some(1), Some(2), "privileged", false),
                (5, Some(2), Some(1), "direction", false),
                (6, Some(1), None, "withdrawn", true),
            ]
        );
    }

    const PERMUTATIONS: [[Category; 3]; 6] = [
        [E, P, G],
        [E, G, P],
        [P, E, G],
        [P, G, E],
        [G, E, P],
        [G, P, E],
    ];

    fn rules() -> impl Strategy<Value = QueueRules> {
        (0..PERMUTATIONS.len(), 0u32..=4, 0u32..=4).prop_map(|(p, a, b)| QueueRules {
            precedence: PERMUTATIONS[p],
            interleave_first_priority: a,
            interleave_general: b,
        })
    }

    fn category() -> impl Strategy<Value = Category> {
        prop::sample::select(Category::ALL.to_vec())
    }

    /// Distinct, unordered ids; few distinct queue times so that ties happen.
    fn entries() -> impl Strategy<Value = Vec<Entry>> {
        prop::collection::vec((category(), 0i64..15), 0..60).prop_map(|v| {
            v.into_iter()
                .enumerate()
                .map(|(k, (c, at))| entry((k as i64 * 37) % 101, c, at))
                .collect()
        })
    }

    fn counts_of(entries: &[Entry]) -> Counts {
        let mut c = Counts::default();
        for e in entries {
            c.add(e.category, 1);
        }
        c
    }

    /// (category, index in category) of an entry.
    fn slot_of(entries: &[Entry], e: &Entry) -> (Category, u64) {
        let index = entries
            .iter()
            .filter(|o| o.category == e.category && (o.queue_at, o.id) < (e.queue_at, e.id))
            .count();
        (e.category, index as u64)
    }

    fn positions(order: &[i64]) -> HashMap<i64, usize> {
        order.iter().enumerate().map(|(p, &id)| (id, p)).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn order_is_a_deterministic_permutation(
            (entries, shuffled) in entries().prop_flat_map(|e| (Just(e.clone()), Just(e).prop_shuffle())),
            rules in rules(),
        ) {
            let order = rules.order(&entries);
            let mut sorted = order.clone();
            sorted.sort_unstable();
            let mut ids: Vec<i64> = entries.iter().map(|e| e.id).collect();
            ids.sort_unstable();
            prop_assert_eq!(sorted, ids);
            prop_assert_eq!(rules.order(&shuffled), order);
        }

        #[test]
        fn arithmetic_agrees_with_order(
            entries in entries(),
            rules in rules(),
            offset in 0u64..70,
            limit in 0u64..70,
        ) {
            let order = rules.order(&entries);
            let c = counts_of(&entries);
            let by_id: HashMap<i64, &Entry> = entries.iter().map(|e| (e.id, e)).collect();
            let slots: Vec<(Category, u64)> =
                order.iter().map(|id| slot_of(&entries, by_id[id])).collect();
            for (p, &(cat, index)) in slots.iter().enumerate() {
                prop_assert_eq!(rules.position(&c, cat, index), p as u64);
                let ahead = rules.ahead(&c, cat, index);
                prop_assert_eq!(ahead.total(), p as u64);
                for k in Category::ALL {
                    prop_assert!(ahead_of(&ahead, k) <= c.get(k));
                }
            }
            let from = (offset as usize).min(slots.len());
            let to = (offset.saturating_add(limit) as usize).min(slots.len());
            prop_assert_eq!(rules.slots(&c, offset, limit), slots[from..to].to_vec());
        }

        #[test]
        fn the_first_eligible_is_the_first_eligible_of_the_order(
            entries in entries(),
            rules in rules(),
            mask in prop::collection::vec(any::<bool>(), 60),
        ) {
            let mut sorted = entries.clone();
            sorted.sort_by_key(|e| (e.queue_at, e.id));
            let eligible = |id: i64| mask[(id as usize) % mask.len()];
            let expected = rules
                .order(&entries)
                .into_iter()
                .enumerate()
                .find(|&(_, id)| eligible(id))
                .map(|(p, id)| (id, p as u64));
            let found = rules
                .first_eligible(&sorted, |i| eligible(sorted[i].id))
                .map(|(i, p)| (sorted[i].id, p));
            prop_assert_eq!(found, expected);
        }

        #[test]
        fn a_late_general_application_moves_nobody_ahead(
            entries in entries(),
            rules in rules(),
        ) {
            let before = rules.order(&entries);
            let late = entry(1_000, G, entries.iter().map(|e| e.queue_at).max().unwrap_or(0) + 1);
            let mut more = entries.clone();
            more.push(late);
            let after = rules.order(&more);
            let (was, now) = (positions(&before), positions(&after));
            for (id, &p) in &was {
                prop_assert!(now[id] >= p);
                if now[id] < now[&late.id] {
                    prop_assert_eq!(now[id], p);
                }
            }
            let without: Vec<i64> = after.into_iter().filter(|&id| id != late.id).collect();
            prop_assert_eq!(without, before);
        }

        #[test]
        fn earlier_queue_time_is_ahead_within_a_category(
            entries in entries(),
            rules in rules(),
        ) {
            let at = positions(&rules.order(&entries));
            for a in &entries {
                for b in &entries {
                    if a.category == b.category && a.queue_at < b.queue_at {
                        prop_assert!(at[&a.id] < at[&b.id]);
                    }
                }
            }
        }

        #[test]
        fn history_ends_at_the_final_position_and_chains(
            steps in prop::collection::vec((0i64..8, 0u8..4, category(), 0i64..20), 0..40),
            rules in rules(),
            me in 0i64..3,
        ) {
            let mut events = Vec::new();
            let mut members: HashMap<i64, Entry> = HashMap::new();
            for (k, &(id, kind, category, queue_at)) in steps.iter().enumerate() {
                let change = match kind {
                    0 => Change::Joined { category, queue_at },
                    1 => Change::Category(category),
                    2 => Change::Requeued { queue_at },
                    _ => Change::Left,
                };
                match change {
                    Change::Joined { .. } => {
                        members.insert(id, entry(id, category, queue_at));
                    }
                    Change::Category(c) => {
                        if let Some(m) = members.get_mut(&id) {
                            m.category = c;
                        }
                    }
                    Change::Requeued { queue_at } => {
                        if let Some(m) = members.get_mut(&id) {
                            m.queue_at = queue_at;
                        }
                    }
                    Change::Left => {
                        members.remove(&id);
                    }
                }
                events.push(QueueEvent {
                    at: k as i64,
                    application_id: id,
                    change,
                    cause: format!("cause-{k}"),
                });
            }
            let finals: Vec<Entry> = members.into_values().collect();
            let expected = rules
                .order(&finals)
                .iter()
                .position(|&id| id == me)
                .map(|p| p as u64 + 1);
            let history = rules.position_history(&events, me);
            prop_assert_eq!(history.last().and_then(|c| c.to), expected);
            let mut previous = None;
            for change in &history {
                prop_assert_eq!(change.from, previous);
                prop_assert_ne!(change.from, change.to);
                prop_assert_eq!(&change.cause, &format!("cause-{}", change.at));
                prop_assert_eq!(change.own, events[change.at as usize].application_id == me);
                previous = change.to;
            }
        }
    }

    fn ahead_of(ahead: &Ahead, category: Category) -> u64 {
        match category {
            E => ahead.extraordinary,
            P => ahead.first_priority,
            G => ahead.general,
        }
    }
}
