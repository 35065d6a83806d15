"""Tasks of trust and safety: finding what sellers and users post more than once."""
