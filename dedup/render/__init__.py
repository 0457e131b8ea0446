"""Output formats of a report: a Rich terminal view and JSON."""
