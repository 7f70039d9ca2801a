"""llm.batch."""
