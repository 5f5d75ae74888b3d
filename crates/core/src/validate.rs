//! Input checks shared by every form: dates, text normalisation.

use crate::error::FieldError;
use chrono::NaiveDate;

/// Trims a text; empty becomes `None`.
pub fn clean(s: Option<String>) -> Option<String> {
    s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// Checks an optional `YYYY-MM-DD` date that must exist in the calendar (2022-02-30 fails).
pub fn date(field: &str, label: &str, value: &Option<String>, errors: &mut Vec<FieldError>) {
    if let Some(v) = value {
        if v.len() != 10 || NaiveDate::parse_from_str(v, "%Y-%m-%d").is_err() {
            errors.push(FieldError::new(
                field,
                format!("{label}“{v}”不是有效日期，应为 年-月-日，如 2022-05-18"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_exist() {
        let mut e = Vec::new();
        date("d", "日期", &Some("2022-05-18".into()), &mut e);
        assert!(e.is_empty());
        date("d", "日期", &Some("2022-02-30".into()), &mut e);
        date("d", "日期", &Some("2022-5-1".into()), &mut e);
        date("d", "日期", &Some("去年".into()), &mut e);
        assert_eq!(e.len(), 3);
        assert!(e[0].message.contains("2022-02-30"));
    }

    #[test]
    fn clean_trims_and_drops_empty() {
        assert_eq!(clean(Some("  a ".into())), Some("a".into()));
        assert_eq!(clean(Some("   ".into())), None);
        assert_eq!(clean(None), None);
    }
}
