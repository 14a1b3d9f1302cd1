"""Pages the plugin generates: reference list, glossary, one page per term."""
