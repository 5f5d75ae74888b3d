//! Item codes rendered from a configurable template.
//!
//! No 台儿庄 format is published, so the registry stores batch, category and
//! in-category sequence separately and renders the code through a template:
//! `{category}` (Ⅰ…Ⅹ), `{seq}` (1, 2, …) and `{batch}` (the batch number as a
//! Roman numeral, as county lists write `Ⅵ-Ⅷ-1`). `{batch_no}` gives the batch
//! number in Arabic digits.

use crate::error::{Error, Result};

/// The default template: national practice, `Ⅷ-3`.
pub const DEFAULT_TEMPLATE: &str = "{category}-{seq}";

/// Templates offered in 设置.
pub const TEMPLATES: [&str; 3] = [
    "{category}-{seq}",
    "{batch}-{category}-{seq}",
    "{category}-{batch_no}-{seq}",
];

/// Checks a template: it must contain `{category}` and `{seq}` and no unknown placeholder.
pub fn validate_template(template: &str) -> Result<()> {
    let known = ["{category}", "{seq}", "{batch}", "{batch_no}"];
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            return Err(Error::field("template", "编号模板中的大括号不成对"));
        };
        let token = &rest[start..start + len + 1];
        if !known.contains(&token) {
            return Err(Error::field(
                "template",
                format!("编号模板中有未知的占位符 {token}"),
            ));
        }
        rest = &rest[start + len + 1..];
    }
    if !template.contains("{category}") || !template.contains("{seq}") {
        return Err(Error::field(
            "template",
            "编号模板必须包含 {category} 和 {seq}",
        ));
    }
    Ok(())
}

/// Unicode Roman numeral for 1…12 (Ⅰ…Ⅻ); larger numbers are composed (ⅩⅢ …).
pub fn roman(n: i64) -> String {
    const ONE: [&str; 13] = [
        "", "Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "Ⅵ", "Ⅶ", "Ⅷ", "Ⅸ", "Ⅹ", "Ⅺ", "Ⅻ",
    ];
    if (1..=12).contains(&n) {
        return ONE[n as usize].to_string();
    }
    if n <= 0 || n > 399 {
        return n.to_string();
    }
    let mut out = "Ⅽ".repeat((n / 100) as usize);
    let mut n = n % 100;
    let tens = [(90, "ⅩⅭ"), (50, "Ⅼ"), (40, "ⅩⅬ")];
    for (v, s) in tens {
        if n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    while n > 12 {
        out.push('Ⅹ');
        n -= 10;
    }
    out.push_str(ONE[n as usize]);
    out
}

/// Renders an item's code. A missing batch drops `{batch}`/`{batch_no}` and the separator next to it.
pub fn render(template: &str, category: &str, seq: i64, batch: Option<i64>) -> String {
    let mut s = template
        .replace("{category}", category)
        .replace("{seq}", &seq.to_string());
    match batch {
        Some(b) => {
            s = s
                .replace("{batch}", &roman(b))
                .replace("{batch_no}", &b.to_string());
        }
        None => {
            for token in ["{batch}", "{batch_no}"] {
                s = s
                    .replace(&format!("{token}-"), "")
                    .replace(&format!("-{token}"), "")
                    .replace(token, "");
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_and_batch_templates() {
        assert_eq!(render(DEFAULT_TEMPLATE, "Ⅷ", 3, Some(6)), "Ⅷ-3");
        assert_eq!(render("{batch}-{category}-{seq}", "Ⅷ", 1, Some(6)), "Ⅵ-Ⅷ-1");
        assert_eq!(
            render("{category}-{batch_no}-{seq}", "Ⅱ", 12, Some(6)),
            "Ⅱ-6-12"
        );
        assert_eq!(render("{batch}-{category}-{seq}", "Ⅷ", 1, None), "Ⅷ-1");
    }

    #[test]
    fn roman_numerals() {
        assert_eq!(roman(6), "Ⅵ");
        assert_eq!(roman(12), "Ⅻ");
        assert_eq!(roman(13), "ⅩⅢ");
        assert_eq!(roman(24), "ⅩⅩⅣ");
    }

    #[test]
    fn templates_are_checked() {
        for t in TEMPLATES {
            validate_template(t).unwrap();
        }
        assert_eq!(validate_template("{seq}").unwrap_err().code(), "validation");
        assert_eq!(
            validate_template("{category}-{seq}-{year}")
                .unwrap_err()
                .code(),
            "validation"
        );
        assert_eq!(
            validate_template("{category-{seq}").unwrap_err().code(),
            "validation"
        );
    }
}
