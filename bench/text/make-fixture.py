#!/usr/bin/env python3
"""Regenerates bench/text/body-ar-20k.html from the Arabic demo articles.

The fixture is committed; run this only to change it:

    python3 bench/text/make-fixture.py

It takes the bodies of crates/warraq/demo/articles/ar-*.md in name order
(the text after the second `+++` line), turns their Markdown into the HTML a
WordPress export holds (`<p>`, `<h2>`, `<blockquote>`), and sprinkles in the
shortcodes of a real migrated archive: page-builder wrappers around each
article, a `[caption]` with an image, a `[gallery]`, a `[tptn_list]` of
related articles, and the literal text `“[sic]”`, which is not a shortcode.
It stops at the paragraph that would take the file past TARGET bytes.
Deterministic: the same articles give the same bytes.
"""

import html
import pathlib

TARGET = 20_000
ROOT = pathlib.Path(__file__).resolve().parents[2]
ARTICLES = ROOT / "crates" / "warraq" / "demo" / "articles"
OUT = pathlib.Path(__file__).resolve().parent / "body-ar-20k.html"

OPEN = "[vc_row][vc_column][vc_column_text]"
CLOSE = "[/vc_column_text][/vc_column][/vc_row]"


def body(path):
    text = path.read_text(encoding="utf-8")
    parts = text.split("\n+++\n", 1)
    return parts[1] if len(parts) == 2 else text


def blocks(md):
    """Markdown paragraphs (one per non-blank line) → HTML blocks."""
    out = []
    for line in md.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("[") and not line.startswith("[sic"):
            continue  # the demo's own shortcode lines; we add ours below
        line = line.replace(OPEN, "").replace(CLOSE, "")
        if line.startswith("## "):
            out.append(f"<h2>{html.escape(line[3:], quote=False)}</h2>")
        elif line.startswith("> "):
            quote = html.escape(line[2:], quote=False)
            out.append(f"<blockquote><p>{quote}</p></blockquote>")
        elif line.startswith("<p>"):
            out.append(line)
        else:
            out.append(f"<p>{html.escape(line, quote=False)}</p>")
    return out


def with_sic(block):
    """Adds “[sic]” after the first closing quote of a paragraph."""
    i = block.find("”")
    if block.startswith("<p>") and i > 0:
        return block[: i + 1] + " “[sic]”" + block[i + 1 :]
    return block


def article(n, paragraphs):
    """One article as a WordPress page-builder export, split into rows."""
    caption = (
        f'[caption id="attachment_{n * 10 + 5}" align="alignright" width="300"]'
        f'<img src="/media/{n:02}/a.jpg" alt="صورة {n}" width="300" height="200">'
        f" تعليق الصورة {n}: من أرشيف الصحيفة[/caption]"
    )
    gallery = f'[gallery ids="{n}1,{n}2,{n}3" columns="3" link="file"]'
    related = '[tptn_list show_date="1" heading="0" title_length="200" limit="5"]'
    rows = []
    row = []
    for i, p in enumerate(paragraphs):
        if i == 1:
            p = with_sic(p)
        row.append(p)
        if i == 1:
            row.append(caption)
        if i == 4:
            row.append(gallery)
        if len(row) >= 4:
            rows.append(row)
            row = []
    if row:
        rows.append(row)
    out = [OPEN + "\n" + "\n".join(r) + "\n" + CLOSE for r in rows]
    out.append(related)
    return "\n".join(out) + "\n"


def main():
    paths = sorted(ARTICLES.glob("ar-*.md"))
    parts = []
    size = 0
    for n, path in enumerate(paths, 1):
        paras = blocks(body(path))
        # Take as many paragraphs as fit (whole article if it fits).
        for k in range(len(paras), 0, -1):
            chunk = article(n, paras[:k])
            if size + len(chunk.encode()) <= TARGET:
                break
        else:
            break
        parts.append(chunk)
        size += len(chunk.encode())
        if k < len(paras):
            break
    OUT.write_text("".join(parts), encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {size} bytes from {len(parts)} articles")


if __name__ == "__main__":
    main()
