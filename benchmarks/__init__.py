"""Benchmarks and the synthetic-history generator they run on (not part of the installed package)."""
