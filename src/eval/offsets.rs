//! A zone's offset intervals, found once per thread and reused.
//!
//! chrono-tz answers "what is the offset at this instant" with a search in its table, and
//! does not list the instants at which the offset changes. A search in a zone with DST
//! asks for offsets at nearly every step, so [`span_at`] answers with a whole [`Span`]:
//! the interval around an instant in which chrono-tz gives one and the same offset value
//! (offset, DST part and abbreviation). The evaluator keeps the span it last used and
//! asks again only when it leaves it.
//!
//! The changes are found per block of [`BLOCK`] (about 13 months): one probe a day,
//! bisected to the second (chrono-tz's offsets change at whole seconds), once per block,
//! zone and thread. Two changes less than a day apart that cancel out are missed (DST
//! rules keep them months apart). The spans last looked up are kept per thread too, so
//! that a new search in the same zone starts without touching the blocks.

use chrono::{DateTime, Offset, TimeZone};
use chrono_tz::{Tz, TzOffset};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

/// Length of a block of instants whose offset changes are found together, µs (366 days).
const BLOCK: i64 = 366 * 86_400_000_000;

/// Distance between two probes of the offset, seconds.
const PROBE: i64 = 86_400;

/// How many blocks on each side of an instant are searched for the ends of its span;
/// beyond that a span ends at the edge of the blocks searched (a zone without changes).
const REACH: i64 = 2;

/// The blocks kept per thread before they are all dropped (each holds a few changes).
const MAX_BLOCKS: usize = 4096;

/// An interval of instants `[from, until)` in which a zone has one offset value.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Span {
    /// The first instant of the span: an offset change, or the start of the blocks
    /// searched.
    pub(crate) from: i64,
    /// The first instant after the span: an offset change, or the end of the blocks
    /// searched.
    pub(crate) until: i64,
    /// UTC offset in microseconds.
    pub(crate) offset: i64,
    /// From this instant on, a civil time shown in the span is shown there for the first
    /// time (before it, an earlier span with a larger offset may have shown it already).
    pub(crate) first_pass_from: i64,
    /// chrono-tz's offset value, for answers.
    pub(crate) value: TzOffset,
}

impl Span {
    /// Whether instant `t` lies in the span.
    #[inline]
    pub(crate) fn contains(&self, t: i64) -> bool {
        self.from <= t && t < self.until
    }
}

/// The largest difference between two UTC offsets, µs (offsets lie within ±26 h).
const MAX_OFFSET_SPREAD: i64 = 52 * 3_600_000_000;

/// The offset changes inside one block, with the value at its start.
struct Block {
    start: TzOffset,
    /// `(instant, value from then on)`, in order, all inside the block.
    changes: Vec<(i64, TzOffset)>,
}

/// The spans last looked up on this thread (zone, span), newest first; the newest is
/// also kept on its own (`NEWEST`).
type Recent = [Option<(Tz, Span)>; 4];

thread_local! {
    static NEWEST: Cell<Option<(Tz, Span)>> = const { Cell::new(None) };
    static RECENT: RefCell<Recent> = const { RefCell::new([None; 4]) };
    static BLOCKS: RefCell<HashMap<(Tz, i64), Block>> = RefCell::new(HashMap::new());
}

/// The span of `tz` that contains instant `t`.
pub(crate) fn span_at(tz: Tz, t: i64) -> Span {
    // The newest on its own, without a borrow: searches in one zone find it there.
    if let Some((z, span)) = NEWEST.get() {
        if z == tz && span.contains(t) {
            return span;
        }
    }
    let hit = RECENT.with(|recent| {
        let recent = recent.borrow();
        let found = recent
            .iter()
            .flatten()
            .find(|(z, s)| *z == tz && s.contains(t));
        found.map(|(_, span)| *span)
    });
    if let Some(span) = hit {
        NEWEST.set(Some((tz, span)));
        return span;
    }
    let span = BLOCKS.with(|blocks| {
        let mut blocks = blocks.borrow_mut();
        if blocks.len() > MAX_BLOCKS {
            blocks.clear();
        }
        find_span(&mut blocks, tz, t)
    });
    RECENT.with(|recent| {
        let mut recent = recent.borrow_mut();
        recent.rotate_right(1);
        recent[0] = Some((tz, span));
    });
    NEWEST.set(Some((tz, span)));
    span
}

/// UTC offset in microseconds of a chrono-tz offset value.
pub(crate) fn micros(value: &TzOffset) -> i64 {
    i64::from(value.fix().local_minus_utc()) * 1_000_000
}

