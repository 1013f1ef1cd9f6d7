"""treatywatch.status"""
