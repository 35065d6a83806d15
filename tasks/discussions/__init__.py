"""Discussions: comment sections, where one viral thread holds more than thousands of ordinary ones."""
