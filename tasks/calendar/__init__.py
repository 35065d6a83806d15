"""Tasks of calendars and bookings: recurring events, free/busy and availability."""
