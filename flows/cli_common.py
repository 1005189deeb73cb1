"""Defaults shared by the `sift` subcommands."""

DEFAULT_DB = "sift.duckdb"
