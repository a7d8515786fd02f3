//! The papers the desktop shell prints on (`print_page`, `print_page_to_pdf`): the size of each,
//! as the shell gives it to the system's print settings and the page's print CSS assumes it.

use serde::{Deserialize, Serialize};

/// A paper to print on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Paper {
    /// A receipt printer's 80 mm roll.
    Roll80mm,
    /// ISO A4.
    A4,
}

impl Paper {
    /// Both papers.
    pub const ALL: [Paper; 2] = [Paper::Roll80mm, Paper::A4];

    /// The JSON name (`roll80mm`, `a4`).
    pub fn as_str(self) -> &'static str {
        match self {
            Paper::Roll80mm => "roll80mm",
            Paper::A4 => "a4",
        }
    }

    /// Width and height in millimetres. A roll has no fixed length; a page of 297 mm (A4's)
    /// holds a long receipt, and a longer one continues on the next page.
    pub fn size_mm(self) -> (f64, f64) {
        match self {
            Paper::Roll80mm => (80.0, 297.0),
            Paper::A4 => (210.0, 297.0),
        }
    }

    /// The margin on every side, in millimetres (a roll printer prints nearly to its edges).
    pub fn margin_mm(self) -> f64 {
        match self {
            Paper::Roll80mm => 3.0,
            Paper::A4 => 12.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_names_are_the_as_str_names_and_sizes_are_the_papers() {
        for paper in Paper::ALL {
            assert_eq!(
                serde_json::to_value(paper).unwrap(),
                serde_json::json!(paper.as_str())
            );
        }
        assert_eq!(Paper::Roll80mm.size_mm().0, 80.0);
        assert_eq!(Paper::A4.size_mm(), (210.0, 297.0));
    }
}
