"""Background work: job definitions (one module per family) and their dispatch (RQ or in-process)."""
