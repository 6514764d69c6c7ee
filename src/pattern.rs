//! Regular expressions (JSON Schema `pattern`: ECMA 262, which Python's `re` also reads) for
//! the text forms hybridctl parses, built next to the parsers they describe so that the
//! topology file's schema says what `validate` accepts (tests/schema.rs checks both agree).

/// The decimal digits of every whole number in `lo..=hi`, written without leading zeros.
pub fn digits(lo: u128, hi: u128) -> String {
    let mut parts = Vec::new();
    let mut start = lo;
    while start <= hi {
        // Numbers of one length at a time: 0..=9, 10..=99, ...
        let len = start.to_string().len() as u32;
        let top = 10u128.checked_pow(len).map_or(u128::MAX, |p| p - 1).min(hi);
        parts.push(same_length(&start.to_string(), &top.to_string()));
        match top.checked_add(1) {
            Some(next) => start = next,
            None => break,
        }
    }
    format!("(?:{})", parts.join("|"))
}

/// `lo..=hi`, both of the same number of digits.
fn same_length(lo: &str, hi: &str) -> String {
    let (l, h) = (lo.as_bytes(), hi.as_bytes());
    if l.len() == 1 {
        return if l[0] == h[0] {
            (l[0] as char).to_string()
        } else {
            format!("[{}-{}]", l[0] as char, h[0] as char)
        };
    }
    if l[0] == h[0] {
        return format!("{}{}", l[0] as char, same_length(&lo[1..], &hi[1..]));
    }
    let n = l.len() - 1;
    let nines = "9".repeat(n);
    let zeros = "0".repeat(n);
    let mut alts = vec![format!("{}{}", l[0] as char, group(&lo[1..], &nines))];
    if h[0] - l[0] > 1 {
        let (a, b) = ((l[0] + 1) as char, (h[0] - 1) as char);
        let first = if a == b {
            a.to_string()
        } else {
            format!("[{a}-{b}]")
        };
        alts.push(format!("{first}[0-9]{{{n}}}"));
    }
    alts.push(format!("{}{}", h[0] as char, group(&zeros, &hi[1..])));
    format!("(?:{})", alts.join("|"))
}

fn group(lo: &str, hi: &str) -> String {
    if lo.bytes().all(|b| b == b'0') && hi.bytes().all(|b| b == b'9') {
        format!("[0-9]{{{}}}", lo.len())
    } else {
        same_length(lo, hi)
    }
}

/// What `str::parse::<i64>()` reads as a number in `lo..=hi` (`30`, `+30`, `030`; `-0` for 0).
pub fn whole_number(lo: i64, hi: i64) -> String {
    let (lo, hi) = (lo.max(0) as u128, hi.max(0) as u128);
    let zero = if lo == 0 { "|-0+" } else { "" };
    format!("^(?:\\+?0*{}{zero})$", digits(lo, hi))
}

/// What `str::parse::<f64>()` reads as a number with digits (not `inf` or `nan`).
pub const DECIMAL: &str = r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$";

#[cfg(test)]
mod tests {
    use super::*;

    /// The shapes on known ranges; tests/schema.rs runs the patterns (in the schema) against
    /// the parsers with a real regex engine.
    #[test]
    fn ranges_are_written_digit_by_digit() {
        assert_eq!(digits(0, 9), "(?:[0-9])");
        // 1..9, 10..99, 100..199 and 200..255.
        assert_eq!(
            digits(1, 255),
            "(?:[1-9]|(?:1[0-9]{1}|[2-8][0-9]{1}|9[0-9]{1})|(?:1[0-9]{2}|2(?:0[0-9]{1}|[1-4][0-9]{1}|5[0-5])))"
        );
        assert_eq!(
            digits(0, 999),
            "(?:[0-9]|(?:1[0-9]{1}|[2-8][0-9]{1}|9[0-9]{1})|(?:1[0-9]{2}|[2-8][0-9]{2}|9[0-9]{2}))"
        );
        assert_eq!(whole_number(1, 1), "^(?:\\+?0*(?:1))$");
    }
}
