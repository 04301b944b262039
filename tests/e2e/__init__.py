"""End-to-end tests: the real bot, the Microsoft 365 Agents Playground and headless Chromium."""
