//! Text to compiled fields: splitting, macros, tokens, one parser per field, and every
//! message (with its did-you-mean) that parsing can produce.

use std::ops::Range;

use super::error::{CronError, CronErrorKind};
use super::field::Field;
use super::field::{MONTH_NAMES, WEEKDAY_NAMES};
use super::search::{DayExtras, Fields, WeekdayExtras, ALL_WEEKDAYS};
use super::CronExpr;
use crate::diag::suggest::edit_distance;

// ---------------------------------------------------------------------------
// Splitting the text into fields
// ---------------------------------------------------------------------------

/// Splits `text` into fields at ASCII whitespace, reporting every separator that is not
/// exactly one space between two fields.
pub(super) fn split_fields(text: &str, errors: &mut Vec<CronError>) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut fields = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let blank = bytes[i].is_ascii_whitespace();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() == blank {
            i += 1;
        }
        if !blank {
            fields.push(start..i);
        } else if let Some(error) = separator_error(text, start..i) {
            errors.push(error);
        }
    }
    fields
}

pub(super) fn separator_error(text: &str, run: Range<usize>) -> Option<CronError> {
    let blank = &text[run.clone()];
    let message = if run.start == 0 {
        "unexpected whitespace before the first field"
    } else if run.end == text.len() {
        "unexpected whitespace after the last field"
    } else if blank == " " {
        return None;
    } else if blank.bytes().all(|b| b == b' ') {
        return Some(
            CronError::syntax(run, "fields are separated by exactly one space")
                .with_help("remove the extra space"),
        );
    } else {
        "fields are separated by exactly one space, not tabs or line breaks"
    };
    let help = if blank == " " {
        "remove the space"
    } else {
        "replace it with one space"
    };
    Some(CronError::syntax(run, message).with_help(help))
}

pub(super) fn field_count_error(text: &str, fields: &[Range<usize>]) -> CronError {
    const SHAPE: &str = "a cron expression has 5 fields \
        (minute hour day-of-month month day-of-week) or 6 (second first)";
    let count = fields.len();
    let (range, message) = match fields {
        [] => (
            0..text.len(),
            format!("the cron expression is empty, {SHAPE}"),
        ),
        [first, .., last] if count < 5 => (
            first.start..last.end,
            format!("found {count} fields, {SHAPE}"),
        ),
        [only] => (only.clone(), format!("found 1 field, {SHAPE}")),
        [.., last] => (
            fields[6].start..last.end,
            format!("found {count} fields, {SHAPE}"),
        ),
    };
    let help = match count {
        7 => "a seventh (year) field is not supported, remove it",
        8.. => "remove the extra fields",
        _ => "write `0 0 * * *` for daily at midnight, or `*/5 * * * *` for every five minutes",
    };
    CronError::new(CronErrorKind::FieldCount, range, message).with_help(help)
}

// ---------------------------------------------------------------------------
// Macros
// ---------------------------------------------------------------------------

/// Each macro and the 5-field expression it stands for.
pub(super) const MACROS: [(&str, &str); 7] = [
    ("@yearly", "0 0 1 1 *"),
    ("@annually", "0 0 1 1 *"),
    ("@monthly", "0 0 1 * *"),
    ("@weekly", "0 0 * * 0"),
    ("@daily", "0 0 * * *"),
    ("@midnight", "0 0 * * *"),
    ("@hourly", "0 * * * *"),
];

pub(super) const MACRO_LIST: &str =
    "@yearly, @annually, @monthly, @weekly, @daily, @midnight and @hourly";

