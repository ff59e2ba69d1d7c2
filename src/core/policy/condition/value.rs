//! Reading condition values: booleans, numbers, base64 here; dates, CIDR
//! ranges and ARN patterns in their own files.

pub(crate) mod arn;
pub(crate) mod cidr;
pub(crate) mod date;

/// `true` / `false`, in any case.
pub(crate) fn parse_bool(value: &str) -> Option<bool> {
    if value.eq_ignore_ascii_case("true") {
        Some(true)
    } else if value.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// An integer or decimal: optional sign, digits, optional fraction. No
/// exponent, no `inf`/`NaN`, no spaces.
pub(crate) fn parse_number(value: &str) -> Option<f64> {
    let body = value.strip_prefix(['+', '-']).unwrap_or(value);
    let (whole, fraction) = match body.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (body, ""),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    value.parse::<f64>().ok()
}

/// Standard base64: alphabet letters, digits, `+`, `/`, length a multiple
/// of four, at most two `=` at the end.
pub(crate) fn is_base64(value: &str) -> bool {
    let b = value.as_bytes();
    if !b.len().is_multiple_of(4) {
        return false;
    }
    let padding = b.iter().rev().take_while(|&&c| c == b'=').count();
    padding <= 2
        && b[..b.len() - padding]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
}
