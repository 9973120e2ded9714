"""Commands for people at a terminal: check a setup, complete once."""
