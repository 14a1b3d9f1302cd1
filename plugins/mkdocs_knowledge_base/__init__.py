"""Turn a long professional document into a cross-linked, glossary-driven MkDocs site.

The package is split by concern so each part can be read (and moved off MkDocs) alone:

- ``bibliography``: parse BibTeX with pybtex, format APA 7, export BibTeX/RIS/CSL-JSON.
- ``citations``: pandoc ``[@key]`` syntax, numbered notes, the reference list.
- ``lexicon``: the term database, the matcher, linking terms in prose.
- ``pages``: pages the plugin generates (references, glossary, term pages).
- ``hosting``: checks that keep the built site self-contained.
- ``assets``: the CSS and JavaScript shipped with every site.

Only ``plugin.py`` and ``config.py`` know about MkDocs events.
"""
