//! Identity numbers, telephone numbers and their masking.
//!
//! This module owns the pure checks of the identifiers a register keeps about
//! people and organisations: the 18-character resident identity number
//! (GB 11643-1999), mainland mobile and landline numbers, and the unified social
//! credit code (GB 32100-2015, with its embedded GB 11714 organisation code). It
//! also owns how such numbers are masked for display and export. Nothing here
//! touches the database; every error is a Chinese sentence for a bureau clerk.

use chrono::{Datelike, NaiveDate};

/// What a valid resident identity number says about its holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdNumberInfo {
    /// The number as stored: 18 characters, a final `x` written as `X`.
    pub normalized: String,
    /// The birth date encoded at positions 7–14.
    pub birth_date: NaiveDate,
    /// `"男"` if the 17th digit is odd, else `"女"`.
    pub sex: &'static str,
    /// The 6-digit administrative area code at positions 1–6.
    pub area_code: String,
}

/// Weights of ISO 7064 MOD 11-2 over the first 17 digits of an identity number.
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// The check character for each value of the weighted sum modulo 11.
const ID_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Whether the first two digits of an area code name a province-level division
/// (including Taiwan 71, Hong Kong 81, Macao 82, the 83 of residence permits and
/// the 91 of foreigners' permanent residence).
fn valid_province(code: u32) -> bool {
    matches!(
        code,
        11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81 | 82 | 83 | 91
    )
}

/// Checks an 18-character mainland resident identity number (GB 11643-1999).
///
/// Surrounding spaces are ignored and a final `x` is accepted as `X`. The number
/// must have 17 digits and a check character, a province-level area code, a birth
/// date that exists in the calendar, is not before 1900-01-01 and not after
/// `today`, and a correct ISO 7064 MOD 11-2 check character. The error is a
/// Chinese sentence naming the first problem found.
pub fn check_id_number(id: &str, today: NaiveDate) -> Result<IdNumberInfo, String> {
    let normalized = id.trim().to_uppercase();
    let chars: Vec<char> = normalized.chars().collect();
    if chars.len() != 18 {
        return Err(format!("身份证号应为18位（现为{}位）", chars.len()));
    }
    let mut digits = [0u32; 17];
    for (i, c) in chars.iter().take(17).enumerate() {
        match c.to_digit(10) {
            Some(d) => digits[i] = d,
            None => return Err(format!("身份证号前17位应全为数字（第{}位是“{c}”）", i + 1)),
        }
    }
    let last = chars[17];
    if !(last.is_ascii_digit() || last == 'X') {
        return Err(format!("身份证号最后一位应为数字或X（现为“{last}”）"));
    }

    if !valid_province(digits[0] * 10 + digits[1]) {
        return Err(format!(
            "身份证号的地区码无效（{}{} 不是省级行政区划代码）",
            digits[0], digits[1]
        ));
    }

    let number =
        |range: std::ops::Range<usize>| digits[range].iter().fold(0u32, |acc, d| acc * 10 + d);
    let (year, month, day) = (number(6..10), number(10..12), number(12..14));
    let shown = format!("{year:04}-{month:02}-{day:02}");
    let birth_date = i32::try_from(year)
        .ok()
        .and_then(|y| NaiveDate::from_ymd_opt(y, month, day))
        .ok_or_else(|| format!("身份证号中的出生日期 {shown} 不存在"))?;
    if birth_date.year() < 1900 {
        return Err(format!("身份证号中的出生日期 {shown} 早于1900年"));
    }
    if birth_date > today {
        return Err(format!("身份证号中的出生日期 {shown} 晚于今天"));
    }

    let sum: u32 = digits.iter().zip(ID_WEIGHTS).map(|(d, w)| d * w).sum();
    let expected = ID_CHECK[(sum % 11) as usize];
    if last != expected {
        return Err(format!("身份证号校验位不正确（应为{expected}）"));
    }

    Ok(IdNumberInfo {
        area_code: chars[..6].iter().collect(),
        sex: if digits[16] % 2 == 1 { "男" } else { "女" },
        birth_date,
        normalized,
    })
}

