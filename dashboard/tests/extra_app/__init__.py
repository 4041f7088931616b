"""A stand-in for a new app: it adds a navigation entry from its own nav.py and nothing else."""
