//! PDFs the app saved, read back with poppler's `pdfinfo` and `pdftotext` (`poppler-utils`,
//! installed by `scripts/install-deps.sh`): the receipt and report tests check the paper's
//! width and the text on it.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, ensure};
use unicode_normalization::UnicodeNormalization;

/// What poppler reads in a PDF: its first page's width in points and its text, NFKC-normalized
/// (the PDF draws Arabic in presentation forms, `ﺷﺎي`; NFKC gives back the letters, `شاي`).
pub fn read_pdf(path: &Path) -> Result<(f64, String)> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    ensure!(
        bytes.starts_with(b"%PDF-"),
        "{} is not a PDF",
        path.display()
    );
    let run = |program: &str, args: &[&str]| -> Result<String> {
        let out = Command::new(program)
            .args(args)
            .arg(path)
            .args(if program == "pdftotext" {
                &["-"][..]
            } else {
                &[][..]
            })
            .output()
            .with_context(|| format!("{program} (poppler-utils) is missing"))?;
        ensure!(
            out.status.success(),
            "{program} {}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        Ok(String::from_utf8(out.stdout)?)
    };
    let info = run("pdfinfo", &[])?;
    // "Page size:      226.772 x 841.89 pts"
    let size = info
        .lines()
        .find_map(|l| l.strip_prefix("Page size:"))
        .context("pdfinfo names no page size")?;
    let width: f64 = size
        .split_whitespace()
        .next()
        .context("no width")?
        .parse()?;
    let text = run("pdftotext", &["-enc", "UTF-8"])?;
    Ok((width, text.nfkc().collect()))
}
