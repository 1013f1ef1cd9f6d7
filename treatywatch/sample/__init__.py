"""treatywatch.sample"""
