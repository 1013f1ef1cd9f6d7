"""treatywatch.ingest"""
