//! Civil time in a zone → instant: the one conversion, under a named policy.
//!
//! Statements, task logs and command lines name *civil times* (what a wall clock shows,
//! `2024-03-10 02:30`) in an IANA zone; answers and histories are *instants*. Most civil
//! times name exactly one instant. The rest do not: in a DST *gap* the clock skips them, in
//! a *fold* it shows them twice. [`to_instant`] is the only place that decides which
//! instant such a time names, and every caller says which rule it wants:
//!
//! | input | policy |
//! |---|---|
//! | statement times in the evaluator, timeline cells | [`CivilPolicy::FirstReached`] (what both [`DstPolicy`] variants use for a single time) |
//! | task-log timestamps, `--at`/`now`, times typed in the REPL | [`CivilPolicy::Fold0`] (Python's and so Rocketry's reading) |
//!
//! The evaluator moves whole occurrences out of gaps under [`DstPolicy`]; its fast,
//! integer converter (`eval::zone::Zone`) answers single times through [`to_instant`].

use chrono::{DateTime, LocalResult, NaiveDateTime, Offset, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

/// How civil times that the wall clock skips (a DST *gap*) or shows twice (a *fold*) are
/// treated.
///
/// In every policy a time predicate is judged on the wall clock: `time of day between
/// 01:00 and 03:00` holds for one real hour on a spring-forward day and for three on a
/// fall-back day in America/New_York. In a fold a cycle, occurrence or cron slot *starts*
/// at the first pass, so a run during the first 01:30 also counts for the second one, and
/// a once-per-slot statement runs once. The policies differ on gaps only.
///
/// ```
/// use chrono::TimeZone;
/// use tminus::{DstPolicy, MemoryHistory, Statement};
///
/// // 2024-03-10 02:30 does not exist in New York: the clock jumps from 02:00 to 03:00.
/// let s = Statement::parse("cron 30 2 * * *")?;
/// let ny = chrono_tz::America::New_York;
/// let from = ny.with_ymd_and_hms(2024, 3, 10, 0, 0, 0).unwrap().to_utc();
/// let history = MemoryHistory::new();
/// let day = chrono::TimeDelta::hours(12);
///
/// let skip = s.schedule().next_window(from, day, ny, &history);
/// assert!(skip.window().is_none()); // the skipped 02:30 does not happen
///
/// let forward = s.schedule().with_dst(DstPolicy::Forward).next_window(from, day, ny, &history);
/// let w = forward.window().unwrap();
/// assert_eq!(w.start.to_rfc3339(), "2024-03-10T03:00:00-04:00"); // it happens when the gap ends
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DstPolicy {
    /// The default: a civil time the clock skips never happens. An occurrence that
    /// starts in a gap and ends after it starts when the gap ends (`daily after 02:30`
    /// opens at 03:00); one that lies wholly in the gap (`cron 30 2 * * *`, `time of day
    /// between 02:10 and 02:50`) does not happen that day. This is systemd's behaviour
    /// for `OnCalendar=` and Rocketry's for time periods.
    #[default]
    Skip,
    /// A civil time the clock skips happens when the gap ends: an occurrence that lies
    /// wholly in a gap is moved to the end of the gap and keeps its length
    /// (`cron 30 2 * * *` holds 03:00–03:01 on the spring-forward day in New York). This
    /// is what Vixie cron and croner do for fixed-time jobs.
    Forward,
}

/// Which instant a civil time names when the wall clock skips it (a gap) or shows it
/// twice (a fold). Both policies take the first pass in a fold; they differ on gaps.
///
/// # Example: a time in New York's spring-forward gap
///
/// ```
/// use tminus::zone::{to_instant, CivilPolicy};
///
/// // 2024-03-10 02:30 does not exist in New York: the clock jumps from 02:00 to 03:00.
/// let civil = "2024-03-10T02:30:00".parse()?;
/// let ny = chrono_tz::America::New_York;
/// let first = to_instant(civil, ny, CivilPolicy::FirstReached).ok_or("range")?;
/// assert_eq!(first.to_rfc3339(), "2024-03-10T07:00:00+00:00"); // 03:00 EDT, the gap's end
/// let fold0 = to_instant(civil, ny, CivilPolicy::Fold0).ok_or("range")?;
/// assert_eq!(fold0.to_rfc3339(), "2024-03-10T07:30:00+00:00"); // 03:30 EDT, read with EST
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CivilPolicy {
    /// The first instant at which the wall clock shows the time or a later one: in a gap,
    /// the instant the gap ends. The evaluator's reading of a single civil time under
    /// either [`DstPolicy`], and the timeline's.
    FirstReached,
    /// Python's `fold=0`, which Rocketry inherits: in a gap, the offset in force before
    /// it, so the instant lands as far after the gap as the time was into it (Helsinki
    /// `2024-03-31T03:30` is `04:30+03:00`). Input timestamps: task logs, `--at`, the REPL.
    Fold0,
}

impl From<DstPolicy> for CivilPolicy {
    /// Both evaluator policies read a single civil time the same way; they differ in how
    /// whole occurrences are moved out of gaps, which the evaluator does itself.
    fn from(_: DstPolicy) -> CivilPolicy {
        CivilPolicy::FirstReached
    }
}

/// The instant that civil time `civil` names in `zone` under `policy`; `None` outside
/// chrono's range. In a fold it is always the first pass.
///
/// ```
/// use tminus::zone::{to_instant, CivilPolicy};
///
/// // 01:30 happens twice in New York on 2024-11-03: first in EDT, then in EST.
/// let civil = "2024-11-03T01:30:00".parse()?;
/// let at = to_instant(civil, chrono_tz::America::New_York, CivilPolicy::Fold0).ok_or("range")?;
/// assert_eq!(at.to_rfc3339(), "2024-11-03T05:30:00+00:00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn to_instant(civil: NaiveDateTime, zone: Tz, policy: CivilPolicy) -> Option<DateTime<Utc>> {
    match zone.from_local_datetime(&civil) {
        LocalResult::Single(at) => Some(at.to_utc()),
        LocalResult::Ambiguous(first, second) => Some(first.to_utc().min(second.to_utc())),
        LocalResult::None => match policy {
            CivilPolicy::FirstReached => gap_end(civil, zone),
            CivilPolicy::Fold0 => {
                let probe = civil.checked_sub_signed(TimeDelta::days(1))?;
                let before = zone.offset_from_utc_datetime(&probe).fix();
                Some(civil.checked_sub_offset(before)?.and_utc())
            }
        },
    }
}

