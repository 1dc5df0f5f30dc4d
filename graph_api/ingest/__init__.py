"""The interchange format in: parsing and validating lines, the checks against the graph, and the
streaming import pipeline with its rejects file."""
