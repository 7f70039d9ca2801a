"""Test helpers (not collected as tests)."""