pub(super) fn parse_macro(
    text: &str,
    fields: &[Range<usize>],
    mut errors: Vec<CronError>,
) -> Result<CronExpr, Vec<CronError>> {
    let written = &text[fields[0].clone()];
    if let [_, second, ..] = fields {
        let rest = second.start..fields[fields.len() - 1].end;
        let message = format!("the macro `{written}` stands alone");
        errors.push(CronError::syntax(rest, message).with_help("remove what follows it"));
    }
    let name = written.to_ascii_lowercase();
    let Some((canonical, expansion)) = MACROS.iter().find(|(m, _)| *m == name) else {
        errors.push(unknown_macro(written, fields[0].clone()));
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let expanded = split_fields(expansion, &mut errors);
    match compile(expansion, &expanded, &mut errors) {
        Some(compiled) if errors.is_empty() => {
            Ok(CronExpr::new(canonical.to_string(), false, compiled))
        }
        _ => Err(errors),
    }
}

pub(super) fn unknown_macro(written: &str, range: Range<usize>) -> CronError {
    let name = written.to_ascii_lowercase();
    if name == "@reboot" {
        let message =
            format!("`{written}` runs at startup, not at a time; macros here are {MACRO_LIST}");
        return CronError::new(CronErrorKind::Unsupported, range, message);
    }
    let message = format!("unknown macro `{written}`, macros are {MACRO_LIST}");
    let error = CronError::new(CronErrorKind::UnknownName, range, message);
    let closest = MACROS
        .iter()
        .map(|(m, _)| (edit_distance(&name, m), *m))
        .min_by_key(|(distance, _)| *distance);
    match closest {
        Some((distance, m)) if distance <= 2 => error.with_help(format!("did you mean `{m}`?")),
        _ => error,
    }
}

// ---------------------------------------------------------------------------
// Compiling the fields
// ---------------------------------------------------------------------------

/// Compiles 5 or 6 field spans of `text`, pushing every error; `None` if any field failed.
pub(super) fn compile(
    text: &str,
    spans: &[Range<usize>],
    errors: &mut Vec<CronError>,
) -> Option<Fields> {
    let kinds: &[Field] = if spans.len() == 6 {
        &Field::SIX
    } else {
        &Field::FIVE
    };
    let mut sets = [FieldSet::default(); 6];
    let mut ok = true;
    for (&field, span) in kinds.iter().zip(spans) {
        match (FieldParser { text, field }).parse(span.clone(), errors) {
            Some(set) => sets[field as usize] = set,
            None => ok = false,
        }
    }
    if !ok {
        return None;
    }
    if kinds.len() == 5 {
        sets[Field::Second as usize].bits = 1;
    }
    let restricted = |span: &Range<usize>| !matches!(&text[span.clone()], "*" | "?");
    let n = spans.len();
    let either_day = restricted(&spans[n - 3]) && restricted(&spans[n - 1]);
    Some(Fields::from_sets(&sets, either_day))
}

impl Fields {
    pub(super) fn from_sets(sets: &[FieldSet; 6], either_day: bool) -> Fields {
        let get = |field: Field| &sets[field as usize];
        let weekday_bits = get(Field::DayOfWeek).bits;
        Fields {
            seconds: get(Field::Second).bits,
            minutes: get(Field::Minute).bits,
            hours: get(Field::Hour).bits as u32,
            days: get(Field::DayOfMonth).bits as u32,
            months: get(Field::Month).bits as u16,
            weekdays: ((weekday_bits | weekday_bits >> 7) & u64::from(ALL_WEEKDAYS)) as u8,
            day_extras: get(Field::DayOfMonth).day_extras,
            weekday_extras: get(Field::DayOfWeek).weekday_extras,
            either_day,
        }
    }
}

/// What one list item of a field selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Piece {
    /// `start..=end` every `step`.
    Values {
        start: u32,
        end: u32,
        step: u32,
    },
    LastDay,
    LastWeekday,
    NearestWeekday(u32),
    LastOf(u32),
    Nth {
        weekday: u32,
        occurrence: u32,
    },
}

/// The union of a field's list items.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct FieldSet {
    pub(super) bits: u64,
    pub(super) day_extras: DayExtras,
    pub(super) weekday_extras: WeekdayExtras,
}

