"""Notification panel: reactions to your posts with an unread-count badge."""
