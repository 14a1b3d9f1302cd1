"""BibTeX database: parsing with pybtex, APA 7 formatting, exports (BibTeX, RIS, CSL-JSON)."""
