//! ISO 8601 dates and epoch seconds, as `Date*` operators read them.

const NANOS_PER_SECOND: i128 = 1_000_000_000;

/// Reads a date as nanoseconds since 1970-01-01T00:00:00Z. Accepts epoch
/// seconds (`1769860800`, `1769860800.5`, digits only: a bare `2026` is
/// epoch seconds too) and the W3C profile of ISO 8601: `YYYY-MM`,
/// `YYYY-MM-DD`, `YYYY-MM-DDThh:mm`, `...:ss`, `...:ss.fff`, each time
/// followed by `Z`, `+hh:mm`, `-hh:mm`, `+hhmm`, `+hh` or nothing (UTC).
pub(crate) fn parse_instant(value: &str) -> Result<i128, String> {
    if value.is_empty() {
        return Err("the value is empty".to_string());
    }
    if !value.is_ascii() {
        return Err("it contains characters that never appear in a date".to_string());
    }
    let unsigned = value.strip_prefix('-').unwrap_or(value);
    if unsigned.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return parse_epoch(value);
    }
    let b = value.as_bytes();
    let digits = |at: usize, len: usize| -> Option<i64> {
        let part = b.get(at..at + len)?;
        if part.iter().all(u8::is_ascii_digit) {
            part.iter()
                .try_fold(0i64, |acc, d| Some(acc * 10 + i64::from(d - b'0')))
        } else {
            None
        }
    };
    let expect = |at: usize, wanted: &[u8]| b.get(at).is_some_and(|c| wanted.contains(c));

    let year = digits(0, 4).ok_or("a date starts with a four-digit year (YYYY-MM-DD)")?;
    if !expect(4, b"-") {
        return Err("a date is written YYYY-MM-DD".to_string());
    }
    let month = digits(5, 2).ok_or("the month needs two digits (YYYY-MM-DD)")?;
    if !(1..=12).contains(&month) {
        return Err(format!("there is no month {month:02}"));
    }
    let mut day = 1;
    let mut seconds_of_day = 0i64;
    let mut nanos = 0i128;
    let mut offset_seconds = 0i64;
    if b.len() > 7 {
        if !expect(7, b"-") {
            return Err("a date is written YYYY-MM-DD".to_string());
        }
        day = digits(8, 2).ok_or("the day needs two digits (YYYY-MM-DD)")?;
        let last = days_in_month(year, month);
        if day < 1 || day > last {
            return Err(format!("{year:04}-{month:02} has no day {day:02}"));
        }
    }
    if b.len() > 10 {
        if !expect(10, b"Tt") {
            return Err("the time follows the date after a 'T' (2026-01-31T12:00:00Z)".to_string());
        }
        let hour = digits(11, 2).ok_or("the hour needs two digits (Thh:mm)")?;
        if !expect(13, b":") {
            return Err("a time is written hh:mm or hh:mm:ss".to_string());
        }
        let minute = digits(14, 2).ok_or("the minutes need two digits (Thh:mm)")?;
        if hour > 23 || minute > 59 {
            return Err(format!("{hour:02}:{minute:02} is not a time of day"));
        }
        let mut at = 16;
        let mut second = 0;
        if expect(at, b":") {
            second = digits(at + 1, 2).ok_or("the seconds need two digits (hh:mm:ss)")?;
            if second > 59 {
                return Err(format!("there is no second {second:02}"));
            }
            at += 3;
            if expect(at, b".") {
                at += 1;
                let start = at;
                while b.get(at).is_some_and(u8::is_ascii_digit) {
                    at += 1;
                }
                if at == start {
                    return Err("a decimal point in the seconds needs digits after it".to_string());
                }
                // Nanosecond precision: further digits are dropped.
                let mut scale = NANOS_PER_SECOND;
                for d in b.get(start..at).unwrap_or_default() {
                    scale /= 10;
                    nanos += i128::from(d - b'0') * scale;
                }
            }
        }
        seconds_of_day = hour * 3600 + minute * 60 + second;
        offset_seconds = parse_offset(b.get(at..).unwrap_or_default())?;
    }
    let days = days_from_civil(year, month, day);
    let seconds =
        i128::from(days) * 86_400 + i128::from(seconds_of_day) - i128::from(offset_seconds);
    Ok(seconds * NANOS_PER_SECOND + nanos)
}

