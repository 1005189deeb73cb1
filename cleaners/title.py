"""A title for text documents that carry none: their headline line."""

from __future__ import annotations

import dataclasses
import re

from cleaners.record import Document

MAX_TITLE_WORDS = 25
# A headline does not end like a sentence; a first line that does is a lead.
_SENTENCE_END = re.compile(r"[.!?…:;,]$")


def headline_of(clean_text: str) -> str | None:
    for line in clean_text.split("\n"):
        line = line.strip()
        if line:
            words = line.split()
            if len(words) <= MAX_TITLE_WORDS and not _SENTENCE_END.search(line):
                return line
            return None
    return None


def infer_title(doc: Document) -> Document:
    if doc.title:
        return doc
    return dataclasses.replace(doc, title=headline_of(doc.clean_text))
