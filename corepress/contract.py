"""Contract suite placeholder."""
