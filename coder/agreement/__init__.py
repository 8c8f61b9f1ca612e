"""Inter-rater agreement: the statistics labs report, event alignment and reports."""
