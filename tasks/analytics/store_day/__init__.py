"""A store's day in numbers, on a multi-store platform with one giant store (a function on an indexed column)."""
