"""Cells written for a spreadsheet program (the batch's example files, the audit log's export):
what the program must show as text and never run."""


def formula_safe(value):
    """A cell a spreadsheet program shows as text: one starting with ``= + - @`` (or a tab or
    carriage return before them) would run as a formula, so it gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
