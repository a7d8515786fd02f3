#!/usr/bin/env python3
"""Draw the Ottu POS app icon as 8-bit RGBA PNGs with the standard library only.

The mark: a rounded teal tile holding a white QR-style glyph (three finder squares and a
few modules), because showing a QR code is what the app does at the counter.
Tauri checks `src-tauri/icons/icon.png` at compile time and needs it RGBA, so both the
source icon (`icons/icon.png`, 512 px) and the sizes the shell embeds are written here.

Usage: python3 scripts/make-icons.py   (from the repository root; rewrites the files)
"""

import struct
import zlib
from pathlib import Path

TEAL = (0x0B, 0x6E, 0x69)
WHITE = (0xFF, 0xFF, 0xFF)
SUPERSAMPLE = 4  # samples per axis per pixel, for smooth edges

# The glyph lives on a 9x9 grid inside the tile; each entry is (column, row, width, height).
FINDERS = [(0, 0), (6, 0), (0, 6)]
MODULES = [(4, 0), (4, 2), (3, 4), (5, 4), (7, 4), (4, 6), (6, 6), (8, 6), (6, 8), (8, 8), (4, 8)]


def inside_rounded_square(x, y, size, radius):
    """True when (x, y), in tile units 0..size, lies inside a square with rounded corners."""
    cx = min(max(x, radius), size - radius)
    cy = min(max(y, radius), size - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius**2


def glyph_colour(gx, gy):
    """WHITE where the 9x9 glyph grid (fractional coordinates) is inked, else None."""
    for fx, fy in FINDERS:
        # A finder: 3x3 ring with a 1x1 centre, drawn on a 3-unit square.
        if fx <= gx < fx + 3 and fy <= gy < fy + 3:
            lx, ly = gx - fx, gy - fy
            ring = lx < 0.6 or lx >= 2.4 or ly < 0.6 or ly >= 2.4
            centre = 1.0 <= lx < 2.0 and 1.0 <= ly < 2.0
            return WHITE if ring or centre else None
    for mx, my in MODULES:
        if mx + 0.1 <= gx < mx + 0.9 and my + 0.1 <= gy < my + 0.9:
            return WHITE
    return None


def render(size):
    """Return RGBA rows for one icon of `size` pixels."""
    radius = 0.22  # corner radius as a fraction of the tile
    margin = 0.06  # transparent border around the tile
    glyph_origin, glyph_span = 0.22, 0.56  # glyph box inside the tile, as fractions
    rows = []
    for py in range(size):
        row = bytearray()
        for px in range(size):
            acc = [0.0, 0.0, 0.0, 0.0]
            for sy in range(SUPERSAMPLE):
                for sx in range(SUPERSAMPLE):
                    u = (px + (sx + 0.5) / SUPERSAMPLE) / size
                    v = (py + (sy + 0.5) / SUPERSAMPLE) / size
                    tu = (u - margin) / (1 - 2 * margin)
                    tv = (v - margin) / (1 - 2 * margin)
                    if not (0 <= tu <= 1 and 0 <= tv <= 1) or not inside_rounded_square(
                        tu, tv, 1.0, radius
                    ):
                        continue
                    colour = TEAL
                    gx = (tu - glyph_origin) / glyph_span * 9
                    gy = (tv - glyph_origin) / glyph_span * 9
                    if 0 <= gx < 9 and 0 <= gy < 9:
                        colour = glyph_colour(gx, gy) or TEAL
                    acc[0] += colour[0]
                    acc[1] += colour[1]
                    acc[2] += colour[2]
                    acc[3] += 255
            n = SUPERSAMPLE * SUPERSAMPLE
            alpha = acc[3] / n
            if alpha == 0:
                row += bytes(4)
            else:
                # Colours were summed only over covered samples: un-premultiply.
                covered = acc[3] / 255
                row += bytes(
                    [round(acc[0] / covered), round(acc[1] / covered), round(acc[2] / covered)]
                )
                row.append(round(alpha))
        rows.append(bytes(row))
    return rows


def png_bytes(rows, size):
    """Encode RGBA rows as a PNG (colour type 6, bit depth 8)."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + r for r in rows)
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def main():
    root = Path(__file__).resolve().parent.parent
    outputs = {
        root / "icons" / "icon.png": 512,
        root / "src-tauri" / "icons" / "icon.png": 128,
        root / "src-tauri" / "icons" / "32x32.png": 32,
        root / "src-tauri" / "icons" / "128x128.png": 128,
    }
    cache = {}
    for path, size in outputs.items():
        if size not in cache:
            cache[size] = png_bytes(render(size), size)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(cache[size])
        print(f"wrote {path.relative_to(root)} ({size}x{size} RGBA)")


if __name__ == "__main__":
    main()
