"""Normalization of Vietnamese text, numbers, dates, indicators and places."""