impl FieldSet {
    pub(super) fn add(&mut self, piece: Piece) {
        match piece {
            Piece::Values { start, end, step } => {
                for value in (start..=end).step_by(step as usize) {
                    self.bits |= 1 << value;
                }
            }
            Piece::LastDay => self.day_extras.last = true,
            Piece::LastWeekday => self.day_extras.last_weekday = true,
            Piece::NearestWeekday(day) => self.day_extras.nearest |= 1 << day,
            Piece::LastOf(weekday) => self.weekday_extras.last |= 1 << (weekday % 7),
            Piece::Nth {
                weekday,
                occurrence,
            } => {
                self.weekday_extras.nth[occurrence as usize - 1] |= 1 << (weekday % 7);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Tokens of one list item
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TokKind {
    /// Digits; saturates at `u32::MAX`.
    Num(u32),
    /// ASCII letters.
    Word,
    Star,
    Question,
    Dash,
    Slash,
    Hash,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Tok {
    pub(super) kind: TokKind,
    /// Absolute byte range in the parsed text.
    pub(super) span: Range<usize>,
}

/// Splits one list item into tokens; any other character is a syntax error.
pub(super) fn lex(text: &str, item: Range<usize>) -> Result<Vec<Tok>, CronError> {
    let bytes = text.as_bytes();
    let mut toks = Vec::new();
    let mut i = item.start;
    while i < item.end {
        let start = i;
        let b = bytes[i];
        let kind = if b.is_ascii_digit() {
            i = run_end(bytes, i, item.end, u8::is_ascii_digit);
            TokKind::Num(saturating_number(&text[start..i]))
        } else if b.is_ascii_alphabetic() {
            i = run_end(bytes, i, item.end, u8::is_ascii_alphabetic);
            TokKind::Word
        } else {
            i += 1;
            match b {
                b'*' => TokKind::Star,
                b'?' => TokKind::Question,
                b'-' => TokKind::Dash,
                b'/' => TokKind::Slash,
                b'#' => TokKind::Hash,
                _ => return Err(stray_character(text, start)),
            }
        };
        toks.push(Tok {
            kind,
            span: start..i,
        });
    }
    Ok(toks)
}

/// The end of the run of bytes from `start` (before `end`) that satisfy `keep`.
pub(super) fn run_end(bytes: &[u8], mut start: usize, end: usize, keep: fn(&u8) -> bool) -> usize {
    while start < end && keep(&bytes[start]) {
        start += 1;
    }
    start
}

pub(super) fn saturating_number(digits: &str) -> u32 {
    digits.bytes().fold(0u32, |n, d| {
        n.saturating_mul(10).saturating_add(u32::from(d - b'0'))
    })
}

pub(super) fn stray_character(text: &str, at: usize) -> CronError {
    let ch = text[at..].chars().next().unwrap_or(' ');
    let message = format!("unexpected character `{ch}`");
    let help = match ch {
        ',' | '-' | '/' | '*' | '?' | '#' => "this character cannot appear here",
        _ => {
            "fields hold numbers, names, and the characters `*` `,` `-` `/` \
             (and `?` `L` `W` `#` in the day fields)"
        }
    };
    CronError::syntax(at..at + ch.len_utf8(), message).with_help(help)
}

// ---------------------------------------------------------------------------
// Parsing one field
// ---------------------------------------------------------------------------

/// Parses the list items of one field of `text`.
pub(super) struct FieldParser<'a> {
    pub(super) text: &'a str,
    pub(super) field: Field,
}

impl FieldParser<'_> {
    /// Parses the field at `span`, pushing an error for every bad list item.
    pub(super) fn parse(
        &self,
        span: Range<usize>,
        errors: &mut Vec<CronError>,
    ) -> Option<FieldSet> {
        let before = errors.len();
        let mut set = FieldSet::default();
        let mut start = span.start;
        for piece in self.text[span.clone()].split(',') {
            let item = start..start + piece.len();
            start = item.end + 1;
            match self.parse_item(item, span.end) {
                Ok(piece) => set.add(piece),
                Err(error) => errors.push(error),
            }
        }
        (errors.len() == before).then_some(set)
    }

    pub(super) fn parse_item(
        &self,
        item: Range<usize>,
        field_end: usize,
    ) -> Result<Piece, CronError> {
        if item.is_empty() {
            let comma = if item.end < field_end {
                item.end..item.end + 1
            } else {
                item.start - 1..item.start
            };
            return Err(CronError::syntax(
                comma,
                format!("empty item in the {} list", self.field.label()),
            )
            .with_help("remove the extra comma"));
        }
        let toks = lex(self.text, item.clone())?;
        match toks.iter().position(|t| t.kind == TokKind::Slash) {
            Some(i) => self.parse_stepped(&toks[..i], &toks[i], &toks[i + 1..]),
            None => self.parse_plain(&toks, item),
        }
    }

    pub(super) fn written(&self, span: &Range<usize>) -> &str {
        &self.text[span.clone()]
    }

    pub(super) fn upper(&self, tok: &Tok) -> String {
        self.written(&tok.span).to_ascii_uppercase()
    }

    pub(super) fn parse_stepped(
        &self,
        base: &[Tok],
        slash: &Tok,
        step: &[Tok],
    ) -> Result<Piece, CronError> {
        let (start, end) = match base {
            [] => {
                let message = "`/` needs `*`, a value or a range before it";
                return Err(
                    CronError::syntax(slash.span.clone(), message).with_help(self.step_example())
                );
            }
            [t] if t.kind == TokKind::Star => (self.field.min(), self.field.star_max()),
            [a, dash, b] if dash.kind == TokKind::Dash => self.range(a, b)?,
            [v] => {
                let v = self.value(v)?;
                (v, v.max(self.field.star_max()))
            }
            [first, .., last] => return Err(self.malformed(base, first.span.start..last.end())),
        };
        let step = self.step(slash, step)?;
        Ok(Piece::Values { start, end, step })
    }

    pub(super) fn step_example(&self) -> String {
        let n = match self.field {
            Field::Second | Field::Minute => 15,
            Field::Hour | Field::DayOfMonth | Field::DayOfWeek => 2,
            Field::Month => 3,
        };
        format!("write `*/{n}` for every {n} {}", self.field.plural())
    }

    pub(super) fn step(&self, slash: &Tok, toks: &[Tok]) -> Result<u32, CronError> {
        use CronErrorKind::BadStep;
        let span = self.field.span();
        match toks {
            [] => Err(CronError::new(
                BadStep,
                slash.span.clone(),
                "`/` must be followed by a step",
            )
            .with_help(self.step_example())),
            [t] => match t.kind {
                TokKind::Num(0) => Err(CronError::new(
                    BadStep,
                    t.span.clone(),
                    "step 0 never advances, steps start at 1",
                )),
                TokKind::Num(n) if n > span => {
                    let message = format!(
                        "step {} is too large, {} steps run from 1 to {span}",
                        self.written(&t.span),
                        self.field.noun()
                    );
                    Err(CronError::new(BadStep, t.span.clone(), message))
                }
                TokKind::Num(n) => Ok(n),
                _ => Err(self.step_not_a_number(t.span.clone())),
            },
            [first, .., last] => match toks.iter().find(|t| t.kind == TokKind::Slash) {
                Some(second) => Err(CronError::syntax(
                    second.span.clone(),
                    "only one `/` is allowed in a list item",
                )),
                None => Err(self.step_not_a_number(first.span.start..last.end())),
            },
        }
    }

    pub(super) fn step_not_a_number(&self, span: Range<usize>) -> CronError {
        let message = format!("step `{}` is not a number", self.written(&span));
        CronError::new(CronErrorKind::BadStep, span, message).with_help(self.step_example())
    }

    pub(super) fn parse_plain(&self, toks: &[Tok], item: Range<usize>) -> Result<Piece, CronError> {
        match toks {
            [t] if t.kind == TokKind::Star => Ok(self.everything()),
            [t] if t.kind == TokKind::Question => self.question(t),
            [t] => self.single(t),
            [a, dash, b] if dash.kind == TokKind::Dash => {
                let (start, end) = self.range(a, b)?;
                Ok(Piece::Values {
                    start,
                    end,
                    step: 1,
                })
            }
            [v, hash, n] if hash.kind == TokKind::Hash => self.nth(v, hash, n),
            [n, w] if matches!(n.kind, TokKind::Num(_)) && w.kind == TokKind::Word => {
                self.suffixed(n, w)
            }
            _ => Err(self.malformed(toks, item)),
        }
    }

    pub(super) fn everything(&self) -> Piece {
        Piece::Values {
            start: self.field.min(),
            end: self.field.star_max(),
            step: 1,
        }
    }

    pub(super) fn question(&self, t: &Tok) -> Result<Piece, CronError> {
        if matches!(self.field, Field::DayOfMonth | Field::DayOfWeek) {
            return Ok(self.everything());
        }
        let message = format!(
            "`?` is only allowed in the day-of-month and day-of-week fields, not the {} field",
            self.field.label()
        );
        Err(
            CronError::new(CronErrorKind::Unsupported, t.span.clone(), message)
                .with_help("write `*` instead"),
        )
    }

    /// One number or name, or a one-word extension (`L`, `LW`, `FRIL`).
    pub(super) fn single(&self, t: &Tok) -> Result<Piece, CronError> {
        if t.kind == TokKind::Word {
            if let Some(piece) = self.extension_word(t)? {
                return Ok(piece);
            }
        }
        let value = self.value(t)?;
        Ok(Piece::Values {
            start: value,
            end: value,
            step: 1,
        })
    }

    /// Reads `L`, `LW` and `<weekday name>L`; `Ok(None)` for any other word.
    pub(super) fn extension_word(&self, t: &Tok) -> Result<Option<Piece>, CronError> {
        let word = self.upper(t);
        match (self.field, word.as_str()) {
            (Field::DayOfMonth, "L") => Ok(Some(Piece::LastDay)),
            (Field::DayOfMonth, "LW") => Ok(Some(Piece::LastWeekday)),
            (Field::DayOfMonth, "W") => Err(CronError::syntax(
                t.span.clone(),
                "`W` needs a day before it",
            )
            .with_help("write `15W` for the weekday nearest the 15th")),
            (Field::DayOfWeek, "L") => Err(CronError::syntax(
                t.span.clone(),
                "`L` in the day-of-week field needs a weekday before it",
            )
            .with_help("write `5L` or `FRIL` for the last Friday of the month")),
            (Field::DayOfWeek, w) if w.len() > 1 && w.ends_with('L') => Ok(self
                .field
                .name_value(&w[..w.len() - 1])
                .map(|d| Piece::LastOf(d % 7))),
            (_, "L" | "W" | "LW") => Err(self.misplaced_extension(&word, t.span.clone())),
            _ => Ok(None),
        }
    }

    pub(super) fn misplaced_extension(&self, word: &str, span: Range<usize>) -> CronError {
        let fields = if word == "L" {
            "day-of-month and day-of-week fields"
        } else {
            "day-of-month field"
        };
        let message = format!(
            "`{word}` is only allowed in the {fields}, not the {} field",
            self.field.label()
        );
        CronError::new(CronErrorKind::Unsupported, span, message)
    }

    /// `15W` in day-of-month, `5L` in day-of-week.
    pub(super) fn suffixed(&self, n: &Tok, w: &Tok) -> Result<Piece, CronError> {
        let word = self.upper(w);
        match (self.field, word.as_str()) {
            (Field::DayOfMonth, "W") => Ok(Piece::NearestWeekday(self.value(n)?)),
            (Field::DayOfWeek, "L") => Ok(Piece::LastOf(self.value(n)? % 7)),
            (Field::DayOfMonth, "L") => Err(CronError::syntax(
                n.span.start..w.end(),
                "`L` in the day-of-month field stands alone",
            )
            .with_help("write `L` for the last day of the month")),
            (_, "L" | "W" | "LW") => Err(self.misplaced_extension(&word, w.span.clone())),
            _ => Err(self.malformed(&[n.clone(), w.clone()], n.span.start..w.end())),
        }
    }

    /// `5#3` or `FRI#3`: the third Friday.
    pub(super) fn nth(&self, v: &Tok, hash: &Tok, n: &Tok) -> Result<Piece, CronError> {
        if self.field != Field::DayOfWeek {
            return Err(self.misplaced_hash(hash));
        }
        let weekday = self.value(v)? % 7;
        let TokKind::Num(occurrence) = n.kind else {
            return Err(CronError::syntax(
                n.span.clone(),
                "`#` must be followed by an occurrence from 1 to 5",
            )
            .with_help("write `FRI#3` for the third Friday of the month"));
        };
        if !(1..=5).contains(&occurrence) {
            let message = format!(
                "occurrence {} is out of range, occurrences run from 1 to 5",
                self.written(&n.span)
            );
            let error = CronError::new(CronErrorKind::OutOfRange, n.span.clone(), message);
            return Err(error.with_help(
                "a weekday occurs at most 5 times in a month; write `5L` for the last Friday",
            ));
        }
        Ok(Piece::Nth {
            weekday,
            occurrence,
        })
    }

    pub(super) fn misplaced_hash(&self, hash: &Tok) -> CronError {
        let message = format!(
            "`#` is only allowed in the day-of-week field, not the {} field",
            self.field.label()
        );
        CronError::new(CronErrorKind::Unsupported, hash.span.clone(), message)
    }

    /// `a-b`, inclusive; in day-of-week a range from Monday or later to the name `SUN` ends
    /// at 7, so `FRI-SUN` is Friday to Sunday.
    pub(super) fn range(&self, a: &Tok, b: &Tok) -> Result<(u32, u32), CronError> {
        let start = self.value(a)?;
        let mut end = self.value(b)?;
        if self.field == Field::DayOfWeek && start > 0 && end == 0 && b.kind == TokKind::Word {
            end = 7;
        }
        if start <= end {
            return Ok((start, end));
        }
        let span = a.span.start..b.end();
        let message = format!(
            "range `{}` starts after it ends, {} is after {}",
            self.written(&span),
            start,
            end
        );
        let error = CronError::new(CronErrorKind::BadRange, span, message);
        Err(error.with_help(self.wrap_help(a, start, b, end)))
    }

    /// Help for a backwards range: split it in two at the end of the field.
    pub(super) fn wrap_help(&self, a: &Tok, start: u32, b: &Tok, end: u32) -> String {
        let names = self.field.names();
        let spell = |tok: &Tok, value: u32| match (
            tok.kind,
            names.get((value - self.field.min()) as usize),
        ) {
            (TokKind::Word, Some(name)) => name.to_string(),
            _ => value.to_string(),
        };
        let (first, last) = (spell(b, self.field.min()), spell(a, self.field.star_max()));
        let (a, b) = (self.upper(a), self.upper(b));
        let head = if start >= self.field.star_max() {
            a
        } else {
            format!("{a}-{last}")
        };
        let tail = if end == self.field.min() {
            b
        } else {
            format!("{first}-{b}")
        };
        format!("ranges do not wrap around, write `{head},{tail}`")
    }

    /// A number or name, checked against the field's range.
    pub(super) fn value(&self, t: &Tok) -> Result<u32, CronError> {
        match t.kind {
            TokKind::Num(n) if (self.field.min()..=self.field.max()).contains(&n) => Ok(n),
            TokKind::Num(_) => Err(self.out_of_range(t)),
            TokKind::Word => self.name(t),
            TokKind::Hash => Err(self.misplaced_hash(t)),
            _ => {
                let message = format!(
                    "unexpected `{}` in the {} field",
                    self.written(&t.span),
                    self.field.label()
                );
                Err(CronError::syntax(t.span.clone(), message))
            }
        }
    }

    pub(super) fn out_of_range(&self, t: &Tok) -> CronError {
        let written = self.written(&t.span);
        let message = format!(
            "{} {written} is out of range, {}",
            self.field.noun(),
            self.field.allowed_values()
        );
        let error = CronError::new(CronErrorKind::OutOfRange, t.span.clone(), message);
        match (self.field, t.kind) {
            (Field::Hour, TokKind::Num(24)) => error.with_help("write `0` for midnight"),
            (Field::DayOfMonth | Field::Month, TokKind::Num(0)) => {
                error.with_help(format!("{} start at 1", self.field.plural()))
            }
            _ => error,
        }
    }

    /// A month or weekday name (case-insensitive).
    pub(super) fn name(&self, t: &Tok) -> Result<u32, CronError> {
        let word = self.upper(t);
        if let Some(value) = self.field.name_value(&word) {
            return Ok(value);
        }
        if matches!(word.as_str(), "L" | "W" | "LW") {
            return Err(match self.field {
                Field::DayOfMonth | Field::DayOfWeek => CronError::syntax(
                    t.span.clone(),
                    format!("`{word}` cannot be part of a range or a step"),
                ),
                _ => self.misplaced_extension(&word, t.span.clone()),
            });
        }
        Err(self.unknown_name(t, &word))
    }

    pub(super) fn unknown_name(&self, t: &Tok, word: &str) -> CronError {
        let written = self.written(&t.span);
        let (noun, field) = (self.field.noun(), self.field);
        let other = if WEEKDAY_NAMES.contains(&word) {
            Some("day of the week")
        } else if MONTH_NAMES.contains(&word) {
            Some("month")
        } else {
            None
        };
        let message = match (field.names().is_empty(), other) {
            (true, Some(kind)) => format!("`{written}` is a {kind} name, {}", field.number_list()),
            (true, None) => format!("`{written}` is not a {noun}, {}", field.number_list()),
            (false, Some(kind)) => format!("`{written}` is a {kind}, not a {noun}"),
            (false, None) => format!("unknown {noun} name `{written}`, {}", field.name_list()),
        };
        let error = CronError::new(CronErrorKind::UnknownName, t.span.clone(), message);
        if field.names().is_empty() {
            return error;
        }
        match (other, closest_name(word, field.names())) {
            (Some(_), _) => error.with_help(field.name_list()),
            (None, Some(name)) => error.with_help(format!("did you mean `{name}`?")),
            (None, None) => error,
        }
    }

    /// The most specific error for tokens that fit no form.
    pub(super) fn malformed(&self, toks: &[Tok], item: Range<usize>) -> CronError {
        if let Some(hash) = toks.iter().find(|t| t.kind == TokKind::Hash) {
            if self.field != Field::DayOfWeek {
                return self.misplaced_hash(hash);
            }
        }
        if let Some(word) = toks
            .iter()
            .find(|t| t.kind == TokKind::Word && matches!(self.upper(t).as_str(), "L" | "W" | "LW"))
        {
            if let Err(error) = self.name(word) {
                return error;
            }
        }
        let written = self.written(&item);
        let message = match (toks.first().map(|t| t.kind), toks.last().map(|t| t.kind)) {
            (Some(TokKind::Dash), _) => format!("range `{written}` has no start"),
            (_, Some(TokKind::Dash)) => format!("range `{written}` has no end"),
            _ => format!("`{written}` is not a valid {}", self.field.noun()),
        };
        CronError::syntax(item, message).with_help(self.forms_help())
    }

    pub(super) fn forms_help(&self) -> String {
        let extra = match self.field {
            Field::DayOfMonth => ", `L`, `LW` or `15W`",
            Field::DayOfWeek => ", `5L` or `FRI#3`",
            _ => "",
        };
        format!("write a number, a range like `1-5`, a list like `1,5` or a step like `*/5`{extra}")
    }
}

impl Tok {
    pub(super) fn end(&self) -> usize {
        self.span.end
    }
}

// ---------------------------------------------------------------------------
// Words: suggestions and lists
// ---------------------------------------------------------------------------

/// The name `word` most likely meant: a name it starts with (`JUNE`, `MONDAY`), or one at
/// most one edit away from the word or its first three letters (`MNO`, `WENSDAY`), where
/// swapping two neighbours counts as one edit.
pub(super) fn closest_name<'a>(word: &str, names: &[&'a str]) -> Option<&'a str> {
    if let Some(name) = names
        .iter()
        .find(|n| word.len() > n.len() && word.starts_with(**n))
    {
        return Some(name);
    }
    let head = word.get(..3).unwrap_or(word);
    names
        .iter()
        .map(|n| (edit_distance(word, n).min(edit_distance(head, n)), *n))
        .filter(|(distance, _)| *distance <= 1)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

/// `a`, `a and b`, `a, b and c` (with `or` instead of `and` if asked).
pub(super) fn join_words(words: &[impl AsRef<str>], conjunction: &str) -> String {
    match words {
        [] => String::new(),
        [only] => only.as_ref().to_string(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} {conjunction} {}", init.join(", "), last.as_ref())
        }
    }
}
