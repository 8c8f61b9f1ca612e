"""Exports of a project for analysis: workbooks, tidy CSV, SPSS files and plots."""
