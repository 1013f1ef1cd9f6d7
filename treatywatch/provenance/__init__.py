"""treatywatch.provenance"""
