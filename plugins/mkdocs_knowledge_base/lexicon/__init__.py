"""The lexicon: term database, matcher and the Markdown extension that links terms."""
