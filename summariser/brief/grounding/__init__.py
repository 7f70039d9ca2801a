"""brief.grounding."""
