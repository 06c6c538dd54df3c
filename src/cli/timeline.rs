//! `tminus timeline STATEMENT [--days N]` and the REPL's `:timeline`: when a statement is
//! true over the coming days, drawn as one row per civil day of half-hour cells.
//!
//! A cell is filled when the statement is true during any part of its half hour. The cells
//! come from the statement's windows ([`Schedule::next_window`]), never from sampling
//! instants: after each window the search jumps to the first cell the window did not
//! reach, so a window of one second still fills its cell and a day costs at most one
//! search per cell. Cells end where the wall clock of the zone says they do; on the day of
//! a DST change a cell may be shorter (clock skipped) or longer (clock repeated), and each
//! instant belongs to exactly one cell.

use super::settings::{self, EvalArgs};
use super::{OK, USAGE};
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use std::fmt::Write as _;
use tminus::zone::{to_instant, CivilPolicy};
use tminus::{History, Next, Schedule, Statement};

/// Cells per day: half hours.
const CELLS_PER_DAY: usize = 48;
/// Minutes of wall-clock time in one cell.
const CELL_MINUTES: i64 = 30;
/// Cells between two hour labels of the header (two hours).
const LABEL_EVERY: usize = 4;
/// The most days one timeline draws (a year, leap or not).
pub const MAX_DAYS: u32 = 366;
/// The days drawn when none are asked for.
pub const DEFAULT_DAYS: u32 = 7;

/// Arguments of `tminus timeline`.
#[derive(clap::Args, Debug)]
pub struct TimelineCommand {
    /// The statement, e.g. "daily between 10:00 and 12:00".
    statement: String,
    /// How many days to draw, starting with the day of --after (1 to 366).
    #[arg(long, default_value_t = DEFAULT_DAYS, value_parser = clap::value_parser!(u32).range(1..=MAX_DAYS as i64))]
    days: u32,
    /// Draw from this instant on: ISO 8601, civil time in --tz unless it has an offset (default: now).
    #[arg(long, value_name = "TIME")]
    after: Option<String>,
    #[command(flatten)]
    common: EvalArgs,
}

/// Runs `tminus timeline`: 0 when drawn, 1 when the statement has an error, 2 on bad usage.
pub fn run(args: &TimelineCommand) -> u8 {
    let statement = match super::statement(&args.statement, &args.common.parse_options()) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match draw_for(args, &statement) {
        Ok(text) => {
            print!("{text}");
            OK
        }
        Err(e) => {
            eprintln!("error: {e}");
            USAGE
        }
    }
}

fn draw_for(args: &TimelineCommand, statement: &Statement) -> Result<String, String> {
    let settings::Resolved {
        zone,
        at: from,
        history,
    } = settings::resolve(&args.common, args.after.as_deref())?;
    let schedule = args.common.schedule(statement);
    Ok(draw(&schedule, from, args.days, zone, &history))
}

/// What one cell shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cell {
    /// Before the instant the timeline starts from.
    Past,
    /// False throughout.
    False,
    /// True during some part of it.
    True,
}

impl Cell {
    fn glyph(self) -> char {
        match self {
            Cell::Past => ' ',
            Cell::False => '·',
            Cell::True => '█',
        }
    }
}

/// The timeline of `schedule` over `days` civil days of `zone`, the first being the day of
/// `from`; cells before `from` are blank. Ends with a note when the statement has no
/// window to show (never true, waiting on an event).
pub fn draw<H: History + ?Sized>(
    schedule: &Schedule,
    from: DateTime<Utc>,
    days: u32,
    zone: Tz,
    history: &H,
) -> String {
    let first_day = from.with_timezone(&zone).date_naive();
    let edges = cell_edges(first_day, days, zone);
    let mut cells: Vec<Cell> = edges
        .windows(2)
        .map(|e| {
            if e[1] <= from {
                Cell::Past
            } else {
                Cell::False
            }
        })
        .collect();
    let first = fill(schedule, from, &edges, zone, history, &mut cells);
    let mut out = header(from, zone);
    for (day, row) in cells.chunks(CELLS_PER_DAY).enumerate() {
        let date = first_day + TimeDelta::days(day as i64);
        let _ = writeln!(
            out,
            "{}  {}",
            date.format("%a %Y-%m-%d"),
            row.iter().map(|c| c.glyph()).collect::<String>()
        );
    }
    out.push_str(&note(&first, days));
    out
}

/// The two header lines: what is drawn, then the hour labels above their cells.
fn header(from: DateTime<Utc>, zone: Tz) -> String {
    let start = super::human::instant(&from.with_timezone(&zone));
    let labels: String = (0..CELLS_PER_DAY / LABEL_EVERY)
        .map(|i| format!("{:<width$}", format!("{:02}", i * 2), width = LABEL_EVERY))
        .collect();
    format!(
        "{zone} from {start}; one cell is {CELL_MINUTES} minutes, █ where true in any part of it\n{:16}{}\n",
        "",
        labels.trim_end()
    )
}

/// What to say under the grid when the first search found no window.
fn note(first: &Next, days: u32) -> String {
    match first {
        Next::Window(_) => String::new(),
        Next::Never => "never: no instant can satisfy this statement\n".into(),
        Next::NotWithinHorizon => format!("not true within these {days} days\n"),
        Next::WaitsOn(events) => {
            let events: Vec<String> = events.iter().map(ToString::to_string).collect();
            format!("waits on: {}\n", events.join(", "))
        }
    }
}

