//! Human durations (`30s`, `5m`, `1h30m`, `250ms`) used by the topology file and flags.

use std::time::Duration;

/// Parses `30s`, `5m`, `1h`, `1h30m`, `250ms`. A bare number is refused: units are not guessed.
pub fn parse(text: &str) -> Result<Duration, String> {
    let bad = || {
        format!(
            "invalid duration `{text}`: use a number with a unit (ms, s, m, h), like 30s, 5m or 1h30m"
        )
    };
    let s = text.trim();
    if s.is_empty() {
        return Err(bad());
    }
    if s.starts_with('-') {
        return Err(format!(
            "invalid duration `{text}`: a duration cannot be negative; use a number with a unit (ms, s, m, h), like 30s"
        ));
    }
    let mut total = Duration::ZERO;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
        if digits == 0 {
            return Err(bad());
        }
        let n: u64 = rest[..digits].parse().map_err(|_| bad())?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let unit = match &rest[..unit_len] {
            "ms" => Duration::from_millis(n),
            "s" => Duration::from_secs(n),
            "m" => Duration::from_secs(n.saturating_mul(60)),
            "h" => Duration::from_secs(n.saturating_mul(3600)),
            _ => return Err(bad()),
        };
        total = total.saturating_add(unit);
        rest = &rest[unit_len..];
    }
    Ok(total)
}

/// [`parse`] as a regular expression: what it reads, whatever the value.
pub fn pattern() -> String {
    let n = crate::pattern::digits(0, u64::MAX.into());
    format!("^\\s*(?:0*{n}(?:ms|s|m|h))+\\s*$")
}

/// The inverse of [`parse`] for display: `90s` -> `1m30s`.
pub fn format(d: Duration) -> String {
    let ms = d.as_millis();
    if !ms.is_multiple_of(1000) {
        return format!("{ms}ms");
    }
    let secs = d.as_secs();
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if s > 0 || out.is_empty() {
        out.push_str(&format!("{s}s"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units_and_combinations() {
        let cases = [
            ("30s", 30_000),
            ("5m", 300_000),
            ("1h", 3_600_000),
            ("1h30m", 5_400_000),
            ("250ms", 250),
            ("2m5s", 125_000),
            (" 10s ", 10_000),
        ];
        for (text, ms) in cases {
            assert_eq!(parse(text), Ok(Duration::from_millis(ms)), "{text}");
        }
    }

    #[test]
    fn refuses_bare_numbers_and_unknown_units() {
        for text in ["", "30", "s", "5 m", "3d", "-1s", "1.5s", "m5"] {
            let err = parse(text).unwrap_err();
            assert!(err.contains("invalid duration"), "{text}: {err}");
        }
        assert!(parse("-1s").unwrap_err().contains("cannot be negative"));
    }

    #[test]
    fn formats_round_trip() {
        for text in ["30s", "5m", "1h30m", "250ms", "1h0m5s"] {
            let d = parse(text).unwrap();
            assert_eq!(parse(&format(d)).unwrap(), d);
        }
        assert_eq!(format(Duration::from_secs(90)), "1m30s");
    }
}
