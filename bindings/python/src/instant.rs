//! Python's datetimes, timedeltas and zones to and from the core's instants, in one place.
//!
//! An aware datetime (any tzinfo whose `utcoffset` answers) is an absolute instant. A
//! naive one is a civil time in the call's zone, read as the CLI reads `--at`: in a DST gap
//! with the offset in force before it (Python's `fold=0`). A naive time in a fold is
//! refused: it names two instants, and guessing one silently is how schedules run twice.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone};
use chrono::{Offset, Utc};
use chrono_tz::Tz;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDateAccess, PyDateTime, PyDict, PyTimeAccess, PyTzInfo, PyTzInfoAccess};

/// The default search horizon of `next_window` and `windows`, as the CLI's `--horizon`.
pub const DEFAULT_HORIZON_DAYS: i64 = 3660;

/// A zone given as an IANA name (`"Europe/Helsinki"`) or a `zoneinfo.ZoneInfo`.
pub fn zone(tz: &Bound<'_, PyAny>) -> PyResult<Tz> {
    if let Ok(name) = tz.extract::<String>() {
        return zone_named(&name);
    }
    if let Ok(key) = tz.getattr("key") {
        if let Ok(name) = key.extract::<String>() {
            return zone_named(&name);
        }
    }
    Err(PyTypeError::new_err(format!(
        "tz must be an IANA zone name such as 'Europe/Helsinki' or a zoneinfo.ZoneInfo, not {}",
        type_name(tz)
    )))
}

/// A zone by IANA name; unknown names are a `ValueError` worded as the CLI's.
pub fn zone_named(name: &str) -> PyResult<Tz> {
    tminus::zone::named(name).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// The instant a Python `datetime` stands for; naive ones are civil times in `zone`.
pub fn instant(at: &Bound<'_, PyAny>, zone: Tz) -> PyResult<DateTime<Utc>> {
    let dt = at.cast::<PyDateTime>().map_err(|_| {
        PyTypeError::new_err(format!(
            "expected a datetime.datetime, not {}",
            type_name(at)
        ))
    })?;
    let civil = civil(dt)?;
    if let Some(tzinfo) = dt.get_tzinfo() {
        // `timezone.utc`, the commonest tzinfo, needs no `utcoffset()` call.
        if tzinfo.is(&*PyTzInfo::utc(at.py())?) {
            return Ok(civil.and_utc());
        }
        let offset = dt.call_method0("utcoffset")?;
        if !offset.is_none() {
            let offset: TimeDelta = offset.extract()?;
            return civil
                .checked_sub_signed(offset)
                .map(|t| t.and_utc())
                .ok_or_else(|| PyValueError::new_err("the datetime is out of range"));
        }
    }
    from_civil(civil, zone)
}

/// A civil time in `zone` as an instant (see the module docs for gaps and folds).
pub fn from_civil(civil: NaiveDateTime, zone: Tz) -> PyResult<DateTime<Utc>> {
    match zone.from_local_datetime(&civil) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(early, late) => Err(PyValueError::new_err(format!(
            "the naive datetime {civil} is ambiguous in {zone}: the clock shows it twice \
             (DST fold, at {} and at {}); pass an aware datetime",
            early.offset().fix(),
            late.offset().fix()
        ))),
        // In a gap: the core's reading (the offset in force before it, as Python's fold=0).
        LocalResult::None => tminus::zone::to_instant(civil, zone, tminus::CivilPolicy::Fold0)
            .ok_or_else(|| PyValueError::new_err("the datetime is out of range")),
    }
}

fn civil(dt: &Bound<'_, PyDateTime>) -> PyResult<NaiveDateTime> {
    let date = NaiveDate::from_ymd_opt(dt.get_year(), dt.get_month().into(), dt.get_day().into());
    let time = NaiveTime::from_hms_micro_opt(
        dt.get_hour().into(),
        dt.get_minute().into(),
        dt.get_second().into(),
        dt.get_microsecond(),
    );
    match (date, time) {
        (Some(d), Some(t)) => Ok(NaiveDateTime::new(d, t)),
        _ => Err(PyValueError::new_err("the datetime is out of range")),
    }
}

/// A search horizon: a `timedelta`, or `None` for the CLI's default of 3660 days.
pub fn horizon(horizon: Option<&Bound<'_, PyAny>>) -> PyResult<TimeDelta> {
    let Some(h) = horizon.filter(|h| !h.is_none()) else {
        return Ok(TimeDelta::days(DEFAULT_HORIZON_DAYS));
    };
    let delta: TimeDelta = h.extract().map_err(|_| {
        PyTypeError::new_err(format!(
            "horizon must be a datetime.timedelta or None, not {}",
            type_name(h)
        ))
    })?;
    if delta <= TimeDelta::zero() {
        return Err(PyValueError::new_err("horizon must be positive"));
    }
    Ok(delta)
}

/// Writes instants of one zone as aware datetimes carrying that zone's `ZoneInfo`, built
/// once per call rather than once per datetime.
pub struct Writer<'py> {
    py: Python<'py>,
    tzinfo: Bound<'py, PyTzInfo>,
    zone: Tz,
}

impl<'py> Writer<'py> {
    /// A writer for `zone`.
    pub fn new(py: Python<'py>, zone: Tz) -> PyResult<Writer<'py>> {
        Ok(Writer {
            py,
            tzinfo: tzinfo(py, zone)?,
            zone,
        })
    }

    /// `at` as a datetime in the writer's zone (fold set on the second pass of a fold).
    pub fn datetime<Z: TimeZone>(&self, at: &DateTime<Z>) -> PyResult<Bound<'py, PyDateTime>> {
        let local = at.with_timezone(&self.zone);
        let civil = local.naive_local();
        let fold = matches!(
            self.zone.offset_from_local_datetime(&civil),
            LocalResult::Ambiguous(_, late) if late.fix() == local.offset().fix()
        );
        use chrono::{Datelike, Timelike};
        PyDateTime::new_with_fold(
            self.py,
            civil.year(),
            civil.month() as u8,
            civil.day() as u8,
            civil.hour() as u8,
            civil.minute() as u8,
            civil.second().min(59) as u8,
            civil.nanosecond().min(999_999_999) / 1000,
            Some(&self.tzinfo),
            fold,
        )
    }
}

/// The `ZoneInfo` of `zone`, made once per zone: building one per call (an import and a
/// constructor call) was most of the cost of crossing from Python.
fn tzinfo(py: Python<'_>, zone: Tz) -> PyResult<Bound<'_, PyTzInfo>> {
    static ZONES: PyOnceLock<Py<PyDict>> = PyOnceLock::new();
    let zones = ZONES.get_or_try_init(py, || Ok::<_, PyErr>(PyDict::new(py).unbind()))?;
    let zones = zones.bind(py);
    let key = zone.name();
    if let Some(found) = zones.get_item(key)? {
        return Ok(found.cast_into::<PyTzInfo>()?);
    }
    let made = zone.into_pyobject(py)?.cast_into::<PyTzInfo>()?;
    zones.set_item(key, &made)?;
    Ok(made)
}

/// `type(x).__name__`, for error messages.
pub fn type_name(x: &Bound<'_, PyAny>) -> String {
    x.get_type()
        .name()
        .map_or_else(|_| "an unknown type".to_owned(), |n| n.to_string())
}
