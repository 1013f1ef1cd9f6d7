"""treatywatch.web"""
