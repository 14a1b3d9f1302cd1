/* Behaviour of the knowledge-base plugin: popovers, copy buttons, glossary filter. */
