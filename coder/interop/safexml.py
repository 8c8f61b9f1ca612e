"""XML parsed safely, with the line of every element: no DTD, no entities, nothing fetched.

Files from other machines may carry a document type declaration with entities: external ones
read local files or the network, nested internal ones expand into gigabytes ("billion laughs").
:func:`parse_xml` refuses any DOCTYPE or entity declaration outright (ELAN's files have none),
never resolves an external entity, and names the line of what it refuses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

from coder.interop.errors import InteropError


@dataclass
class Node:
    """One element: its tag, attributes, text, children and the line it starts on."""

    tag: str
    attrs: dict[str, str]
    line: int
    children: list[Node] = field(default_factory=list)
    text: str = ""

    def find(self, tag: str) -> Node | None:
        return next((c for c in self.children if c.tag == tag), None)

    def all(self, tag: str) -> list[Node]:
        return [c for c in self.children if c.tag == tag]


class _Refused(Exception):
    def __init__(self, line: int, what: str) -> None:
        self.line, self.what = line, what


def parse_xml(raw: bytes, source: str) -> Node:
    """The root element of ``raw``; an :class:`InteropError` naming the line otherwise."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[Node] = []
    root: list[Node] = []

    def refuse(what: str) -> Any:
        def handler(*_args: Any) -> None:
            raise _Refused(parser.CurrentLineNumber, what)

        return handler

    def start(tag: str, attrs: dict[str, str]) -> None:
        node = Node(tag, dict(attrs), parser.CurrentLineNumber)
        if stack:
            stack[-1].children.append(node)
        else:
            root.append(node)
        stack.append(node)

    def end(_tag: str) -> None:
        node = stack.pop()
        node.text = node.text.strip()

    def text(data: str) -> None:
        if stack:
            stack[-1].text += data

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = refuse(
        "a document type declaration (DOCTYPE) is refused: its entities are never expanded"
    )
    parser.EntityDeclHandler = refuse("an entity declaration is refused")
    parser.ExternalEntityRefHandler = refuse("an external entity is refused")
    try:
        parser.Parse(raw, True)
    except _Refused as exc:
        raise InteropError(source, f"line {exc.line}: {exc.what}") from None
    except expat.ExpatError as exc:
        message = expat.ErrorString(exc.code) if exc.code else str(exc)
        raise InteropError(
            source, f"line {exc.lineno} column {exc.offset + 1}: not well-formed XML ({message})"
        ) from None
    if not root:
        raise InteropError(source, "no XML element in the file")
    return root[0]
