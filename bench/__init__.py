"""Benchmarks and evaluation scripts (not part of the sift package)."""
