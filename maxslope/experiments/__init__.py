"""Reproductions of the papers' numerical experiments."""
