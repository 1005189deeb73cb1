"""The limits config: documented defaults, sizes with units, and nonsense refused at start."""

from __future__ import annotations

import dataclasses

import pytest

import cleaners.limits
from cleaners.limits import DEFAULT_LIMITS, GIB, MIB, PARSER_MAX_DEPTH, Limits, LimitsError, parse_size


def test_defaults_are_the_documented_ones():
    documented = {
        "max_file_bytes": 32 * MIB,
        "max_record_bytes": 8 * MIB,
        "max_line_chars": 1_000_000,
        "max_decompressed_bytes": 256 * MIB,
        "max_compression_ratio": 100.0,
        "max_html_depth": 200,
        "doc_timeout_seconds": 30.0,
    }
    assert dataclasses.asdict(DEFAULT_LIMITS) == documented
    table = cleaners.limits.__doc__
    assert all(f"| {name}" in table for name in documented)  # every limit is in the module's table
    assert DEFAULT_LIMITS.max_html_depth <= PARSER_MAX_DEPTH


def test_from_mapping_reads_sizes_with_units_and_numbers_as_strings():
    limits = Limits.from_mapping(
        {"max_file_bytes": "16 MiB", "max_record_bytes": "500kB", "max_decompressed_bytes": "1GiB"}
        | {"max_compression_ratio": "50", "doc_timeout_seconds": 5, "max_html_depth": 100}
    )
    assert limits.max_file_bytes == 16 * MIB and limits.max_record_bytes == 500_000
    assert limits.max_decompressed_bytes == GIB and limits.max_compression_ratio == 50.0
    assert limits.doc_timeout_seconds == 5.0 and limits.max_html_depth == 100
    assert Limits.from_mapping({"doc_timeout_seconds": None}).doc_timeout_seconds is None
    assert parse_size("x", 123) == 123 and parse_size("x", " 2 MB ") == 2_000_000


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"max_file_bytes": "ten"}, "limits.max_file_bytes must be a size in bytes"),
        ({"max_file_bytes": -1}, "limits.max_file_bytes must be a positive integer"),
        ({"max_record_bytes": 0}, "limits.max_record_bytes must be a positive integer"),
        ({"max_line_chars": 1.5}, "limits.max_line_chars must be a positive integer"),
        ({"max_line_chars": True}, "limits.max_line_chars must be a positive integer"),
        ({"max_html_depth": 10_000}, "libxml2"),
        ({"max_compression_ratio": 0.5}, "limits.max_compression_ratio must be a finite number >= 1"),
        ({"max_compression_ratio": "lots"}, "limits.max_compression_ratio must be a number"),
        ({"max_compression_ratio": float("inf")}, "finite"),
        ({"doc_timeout_seconds": 0}, "limits.doc_timeout_seconds must be a positive number"),
        ({"doc_timeout_seconds": float("nan")}, "doc_timeout_seconds"),
        ({"max_fille_bytes": 1}, "unknown limit(s) ['max_fille_bytes']; valid names are"),
    ],
)
def test_nonsense_fails_fast_with_a_message_that_says_how_to_fix_it(values, message):
    with pytest.raises(LimitsError) as info:
        Limits.from_mapping(values)
    assert message in str(info.value)


def test_the_dataclass_itself_refuses_nonsense():
    with pytest.raises(LimitsError):
        Limits(max_file_bytes=0)
    with pytest.raises(LimitsError):
        Limits(doc_timeout_seconds=-3)
