"""Adaptive Cards (schema 1.5) as pure functions, and every Danish text the user sees."""