/// The time-zone designator after a time: empty (UTC), `Z`, or a signed
/// `hh:mm` / `hhmm` / `hh`. Returns seconds east of UTC.
fn parse_offset(zone: &[u8]) -> Result<i64, String> {
    let bad = || "the time zone must be Z or an offset such as +02:00 or -05:00".to_string();
    let (sign, rest) = match zone {
        [] | [b'Z' | b'z'] => return Ok(0),
        [b'+', rest @ ..] => (1, rest),
        [b'-', rest @ ..] => (-1, rest),
        _ => return Err(bad()),
    };
    let two = |s: &[u8]| -> Option<i64> {
        match s {
            [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => {
                Some(i64::from(a - b'0') * 10 + i64::from(b - b'0'))
            }
            _ => None,
        }
    };
    let (hours, minutes) = match rest {
        [h1, h2] => (two(&[*h1, *h2]), Some(0)),
        [h1, h2, m1, m2] => (two(&[*h1, *h2]), two(&[*m1, *m2])),
        [h1, h2, b':', m1, m2] => (two(&[*h1, *h2]), two(&[*m1, *m2])),
        _ => (None, None),
    };
    match (hours, minutes) {
        (Some(h), Some(m)) if h <= 23 && m <= 59 => Ok(sign * (h * 3600 + m * 60)),
        _ => Err(bad()),
    }
}

/// Epoch seconds, optionally negative and with a fraction.
fn parse_epoch(value: &str) -> Result<i128, String> {
    let (negative, unsigned) = match value.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (unsigned, ""),
    };
    if whole.is_empty() || fraction.contains('.') || unsigned.ends_with('.') {
        return Err("epoch seconds are written as digits, such as 1769860800".to_string());
    }
    if whole.len() > 15 {
        return Err("that many epoch seconds is far beyond any date".to_string());
    }
    let mut seconds: i128 = 0;
    for d in whole.bytes() {
        seconds = seconds * 10 + i128::from(d - b'0');
    }
    let mut nanos: i128 = 0;
    let mut scale = NANOS_PER_SECOND;
    for d in fraction.bytes().take(9) {
        scale /= 10;
        nanos += i128::from(d - b'0') * scale;
    }
    let total = seconds * NANOS_PER_SECOND + nanos;
    Ok(if negative { -total } else { total })
}

fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date. Counting years from
/// March puts the leap day last, so each 400-year era has a fixed shape of
/// 146,097 days.
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    // Months counted from March (0) to February (11).
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    // 719,468 days separate 0000-03-01 from 1970-01-01.
    era * 146_097 + day_of_era - 719_468
}

