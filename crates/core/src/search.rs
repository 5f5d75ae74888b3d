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

/// The name's pinyin keys as the search index stores them: full pinyin, a space, initials.
pub fn keys_text(name: &str) -> String {
    let (full, initials) = pinyin_keys(name);
    format!("{full} {initials}")
}

/// Appends the lowercase hex of a code point (ASCII letters folded to lower case first, as
/// `LIKE` folds them).
fn push_hex(out: &mut String, c: char) {
    use std::fmt::Write;
    let _ = write!(out, "{:x}", c.to_ascii_lowercase() as u32);
}

/// The `search_gram` token of a one- or two-character text query (`u…` or `b…x…`);
/// `None` for any other length or when it holds whitespace (never indexed).
pub fn text_gram(q: &str) -> Option<String> {
    let chars: Vec<char> = q.chars().collect();
    if chars.is_empty() || chars.len() > 2 || chars.iter().any(|c| c.is_whitespace()) {
        return None;
    }
    let mut t = String::with_capacity(12);
    if chars.len() == 1 {
        t.push('u');
        push_hex(&mut t, chars[0]);
    } else {
        t.push('b');
        push_hex(&mut t, chars[0]);
        t.push('x');
        push_hex(&mut t, chars[1]);
    }
    Some(t)
}

/// The `search_gram` token of a one- or two-letter pinyin query (`k` + the letters);
/// `None` for any other length.
pub fn key_gram(norm: &str) -> Option<String> {
    let n = norm.chars().count();
    ((1..=2).contains(&n) && norm.chars().all(|c| c.is_ascii_alphanumeric()))
        .then(|| format!("k{}", norm.to_ascii_lowercase()))
}

/// Every token `search_gram` holds for one record: each one- and two-character substring of
/// the name and of the body (not across the two, none with whitespace) as [`text_gram`]
/// spells it, and each one- and two-character substring of the pinyin keys as [`key_gram`]
/// does — once each, space-separated (the `ascii` tokenizer splits them again).
pub fn gram_tokens(name: &str, body: &str, keys: &str) -> String {
    use std::collections::HashSet;
    // (a, b) with b = u32::MAX for a single character; ASCII-folded like LIKE.
    let mut text: HashSet<(u32, u32)> = HashSet::new();
    for part in [name, body] {
        let mut prev: Option<char> = None;
        for c in part.chars() {
            let c = c.to_ascii_lowercase();
            if c.is_whitespace() {
                prev = None;
                continue;
            }
            text.insert((c as u32, u32::MAX));
            if let Some(p) = prev {
                text.insert((p as u32, c as u32));
            }
            prev = Some(c);
        }
    }
    let mut key: HashSet<&str> = HashSet::new();
    for word in keys.split_whitespace().filter(|w| w.is_ascii()) {
        for (i, _) in word.char_indices() {
            key.insert(&word[i..i + 1]);
            if i + 2 <= word.len() {
                key.insert(&word[i..i + 2]);
            }
        }
    }
    let mut out = String::with_capacity(text.len() * 11 + key.len() * 4);
    for (a, b) in text {
        let (a, b) = (char::from_u32(a).unwrap_or(' '), char::from_u32(b));
        out.push(if b.is_some() { 'b' } else { 'u' });
        push_hex(&mut out, a);
        if let Some(b) = b {
            out.push('x');
            push_hex(&mut out, b);
        }
        out.push(' ');
    }
    for k in key {
        if k.chars().all(|c| c.is_ascii_alphanumeric()) {
            out.push('k');
            out.push_str(k);
            out.push(' ');
        }
    }
    out
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
    fn grams_cover_every_short_substring_once() {
        let t = gram_tokens("鲁南花鼓", "花鼓 AB", &keys_text("鲁南花鼓"));
        let toks: Vec<&str> = t.split(' ').filter(|s| !s.is_empty()).collect();
        let set: std::collections::HashSet<&str> = toks.iter().copied().collect();
        assert_eq!(set.len(), toks.len(), "each token once: {t}");
        for q in ["鲁", "鼓", "鲁南", "花鼓", "南花", "a", "ab", "AB", "Ab"] {
            let g = text_gram(q).unwrap();
            assert!(set.contains(g.as_str()), "{q} → {g} missing from {t}");
        }
        // Not across a space, nor across name and body.
        assert!(!set.contains(text_gram("鼓花").unwrap().as_str()));
        assert!(!set.contains(text_gram("鼓a").unwrap().as_str()));
        for q in ["l", "ln", "hg", "lu", "gu", "nh"] {
            assert!(set.contains(key_gram(q).unwrap().as_str()), "{q}");
        }
        assert!(!set.contains("kul"), "only one and two letters");
        assert_eq!(text_gram("花鼓戏"), None);
        assert_eq!(text_gram("a b"), None);
        assert_eq!(key_gram("lnh"), None);
    }

    #[test]
    fn snippets_cut_around_the_match() {
        let s = snippet("台儿庄运河岸边流传的鲁南花鼓，起源于清代", "花鼓", 3);
        assert_eq!(s, "…的鲁南花鼓，起源…");
    }
}
