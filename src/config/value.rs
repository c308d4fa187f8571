//! Parsing property values from strings and printing them back, with
//! librdkafka's rules (case-insensitive enums, `t`/`f`/`1`/`0` booleans,
//! `+`/`-` flag edits, C-style integer prefixes, `%g` floats).

use super::properties::{Kind, Property, StrKind};

/// A stored value. Enums are stored as their number.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Int(i64),
    Float(f64),
    Bool(bool),
    /// `None`: explicitly reset to the default.
    Str(Option<String>),
    Flags(u64),
    /// Address of a C callback or opaque, set through a dedicated function.
    Ptr(usize),
}

/// Why a value was rejected; the caller adds the property name.
#[derive(Debug, PartialEq)]
pub enum Rejection {
    Empty,
    /// The value does not fit; the text says what is allowed.
    Invalid(String),
    /// The whole property cannot be set this way; the text is the full message.
    NotSettable(String),
}

/// The default value of a property, or `None` for properties without one
/// (aliases, pointers and strings without a default).
pub fn default_value(prop: &Property) -> Option<Value> {
    match prop.kind {
        Kind::Str { default, .. } => default.map(|s| Value::Str(Some(s.to_string()))),
        Kind::Int { default, .. } | Kind::Enum { default, .. } => Some(Value::Int(default)),
        Kind::Float { default, .. } => Some(Value::Float(default)),
        Kind::Bool { default } => Some(Value::Bool(default)),
        Kind::Flags { default, .. } => Some(Value::Flags(default)),
        Kind::Pointer | Kind::Internal | Kind::Unsupported { .. } | Kind::Alias { .. } => None,
    }
}

/// Parses `input` for `prop`. `current` is the value in effect, needed for
/// `+flag`/`-flag` edits. An empty input means "no value", as a NULL value
/// does in librdkafka: strings go back to their default, other types reject it.
pub fn parse(prop: &Property, input: &str, current: Option<&Value>) -> Result<Value, Rejection> {
    match prop.kind {
        Kind::Str { style, check, .. } => {
            let text = match style {
                StrKind::Trimmed => input.trim_start(),
                StrKind::Verbatim | StrKind::PatternList => input,
            };
            if text.is_empty() {
                return Ok(Value::Str(None));
            }
            if let Some(check) = check {
                check(text).map_err(Rejection::Invalid)?;
            }
            Ok(Value::Str(Some(text.to_string())))
        }
        Kind::Int {
            min,
            max,
            named,
            ..
        } => {
            if input.is_empty() {
                return Err(Rejection::Empty);
            }
            let allowed = || {
                let mut text = format!("must be a number between {min} and {max}");
                for (word, number) in named {
                    text.push_str(&format!(", or \"{word}\" ({number})"));
                }
                text
            };
            let number = match parse_c_integer(input) {
                Some(n) => n,
                None => named
                    .iter()
                    .find(|(word, _)| word.eq_ignore_ascii_case(input.trim()))
                    .map(|&(_, n)| n)
                    .ok_or_else(|| Rejection::Invalid(allowed()))?,
            };
            if number < min || number > max {
                return Err(Rejection::Invalid(allowed()));
            }
            Ok(Value::Int(number))
        }
        Kind::Float { min, max, .. } => {
            if input.is_empty() {
                return Err(Rejection::Empty);
            }
            match input.trim().parse::<f64>() {
                // NaN compares false with both bounds, so test inclusion.
                Ok(x) if (min..=max).contains(&x) => Ok(Value::Float(x)),
                _ => Err(Rejection::Invalid(format!(
                    "must be a number between {} and {}",
                    format_g(min),
                    format_g(max)
                ))),
            }
        }
        Kind::Bool { .. } => {
            if input.is_empty() {
                return Err(Rejection::Empty);
            }
            if ["true", "t"].iter().any(|w| w.eq_ignore_ascii_case(input)) || input == "1" {
                Ok(Value::Bool(true))
            } else if ["false", "f"].iter().any(|w| w.eq_ignore_ascii_case(input)) || input == "0" {
                Ok(Value::Bool(false))
            } else {
                Err(Rejection::Invalid("must be true or false".to_string()))
            }
        }
        Kind::Enum { values, .. } => {
            if input.is_empty() {
                return Err(Rejection::Empty);
            }
            values
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(input.trim()))
                .map(|&(_, v)| Value::Int(v))
                .ok_or_else(|| {
                    let names: Vec<&str> = values.iter().map(|(n, _)| *n).collect();
                    Rejection::Invalid(format!("must be one of {}", names.join(", ")))
                })
        }
        Kind::Flags {
            names,
            default,
            check_only,
        } => {
            if input.is_empty() {
                return Err(Rejection::Empty);
            }
            let base = match current {
                Some(Value::Flags(bits)) => *bits,
                _ => default,
            };
            let edited = parse_flags(names, input, base)?;
            if check_only {
                // Asking for a feature we lack must fail; asking for a
                // subset of what we have changes nothing.
                let missing = edited & !default;
                if missing != 0 {
                    let names_missing = flag_names(names, missing);
                    return Err(Rejection::Invalid(format!(
                        "not supported by this build: {} (supported: {})",
                        names_missing.join(", "),
                        flag_names(names, default).join(", ")
                    )));
                }
                return Ok(Value::Flags(default));
            }
            Ok(Value::Flags(edited))
        }
        Kind::Pointer => Err(Rejection::NotSettable(format!(
            "Configuration property \"{}\" can only be set through its dedicated rd_kafka_*conf_set_*() function",
            prop.name
        ))),
        Kind::Internal => Err(Rejection::NotSettable(format!(
            "Configuration property \"{}\" is managed internally and cannot be set",
            prop.name
        ))),
        Kind::Unsupported { reason } => Err(Rejection::NotSettable(format!(
            "Configuration property \"{}\" is not supported: {reason}",
            prop.name
        ))),
        // Callers resolve aliases before parsing.
        Kind::Alias { target } => Err(Rejection::NotSettable(format!(
            "Configuration property \"{}\" is an alias of \"{target}\"",
            prop.name
        ))),
    }
}

