"""Clean stage: HTML to text, normalization, language."""
