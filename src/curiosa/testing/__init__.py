"""Helpers for testing code that uses curiosa (and curiosa's own tests)."""
