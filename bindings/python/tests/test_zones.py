"""Aware and naive datetimes, several zones, across DST changes."""

import json
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from dateutil import tz as dateutil_tz

import tminus

UTC = timezone.utc
HELSINKI = ZoneInfo("Europe/Helsinki")


def test_one_instant_in_any_tzinfo_gives_one_answer():
    s = tminus.Statement("time of day between 10:00 and 12:00")
    instant = datetime(2024, 3, 11, 8, 30, tzinfo=UTC)  # 10:30 in Helsinki
    spellings = [
        instant,
        instant.astimezone(HELSINKI),
        instant.astimezone(timezone(timedelta(hours=-5))),
        instant.astimezone(dateutil_tz.gettz("America/New_York")),
        instant.astimezone(ZoneInfo("Asia/Kolkata")),
    ]
    for at in spellings:
        assert s.is_true(at, tz="Europe/Helsinki"), at
        assert not s.is_true(at, tz="UTC"), at
    windows = {s.next_window(at, tz="Europe/Helsinki") for at in spellings}
    assert len(windows) == 1


def test_naive_datetimes_are_civil_times_in_tz():
    s = tminus.Statement("time of day between 10:00 and 12:00")
    naive = datetime(2024, 3, 11, 10, 30)
    for zone in ("Europe/Helsinki", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"):
        aware = naive.replace(tzinfo=ZoneInfo(zone))
        assert s.next_window(naive, tz=zone) == s.next_window(aware, tz=zone)
        assert s.is_true(naive, tz=zone) and s.is_true(naive, tz=ZoneInfo(zone))


def test_windows_keep_their_wall_clock_across_the_spring_change():
    s = tminus.Statement("time of day between 10:00 and 12:00")
    ws = s.windows(datetime(2024, 3, 30, 0), 2, tz="Europe/Helsinki")
    assert [w.start.isoformat() for w in ws] == ["2024-03-30T10:00:00+02:00", "2024-03-31T10:00:00+03:00"]
    # Python subtracts datetimes of one tzinfo on the wall clock; in real time the day is 23 h.
    assert ws[1].start.astimezone(UTC) - ws[0].start.astimezone(UTC) == timedelta(hours=23)
    assert all(w.start.tzinfo == HELSINKI for w in ws)


def test_naive_datetime_in_a_fold_is_refused():
    s = tminus.Statement("every 30 minutes")
    with pytest.raises(ValueError, match="ambiguous"):
        s.is_true(datetime(2024, 10, 27, 3, 30), tz="Europe/Helsinki")
    with pytest.raises(ValueError, match="ambiguous"):
        s.next_window(datetime(2024, 11, 3, 1, 30), tz="America/New_York")
    # Aware spellings of both passes are fine and an hour apart.
    early = datetime(2024, 10, 27, 3, 30, tzinfo=HELSINKI, fold=0)
    late = datetime(2024, 10, 27, 3, 30, tzinfo=HELSINKI, fold=1)
    assert late.astimezone(UTC) - early.astimezone(UTC) == timedelta(hours=1)
    assert s.is_true(early, tz="Europe/Helsinki") and s.is_true(late, tz="Europe/Helsinki")


def test_durations_are_real_time_across_the_fold():
    s = tminus.Statement("every 30 minutes")
    run = datetime(2024, 10, 27, 3, 20, tzinfo=HELSINKI, fold=0)
    history = [("t", "run", run)]
    later = datetime(2024, 10, 27, 3, 20, tzinfo=HELSINKI, fold=1)  # 60 real minutes later
    assert s.is_true(later, tz="Europe/Helsinki", history=history)
    w = s.next_window(run, tz="Europe/Helsinki", history=history)
    assert w.start.astimezone(UTC) == run.astimezone(UTC) + timedelta(minutes=30, microseconds=1)


def test_a_window_in_the_second_pass_of_a_fold_has_fold_set():
    s = tminus.Statement("every 1 hour")
    run = datetime(2024, 10, 27, 3, 30, tzinfo=HELSINKI, fold=0)
    w = s.next_window(run, tz="Europe/Helsinki", history=[("t", "run", run)])
    assert (w.start.hour, w.start.minute, w.start.fold) == (3, 30, 1)
    assert w.start.utcoffset() == timedelta(hours=2)


def test_naive_datetime_in_a_gap_reads_with_the_offset_before_it():
    s = tminus.Statement("time of day between 03:00 and 05:00")
    gap = datetime(2024, 3, 31, 3, 30)  # Helsinki skips 03:00-04:00
    assert s.next_window(gap, tz="Europe/Helsinki") == s.next_window(gap.replace(tzinfo=HELSINKI), tz="Europe/Helsinki")


CASES = [
    ("time of day between 02:00 and 03:00", "America/New_York", "2024-03-09T00:00"),
    ("time of day between 01:00 and 02:00", "America/New_York", "2024-11-02T00:00"),
    ("cron 30 2 * * *", "Europe/Helsinki", "2024-03-29T00:00"),
    ("cron 0 * * * *", "Europe/Helsinki", "2024-10-27T01:30"),
    ("daily between 02:00 and 02:45", "Australia/Lord_Howe", "2024-10-05T00:00"),
    ("time of week on Sunday & time of day after 02:00", "Pacific/Chatham", "2024-04-06T00:00"),
    ("every 90 minutes", "America/Sao_Paulo", "2024-03-10T00:00"),
]


@pytest.mark.parametrize("statement,zone,after", CASES)
def test_windows_across_dst_match_the_cli(cli, statement, zone, after):
    count = 4
    done = cli(["next", statement, "--after", after, "--tz", zone, "--count", str(count), "--format", "json"])
    assert done.returncode == 0, done.stderr
    expected = json.loads(done.stdout)["windows"]
    got = tminus.Statement(statement).windows(datetime.fromisoformat(after), count, tz=zone)
    assert len(got) == len(expected) > 0
    for w, e in zip(got, expected):
        # isoformat shows the offset, so a datetime on the wrong pass of a fold differs.
        assert w.start.isoformat() == e["start"]
        assert (w.end and w.end.isoformat()) == e["end"]
        assert w.start.tzinfo == ZoneInfo(zone)
