"""Readers of benchmark instance formats."""
