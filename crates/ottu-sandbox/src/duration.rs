//! `expiration_time` durations in Django's format (`1 00:00:00`, `01:00:00`, `3600`, ISO `P1DT2H`).

/// Parses a positive-or-zero duration into seconds; `None` when the text is not a duration.
pub fn parse_duration(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Some(iso) = text.strip_prefix('P') {
        return parse_iso(iso);
    }
    // Optional "<days> " or "<days> day(s), " prefix.
    let (days, clock) = match text.split_once(' ') {
        Some((d, rest)) => {
            let days: i64 = d.parse().ok()?;
            let rest = rest.trim_start();
            let rest = rest
                .strip_prefix("days, ")
                .or_else(|| rest.strip_prefix("day, "))
                .unwrap_or(rest);
            (days, rest)
        }
        None => (0, text),
    };
    let (whole, fraction) = match clock.split_once(['.', ',']) {
        Some((w, f)) => (w, Some(f)),
        None => (clock, None),
    };
    if let Some(f) = fraction
        && (f.is_empty() || f.len() > 12 || !f.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let parts: Vec<&str> = whole.split(':').collect();
    if parts.is_empty() || parts.len() > 3 || parts.iter().any(|p| !is_digits(p) || p.len() > 12) {
        return None;
    }
    let nums: Vec<i64> = parts
        .iter()
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let (h, m, s) = match nums.as_slice() {
        [s] => (0, 0, *s),
        [m, s] => (0, *m, *s),
        [h, m, s] => (*h, *m, *s),
        _ => return None,
    };
    if !(-999_999_999..=999_999_999).contains(&days) {
        return None;
    }
    days.checked_mul(86_400)?
        .checked_add(h.checked_mul(3600)?)?
        .checked_add(m.checked_mul(60)?)?
        .checked_add(s)
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn parse_iso(rest: &str) -> Option<i64> {
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (rest, None),
    };
    let mut total: i64 = 0;
    let mut any = false;
    let mut take = |part: &str, units: &[(char, i64)]| -> Option<()> {
        let mut number = String::new();
        let mut idx = 0;
        for ch in part.chars() {
            if ch.is_ascii_digit() {
                number.push(ch);
                continue;
            }
            let pos = units.iter().skip(idx).position(|(u, _)| *u == ch)? + idx;
            if number.is_empty() || number.len() > 12 {
                return None;
            }
            total = total.checked_add(number.parse::<i64>().ok()?.checked_mul(units[pos].1)?)?;
            number.clear();
            idx = pos + 1;
            any = true;
        }
        number.is_empty().then_some(())
    };
    take(date, &[('W', 604_800), ('D', 86_400)])?;
    if let Some(time) = time {
        if time.is_empty() {
            return None;
        }
        take(time, &[('H', 3600), ('M', 60), ('S', 1)])?;
    }
    any.then_some(total)
}

/// Renders seconds the way Django renders a `timedelta`: `1 00:00:00`, `00:50:00`.
pub fn format_duration(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    let clock = format!(
        "{:02}:{:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    );
    if days != 0 {
        format!("{days} {clock}")
    } else {
        clock
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn django_duration_forms_parse() {
        assert_eq!(parse_duration("1 00:00:00"), Some(86_400));
        assert_eq!(parse_duration("01:00:00"), Some(3600));
        assert_eq!(parse_duration("00:50:00"), Some(3000));
        assert_eq!(parse_duration("3600"), Some(3600));
        assert_eq!(parse_duration("2 days, 01:00:00"), Some(2 * 86_400 + 3600));
        assert_eq!(parse_duration("10:30"), Some(630));
        assert_eq!(parse_duration("PT15M"), Some(900));
        assert_eq!(parse_duration("P1DT2H"), Some(93_600));
        assert_eq!(parse_duration("00:00:01.5"), Some(1));
    }

    #[test]
    fn malformed_durations_are_refused() {
        for bad in [
            "",
            "abc",
            "1 day",
            "1:2:3:4",
            "P",
            "PT",
            "P1H",
            "-",
            "1 -01:00:00",
            "99999999999999999999",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn durations_render_like_django() {
        assert_eq!(format_duration(86_400), "1 00:00:00");
        assert_eq!(format_duration(3000), "00:50:00");
        assert_eq!(format_duration(2 * 86_400 + 61), "2 00:01:01");
    }
}