fn find_span(blocks: &mut HashMap<(Tz, i64), Block>, tz: Tz, t: i64) -> Span {
    let b = t.div_euclid(BLOCK);
    for k in b - REACH..=b + REACH {
        blocks.entry((tz, k)).or_insert_with(|| scan(tz, k));
    }
    let block = |k: i64| &blocks[&(tz, k)];
    // The change that starts the span and the value before it.
    let start = (b - REACH..=b).rev().find_map(|k| {
        let found = block(k);
        let i = found.changes.partition_point(|c| c.0 <= t);
        let before = match i {
            0 => return None,
            1 => found.start,
            _ => found.changes[i - 2].1,
        };
        Some((found.changes[i - 1], before))
    });
    let (from, value, first_pass_from) = match start {
        Some(((from, value), before)) => {
            let fold = (micros(&before) - micros(&value)).max(0);
            // A civil time of the span past the fold is new, unless an even earlier span
            // with a larger offset showed it: rule that out with the span before's length.
            let previous = (b - REACH..=b).rev().find_map(|k| {
                let found = block(k);
                let i = found.changes.partition_point(|c| c.0 < from);
                i.checked_sub(1).map(|i| found.changes[i].0)
            });
            let settled = previous.is_some_and(|p| from - p >= MAX_OFFSET_SPREAD);
            let margin = if settled { fold } else { MAX_OFFSET_SPREAD };
            (from, value, from.saturating_add(margin))
        }
        None => {
            let from = (b - REACH).saturating_mul(BLOCK);
            let value = block(b - REACH).start;
            (from, value, from.saturating_add(MAX_OFFSET_SPREAD))
        }
    };
    let until = (b..=b + REACH)
        .find_map(|k| {
            let found = block(k);
            let i = found.changes.partition_point(|c| c.0 <= t);
            found.changes.get(i).map(|c| c.0)
        })
        .unwrap_or_else(|| (b + REACH + 1).saturating_mul(BLOCK));
    Span {
        from,
        until,
        offset: micros(&value),
        first_pass_from,
        value,
    }
}

/// chrono-tz's offset value at second `s` (clamped to chrono's range).
fn value_at(tz: Tz, s: i64) -> TzOffset {
    // Years ±200,000: inside chrono's range, far outside the evaluator's.
    let s = s.clamp(-6_000_000_000_000, 6_000_000_000_000);
    let naive = DateTime::from_timestamp(s, 0)
        .map(|d| d.naive_utc())
        .unwrap_or_default();
    tz.offset_from_utc_datetime(&naive)
}

/// The offset changes of block `b`: one probe a day, each change bisected to the second.
fn scan(tz: Tz, b: i64) -> Block {
    let first = b.saturating_mul(BLOCK) / 1_000_000;
    let last = first + BLOCK / 1_000_000;
    let start = value_at(tz, first);
    let mut changes = Vec::new();
    let (mut low, mut value) = (first, start);
    while low < last {
        let high = (low + PROBE).min(last);
        if value_at(tz, high) == value {
            low = high;
            continue;
        }
        // The first second in `(low, high]` with another value; look on from there.
        let (mut l, mut h) = (low, high);
        while h - l > 1 {
            let mid = l + (h - l) / 2;
            if value_at(tz, mid) == value {
                l = mid;
            } else {
                h = mid;
            }
        }
        value = value_at(tz, h);
        if h < last {
            // A change at `last` itself is the next block's start value.
            changes.push((h * 1_000_000, value));
        }
        low = h;
    }
    Block { start, changes }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::{America, Australia, Europe, Pacific};

    fn offset_at(tz: Tz, t: i64) -> TzOffset {
        let naive = DateTime::from_timestamp_micros(t).unwrap().naive_utc();
        tz.offset_from_utc_datetime(&naive)
    }

    /// Every span agrees with chrono-tz at its ends, inside, and just outside.
    #[test]
    fn spans_agree_with_chrono_tz() {
        let zones = [
            America::New_York,
            Europe::Helsinki,
            Australia::Lord_Howe,
            Pacific::Apia,
            Pacific::Chatham,
            America::Sao_Paulo,
            Tz::Asia__Tokyo,
            Tz::UTC,
        ];
        for tz in zones {
            // 1900 to 2040, stepping a bit over 11 days.
            let mut t = -2_208_988_800_000_000;
            while t < 2_208_988_800_000_000 {
                let span = span_at(tz, t);
                assert!(span.contains(t), "{tz:?} {t}");
                for u in [span.from, t, span.until - 1] {
                    assert!(offset_at(tz, u) == span.value, "{tz:?} at {u}");
                    assert_eq!(micros(&offset_at(tz, u)), span.offset);
                }
                // Ends that are not block edges are changes.
                if span.until % BLOCK != 0 {
                    assert!(
                        offset_at(tz, span.until) != span.value,
                        "{tz:?} {}",
                        span.until
                    );
                }
                if span.from % BLOCK != 0 {
                    assert!(
                        offset_at(tz, span.from - 1) != span.value,
                        "{tz:?} {}",
                        span.from
                    );
                }
                t += 1_000_000_000_000 + 7;
            }
        }
    }

    #[test]
    fn new_york_2024() {
        let t = 1_710_151_633_000_000; // 2024-03-11T10:07:13Z
        let span = span_at(America::New_York, t);
        assert_eq!(span.from, 1_710_054_000_000_000); // 2024-03-10T07:00:00Z
        assert_eq!(span.until, 1_730_613_600_000_000); // 2024-11-03T06:00:00Z
        assert_eq!(span.offset, -4 * 3_600_000_000);
        assert_eq!(span.first_pass_from, span.from); // after a spring change, no fold
        let winter = span_at(America::New_York, span.until);
        assert_eq!(winter.from, span.until);
        assert_eq!(winter.first_pass_from, span.until + 3_600_000_000);
    }
}
