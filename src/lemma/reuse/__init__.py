"""Reuse of earlier work: the execution cache and the build memo."""
