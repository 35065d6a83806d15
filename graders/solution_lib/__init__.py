"""Code that runs inside the untrusted solution process. The driver never imports it."""