/// Compares a recorded birth date and sex with what an identity number says.
///
/// `birth_date` may be `YYYY`, `YYYY-MM` or `YYYY-MM-DD` and is compared at that
/// precision; `sex` is compared when it is 男/女 (男性/女性 also understood). Empty
/// values are skipped. Returns one Chinese sentence per disagreement (or for a
/// birth date that cannot be read); an empty list means they agree.
pub fn check_id_consistency(
    info: &IdNumberInfo,
    birth_date: Option<&str>,
    sex: Option<&str>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let id_date = info.birth_date.format("%Y-%m-%d").to_string();

    if let Some(given) = birth_date.map(str::trim).filter(|s| !s.is_empty()) {
        match parse_partial_date(given) {
            Some((year, month, day)) => {
                let agrees = year == info.birth_date.year()
                    && month.is_none_or(|m| m == info.birth_date.month())
                    && day.is_none_or(|d| d == info.birth_date.day());
                if !agrees {
                    problems.push(format!(
                        "出生日期 {given} 与身份证号中的出生日期 {id_date} 不一致"
                    ));
                }
            }
            None => problems.push(format!(
                "出生日期“{given}”无法识别（应为 年、年-月 或 年-月-日），未能与身份证号核对"
            )),
        }
    }

    if let Some(given) = sex.map(str::trim).filter(|s| !s.is_empty()) {
        let given_sex = match given {
            "男" | "男性" => Some("男"),
            "女" | "女性" => Some("女"),
            _ => None,
        };
        if let Some(s) = given_sex {
            if s != info.sex {
                problems.push(format!(
                    "性别“{given}”与身份证号不一致（身份证号显示为{}）",
                    info.sex
                ));
            }
        }
    }
    problems
}

/// Reads `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (the day must exist in the calendar).
fn parse_partial_date(s: &str) -> Option<(i32, Option<u32>, Option<u32>)> {
    let parts: Vec<&str> = s.split('-').collect();
    let all_digits = |p: &str, len: usize| p.len() == len && p.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] if all_digits(y, 4) => Some((y.parse().ok()?, None, None)),
        [y, m] if all_digits(y, 4) && all_digits(m, 2) => {
            let month: u32 = m.parse().ok()?;
            (1..=12)
                .contains(&month)
                .then_some((y.parse().ok()?, Some(month), None))
        }
        [y, m, d] if all_digits(y, 4) && all_digits(m, 2) && all_digits(d, 2) => {
            let date = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
            Some((date.year(), Some(date.month()), Some(date.day())))
        }
        _ => None,
    }
}

/// Checks and normalises a telephone number.
///
/// A mainland mobile number is 11 digits starting `13`–`19`, optionally preceded
/// by `+86`, `0086` or `86`, with any spaces or hyphens; it comes back as the 11
/// digits. A landline needs its area code (3–4 digits starting `0`), written as
/// `0632-6611511`, `0632 6611511`, `(0632)6611511` or run together (`010`/`02x`
/// are the 3-digit codes then), a 7–8 digit number not starting with 0 or 1, and
/// optionally an extension `-123` or `转123`; it comes back as `0632-6611511`
/// (`0632-6611511转123` with an extension).
pub fn check_phone(phone: &str) -> Result<String, String> {
    let trimmed = phone.trim();
    let bad = || {
        Err(format!(
            "电话号码格式不正确：{trimmed}（手机号应为11位，如 13812345678；固定电话需带区号，如 0632-6611511）"
        ))
    };
    if trimmed.is_empty() {
        return bad();
    }
    if let Some(mobile) = as_mobile(trimmed) {
        return Ok(mobile);
    }
    match as_landline(trimmed) {
        Some(landline) => Ok(landline.normalized()),
        None => bad(),
    }
}

/// The 11 digits of a mobile number, if `s` is one.
fn as_mobile(s: &str) -> Option<String> {
    let compact: String = s.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let digits = compact
        .strip_prefix("+86")
        .or_else(|| compact.strip_prefix("0086"))
        .or_else(|| {
            if compact.len() == 13 {
                compact.strip_prefix("86")
            } else {
                None
            }
        })
        .unwrap_or(&compact);
    let b = digits.as_bytes();
    let ok = b.len() == 11
        && b.iter().all(u8::is_ascii_digit)
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1]);
    ok.then(|| digits.to_string())
}

/// A landline number split into its parts.
struct Landline {
    area: String,
    number: String,
    extension: Option<String>,
}

