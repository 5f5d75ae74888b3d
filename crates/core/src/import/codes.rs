//! Item codes as published lists write them, parsed into batch, category and sequence:
//! `Ⅷ-3` (category-sequence), `Ⅵ-Ⅷ-1` (batch-category-sequence), `Ⅷ-6-3`
//! (category-batch-sequence), `Ⅷ` (category only). Typed codes are tolerated: ASCII
//! look-alikes of the Roman numerals (`VIII`, `viii`, `lV` with a small L), full-width
//! letters and digits (`ＶＩＩＩ－３`), and any dash (`－ — – − ‐ _ . · 、`).

/// What a code says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedCode {
    /// The batch number, when the code carries one.
    pub batch: Option<i64>,
    /// The category numeral, `Ⅰ`…`Ⅹ`.
    pub category: String,
    /// The sequence within the category, when given.
    pub seq: Option<i64>,
}

const UNICODE_ROMAN: [(char, &str); 24] = [
    ('Ⅰ', "I"),
    ('Ⅱ', "II"),
    ('Ⅲ', "III"),
    ('Ⅳ', "IV"),
    ('Ⅴ', "V"),
    ('Ⅵ', "VI"),
    ('Ⅶ', "VII"),
    ('Ⅷ', "VIII"),
    ('Ⅸ', "IX"),
    ('Ⅹ', "X"),
    ('Ⅺ', "XI"),
    ('Ⅻ', "XII"),
    ('ⅰ', "I"),
    ('ⅱ', "II"),
    ('ⅲ', "III"),
    ('ⅳ', "IV"),
    ('ⅴ', "V"),
    ('ⅵ', "VI"),
    ('ⅶ', "VII"),
    ('ⅷ', "VIII"),
    ('ⅸ', "IX"),
    ('ⅹ', "X"),
    ('ⅺ', "XI"),
    ('ⅻ', "XII"),
];

/// Full-width ASCII (`Ａ`, `３`, `－`) to ASCII, the ideographic space to a space.
pub fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

/// Unicode Roman numerals spelled out in ASCII, dashes unified to `-`.
fn ascii_code(s: &str) -> String {
    let mut out = String::new();
    for c in half_width(s).chars() {
        if let Some((_, a)) = UNICODE_ROMAN.iter().find(|(u, _)| *u == c) {
            // Keep neighbouring numerals apart: `ⅥⅧ` is never written, but `Ⅵ Ⅷ` might be.
            out.push_str(a);
            continue;
        }
        match c {
            '-' | '—' | '–' | '−' | '‐' | '‑' | '_' | '.' | '·' | '、' | '/' | '～' | '~' => {
                out.push('-')
            }
            c if c.is_whitespace() => out.push('-'),
            c => out.push(c),
        }
    }
    out
}

/// The value of a Roman numeral written in ASCII (either case; a small `l` or `|` read as
/// `I`), only in its canonical form (`IV`, not `IIII`), 1…99.
pub fn roman_value(s: &str) -> Option<i64> {
    let t: String = s
        .chars()
        .map(|c| match c {
            'l' | '|' => 'I',
            c => c.to_ascii_uppercase(),
        })
        .collect();
    if t.is_empty() || !t.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L')) {
        return None;
    }
    let val = |c: char| match c {
        'I' => 1,
        'V' => 5,
        'X' => 10,
        _ => 50,
    };
    let chars: Vec<i64> = t.chars().map(val).collect();
    let mut total = 0;
    for (i, v) in chars.iter().enumerate() {
        if chars.get(i + 1).is_some_and(|n| n > v) {
            total -= v;
        } else {
            total += v;
        }
    }
    (1..=99)
        .contains(&total)
        .then_some(total)
        .filter(|n| to_ascii_roman(*n) == t)
}

fn to_ascii_roman(mut n: i64) -> String {
    let mut s = String::new();
    for (v, r) in [
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ] {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// The Unicode numeral of a category number 1…10.
pub fn category_numeral(n: i64) -> Option<String> {
    (1..=10).contains(&n).then(|| crate::code::roman(n))
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Part {
    Roman(i64),
    Number(i64),
}

fn parts(code: &str) -> Option<Vec<Part>> {
    let mut out = Vec::new();
    for seg in ascii_code(code).split('-').filter(|s| !s.is_empty()) {
        // `VIII3`: a numeral directly followed by digits.
        let split = seg.find(|c: char| c.is_ascii_digit()).unwrap_or(seg.len());
        let (letters, digits) = seg.split_at(split);
        if !letters.is_empty() {
            out.push(Part::Roman(roman_value(letters)?));
        }
        if !digits.is_empty() {
            out.push(Part::Number(digits.parse().ok()?));
        }
    }
    Some(out)
}

/// Parses a code; `None` when it is not one of the shapes above.
pub fn parse_code(code: &str) -> Option<ParsedCode> {
    use Part::*;
    let cat = |n: i64| category_numeral(n);
    let seq = |n: i64| (n >= 1).then_some(n);
    let (batch, category, s) = match parts(code)?.as_slice() {
        [Roman(c)] => (None, cat(*c)?, None),
        [Roman(c), Number(n)] => (None, cat(*c)?, Some(seq(*n)?)),
        [Roman(b), Roman(c)] => (Some(*b), cat(*c)?, None),
        [Roman(b), Roman(c), Number(n)] => (Some(*b), cat(*c)?, Some(seq(*n)?)),
        [Roman(c), Number(b), Number(n)] => (Some(*b), cat(*c)?, Some(seq(*n)?)),
        _ => return None,
    };
    Some(ParsedCode {
        batch,
        category,
        seq: s,
    })
}
