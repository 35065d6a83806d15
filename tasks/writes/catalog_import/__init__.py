"""Import an uploaded product file into the catalog, reporting each row that cannot be imported and why."""
