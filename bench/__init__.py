"""Benchmarks of the planner: each script prints its figures and exits 0; none is a test."""
