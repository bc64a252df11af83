"""Pure Python: identifiers, visibility, text parsing and rendering, errors. No I/O here."""
