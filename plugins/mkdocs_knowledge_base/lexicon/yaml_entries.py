"""The entries of ``lexicon/terms.yml`` as Python values, with the line each came from.

Why lines: the loader reports every mistake as "terms.yml:42: ...", so it needs the line of
each entry, of each field name and of each field's value; ``safe_load`` keeps none of them.

Why libyaml's event stream first: composing PyYAML's node tree (which has the lines) makes
a Python node and two marks of every scalar, which for a 5,000-term lexicon takes three times
as long as the events alone and some 30 MiB at its peak. The event reader keeps only what the
loader reads: the values of the known fields of each entry, as PyYAML's SafeLoader constructs
them (plain scalars resolved by PyYAML's own resolver, so ``yes``, ``2020`` and ``~`` are a
bool, an int and None), and the lines of the events' marks, which are the very marks composing
gives the nodes.

Why the node tree stays: YAML whose meaning composing and constructing decide in ways the
event reader does not repeat (anchors and aliases, explicit tags, merge ``<<`` and value
``=`` keys, a mapping or list as a key, several documents, deep nesting) is read from the
composed tree exactly as before, as is a file libyaml finds a syntax error in: the
pure-Python parser then reads it again, because its messages are the ones authors are told
how to act on.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, NamedTuple

import yaml
from yaml.events import (
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

NOT_A_MAPPING = "the lexicon must be a mapping with a `terms:` list"
TERMS_NOT_A_LIST = "`terms` must be a list of entries"

_STR_TAG = "tag:yaml.org,2002:str"
_DEEPEST_NESTING = 16
"""Lists and mappings nested deeper than this are left to the node tree. Composing and
constructing recurse, so Python's recursion limit stops them some hundreds of levels down
(a ``RecursionError``); the event reader, which would not stop, must not read such YAML."""
_COLLECTION_ENDS = frozenset({MappingEndEvent, SequenceEndEvent})

FieldValues = dict[str, tuple[Any, int]]
"""Field name -> (its value as PyYAML's SafeLoader constructs it, the line of the value)."""


class Entry(NamedTuple):
    """One item of the ``terms:`` list."""

    line: int
    values: FieldValues | None
    """The fields with a name the loader reads (the last one of a name given twice); None when
    the item is not a mapping."""
    unknown_fields: list[tuple[Any, int]]
    """(name as written, its line) of every other field, in file order. A name is a string, except
    for a list or mapping used as a name (read from the node tree)."""


class Reading(NamedTuple):
    """What the file holds for the loader: its entries, or why it holds none."""

    entries: list[Entry]
    shape_problem: tuple[int, str] | None
    """(line, message) when the file is not a mapping with a ``terms:`` list. An empty file (or
    one with only comments) is none: it is a lexicon with no terms yet, as an agency starting
    its own knowledge base writes it, not a mistake."""


class _LeftToNodeTree(Exception):
    """Raised by the event reader at YAML whose reading it leaves to the composed node tree."""


def read_entries(text: str, fields: Collection[str], *, from_events: bool = True) -> Reading:
    """The entries of lexicon YAML ``text``, constructing the values of the ``fields`` the loader reads.

    Raises PyYAML's error (``MarkedYAMLError``) for a syntax error. ``from_events=False`` reads
    the composed node tree only: the reading the event reader must equal, which the tests compare
    it with.
    """
    if from_events:
        reading = _read_events(text, fields)
        if reading is not None:
            return reading
    return _read_node_tree(text, fields)


def _read_events(text: str, fields: Collection[str]) -> Reading | None:
    """The reading from libyaml's event stream; None for YAML left to the node tree, or without libyaml."""
    fast_loader = getattr(yaml, "CSafeLoader", None)
    if fast_loader is None or fast_loader.yaml_path_resolvers:  # path resolvers tag a scalar by where it sits
        return None
    loader = fast_loader(text)
    try:
        return _EventReader(loader, fields).document()
    except (_LeftToNodeTree, yaml.MarkedYAMLError):
        return None
    finally:
        loader.dispose()


class _EventReader:
    """Reads one document from a loader's events, one pass, no node built.

    Every event within the document comes through ``next_node``, which leaves anchors, aliases and
    explicit tags to the node tree; ``value`` constructs the value of a node, ``skip`` passes it.
    ``depth`` is a node's nesting: 1 for the root, 3 for an entry, 4 for a field's value.
    """

    def __init__(self, loader: yaml.CSafeLoader, fields: Collection[str]) -> None:
        self.loader = loader
        self.next_event = loader.get_event
        self.fields = frozenset(fields)
        self.plain_scalar_tags: dict[str, str] = {}
        """Plain scalar -> the tag the resolver gives it (names and keys recur thousands of times)."""

    def next_node(self) -> Event:
        """The next event: a node's (a scalar, the start of a list or mapping) or the end of a list or mapping."""
        event = self.next_event()
        if type(event) in _COLLECTION_ENDS or event.anchor is None and event.tag is None:
            return event
        raise _LeftToNodeTree  # an anchor, an alias (its event has the anchor, no tag) or an explicit tag

    def document(self) -> Reading:
        """The reading of the stream's only document; another document is left to the node tree."""
        self.next_event()  # the stream's start
        if type(self.next_event()) is StreamEndEvent:  # no document: an empty file, or only comments
            return Reading([], None)
        root = self.next_node()
        if type(root) is MappingStartEvent:
            reading = self.root_mapping()
        else:
            self.skip(root, depth=1)
            reading = None
        self.next_event()  # the document's end
        if type(self.next_event()) is not StreamEndEvent:
            raise _LeftToNodeTree  # another document: composing reports it
        return reading if reading is not None else Reading([], (_line(root), NOT_A_MAPPING))

    def root_mapping(self) -> Reading | None:
        """The entries under the root mapping's first ``terms`` key (None without one), read to the mapping's end."""
        reading = None
        while type(key := self.next_node()) is not MappingEndEvent:
            self.skip(key, depth=2)
            value = self.next_node()
            if reading is None and type(key) is ScalarEvent and key.value == "terms":
                reading = self.entries(value)
            else:
                self.skip(value, depth=2)
        return reading

    def entries(self, terms: Event) -> Reading:
        """The entries of the ``terms`` value, which must be a list."""
        if type(terms) is not SequenceStartEvent:
            self.skip(terms, depth=2)
            return Reading([], (_line(terms), TERMS_NOT_A_LIST))
        entries = []
        while type(item := self.next_node()) is not SequenceEndEvent:
            entries.append(self.entry(item))
        return Reading(entries, None)

    def entry(self, item: Event) -> Entry:
        """One item of the ``terms`` list: the values of its known fields, the names of the others."""
        if type(item) is not MappingStartEvent:
            self.skip(item, depth=3)
            return Entry(_line(item), None, [])
        values: FieldValues = {}
        unknown_fields = []
        while type(key := self.next_node()) is not MappingEndEvent:
            if type(key) is not ScalarEvent:
                raise _LeftToNodeTree  # a list or mapping as a field name: the message shows its node
            value = self.next_node()
            if key.value in self.fields:
                values[key.value] = (self.value(value, depth=4), _line(value))
            else:
                self.skip(value, depth=4)
                unknown_fields.append((key.value, _line(key)))
        return Entry(_line(item), values, unknown_fields)

    def value(self, event: Event, depth: int) -> Any:
        """The value of the node starting at ``event``, as SafeLoader constructs it."""
        if type(event) is ScalarEvent:
            if event.implicit[0]:  # plain: the resolver decides between string, number, yes/no, null, date
                tag = self.plain_scalar_tags.get(event.value)
                if tag is None:
                    tag = self.plain_scalar_tags[event.value] = self.loader.resolve(
                        yaml.ScalarNode, event.value, event.implicit)
            else:
                tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
            return event.value if tag == _STR_TAG else self.constructed_scalar(event, tag)
        if depth > _DEEPEST_NESTING:
            raise _LeftToNodeTree
        if type(event) is SequenceStartEvent:
            items = []
            while type(item := self.next_node()) is not SequenceEndEvent:
                items.append(self.value(item, depth + 1))
            return items
        mapping = {}  # SafeLoader's dict: a key given twice has its last value, in its first place
        while type(key := self.next_node()) is not MappingEndEvent:
            if type(key) is not ScalarEvent:
                raise _LeftToNodeTree  # a list or mapping as a key: unhashable, constructing fails
            constructed_key = self.value(key, depth + 1)
            mapping[constructed_key] = self.value(self.next_node(), depth + 1)
        return mapping

    def constructed_scalar(self, event: ScalarEvent, tag: str) -> Any:
        """What SafeLoader constructs for a scalar the resolver gives ``tag`` (a number, yes/no, null, a date).

        Failing that, the node tree reads the file: it fails alike (on the date 2020-13-45), or
        first meets a syntax error or a second document further on, or it never constructs the
        scalar on its own: the merge key ``<<`` and the value key ``=``, which SafeLoader has
        no constructor for, change the mapping they are a key of.
        """
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return self.loader.construct_object(node, deep=True)
        except Exception as error:
            raise _LeftToNodeTree from error

    def skip(self, event: Event, depth: int) -> None:
        """Reads past the node starting at ``event``, constructing nothing."""
        if type(event) is ScalarEvent:
            return
        outside = depth - 1
        while depth > outside:
            if depth > _DEEPEST_NESTING:
                raise _LeftToNodeTree
            kind = type(self.next_node())
            if kind is MappingStartEvent or kind is SequenceStartEvent:
                depth += 1
            elif kind in _COLLECTION_ENDS:
                depth -= 1


def _line(event: Event) -> int:
    return event.start_mark.line + 1


def _read_node_tree(text: str, fields: Collection[str]) -> Reading:
    """The reading from PyYAML's composed node tree, values by its constructor (the reading before events)."""
    root, loader = _compose(text)
    if root is None:
        return Reading([], None)
    if isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            if key_node.value == "terms":
                if not isinstance(value_node, yaml.SequenceNode):
                    return Reading([], (value_node.start_mark.line + 1, TERMS_NOT_A_LIST))
                return Reading([_node_entry(node, loader, fields) for node in value_node.value], None)
    return Reading([], (root.start_mark.line + 1, NOT_A_MAPPING))


def _node_entry(node: yaml.Node, loader: yaml.BaseLoader, fields: Collection[str]) -> Entry:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        return Entry(line, None, [])
    values: FieldValues = {}
    unknown_fields = []
    for key, value in node.value:
        if isinstance(key.value, str) and key.value in fields:
            values[key.value] = (loader.construct_object(value, deep=True), value.start_mark.line + 1)
        else:
            unknown_fields.append((key.value, key.start_mark.line + 1))
    return Entry(line, values, unknown_fields)


def _compose(text: str) -> tuple[yaml.Node | None, yaml.BaseLoader]:
    """The YAML node tree of ``text`` and the loader that can construct its values.

    libyaml's parser (in PyYAML's wheels) builds the same nodes and marks about twenty times
    faster than the pure-Python one; on a syntax error the pure-Python parser reads the text
    again, because its messages are the ones authors are told how to act on.
    """
    fast_loader = getattr(yaml, "CSafeLoader", None)
    if fast_loader is not None:
        loader = fast_loader(text)
        try:
            return loader.get_single_node(), loader
        except yaml.MarkedYAMLError:
            pass  # read again below, for the pure-Python parser's message
        finally:
            loader.dispose()
    loader = yaml.SafeLoader(text)
    try:
        return loader.get_single_node(), loader
    finally:
        loader.dispose()
