"""Social: follow graphs where one account has most of the platform as followers."""
