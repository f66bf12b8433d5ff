"""Benchmarks: each script prints its figures and a ratio against a baseline measured in the
same run. ``python -m benchmarks.run_all`` runs them all."""
