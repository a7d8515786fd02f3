//! Search folding for catalog names: what a cashier types should find an item whatever its
//! case, accents or Arabic diacritics.
//!
//! No library folds Arabic for search (Unicode normalisation keeps harakat and does not merge
//! alef forms), and the Latin part needs only the Latin-1 letters shops use, so the few rules
//! are written here: lowercase; drop Arabic harakat, the superscript alef and tatweel; write
//! every alef form (أ إ آ ٱ) as ا, alef maksura ى as ي and ta marbuta ة as ه; strip the
//! accents of Latin-1 letters (é → e, ç → c).

/// `text` folded for search (see the module).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            // Harakat (fathatan … sukun, and the rarer marks up to U+065F), superscript alef,
            // tatweel: writing aids, not letters.
            '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' => {}
            'أ' | 'إ' | 'آ' | 'ٱ' => out.push('ا'),
            'ى' => out.push('ي'),
            'ة' => out.push('ه'),
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => out.push('a'),
            'ç' => out.push('c'),
            'è' | 'é' | 'ê' | 'ë' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' => out.push('i'),
            'ñ' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => out.push('o'),
            'ù' | 'ú' | 'û' | 'ü' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn case_accents_and_arabic_marks_fold_away() {
        assert_eq!(fold("Café CRÈME"), "cafe creme");
        // "qahwa" with and without harakat and tatweel.
        assert_eq!(fold("قَهْوَة"), fold("قهوه"));
        assert_eq!(fold("قـهـوة"), "قهوه");
        assert_eq!(fold("أرز"), "ارز");
        assert_eq!(fold("إبريق"), "ابريق");
        assert_eq!(fold("حلوى"), "حلوي");
        // Nothing else changes.
        assert_eq!(fold("sku-12/ab"), "sku-12/ab");
        assert_ne!(fold("قهوة"), fold("قهوا"));
    }
}
