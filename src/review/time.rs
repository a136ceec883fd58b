//! RFC 3339 timestamps in UTC (`2026-11-27T03:45:12Z`), enough for review
//! threads without a date-time crate.

use std::time::{SystemTime, UNIX_EPOCH};

pub fn now_rfc3339() -> String {
    rfc3339(SystemTime::now())
}

/// Whole seconds, UTC. Times before 1970 (a badly set clock) clamp to the epoch.
pub fn rfc3339(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    from_unix(secs)
}

pub fn from_unix(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// era-based algorithm, valid for every day a `u64` of seconds reaches).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `YYYY-MM-DD HH:MM` for display; other text is shown as it is.
pub fn short(rfc: &str) -> String {
    match (rfc.get(..10), rfc.get(11..16)) {
        (Some(date), Some(hm)) if rfc.as_bytes().get(10) == Some(&b'T') => {
            format!("{date} {hm}")
        }
        _ => rfc.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        assert_eq!(from_unix(0), "1970-01-01T00:00:00Z");
        assert_eq!(from_unix(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(from_unix(1_709_251_199), "2024-02-29T23:59:59Z");
        assert_eq!(from_unix(4_102_444_800), "2100-01-01T00:00:00Z");
    }

    #[test]
    fn short_form_and_fallback() {
        assert_eq!(short("2026-11-27T03:45:12Z"), "2026-11-27 03:45");
        assert_eq!(short("yesterday"), "yesterday");
    }
}
