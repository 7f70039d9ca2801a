"""regenerate."""
