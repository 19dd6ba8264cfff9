"""Fixed texts of the seed documents, written once and shared by forms, documents and handouts."""