/// Parses an integer like C's `strtol(s, &end, 0)` (leading whitespace,
/// sign, `0x` hex, leading-zero octal) but requires the whole string to be
/// the number, so `"12abc"` is rejected rather than read as 12.
pub fn parse_c_integer(input: &str) -> Option<i64> {
    let s = input.trim();
    let (negative, digits) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (radix, digits) = if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        (16, hex)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i64::from_str_radix(digits, radix).ok()?;
    Some(if negative { -magnitude } else { magnitude })
}

fn flag_bit(names: &[&str], index: usize) -> u64 {
    if names[index] == "all" {
        names
            .iter()
            .enumerate()
            .map(|(i, _)| 1u64 << i)
            .fold(0, |acc, b| acc | b)
    } else {
        1u64 << index
    }
}

/// Applies a comma-separated flag list: plain names replace the set,
/// `+name` adds to and `-name` removes from the current value.
fn parse_flags(names: &[&str], input: &str, current: u64) -> Result<u64, Rejection> {
    let items: Vec<&str> = input
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .collect();
    let replaces = items
        .iter()
        .any(|item| !item.starts_with('+') && !item.starts_with('-'));
    let mut bits = if replaces { 0 } else { current };
    for item in items {
        let (remove, name) = match item.as_bytes()[0] {
            b'+' => (false, &item[1..]),
            b'-' => (true, &item[1..]),
            _ => (false, item),
        };
        let index = names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                Rejection::Invalid(format!("\"{name}\" is not one of {}", names.join(", ")))
            })?;
        let bit = flag_bit(names, index);
        if remove {
            bits &= !bit;
        } else {
            bits |= bit;
        }
    }
    Ok(bits)
}

/// Names of the flags fully contained in `bits`, in table order.
pub fn flag_names(names: &'static [&'static str], bits: u64) -> Vec<&'static str> {
    (0..names.len())
        .filter(|&i| {
            let bit = flag_bit(names, i);
            bit != 0 && bits & bit == bit
        })
        .map(|i| names[i])
        .collect()
}

/// Prints `value` the way `rd_kafka_conf_get()` does.
pub fn format(prop: &Property, value: &Value) -> Option<String> {
    match (&prop.kind, value) {
        (Kind::Enum { values, .. }, Value::Int(v)) => values
            .iter()
            .find(|(_, n)| n == v)
            .map(|(name, _)| name.to_string()),
        (Kind::Flags { names, .. }, Value::Flags(bits)) => Some(flag_names(names, *bits).join(",")),
        (_, Value::Int(v)) => Some(v.to_string()),
        (_, Value::Float(x)) => Some(format_g(*x)),
        (_, Value::Bool(b)) => Some(b.to_string()),
        (_, Value::Str(s)) => s.clone(),
        (_, Value::Flags(bits)) => Some(bits.to_string()),
        (_, Value::Ptr(0)) => None,
        (_, Value::Ptr(addr)) => Some(format!("{addr:#x}")),
    }
}

/// C's `printf("%g")`: six significant digits, trailing zeros dropped,
/// exponent form outside 1e-4 .. 1e6.
pub fn format_g(x: f64) -> String {
    if x.is_nan() {
        return "nan".to_string();
    }
    if x.is_infinite() {
        return if x < 0.0 { "-inf" } else { "inf" }.to_string();
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    // Round to 6 significant digits first: the exponent after rounding
    // decides the notation (999999.5 prints as 1e+06).
    let scientific = format!("{x:.5e}");
    let (mantissa, exponent) = match scientific.split_once('e') {
        Some(parts) => parts,
        None => return scientific,
    };
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if !(-4..6).contains(&exponent) {
        let mantissa = strip_fraction_zeros(mantissa);
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exponent.abs())
    } else {
        let decimals = (5 - exponent).max(0) as usize;
        strip_fraction_zeros(&format!("{x:.decimals$}")).to_string()
    }
}

fn strip_fraction_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_g_matches_printf() {
        let cases = [
            (5.0, "5"),
            (0.5, "0.5"),
            (123456.7, "123457"),
            (1000000.0, "1e+06"),
            (0.000001, "1e-06"),
            (0.0001, "0.0001"),
            (900000.0, "900000"),
            (999999.5, "1e+06"),
            (-1.25, "-1.25"),
            (0.0, "0"),
            (1e300, "1e+300"),
        ];
        for (x, expected) in cases {
            assert_eq!(format_g(x), expected, "{x}");
        }
    }

    #[test]
    fn c_integers() {
        assert_eq!(parse_c_integer("42"), Some(42));
        assert_eq!(parse_c_integer(" -7 "), Some(-7));
        assert_eq!(parse_c_integer("+3"), Some(3));
        assert_eq!(parse_c_integer("0x1000"), Some(4096));
        assert_eq!(parse_c_integer("010"), Some(8));
        assert_eq!(parse_c_integer("0"), Some(0));
        assert_eq!(parse_c_integer("12abc"), None);
        assert_eq!(parse_c_integer("abc"), None);
        assert_eq!(parse_c_integer("-"), None);
        assert_eq!(parse_c_integer("0x"), None);
        assert_eq!(parse_c_integer("99999999999999999999"), None);
    }
}
