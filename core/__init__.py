"""The leaf every layer may import: the clock; it imports nothing of the project."""