/// Marks the cells that windows from `from` on touch; returns the first search's answer.
fn fill<H: History + ?Sized>(
    schedule: &Schedule,
    from: DateTime<Utc>,
    edges: &[DateTime<Utc>],
    zone: Tz,
    history: &H,
    cells: &mut [Cell],
) -> Next {
    let limit = *edges.last().expect("a timeline has at least one day");
    let mut t = from;
    let mut first = None;
    while t < limit {
        let next = schedule.next_window(t, limit - t, zone, history);
        let Next::Window(w) = &next else {
            return first.unwrap_or(next);
        };
        let start = w.start.with_timezone(&Utc);
        // An open window lasts at least to the end of the timeline.
        let end = w.end.map_or(limit, |e| e.with_timezone(&Utc)).min(limit);
        mark(cells, edges, start, end);
        first.get_or_insert(next);
        // Every cell the window touched is filled: go on from the first edge at or after
        // its end (a window is never empty, so `t` moves forward).
        t = edges[edges.partition_point(|e| *e < end).min(edges.len() - 1)].max(end);
    }
    first.unwrap_or(Next::NotWithinHorizon)
}

/// Fills the cells that overlap `[start, end)`.
fn mark(cells: &mut [Cell], edges: &[DateTime<Utc>], start: DateTime<Utc>, end: DateTime<Utc>) {
    // Cell i spans [edges[i], edges[i + 1]): it overlaps when it ends after `start` and
    // starts before `end`.
    let first = edges[1..].partition_point(|e| *e <= start);
    let last = edges[..cells.len()].partition_point(|e| *e < end);
    for cell in cells.iter_mut().take(last).skip(first) {
        if *cell != Cell::Past {
            *cell = Cell::True;
        }
    }
}

/// The instants at which the cells of `days` days from `first_day` start, plus the end of
/// the last one: never decreasing, `days * CELLS_PER_DAY + 1` of them.
fn cell_edges(first_day: NaiveDate, days: u32, zone: Tz) -> Vec<DateTime<Utc>> {
    let midnight = first_day.and_time(chrono::NaiveTime::MIN);
    (0..=days as i64 * CELLS_PER_DAY as i64)
        .map(|i| wall_clock_instant(zone, midnight + TimeDelta::minutes(i * CELL_MINUTES)))
        .collect()
}

/// The first instant at which the wall clock of `zone` shows `civil` or later: the earlier
/// of two in a fold, the end of the gap in a gap.
fn wall_clock_instant(zone: Tz, civil: NaiveDateTime) -> DateTime<Utc> {
    to_instant(civil, zone, CivilPolicy::FirstReached).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tminus::MemoryHistory;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn rows(statement: &str, from: &str, days: u32, zone: Tz) -> Vec<String> {
        let s = Statement::parse(statement).unwrap().schedule();
        let text = draw(&s, utc(from), days, zone, &MemoryHistory::new());
        text.lines().skip(2).map(|l| l[16..].to_owned()).collect()
    }

    #[test]
    fn a_window_fills_every_half_hour_it_touches() {
        let r = rows(
            "time of day between 10:10 and 11:05",
            "2024-03-11T00:00:00Z",
            1,
            Tz::UTC,
        );
        assert_eq!(r[0].chars().filter(|c| *c == '█').count(), 3);
        assert_eq!(r[0].chars().position(|c| c == '█'), Some(20));
    }

    #[test]
    fn cells_before_the_start_are_blank() {
        let r = rows("true", "2024-03-11T12:00:00Z", 2, Tz::UTC);
        assert_eq!(r[0], format!("{}{}", " ".repeat(24), "█".repeat(24)));
        assert_eq!(r[1], "█".repeat(48));
    }

    #[test]
    fn a_spring_forward_day_keeps_48_cells() {
        // Europe/Helsinki skips 03:00-04:00 on 2024-03-31.
        let edges = cell_edges(
            NaiveDate::from_ymd_opt(2024, 3, 31).unwrap(),
            1,
            chrono_tz::Europe::Helsinki,
        );
        assert_eq!(edges.len(), 49);
        assert_eq!(edges[6], edges[8]); // 03:00 and 04:00 are the same instant
        assert!(edges.windows(2).all(|e| e[0] <= e[1]));
    }

    #[test]
    fn a_fall_back_day_gives_the_repeated_hour_to_one_cell() {
        // Europe/Helsinki goes from 04:00 back to 03:00 on 2024-10-27.
        let day = NaiveDate::from_ymd_opt(2024, 10, 27).unwrap();
        let edges = cell_edges(day, 1, chrono_tz::Europe::Helsinki);
        assert_eq!(edges[8] - edges[7], TimeDelta::minutes(90)); // the 03:30 cell
        assert_eq!(edges[48] - edges[0], TimeDelta::hours(25));
    }

    #[test]
    fn never_true_says_so() {
        let s = Statement::parse("cron 0 0 30 2 *").unwrap().schedule();
        let text = draw(
            &s,
            utc("2024-03-11T00:00:00Z"),
            1,
            Tz::UTC,
            &MemoryHistory::new(),
        );
        assert!(text.ends_with("never: no instant can satisfy this statement\n"));
    }
}