/// The first instant at which the wall clock of `zone` shows `civil` or later, for a
/// `civil` in a gap.
fn gap_end(civil: NaiveDateTime, zone: Tz) -> Option<DateTime<Utc>> {
    // Offsets lie within ±26 h, so the jump over `civil` happens within that distance.
    const REACH: i64 = 26 * 3_600_000_000;
    let target = civil.and_utc().timestamp_micros();
    let wall = |t: i64| {
        let utc = DateTime::from_timestamp_micros(t).map(|d| d.naive_utc());
        utc.map(|utc| {
            t + i64::from(zone.offset_from_utc_datetime(&utc).fix().local_minus_utc()) * 1_000_000
        })
    };
    let (mut low, mut high) = (target.checked_sub(REACH)?, target.checked_add(REACH)?);
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        if wall(mid)? >= target {
            high = mid;
        } else {
            low = mid;
        }
    }
    DateTime::from_timestamp_micros(high)
}

/// A zone named by its IANA name, spelled as the tz database spells it
/// (`Europe/Helsinki`, `EST`, `Etc/GMT+5`).
///
/// A name that is not one is an [`UnknownZone`] error suggesting the nearest name: the
/// same name in another case first (`est` → `EST`), then the closest by edit distance.
///
/// ```
/// assert_eq!(tminus::zone::named("Europe/Helsinki"), Ok(chrono_tz::Europe::Helsinki));
/// let error = tminus::zone::named("europe/helsinki").unwrap_err();
/// assert_eq!(error.suggestion(), Some("Europe/Helsinki"));
/// assert_eq!(tminus::zone::named("Europe/Helsinky").unwrap_err().suggestion(), Some("Europe/Helsinki"));
/// ```
pub fn named(name: &str) -> Result<Tz, UnknownZone> {
    if let Ok(tz) = name.parse::<Tz>() {
        return Ok(tz);
    }
    let names = || chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name());
    let suggestion = names().find(|n| n.eq_ignore_ascii_case(name)).or_else(|| {
        let lower: Vec<(String, &'static str)> =
            names().map(|n| (n.to_ascii_lowercase(), n)).collect();
        let found = crate::diag::suggest::closest(name, lower.iter().map(|(l, _)| l.as_str()))?;
        lower.iter().find(|(l, _)| l == found).map(|(_, n)| *n)
    });
    Err(UnknownZone {
        name: name.to_owned(),
        suggestion,
    })
}

/// A name that is not an IANA zone, with the nearest one when there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownZone {
    name: String,
    suggestion: Option<&'static str>,
}

impl UnknownZone {
    /// The name as given.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The zone most likely meant, spelled as the tz database spells it.
    pub fn suggestion(&self) -> Option<&'static str> {
        self.suggestion
    }
}

impl std::fmt::Display for UnknownZone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown time zone `{}`", self.name)?;
        match self.suggestion {
            Some(s) => write!(f, "; did you mean `{s}`?"),
            None => write!(f, " (use an IANA name such as Europe/Helsinki)"),
        }
    }
}

impl std::error::Error for UnknownZone {}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::{America::New_York, Europe::Helsinki};

    fn civil(text: &str) -> NaiveDateTime {
        text.parse().unwrap_or_default()
    }

    fn rfc3339(at: Option<DateTime<Utc>>, zone: Tz) -> String {
        at.map(|at| at.with_timezone(&zone).to_rfc3339())
            .unwrap_or_default()
    }

    #[test]
    fn folds_take_the_first_pass_under_every_policy() {
        for policy in [CivilPolicy::FirstReached, CivilPolicy::Fold0] {
            let at = to_instant(civil("2024-11-03T01:30:00"), New_York, policy);
            assert_eq!(rfc3339(at, New_York), "2024-11-03T01:30:00-04:00");
        }
    }

    #[test]
    fn gaps_end_or_keep_the_offset_before() {
        let gap = civil("2024-03-31T03:30:00");
        let first = to_instant(gap, Helsinki, CivilPolicy::FirstReached);
        assert_eq!(rfc3339(first, Helsinki), "2024-03-31T04:00:00+03:00");
        let fold0 = to_instant(gap, Helsinki, CivilPolicy::Fold0);
        assert_eq!(rfc3339(fold0, Helsinki), "2024-03-31T04:30:00+03:00");
    }

    #[test]
    fn a_skipped_day_ends_at_midnight() {
        let apia = chrono_tz::Pacific::Apia;
        let at = to_instant(
            civil("2011-12-30T12:00:00"),
            apia,
            CivilPolicy::FirstReached,
        );
        assert_eq!(rfc3339(at, apia), "2011-12-31T00:00:00+14:00");
    }

    #[test]
    fn both_evaluator_policies_read_a_time_as_first_reached() {
        assert_eq!(
            CivilPolicy::from(DstPolicy::Skip),
            CivilPolicy::FirstReached
        );
        assert_eq!(
            CivilPolicy::from(DstPolicy::Forward),
            CivilPolicy::FirstReached
        );
    }
}
