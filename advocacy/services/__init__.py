"""Writes of the ambassador program, one module per area (DESIGN.md: one function, one transaction)."""
