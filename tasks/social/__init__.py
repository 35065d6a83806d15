"""Tasks of social features built on the friendship graph."""
