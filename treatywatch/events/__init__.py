"""treatywatch.events"""