impl Landline {
    fn normalized(&self) -> String {
        match &self.extension {
            Some(ext) => format!("{}-{}转{}", self.area, self.number, ext),
            None => format!("{}-{}", self.area, self.number),
        }
    }
}

/// Parses a landline number with its area code, if `s` is one.
fn as_landline(s: &str) -> Option<Landline> {
    let is_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());

    // Split off an extension written with 转 (or 分机).
    let (main, extension) = match s.split_once('转').or_else(|| s.split_once("分机")) {
        Some((main, ext)) => {
            let ext = ext.trim();
            if !(is_digits(ext) && ext.len() <= 6) {
                return None;
            }
            (main.trim(), Some(ext.to_string()))
        }
        None => (s, None),
    };

    // Area code: in brackets, before a separator, or run together.
    let (area, rest) = if let Some(inner) = main.strip_prefix(['(', '（']) {
        let end = inner.find([')', '）'])?;
        let close_len = inner[end..].chars().next()?.len_utf8();
        (
            inner[..end].trim().to_string(),
            inner[end + close_len..].trim_start_matches([' ', '-']),
        )
    } else if let Some(pos) = main.find([' ', '-']) {
        (
            main[..pos].to_string(),
            main[pos..].trim_start_matches([' ', '-']),
        )
    } else {
        // Run together: 010 and 02x are the only 3-digit area codes.
        if !is_digits(main) || !main.starts_with('0') {
            return None;
        }
        let len = if main.starts_with("01") || main.starts_with("02") {
            3
        } else {
            4
        };
        if main.len() <= len {
            return None;
        }
        (main[..len].to_string(), &main[len..])
    };
    if !(is_digits(&area) && area.starts_with('0') && (3..=4).contains(&area.len())) {
        return None;
    }

    // Number, then perhaps "-123" as the extension.
    let rest = rest.trim();
    let (number, dash_ext) = match rest.split_once(['-', ' ']) {
        Some((n, e)) => (n, Some(e.trim_start_matches([' ', '-']))),
        None => (rest, None),
    };
    if !(is_digits(number) && (7..=8).contains(&number.len()) && !number.starts_with(['0', '1'])) {
        return None;
    }
    let extension = match (extension, dash_ext) {
        (Some(_), Some(_)) => return None,
        (Some(e), None) => Some(e),
        (None, Some(e)) if is_digits(e) && e.len() <= 6 => Some(e.to_string()),
        (None, Some(_)) => return None,
        (None, None) => None,
    };
    Some(Landline {
        area,
        number: number.to_string(),
        extension,
    })
}

/// Masks an identity number for display: the first 4 and last 4 characters stay,
/// the rest become `*` (`3704**********1234` for 18 characters). Anything shorter
/// than 15 characters is masked entirely.
pub fn mask_id_number(id: &str) -> String {
    let chars: Vec<char> = id.trim().chars().collect();
    let n = chars.len();
    if n < 15 {
        return "*".repeat(n);
    }
    let mut out: String = chars[..4].iter().collect();
    out.push_str(&"*".repeat(n - 8));
    out.extend(&chars[n - 4..]);
    out
}

/// Masks a telephone number for display.
///
/// A mobile number keeps its first 3 and last 4 digits (`138****5678`); a landline
/// keeps its area code and last 4 digits (`0632-***1511`). Something that is not
/// a recognisable number keeps only its last 4 characters, and one of 8 characters
/// or fewer is masked entirely.
pub fn mask_phone(p: &str) -> String {
    let trimmed = p.trim();
    if let Some(m) = as_mobile(trimmed) {
        return format!("{}****{}", &m[..3], &m[7..]);
    }
    if let Some(l) = as_landline(trimmed) {
        let n = l.number.len();
        let masked = format!("{}-{}{}", l.area, "*".repeat(n - 4), &l.number[n - 4..]);
        return match l.extension {
            Some(ext) => format!("{masked}转{ext}"),
            None => masked,
        };
    }
    let chars: Vec<char> = trimmed.chars().collect();
    let n = chars.len();
    if n <= 8 {
        return "*".repeat(n);
    }
    let mut out = "*".repeat(n - 4);
    out.extend(&chars[n - 4..]);
    out
}

