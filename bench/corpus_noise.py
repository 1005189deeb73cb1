"""Scraper noise for end-to-end runs (all off by default for dedup-only runs).

Teaser lines (`Baca: ...`, `Read more: ...`), page chrome the line rules
should remove (share, newsletter and cookie prompts, ads, copyright footers,
menus, bylines, photo credits) and mojibake (UTF-8 read as cp1252). Every
injected line is recorded with the reason code the cleaner should give it,
so an end-to-end benchmark can score the cleaning too.
"""

from __future__ import annotations

import numpy as np

TEASER_MARKERS = {
    "id": ("Baca:", "Baca juga:", "Simak juga:"),
    "ms": ("Baca:", "Baca juga:"),
    "en": ("Read more:", "Read also:", "Related:"),
    "de": ("Lesen Sie auch:", "Auch interessant:"),
    "fr": ("Lire aussi :", "À lire aussi :"),
    "pt": ("Leia também:",),
    "es": ("Lea también:",),
}
# (line, reason code) per language; the English lines stand in for the rest.
CHROME_LINES = {
    "en": [
        ("Share this article", "share_prompt"),
        ("Subscribe to our newsletter for the latest news", "newsletter_prompt"),
        ("We use cookies to improve your experience. By continuing you accept our cookie policy.", "cookie_banner"),
        ("Advertisement", "advertisement"),
        ("Do you like this article?", "engagement_prompt"),
    ],
    "id": [
        ("Bagikan artikel ini", "share_prompt"),
        ("Iklan", "advertisement"),
        ("Berlangganan newsletter kami untuk berita terbaru", "newsletter_prompt"),
    ],
}
MENU = ("Home", "News", "Sport", "Business", "Tech", "Culture", "Opinion", "Video", "Travel")
NAMES = ("Jane Doe", "Budi Santoso", "Maria Silva", "Ahmad Fauzi", "John Smith", "Siti Rahma")
TYPOGRAPHIC = (("'", "’"), (" - ", " – "), ('"', "“"))

_CP1252 = bytes(range(0x80, 0xA0)).decode("cp1252", errors="replace")


def mojibake(text: str) -> str:
    """UTF-8 bytes read as cp1252 (undefined bytes kept as Latin-1, like browsers)."""
    table = {0x80 + i: (c if c != "\ufffd" else chr(0x80 + i)) for i, c in enumerate(_CP1252)}
    return text.encode("utf-8").decode("latin-1").translate(table)


def typographic(text: str, rng: np.random.Generator) -> str:
    """Add curly quotes and dashes, so that mojibake has something to garble."""
    words = text.split(" ")
    k = int(rng.integers(len(words)))
    words[k] = "“" + words[k] + "”"
    return " ".join(words).replace(" - ", " – ").replace("'", "’")


def _teaser_lines(source, rng, lang: str) -> list[tuple[str, str]]:
    markers = TEASER_MARKERS.get(lang, TEASER_MARKERS["en"])
    n = int(rng.integers(1, 7))
    return [
        (f"{markers[int(rng.integers(len(markers)))]} {source.headline(rng, lang)}", "teaser_link") for _ in range(n)
    ]


def _chrome_lines(rng, lang: str, site: int) -> tuple[list, list]:
    """(lines before the body, lines after it), each with its reason code."""
    head: list[tuple[str, str]] = []
    if rng.random() < 0.5:
        head.extend((item, "navigation_run") for item in MENU[: int(rng.integers(5, len(MENU) + 1))])
    if rng.random() < 0.5:
        head.append((f"By {NAMES[int(rng.integers(len(NAMES)))]}", "byline"))
    table = CHROME_LINES.get(lang, CHROME_LINES["en"])
    tail = [table[int(i)] for i in rng.choice(len(table), size=int(rng.integers(1, 4)), replace=False)]
    tail.append((f"© 2024 Site {site}. All rights reserved.", "copyright_footer"))
    return head, tail


def inject(paras: list, rng, lang: str, site: int, source, opts) -> tuple[list[str], list[tuple[int, str]], bool]:
    """Body paragraphs (Para) -> text lines with noise, injected (line, rule), mojibake?"""
    lines = [p.text for p in paras]
    injected: list[tuple[int, str]] = []
    head: list[tuple[str, str]] = []
    tail: list[tuple[str, str]] = []
    middle: list[tuple[str, str]] = []
    if opts.teasers and rng.random() < opts.teasers:
        middle = _teaser_lines(source, rng, lang)
    if opts.chrome and rng.random() < opts.chrome:
        head, tail = _chrome_lines(rng, lang, site)
        if rng.random() < 0.5:  # a photo credit under the lead
            middle.append((f"Foto: {NAMES[int(rng.integers(len(NAMES)))]}", "photo_credit"))
    out = [line for line, _ in head]
    body_at = 1 if len(lines) > 1 else len(lines)  # teasers follow the lead, as in the seeds
    out.extend(lines[:body_at])
    out.extend(line for line, _ in middle)
    out.extend(lines[body_at:])
    out.extend(line for line, _ in tail)
    positions = list(range(len(head))) + list(range(len(head) + body_at, len(head) + body_at + len(middle)))
    positions += list(range(len(out) - len(tail), len(out)))
    rules = [r for _, r in head] + [r for _, r in middle] + [r for _, r in tail]
    injected = list(zip(positions, rules, strict=True))
    garbled = bool(opts.mojibake and rng.random() < opts.mojibake)
    if garbled:  # curly quotes in some body paragraphs first, so the garbling shows (â€œ)
        noise = {line_no for line_no, _ in injected}
        out = [
            mojibake(typographic(line, rng) if i % 3 == 0 and i not in noise and line.count(" ") >= 8 else line)
            for i, line in enumerate(out)
        ]
    return out, injected, garbled
