"""Interoperability with open voter-advice data formats."""
