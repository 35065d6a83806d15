"""The simulated platforms a solution talks to: an HTTP-like API and a SQL database.

Every simulated I/O advances a virtual clock, so I/O costs are exact and the same on every machine.
Runs inside the sandbox: standard library only, Python 3.11.2.
"""
