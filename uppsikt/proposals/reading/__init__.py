"""Reading plan documents (PDF, DOCX, plain text) into blocks: ``reader.read``."""
