"""treatywatch.batch"""
