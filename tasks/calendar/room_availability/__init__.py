"""A day's free/busy for every meeting room, from holds that recur since years (one every hour since 2020)."""
