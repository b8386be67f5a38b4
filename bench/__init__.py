"""Benchmarks: each module compares ZAS with a bare baseline in the same run (see README.md)."""
