"""The clock, re-exported from core.clock (its home, a leaf that storage may import too) for existing callers."""

from core.clock import COPENHAGEN, frozen, local_now, now, set_now, set_sleep, sleep, this_year, today

__all__ = ["COPENHAGEN", "frozen", "local_now", "now", "set_now", "set_sleep", "sleep", "this_year", "today"]
