//! Personal data kept out of the report: the records' identity numbers, phones and
//! addresses are never taken, and free text a clerk typed is masked by [`scrub`].

use crate::export::doc::{Block, Document};
use crate::ident::{mask_id_number, mask_phone};

/// Masks what looks like an identity number (15 or 18 characters) or a telephone number
/// (an 11-digit mobile, a landline with its area code) in free text, as the lists mask the
/// recorded ones. Dates, amounts and 文号 are left alone.
pub fn scrub(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < n {
        let starts_run = chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit());
        if !starts_run {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let mut j = i;
        while j < n && chars[j].is_ascii_digit() {
            j += 1;
        }
        let mut run: String = chars[i..j].iter().collect();
        if run.len() == 17 && j < n && matches!(chars[j], 'X' | 'x') {
            run.push(chars[j]);
            j += 1;
        }
        let second = run.chars().nth(1).unwrap_or('0');
        let masked = match run.len() {
            15 | 18 => Some(mask_id_number(&run)),
            11 if run.starts_with('1') && ('3'..='9').contains(&second) => Some(mask_phone(&run)),
            10..=12 if run.starts_with('0') => Some(mask_phone(&run)),
            3 | 4 if run.starts_with('0') => {
                // An area code, a separator and a 7–8 digit number.
                let sep = chars.get(j).copied();
                let mut k = j + 1;
                while k < n && chars[k].is_ascii_digit() {
                    k += 1;
                }
                let number: String = chars.get(j + 1..k).unwrap_or_default().iter().collect();
                let ends = k >= n || !chars[k].is_ascii_digit();
                if matches!(sep, Some('-' | ' ' | '－')) && (7..=8).contains(&number.len()) && ends
                {
                    let m = mask_phone(&format!("{run}-{number}"));
                    j = k;
                    Some(m)
                } else {
                    None
                }
            }
            _ => None,
        };
        out.push_str(masked.as_deref().unwrap_or(&run));
        i = j;
    }
    out
}

/// Scrubs every text of a document (see [`scrub`]).
pub fn scrub_document(doc: &mut Document) {
    doc.title = scrub(&doc.title);
    if let Some(c) = doc.cover.as_mut() {
        c.kicker = scrub(&c.kicker);
        c.title = scrub(&c.title);
        c.footnote = scrub(&c.footnote);
        for (l, v) in &mut c.fields {
            *l = scrub(l);
            *v = scrub(v);
        }
    }
    for b in &mut doc.blocks {
        match b {
            Block::Heading { text, .. } => *text = scrub(text),
            Block::Paragraph(p) => p.text = scrub(&p.text),
            Block::Table(t) => {
                t.caption = scrub(&t.caption);
                for c in t.header.iter_mut().chain(t.rows.iter_mut().flatten()) {
                    c.text = scrub(&c.text);
                }
            }
            Block::Image(img) => img.caption = scrub(&img.caption),
            Block::Signature(lines) => {
                for l in lines {
                    *l = scrub(l);
                }
            }
            Block::PageBreak => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_masks_identity_and_phone_numbers_but_not_dates_or_money() {
        assert_eq!(
            scrub("身份证370405195603020017，电话13912345678。"),
            "身份证3704**********0017，电话139****5678。"
        );
        assert_eq!(scrub("证号37040519560302001X"), "证号3704**********001X");
        assert_eq!(scrub("座机0632-6611511转"), "座机0632-***1511转");
        let keep = "2025-05-18 台政字〔2022〕33号 1,234,567.89元 参与120人 20250518";
        assert_eq!(scrub(keep), keep);
    }
}
