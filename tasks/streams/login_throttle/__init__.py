"""Block IPs with too many failed logins in a sliding minute, over a long stream of mostly one-off IPs."""