/// The 31 characters a unified social credit code may use, in value order.
const CREDIT_CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weights of the credit code's check over positions 1–17.
const CREDIT_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
/// Weights of the GB 11714 organisation code's check over its first 8 characters.
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// Checks an 18-character unified social credit code (GB 32100-2015).
///
/// Spaces are removed and letters upper-cased. Every character must come from
/// `0123456789ABCDEFGHJKLMNPQRTUWXY` (no I, O, Z, S, V); positions 3–8 (the area
/// code) must be digits; position 18 must be the GB 32100 check character; and
/// positions 9–17, the organisation code, must carry a correct GB 11714 check
/// character. Returns the normalised code.
pub fn check_credit_code(code: &str) -> Result<String, String> {
    let normalized: String = code
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let chars: Vec<char> = normalized.chars().collect();
    if chars.len() != 18 {
        return Err(format!("统一社会信用代码应为18位（现为{}位）", chars.len()));
    }
    let mut values = [0u32; 18];
    for (i, c) in chars.iter().enumerate() {
        match CREDIT_CHARSET.chars().position(|x| x == *c) {
            Some(v) => values[i] = v as u32,
            None => return Err(format!("统一社会信用代码含有不允许的字符 {c}")),
        }
    }
    if !chars[2..8].iter().all(char::is_ascii_digit) {
        return Err("统一社会信用代码第3至8位（登记管理机关行政区划码）应为数字".into());
    }

    let sum: u32 = values.iter().zip(CREDIT_WEIGHTS).map(|(v, w)| v * w).sum();
    let expected_value = (31 - sum % 31) % 31;
    let expected = CREDIT_CHARSET
        .chars()
        .nth(expected_value as usize)
        .unwrap_or('0');
    if chars[17] != expected {
        return Err(format!("统一社会信用代码校验位不正确（应为 {expected}）"));
    }

    // The organisation code: 8 characters and its own check character.
    let mut org_sum = 0u32;
    for (c, w) in chars[8..16].iter().zip(ORG_WEIGHTS) {
        // Digits count 0–9 and letters A=10 … Z=35 (all base-36 digits).
        let Some(v) = c.to_digit(36) else {
            return Err("组织机构代码校验位不正确".into());
        };
        org_sum += v * w;
    }
    let org_expected = match 11 - org_sum % 11 {
        10 => 'X',
        11 => '0',
        n => char::from_digit(n, 10).unwrap_or('0'),
    };
    if chars[16] != org_expected {
        return Err(format!(
            "组织机构代码校验位不正确（统一社会信用代码第17位应为 {org_expected}）"
        ));
    }
    Ok(normalized)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn today() -> NaiveDate {
        d(2025, 6, 1)
    }

    /// Independent MOD 11-2: adds the check character to 17 digits.
    fn with_id_check(first17: &str) -> String {
        assert_eq!(first17.len(), 17);
        let mut sum = 0;
        for (i, ch) in first17.chars().enumerate() {
            // weight = 2^(17 - i) mod 11, the definition behind the table
            let w = (1u64 << (17 - i)) % 11;
            sum += u64::from(ch.to_digit(10).unwrap()) * w;
        }
        let r = (12 - (sum % 11)) % 11;
        let check = if r == 10 {
            'X'
        } else {
            char::from_digit(r as u32, 10).unwrap()
        };
        format!("{first17}{check}")
    }

    /// Swaps the last character for another valid-looking but wrong one.
    fn with_wrong_last(id: &str) -> String {
        let last = id.chars().last().unwrap();
        let wrong = if last == '0' { '1' } else { '0' };
        format!("{}{wrong}", &id[..id.len() - 1])
    }

    #[test]
    fn independent_check_matches_published_example() {
        // The worked example of GB 11643-1999: 11010519491231002X.
        assert_eq!(with_id_check("11010519491231002"), "11010519491231002X");
    }

    #[test]
    fn valid_id_numbers() {
        let id = with_id_check("37040219800512123");
        let info = check_id_number(&id, today()).unwrap();
        assert_eq!(info.normalized, id);
        assert_eq!(info.birth_date, d(1980, 5, 12));
        assert_eq!(info.sex, "男");
        assert_eq!(info.area_code, "370402");

        let id = with_id_check("37040420000229004");
        let info = check_id_number(&format!("  {id} "), today()).unwrap();
        assert_eq!(info.birth_date, d(2000, 2, 29));
        assert_eq!(info.sex, "女");

        // Every province-level prefix of the standard is accepted.
        for p in [
            11, 15, 21, 23, 31, 37, 41, 46, 50, 54, 61, 65, 71, 81, 82, 83, 91,
        ] {
            let id = with_id_check(&format!("{p}010219800512123"));
            assert!(check_id_number(&id, today()).is_ok(), "{id}");
        }
        // Born today is fine; 1900-01-01 is fine.
        let id = with_id_check("37040220250601123");
        assert!(check_id_number(&id, today()).is_ok());
        let id = with_id_check("37040219000101123");
        assert!(check_id_number(&id, today()).is_ok());
    }

    #[test]
    fn lower_case_x_is_accepted_and_normalised() {
        let mut found = None;
        for seq in 0..1000 {
            let id = with_id_check(&format!("37040219900101{seq:03}"));
            if id.ends_with('X') {
                found = Some(id);
                break;
            }
        }
        let id = found.unwrap();
        let info = check_id_number(&id.to_lowercase(), today()).unwrap();
        assert_eq!(info.normalized, id);
        assert!(info.normalized.ends_with('X'));
    }

    #[test]
    fn invalid_id_numbers() {
        let good = with_id_check("37040219800512123");

        let e = check_id_number(&with_wrong_last(&good), today()).unwrap_err();
        assert_eq!(
            e,
            format!(
                "身份证号校验位不正确（应为{}）",
                good.chars().last().unwrap()
            )
        );

        let e = check_id_number(&with_id_check("37040220220230123"), today()).unwrap_err();
        assert_eq!(e, "身份证号中的出生日期 2022-02-30 不存在");
        let e = check_id_number(&with_id_check("37040219801301123"), today()).unwrap_err();
        assert!(e.contains("1980-13-01 不存在"), "{e}");

        let e = check_id_number(&with_id_check("37040220250602123"), today()).unwrap_err();
        assert!(e.contains("2025-06-02") && e.contains("晚于今天"), "{e}");

        let e = check_id_number(&with_id_check("37040218991231123"), today()).unwrap_err();
        assert!(e.contains("早于1900年"), "{e}");

        let e = check_id_number(&with_id_check("99040219800512123"), today()).unwrap_err();
        assert!(e.starts_with("身份证号的地区码无效"), "{e}");
        let e = check_id_number(&with_id_check("10040219800512123"), today()).unwrap_err();
        assert!(e.starts_with("身份证号的地区码无效"), "{e}");

        let e = check_id_number(&good[..17], today()).unwrap_err();
        assert!(e.starts_with("身份证号应为18位"), "{e}");
        let e = check_id_number(&format!("{good}1"), today()).unwrap_err();
        assert!(e.starts_with("身份证号应为18位"), "{e}");
        let e = check_id_number("", today()).unwrap_err();
        assert!(e.starts_with("身份证号应为18位"), "{e}");

        let e = check_id_number("3704021980A512123X", today()).unwrap_err();
        assert!(
            e.contains("前17位应全为数字") && e.contains("第11位"),
            "{e}"
        );
        let e = check_id_number("3704021980X5121231", today()).unwrap_err();
        assert!(e.contains("前17位应全为数字"), "{e}");
        let e = check_id_number("37040219800512123Y", today()).unwrap_err();
        assert!(e.contains("最后一位应为数字或X"), "{e}");
        // Full-width digits are not digits here.
        let e = check_id_number("３7040219800512123X", today()).unwrap_err();
        assert!(e.contains("前17位应全为数字"), "{e}");
    }

    fn info(birth: NaiveDate, sex: &'static str) -> IdNumberInfo {
        IdNumberInfo {
            normalized: String::new(),
            birth_date: birth,
            sex,
            area_code: "370402".into(),
        }
    }

    #[test]
    fn consistency_at_each_precision() {
        let i = info(d(1980, 5, 12), "男");
        assert!(check_id_consistency(&i, Some("1980"), Some("男")).is_empty());
        assert!(check_id_consistency(&i, Some("1980-05"), None).is_empty());
        assert!(check_id_consistency(&i, Some("1980-05-12"), Some("男性")).is_empty());
        assert!(check_id_consistency(&i, None, None).is_empty());
        assert!(check_id_consistency(&i, Some("  "), Some("")).is_empty());
        // Sex values other than 男/女 are not compared.
        assert!(check_id_consistency(&i, None, Some("未知")).is_empty());

        let p = check_id_consistency(&i, Some("1981"), None);
        assert_eq!(
            p,
            vec!["出生日期 1981 与身份证号中的出生日期 1980-05-12 不一致".to_string()]
        );
        assert_eq!(check_id_consistency(&i, Some("1980-06"), None).len(), 1);
        assert_eq!(check_id_consistency(&i, Some("1980-05-13"), None).len(), 1);

        let p = check_id_consistency(&i, None, Some("女"));
        assert_eq!(p.len(), 1);
        assert!(p[0].contains("性别") && p[0].contains("男"), "{}", p[0]);

        let p = check_id_consistency(&i, Some("1979-05-12"), Some("女"));
        assert_eq!(p.len(), 2);

        for unreadable in ["1980-5", "80", "1980-13", "1980-02-30", "1980/05/12"] {
            let p = check_id_consistency(&i, Some(unreadable), None);
            assert_eq!(p.len(), 1, "{unreadable}");
            assert!(p[0].contains("无法识别"), "{}", p[0]);
        }
    }

    #[test]
    fn consistency_with_a_checked_number() {
        let id = with_id_check("37040219800512124");
        let i = check_id_number(&id, today()).unwrap();
        assert_eq!(i.sex, "女");
        assert!(check_id_consistency(&i, Some("1980-05-12"), Some("女")).is_empty());
        assert_eq!(check_id_consistency(&i, None, Some("男")).len(), 1);
    }

    #[test]
    fn valid_phones() {
        for (input, want) in [
            ("13812345678", "13812345678"),
            ("138 1234 5678", "13812345678"),
            ("138-1234-5678", "13812345678"),
            ("+86 138 1234 5678", "13812345678"),
            ("+8613812345678", "13812345678"),
            ("8613812345678", "13812345678"),
            ("0086 13812345678", "13812345678"),
            (" 19912345678 ", "19912345678"),
            ("0632-6611511", "0632-6611511"),
            ("0632 6611511", "0632-6611511"),
            ("(0632)6611511", "0632-6611511"),
            ("（0632）6611511", "0632-6611511"),
            ("(0632) 6611511", "0632-6611511"),
            ("010-82345678", "010-82345678"),
            ("06326611511", "0632-6611511"),
            ("02087654321", "020-87654321"),
            ("0632-6611511-123", "0632-6611511转123"),
            ("0632-6611511转123", "0632-6611511转123"),
            ("0632 6611511 转 8", "0632-6611511转8"),
        ] {
            assert_eq!(check_phone(input).as_deref(), Ok(want), "{input}");
        }
    }

    #[test]
    fn invalid_phones() {
        for input in [
            "138123456789",  // 12-digit mobile
            "1381234567",    // 10 digits
            "12812345678",   // starts 12
            "10812345678",   // starts 10
            "6611511",       // landline without area code
            "66115111",      // 8-digit local number, no area code
            "632-6611511",   // area code not starting with 0
            "06320-6611511", // area code too long
            "0632-661151",   // number too short
            "0632-661151100",
            "0632-0611511",   // local number starting 0
            "010-12345678",   // local number starting 1
            "0632-6611511转", // empty extension
            "0632-6611511-12a",
            "(0632-6611511",
            "电话",
            "",
            "   ",
        ] {
            let e = check_phone(input).unwrap_err();
            assert!(e.starts_with("电话号码格式不正确："), "{input}: {e}");
        }
    }

    #[test]
    fn masking() {
        assert_eq!(mask_id_number("370402198005121234"), "3704**********1234");
        assert_eq!(mask_id_number(" 37040219800512123X "), "3704**********123X");
        assert_eq!(mask_id_number("370402800512123"), "3704*******2123");
        assert_eq!(mask_id_number("12345"), "*****");
        assert_eq!(mask_id_number(""), "");

        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("+86 138-1234-5678"), "138****5678");
        assert_eq!(mask_phone("0632-6611511"), "0632-***1511");
        assert_eq!(mask_phone("(0632)66115110"), "0632-****5110");
        assert_eq!(mask_phone("010 82345678"), "010-****5678");
        assert_eq!(mask_phone("0632-6611511转12"), "0632-***1511转12");
        assert_eq!(mask_phone("1234"), "****");
        assert_eq!(mask_phone("6611511"), "*******");
        assert_eq!(mask_phone("abcdefghijk"), "*******hijk");
        assert_eq!(mask_phone(""), "");
    }

    // ---- unified social credit code ----

    const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    /// Independent GB 32100 check: weight i = 3^i mod 31.
    fn credit_check(first17: &str) -> char {
        let mut sum = 0u64;
        let mut w = 1u64;
        for ch in first17.chars() {
            let v = CHARSET.find(ch).unwrap() as u64;
            sum += v * w;
            w = w * 3 % 31;
        }
        let c = (31 - sum % 31) % 31;
        CHARSET.as_bytes()[c as usize] as char
    }

    /// Independent GB 11714 check over 8 characters.
    fn org_check(first8: &str) -> char {
        let weights = [3, 7, 9, 10, 5, 8, 4, 2];
        let mut sum = 0;
        for (ch, w) in first8.chars().zip(weights) {
            let v = if ch.is_ascii_digit() {
                ch as u32 - '0' as u32
            } else {
                ch as u32 - 'A' as u32 + 10
            };
            sum += v * w;
        }
        match 11 - sum % 11 {
            10 => 'X',
            11 => '0',
            n => char::from_digit(n, 10).unwrap(),
        }
    }

    #[test]
    fn independent_credit_checks_agree_with_a_known_code() {
        let known = "91350100M000100Y43";
        assert_eq!(credit_check(&known[..17]), '3');
        assert_eq!(org_check(&known[8..16]), '4');
        assert_eq!(check_credit_code(known).as_deref(), Ok(known));
    }

    #[test]
    fn valid_credit_codes() {
        // Built from parts: registration authority 5 (social organisation), type 1.
        let org8 = "MJ0A1B2C";
        let first17 = format!("51370402{org8}{}", org_check(org8));
        let code = format!("{first17}{}", credit_check(&first17));
        assert_eq!(check_credit_code(&code).as_deref(), Ok(code.as_str()));

        // Lower case and spaces are accepted and normalised.
        let known = "91350100M000100Y43";
        let messy = " 9135 0100 m000 100y 43 ";
        assert_eq!(check_credit_code(messy).as_deref(), Ok(known));
    }

    #[test]
    fn invalid_credit_codes() {
        let known = "91350100M000100Y43";

        let wrong = format!("{}{}", &known[..17], '4');
        let e = check_credit_code(&wrong).unwrap_err();
        assert_eq!(e, "统一社会信用代码校验位不正确（应为 3）");

        let e = check_credit_code("91350100M000I00Y43").unwrap_err();
        assert_eq!(e, "统一社会信用代码含有不允许的字符 I");
        for bad in ['O', 'Z', 'S', 'V', '-'] {
            let code = format!("{}{bad}{}", &known[..9], &known[10..]);
            let e = check_credit_code(&code).unwrap_err();
            assert_eq!(e, format!("统一社会信用代码含有不允许的字符 {bad}"));
        }

        let e = check_credit_code(&known[..17]).unwrap_err();
        assert!(e.starts_with("统一社会信用代码应为18位"), "{e}");
        let e = check_credit_code(&format!("{known}0")).unwrap_err();
        assert!(e.starts_with("统一社会信用代码应为18位"), "{e}");

        // Letters in the area code.
        let first17 = "9135A100M000100Y4";
        let code = format!("{first17}{}", credit_check(first17));
        let e = check_credit_code(&code).unwrap_err();
        assert!(e.contains("第3至8位"), "{e}");

        // A wrong organisation-code check character, with a correct final check.
        let first16 = &known[..16];
        let wrong_org = if known.as_bytes()[16] == b'5' {
            '6'
        } else {
            '5'
        };
        let first17 = format!("{first16}{wrong_org}");
        let code = format!("{first17}{}", credit_check(&first17));
        let e = check_credit_code(&code).unwrap_err();
        assert!(e.starts_with("组织机构代码校验位不正确"), "{e}");
    }
}
