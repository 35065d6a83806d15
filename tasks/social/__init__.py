"""Social: friendship and follow graphs where one account has most of the platform as friends or followers."""
