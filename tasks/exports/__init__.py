"""Exports: batch jobs that write large CSV files from the database."""
