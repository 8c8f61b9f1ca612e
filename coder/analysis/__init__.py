"""Figures computed from coding passes: summaries, contingencies (responsiveness)."""
