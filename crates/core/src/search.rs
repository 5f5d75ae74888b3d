//! Search keys for Chinese names: full pinyin and initials, and the classification
//! of what the user typed (Chinese text, pinyin, or initials).

use pinyin::ToPinyin;

/// The full pinyin (no tones, no separators, lower case) and the initials of a name.
/// Characters without pinyin keep their lower-case ASCII letters and digits; the rest
/// (punctuation, spaces) are dropped. `鲁南花鼓` → (`lunanhuagu`, `lnhg`).
pub fn pinyin_keys(name: &str) -> (String, String) {
    let mut full = String::new();
    let mut initials = String::new();
    for (ch, py) in name.chars().zip(name.to_pinyin()) {
        match py {
            Some(p) => {
                full.push_str(p.plain());
                initials.push_str(p.first_letter());
            }
            None if ch.is_ascii_alphanumeric() => {
                let c = ch.to_ascii_lowercase();
                full.push(c);
                initials.push(c);
            }
            None => {}
        }
    }
    (full, initials)
}

/// How a query will be matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryKind {
    /// Nothing to search for.
    Empty,
    /// Latin letters only: pinyin or initials (normalised: lower case, no spaces or apostrophes).
    Pinyin(String),
    /// Anything else: a substring of names and texts (trimmed).
    Text(String),
}

/// Classifies what the user typed.
pub fn classify(query: &str) -> QueryKind {
    let q = query.trim();
    if q.is_empty() {
        return QueryKind::Empty;
    }
    if q.chars()
        .all(|c| c.is_ascii_alphabetic() || c == ' ' || c == '\'')
    {
        let norm: String = q
            .chars()
            .filter(char::is_ascii_alphabetic)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if !norm.is_empty() {
            return QueryKind::Pinyin(norm);
        }
    }
    QueryKind::Text(q.to_string())
}

/// How a name matched a query: `name` (Chinese substring), `initials`, `pinyin`, or `text`
/// (the match was elsewhere in the record's texts).
pub fn match_kind(name: &str, query: &str) -> &'static str {
    let q = query.trim();
    if name.contains(q) {
        return "name";
    }
    if let QueryKind::Pinyin(p) = classify(q) {
        let (full, initials) = pinyin_keys(name);
        if initials.contains(&p) {
            return "initials";
        }
        if full.contains(&p) {
            return "pinyin";
        }
    }
    "text"
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
pub fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A short excerpt of `text` around the first occurrence of `needle`.
pub fn snippet(text: &str, needle: &str, radius: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let Some(byte_at) = text.find(needle) else {
        return chars.iter().take(radius * 2).collect();
    };
    let at = text[..byte_at].chars().count();
    let start = at.saturating_sub(radius);
    let end = (at + needle.chars().count() + radius).min(chars.len());
    let mut s: String = chars[start..end]
        .iter()
        .collect::<String>()
        .replace(['\n', '\r'], " ");
    if start > 0 {
        s.insert(0, '…');
    }
    if end < chars.len() {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinyin_and_initials_of_a_name() {
        assert_eq!(
            pinyin_keys("鲁南花鼓"),
            ("lunanhuagu".into(), "lnhg".into())
        );
        assert_eq!(pinyin_keys("柳琴戏"), ("liuqinxi".into(), "lqx".into()));
        assert_eq!(
            pinyin_keys("布玩具（布老虎制作技艺）"),
            ("buwanjubulaohuzhizuojiyi".into(), "bwjblhzzjy".into())
        );
        assert_eq!(pinyin_keys("3D剪纸"), ("3djianzhi".into(), "3djz".into()));
    }

    #[test]
    fn classify_queries() {
        assert_eq!(classify("  "), QueryKind::Empty);
        assert_eq!(classify("lnhg"), QueryKind::Pinyin("lnhg".into()));
        assert_eq!(
            classify("Lu Nan hua'gu"),
            QueryKind::Pinyin("lunanhuagu".into())
        );
        assert_eq!(classify("花鼓"), QueryKind::Text("花鼓".into()));
        assert_eq!(classify("Ⅷ-3"), QueryKind::Text("Ⅷ-3".into()));
    }

    #[test]
    fn like_patterns_are_escaped() {
        assert_eq!(like_escape("50%_a\\"), "50\\%\\_a\\\\");
    }

    #[test]
    fn snippets_cut_around_the_match() {
        let s = snippet("台儿庄运河岸边流传的鲁南花鼓，起源于清代", "花鼓", 3);
        assert_eq!(s, "…的鲁南花鼓，起源…");
    }
}
