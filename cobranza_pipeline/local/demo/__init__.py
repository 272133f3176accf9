"""Deterministic demo and test data for the raw source tables."""
