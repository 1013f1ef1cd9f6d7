"""treatywatch.nlp"""
