"""Benchmarks for the email pipeline, the pages and exports: `make bench` (never in `make test`)."""
