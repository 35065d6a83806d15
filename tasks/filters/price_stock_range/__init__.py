"""Price-range and in-stock filter over product variants in the store database, a page at a time with a total."""
