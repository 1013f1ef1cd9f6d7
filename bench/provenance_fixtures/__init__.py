"""Fixtures for the provenance benchmark: originals written for treatywatch and their variants."""
