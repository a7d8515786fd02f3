//! QR codes for a sale's link, rendered locally.
//!
//! The QR encodes the short link (or the checkout URL when there is none), so it never depends on
//! downloading Ottu's `qr_code_url`. Three renderings of the same module matrix:
//! - [`svg`]: for the UI. One `<path>` of horizontal runs, a `viewBox` in module units so it scales
//!   to any size without blurring, `shape-rendering="crispEdges"`, and a 4-module quiet zone.
//! - [`png`]: PNG bytes (for saving or printing).
//! - [`terminal`]: Unicode half blocks for the CLI (two modules per character cell).
//!
//! Error correction is level M: it survives a scuffed screen and keeps a short link at version 2-3
//! (large modules, quick to scan from a phone held at arm's length).

use qrcode::{Color, EcLevel, QrCode};

use crate::error::{Error, Result};

/// Modules of light margin around the code (the QR specification's minimum).
pub const QUIET_ZONE: usize = 4;

/// The dark/light module matrix of a QR code, without the quiet zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrMatrix {
    width: usize,
    dark: Vec<bool>,
}

impl QrMatrix {
    /// Encodes `text` (a URL) at error-correction level M.
    pub fn encode(text: &str) -> Result<QrMatrix> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
            .map_err(|e| Error::Internal(format!("could not encode the link as a qr code: {e}")))?;
        let width = code.width();
        let dark = code
            .to_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect();
        Ok(QrMatrix { width, dark })
    }

    /// Modules per side, without the quiet zone.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Whether the module at (`x`, `y`) is dark; outside the code (the quiet zone) is light.
    pub fn is_dark(&self, x: isize, y: isize) -> bool {
        let w = self.width as isize;
        if x < 0 || y < 0 || x >= w || y >= w {
            return false;
        }
        self.dark[(y * w + x) as usize]
    }
}

/// SVG markup for `text`, with a `viewBox` in module units (quiet zone included).
pub fn svg(text: &str) -> Result<String> {
    Ok(svg_from_matrix(&QrMatrix::encode(text)?))
}

fn svg_from_matrix(matrix: &QrMatrix) -> String {
    let size = matrix.width() + 2 * QUIET_ZONE;
    let mut path = String::new();
    for y in 0..matrix.width() {
        let mut x = 0;
        while x < matrix.width() {
            if matrix.is_dark(x as isize, y as isize) {
                let start = x;
                while x < matrix.width() && matrix.is_dark(x as isize, y as isize) {
                    x += 1;
                }
                let run = x - start;
                path.push_str(&format!(
                    "M{} {}h{run}v1h-{run}z",
                    start + QUIET_ZONE,
                    y + QUIET_ZONE
                ));
            } else {
                x += 1;
            }
        }
    }
    format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" "#,
            r#"shape-rendering="crispEdges" role="img" aria-label="QR code">"#,
            r##"<rect width="{size}" height="{size}" fill="#fff"/>"##,
            r##"<path fill="#000" d="{path}"/></svg>"##
        ),
        size = size,
        path = path
    )
}

/// PNG bytes of the code for `text`, `scale` pixels per module (at least 1), quiet zone included.
pub fn png(text: &str, scale: u32) -> Result<Vec<u8>> {
    let matrix = QrMatrix::encode(text)?;
    let scale = scale.max(1);
    let modules = (matrix.width() + 2 * QUIET_ZONE) as u32;
    let side = modules * scale;
    let image = image::GrayImage::from_fn(side, side, |px, py| {
        let x = (px / scale) as isize - QUIET_ZONE as isize;
        let y = (py / scale) as isize - QUIET_ZONE as isize;
        if matrix.is_dark(x, y) {
            image::Luma([0u8])
        } else {
            image::Luma([255u8])
        }
    });
    let mut bytes = Vec::new();
    image
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .map_err(|e| Error::Internal(format!("could not write the qr code png: {e}")))?;
    Ok(bytes)
}

