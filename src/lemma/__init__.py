"""Lemma: a static blog generator for executable math posts."""

__version__ = "0.1.0"
