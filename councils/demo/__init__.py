"""Demo data drawn from the seed documents in shared/seeds (see README there)."""

from .loader import DEMO_PASSWORD, load_demo

__all__ = ["DEMO_PASSWORD", "load_demo"]