/// The code drawn with Unicode half blocks (dark modules as spaces on a light block background
/// would depend on the terminal's colours, so dark is drawn with ink): one text line per two module
/// rows, a 2-module quiet zone (terminals add their own margin).
pub fn terminal(text: &str) -> Result<String> {
    let matrix = QrMatrix::encode(text)?;
    let margin = 2isize;
    let w = matrix.width() as isize;
    let mut out = String::new();
    let mut y = -margin;
    while y < w + margin {
        for x in -margin..w + margin {
            // Inverted: light modules are drawn, so the code reads on a dark terminal background.
            let top = !matrix.is_dark(x, y);
            let bottom = y + 1 < w + margin && !matrix.is_dark(x, y + 1);
            out.push(match (top, bottom) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            });
        }
        out.push('\n');
        y += 2;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINK: &str = "http://127.0.0.1:8080/b/Xy12ab";

    #[test]
    fn svg_has_a_viewbox_with_the_quiet_zone_and_one_path() {
        let matrix = QrMatrix::encode(LINK).unwrap();
        let svg = svg(LINK).unwrap();
        let size = matrix.width() + 2 * QUIET_ZONE;
        assert!(svg.starts_with("<svg "));
        assert!(svg.contains(&format!(r#"viewBox="0 0 {size} {size}""#)));
        assert!(svg.contains(r#"shape-rendering="crispEdges""#));
        assert_eq!(svg.matches("<path").count(), 1);
        // The top-left finder pattern starts at the quiet zone's edge with a 7-module run.
        assert!(svg.contains(&format!("M{QUIET_ZONE} {QUIET_ZONE}h7v1h-7z")));
        // No width/height attributes: the UI sizes it.
        assert!(!svg.contains("width=\"") || svg.contains("<rect width"));
    }

    #[test]
    fn svg_dark_area_matches_the_matrix() {
        let matrix = QrMatrix::encode(LINK).unwrap();
        let dark = (0..matrix.width() as isize)
            .flat_map(|y| (0..matrix.width() as isize).map(move |x| (x, y)))
            .filter(|&(x, y)| matrix.is_dark(x, y))
            .count();
        let svg = svg(LINK).unwrap();
        let drawn: usize = svg
            .split('h')
            .skip(1)
            .filter_map(|s| s.split('v').next()?.parse::<usize>().ok())
            .sum();
        assert_eq!(drawn, dark);
    }

    #[test]
    fn png_is_a_png_of_the_expected_size() {
        let matrix = QrMatrix::encode(LINK).unwrap();
        let bytes = png(LINK, 4).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let image = image::load_from_memory(&bytes).unwrap().to_luma8();
        let side = ((matrix.width() + 2 * QUIET_ZONE) * 4) as u32;
        assert_eq!(image.dimensions(), (side, side));
        // Quiet zone is white, the finder pattern's corner is black.
        assert_eq!(image.get_pixel(0, 0).0[0], 255);
        let corner = (QUIET_ZONE * 4) as u32;
        assert_eq!(image.get_pixel(corner, corner).0[0], 0);
    }

    #[test]
    fn png_decodes_back_to_the_link() {
        for link in [
            LINK,
            "https://merchant.ottu.net/b/checkout/redirect/start/?session_id=3f1c0e5b8a9d4c2e7f6a1b0c9d8e7f6a5b4c3d2e",
        ] {
            let image = image::load_from_memory(&png(link, 6).unwrap())
                .unwrap()
                .to_luma8();
            let mut prepared = rqrr::PreparedImage::prepare(image);
            let grids = prepared.detect_grids();
            assert_eq!(grids.len(), 1);
            let (_, content) = grids[0].decode().unwrap();
            assert_eq!(content, link);
        }
    }

    #[test]
    fn terminal_rendering_has_one_line_per_two_rows() {
        let matrix = QrMatrix::encode(LINK).unwrap();
        let text = terminal(LINK).unwrap();
        let rows = matrix.width() + 4;
        assert_eq!(text.lines().count(), rows.div_ceil(2));
        assert!(
            text.lines()
                .all(|l| l.chars().count() == matrix.width() + 4)
        );
    }

    #[test]
    fn longer_links_still_encode() {
        let url = format!(
            "https://merchant.ottu.net/b/checkout/redirect/start/?session_id={}",
            "a".repeat(40)
        );
        assert!(svg(&url).is_ok());
    }
}
