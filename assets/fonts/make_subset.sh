#!/usr/bin/env bash
# Regenerates NotoSansSC-Subset.otf from Debian's Noto Sans CJK collection.
#
# Needs: apt-get install -y fonts-noto-cjk ; pip install fonttools
# Usage: bash assets/fonts/make_subset.sh   (from anywhere; paths are resolved
#        relative to this script). Re-run it whenever samples/ gains new hanzi,
#        because the samples vault must render without falling back to tofu.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
src="${NOTO_CJK_TTC:-/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc}"
# Face 2 of the collection is "Noto Sans CJK SC"; the other faces carry
# Japanese/Korean/Traditional glyph shapes for the same code points.
face=2
out="$here/NotoSansSC-Subset.otf"

if [ ! -f "$src" ]; then
    echo "error: $src not found (apt-get install -y fonts-noto-cjk)" >&2
    exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 - "$src" "$face" "$repo/samples" "$work/unicodes.txt" <<'PY'
import pathlib
import sys

from fontTools.ttLib import TTFont

src, face, samples, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]

name = TTFont(src, fontNumber=face, lazy=True)["name"].getDebugName(4)
if name != "Noto Sans CJK SC":
    sys.exit(f"error: face {face} of {src} is {name!r}, expected Noto Sans CJK SC")

cps = set()
ranges = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement
    (0x2000, 0x206F),  # general punctuation (dashes, quotes, ellipsis)
    (0x2100, 0x214F),  # letterlike symbols (℃, №, ™)
    (0x2190, 0x21FF),  # arrows
    (0x2460, 0x2473),  # circled numbers ①-⑳
    (0x2500, 0x257F),  # box drawing
    (0x25A0, 0x25FF),  # geometric shapes (■ □ ▲ ● ○)
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0xFF00, 0xFFEF),  # halfwidth and fullwidth forms
]
for lo, hi in ranges:
    cps.update(range(lo, hi + 1))

# GB2312 level 1 = rows 16-55, i.e. lead bytes 0xB0-0xD7. Row 55 stops at
# 0xD7F9, so undecodable cells are skipped rather than guessed.
level1 = set()
for lead in range(0xB0, 0xD8):
    for trail in range(0xA1, 0xFF):
        try:
            ch = bytes([lead, trail]).decode("gb2312")
        except UnicodeDecodeError:
            continue
        level1.add(ord(ch))
if len(level1) != 3755:
    sys.exit(f"error: expected 3755 GB2312 level-1 hanzi, decoded {len(level1)}")
cps |= level1

# Everything non-ASCII the bundled vault uses, so our own samples never show
# tofu even where they step outside GB2312 level 1.
extra = set()
root = pathlib.Path(samples)
if root.is_dir():
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.suffix in {".md", ".mmd", ".dot", ".go", ".txt"}:
            extra.update(ord(c) for c in p.read_text(encoding="utf-8") if ord(c) > 0x7F)
cps |= extra

with open(out, "w", encoding="ascii") as f:
    f.write(",".join(f"U+{c:04X}" for c in sorted(cps)))
print(f"code points requested: {len(cps)} (GB2312 L1 {len(level1)}, from samples {len(extra)})")
PY

# Why these options:
# - hinting kept by default: egui 0.37 (epaint + skrifa) hints glyphs unless
#   the app turns font_hinting off, and for CFF fonts it uses the font's own
#   stem hints, which keep 12-14 px hanzi crisp on 1x screens. They cost
#   about 145 KB here. NO_HINTING=1 drops them.
# - no locl/aalt/vert/...: the collection's locl lookups pull in the Japanese,
#   Korean and Traditional glyph shapes (~3,300 extra glyphs). egui shapes
#   with harfrust but sets no language, and those lookups only fire for
#   JAN/KOR/ZHT/ZHH, so only the default SC shapes are ever drawn. Vertical
#   writing is not needed, hence no vert/vrt2 and no vertical metrics tables.
# - all name records: keeps the copyright, licence and trademark notices.
hinting=()
if [ "${NO_HINTING:-0}" = "1" ]; then
    hinting=(--no-hinting)
fi

python3 -m fontTools.subset "$src" \
    "${hinting[@]}" \
    --font-number="$face" \
    --unicodes-file="$work/unicodes.txt" \
    --output-file="$out" \
    --layout-features='ccmp,liga,calt,kern,mark,palt,halt' \
    --drop-tables+=VORG,vhea,vmtx \
    --notdef-outline \
    --name-IDs='*' \
    --name-languages='*'

python3 - "$out" "$repo/samples" <<'PY'
import os
import pathlib
import sys

from fontTools.ttLib import TTFont

out, samples = sys.argv[1], sys.argv[2]
font = TTFont(out)
cmap = font.getBestCmap()
missing = set()
root = pathlib.Path(samples)
if root.is_dir():
    for p in root.rglob("*.md"):
        for c in p.read_text(encoding="utf-8"):
            if 0x3400 <= ord(c) <= 0x9FFF and ord(c) not in cmap:
                missing.add(c)
for word in ("泄漏", "协程", "延迟", "中文摘要"):
    missing.update(c for c in word if ord(c) not in cmap)
print(f"{out}: {os.path.getsize(out)} bytes, {len(font.getGlyphOrder())} glyphs, {len(cmap)} mapped code points")
if missing:
    sys.exit("error: hanzi not covered: " + "".join(sorted(missing)))
PY