/// The proleptic Gregorian (year, month, day) of a day count since
/// 1970-01-01: the inverse of [`days_from_civil`].
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// An instant in whole seconds since the epoch as AWS writes dates:
/// `2026-12-04T00:00:01Z`.
pub(crate) fn format_instant(seconds: i64) -> String {
    let (days, rest) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

/// Whole seconds since the epoch of a date value, rounded down.
pub(crate) fn instant_seconds(value: &str) -> Option<i64> {
    let nanos = parse_instant(value).ok()?;
    i64::try_from(nanos.div_euclid(NANOS_PER_SECOND)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::policy::condition::test_support::*;

    #[test]
    fn instants_are_written_back_as_aws_writes_dates() {
        for text in [
            "1970-01-01T00:00:00Z",
            "2000-02-29T23:59:59Z",
            "2026-12-04T00:00:01Z",
            "1600-03-01T12:00:00Z",
        ] {
            let s = instant_seconds(text).expect("a date");
            assert_eq!(format_instant(s), text);
        }
        assert_eq!(
            format_instant(instant_seconds("2026-12-31T23:59:59Z").expect("a date") + 1),
            "2027-01-01T00:00:00Z"
        );
        for days in [-800_000, -1, 0, 59, 11_017, 20_484, 400_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    // ---- dates ----

    const MIDNIGHT_2026_01_31: &str = "1769817600";

    #[test]
    fn every_date_format_names_the_same_instant() {
        let same = [
            "2026-01-31",
            "2026-01-31T00:00Z",
            "2026-01-31T00:00:00Z",
            "2026-01-31T00:00:00.000Z",
            "2026-01-31t00:00:00z",
            "2026-01-31T02:00:00+02:00",
            "2026-01-30T19:00:00-05:00",
            "2026-01-31T05:30:00+0530",
            "2026-01-31T01:00:00+01",
            "2026-01-31T00:00:00",
            MIDNIGHT_2026_01_31,
        ];
        for a in same {
            for b in same {
                assert!(eval("DateEquals", &[a], Some(s(b))), "{a} vs {b}");
            }
        }
        assert!(eval(
            "DateEquals",
            &["2026-01"],
            Some(s("2026-01-01T00:00:00Z"))
        ));
    }

    #[test]
    fn offsets_move_the_instant() {
        // 12:00 at +02:00 is 10:00 UTC, so it is before 11:00 UTC.
        assert!(eval(
            "DateLessThan",
            &["2026-01-31T11:00:00Z"],
            Some(s("2026-01-31T12:00:00+02:00"))
        ));
        assert!(eval(
            "DateGreaterThan",
            &["2026-01-31T11:00:00Z"],
            Some(s("2026-01-31T08:00:00-05:00"))
        ));
        // An offset can cross midnight backwards into the previous day.
        assert!(eval(
            "DateEquals",
            &["2026-02-28T23:30:00Z"],
            Some(s("2026-03-01T01:30:00+02:00"))
        ));
    }

    #[test]
    fn fractional_seconds_count() {
        assert!(eval(
            "DateGreaterThan",
            &["2026-01-31T12:00:00Z"],
            Some(s("2026-01-31T12:00:00.5Z"))
        ));
        assert!(eval(
            "DateEquals",
            &["2026-01-31T12:00:00.5Z"],
            Some(s("2026-01-31T12:00:00.500000Z"))
        ));
        assert!(eval(
            "DateEquals",
            &["1769860800.25"],
            Some(s("2026-01-31T12:00:00.25Z"))
        ));
        assert!(!eval(
            "DateEquals",
            &["2026-01-31T12:00:00.001Z"],
            Some(s("2026-01-31T12:00:00Z"))
        ));
    }

    #[test]
    fn date_comparisons_in_both_directions() {
        let issued = Some(s("2026-06-15T09:30:00Z"));
        assert!(eval(
            "DateGreaterThan",
            &["2026-01-01T00:00:01Z"],
            issued.clone()
        ));
        assert!(!eval("DateLessThan", &["2026-01-01"], issued.clone()));
        assert!(eval(
            "DateLessThanEquals",
            &["2026-06-15T09:30:00Z"],
            issued.clone()
        ));
        assert!(eval(
            "DateGreaterThanEquals",
            &["2026-06-15T09:30:00Z"],
            issued.clone()
        ));
        assert!(!eval("DateGreaterThan", &["2026-06-15T09:30:00Z"], issued));
    }

    #[test]
    fn a_number_in_the_request_is_epoch_seconds() {
        let now = Some(ContextValue::Number(1_769_817_600.0));
        assert!(eval("DateEquals", &["2026-01-31"], now.clone()));
        assert!(eval("DateLessThan", &["2026-02-01"], now.clone()));
        assert!(!eval("DateGreaterThan", &["2026-01-31T00:00:01Z"], now));
        assert!(!eval(
            "DateEquals",
            &["2026-01-31"],
            Some(ContextValue::Bool(true))
        ));
    }

    #[test]
    fn date_not_equals_with_several_values_must_match_none() {
        let days = ["2026-01-01", "2026-12-25"];
        assert!(!eval(
            "DateNotEquals",
            &days,
            Some(s("2026-12-25T00:00:00Z"))
        ));
        assert!(eval("DateNotEquals", &days, Some(s("2026-12-24"))));
        assert!(eval("DateNotEquals", &days, None));
    }

    #[test]
    fn date_missing_key_and_if_exists() {
        assert!(!eval("DateLessThan", &["2030-01-01"], None));
        assert!(eval("DateLessThanIfExists", &["2030-01-01"], None));
        assert!(!eval(
            "DateLessThan",
            &["2030-01-01"],
            Some(s("next tuesday"))
        ));
        assert!(!eval(
            "DateNotEquals",
            &["2030-01-01"],
            Some(s("next tuesday"))
        ));
    }

    #[test]
    fn calendar_arithmetic_is_right_at_the_edges() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2026, 1, 31), 20_484);
        assert_eq!(days_from_civil(1600, 1, 1), -135_140);
        assert_eq!(
            parse_instant("2024-02-29"),
            Ok(1_709_164_800 * NANOS_PER_SECOND)
        );
        assert_eq!(
            parse_instant("2024-03-01"),
            Ok(1_709_251_200 * NANOS_PER_SECOND)
        );
        for leap in ["2024-02-29", "2000-02-29", "1600-02-29"] {
            assert!(check_value(&op("DateEquals"), leap).is_ok(), "{leap}");
        }
        for not_leap in ["2026-02-29", "1900-02-29", "2100-02-29"] {
            assert!(
                check_err("DateEquals", not_leap).contains("has no day 29"),
                "{not_leap}"
            );
        }
        assert_eq!(parse_instant("-86400"), Ok(-86_400 * NANOS_PER_SECOND));
    }

    #[test]
    fn bad_dates_are_explained() {
        let cases = [
            ("2026-13-01", "there is no month 13"),
            ("2026-04-31", "2026-04 has no day 31"),
            ("31/01/2026", "four-digit year"),
            ("2026-01-31T25:00:00Z", "is not a time of day"),
            ("2026-01-31T12:00:61Z", "there is no second 61"),
            ("2026-01-31 12:00:00Z", "after a 'T'"),
            ("2026-01-31T12:00:00+2", "time zone"),
            ("2026-01-31T12:00:00+02:60", "time zone"),
            ("2026-01-31T12:00:00.Z", "needs digits"),
            ("2026-01-3", "two digits"),
            ("*", "four-digit year"),
            ("", "empty"),
            ("2026-01-31T12:00:00Zoo", "time zone"),
            ("1.2.3", "epoch seconds"),
            ("9999999999999999999", "beyond any date"),
            ("２０２６-01-31", "never appear in a date"),
        ];
        for (value, reason) in cases {
            let e = check_err("DateGreaterThanIfExists", value);
            assert!(
                e.starts_with("DateGreaterThanIfExists compares dates"),
                "{e}"
            );
            assert!(e.contains(reason), "{value}: {e}");
        }
    }
}
