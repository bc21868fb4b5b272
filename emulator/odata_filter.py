"""OData ``$filter`` for the emulator: a tokenizer and a recursive-descent parser compiled to SQL.

Grammar (the subset Dataverse documents and our connector uses)::

    expr    := and_ ("or" and_)*
    and_    := unary ("and" unary)*
    unary   := "not" unary | compare
    compare := operand (("eq"|"ne"|"gt"|"ge"|"lt"|"le") operand)?
    operand := "(" expr ")" | function | literal | property
    function:= ("contains"|"startswith"|"endswith") "(" property "," string ")"
             | "Microsoft.Dynamics.CRM.In"|"...NotIn" "(" "PropertyName" "=" string ","
               "PropertyValues" "=" "[" literal ("," literal)* "]" ")"

Every literal becomes a bound parameter; property names are checked against the catalog and quoted, so no text
from the request ever reaches the SQL string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from emulator.catalog import NUMERIC_KINDS, STRING_KINDS, Column, Table
from emulator.errors import ApiError, bad_request, unknown_property
from emulator.store import q
from emulator.values import format_date, format_dt, parse_dt

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<string>'(?:[^']|'')*')
  | (?P<guid>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-]))
  | (?P<datetime>\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})?)?(?![\w:.-]))
  | (?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[mMdDfFlL]?(?![\w.]))
  | (?P<name>[A-Za-z_][\w.]*(?:/[A-Za-z_]\w*)*)
  | (?P<punct>[(),\[\]=])
""", re.VERBOSE)

_MAX_DEPTH = 100
_COMPARE = {"eq": "=", "ne": "<>", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}
_EDM = {"string": "Edm.String", "memo": "Edm.String", "entityname": "Edm.String", "integer": "Edm.Int32",
        "bigint": "Edm.Int64", "picklist": "Edm.Int32", "state": "Edm.Int32", "status": "Edm.Int32",
        "decimal": "Edm.Decimal", "money": "Edm.Decimal", "double": "Edm.Double", "boolean": "Edm.Boolean",
        "datetime": "Edm.DateTimeOffset", "dateonly": "Edm.Date", "uniqueidentifier": "Edm.Guid",
        "lookup": "Edm.Guid"}
_OP_KIND = {"eq": "Equal", "ne": "NotEqual", "gt": "GreaterThan", "ge": "GreaterThanOrEqual", "lt": "LessThan",
            "le": "LessThanOrEqual"}


@dataclass
class Token:
    """One lexical token."""

    kind: str
    text: str
    pos: int


@dataclass
class Literal:
    """A literal value with its OData type family."""

    kind: str  # string, number, guid, datetime, bool, null
    value: Any


@dataclass
class Prop:
    """A property reference resolved against the table."""

    col: Column
    sql: str


def tokenize(text: str) -> list[Token]:
    """Split a ``$filter`` into tokens.

    Raises:
        ApiError: 400 on a character no token can start with.
    """
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise _syntax(text, pos)
        kind = m.lastgroup or ""
        if kind != "ws":
            tokens.append(Token(kind, m.group(), pos))
        pos = m.end()
    return tokens


def _syntax(text: str, pos: int) -> ApiError:
    return bad_request(f"Syntax error at position {pos} in '{text}'.")


class FilterCompiler:
    """Compiles one ``$filter`` on one table to an SQL condition with parameters."""

    def __init__(self, table: Table, text: str) -> None:
        self.table = table
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.params: list[Any] = []
        self.depth = 0

    def compile(self) -> tuple[str, list[Any]]:
        """The SQL condition and its parameters.

        Raises:
            ApiError: 400 on a syntax error, an unknown property or incompatible operand types.
        """
        if not self.tokens:
            raise _syntax(self.text, 0)
        sql = self._or()
        if self.i < len(self.tokens):
            raise _syntax(self.text, self.tokens[self.i].pos)
        return sql, self.params

    # --- token helpers -------------------------------------------------------------------------------

    def _peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _is_word(self, word: str) -> bool:
        tok = self._peek()
        return tok is not None and tok.kind == "name" and tok.text == word

    def _expect(self, text: str) -> Token:
        tok = self._peek()
        if tok is None or tok.text != text:
            raise _syntax(self.text, tok.pos if tok else len(self.text))
        self.i += 1
        return tok

    def _next(self) -> Token:
        tok = self._peek()
        if tok is None:
            raise _syntax(self.text, len(self.text))
        self.i += 1
        return tok

    # --- grammar -------------------------------------------------------------------------------------

    def _or(self) -> str:
        parts = [self._and()]
        while self._is_word("or"):
            self.i += 1
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    def _and(self) -> str:
        parts = [self._unary()]
        while self._is_word("and"):
            self.i += 1
            parts.append(self._unary())
        return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"

    def _unary(self) -> str:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise bad_request(f"The $filter nests deeper than {_MAX_DEPTH} levels.", code="0x0")
        try:
            if self._is_word("not"):
                self.i += 1
                return f"(NOT {self._unary()})"
            return self._compare()
        finally:
            self.depth -= 1

    def _compare(self) -> str:
        left = self._operand()
        tok = self._peek()
        if tok is not None and tok.kind == "name" and tok.text in _COMPARE:
            self.i += 1
            right = self._operand()
            return self._comparison(tok.text, left, right)
        if isinstance(left, str):
            return left
        if isinstance(left, Prop) and left.col.kind == "boolean":
            return f"({left.sql} = 1)"
        raise _syntax(self.text, tok.pos if tok else len(self.text))

    def _operand(self) -> str | Literal | Prop:
        tok = self._next()
        if tok.text == "(":
            inner = self._or()
            self._expect(")")
            return f"({inner})"
        if tok.kind == "string":
            return Literal("string", tok.text[1:-1].replace("''", "'"))
        if tok.kind == "guid":
            return Literal("guid", tok.text.lower())
        if tok.kind == "datetime":
            return Literal("datetime", tok.text)
        if tok.kind == "number":
            text = tok.text.rstrip("mMdDfFlL")
            return Literal("number", float(text) if any(c in text for c in ".eE") else int(text))
        if tok.kind == "name":
            if tok.text in ("true", "false"):
                return Literal("bool", tok.text == "true")
            if tok.text == "null":
                return Literal("null", None)
            if self._is_punct("("):
                return self._function(tok)
            return self._prop(tok.text)
        raise _syntax(self.text, tok.pos)

    def _is_punct(self, text: str) -> bool:
        tok = self._peek()
        return tok is not None and tok.kind == "punct" and tok.text == text

    def _prop(self, name: str) -> Prop:
        if "/" in name:
            raise bad_request(f"Navigation property paths such as '{name}' are not supported by the emulator.",
                              code="0x0")
        col = self.table.columns.get(name)
        if name.startswith("_") and name.endswith("_value"):
            col = self.table.columns.get(name[1:-6])
            if col is None or not col.is_lookup:
                raise unknown_property(name, self.table.logical)
        elif col is None or col.is_lookup:
            raise unknown_property(name, self.table.logical)
        return Prop(col, q(col.logical))

    def _function(self, name_tok: Token) -> str:
        name = name_tok.text
        if name in ("contains", "startswith", "endswith"):
            self._expect("(")
            prop = self._operand()
            self._expect(",")
            value = self._operand()
            self._expect(")")
            if not isinstance(prop, Prop) or not isinstance(value, Literal) or value.kind != "string":
                raise _syntax(self.text, name_tok.pos)
            if prop.col.kind not in STRING_KINDS:
                raise bad_request(f"No function signature for the function with name '{name}' matches the specified "
                                  "arguments.", code="0x0")
            pattern = {"contains": "%{}%", "startswith": "{}%", "endswith": "%{}"}[name].format(value.value)
            self.params.append(pattern)
            return f"({prop.sql} LIKE ?)"
        if name in ("Microsoft.Dynamics.CRM.In", "Microsoft.Dynamics.CRM.NotIn"):
            return self._in(name_tok, negate=name.endswith("NotIn"))
        raise bad_request(f"An unknown function with name '{name}' was found. This may also be a function import "
                          "or a key lookup on a navigation property, which is not allowed.", code="0x0")

    def _in(self, name_tok: Token, *, negate: bool) -> str:
        self._expect("(")
        self._expect("PropertyName")
        self._expect("=")
        prop_tok = self._next()
        if prop_tok.kind != "string":
            raise _syntax(self.text, prop_tok.pos)
        prop = self._prop(prop_tok.text[1:-1])
        self._expect(",")
        self._expect("PropertyValues")
        self._expect("=")
        self._expect("[")
        values: list[Literal] = []
        while True:
            lit = self._operand()
            if not isinstance(lit, Literal):
                raise _syntax(self.text, name_tok.pos)
            values.append(lit)
            if self._is_punct("]"):
                self.i += 1
                break
            self._expect(",")
        self._expect(")")
        for lit in values:
            self.params.append(self._coerce(prop.col, Literal("string", str(lit.value)) if lit.kind == "number"
                                            and prop.col.kind in STRING_KINDS else lit, "eq", in_list=True))
        marks = ", ".join("?" * len(values))
        collate = " COLLATE NOCASE" if prop.col.kind in STRING_KINDS else ""
        return f"({prop.sql}{collate} {'NOT IN' if negate else 'IN'} ({marks}))"

    # --- typing --------------------------------------------------------------------------------------

    def _comparison(self, op: str, left: str | Literal | Prop, right: str | Literal | Prop) -> str:
        if isinstance(left, str) or isinstance(right, str):
            raise _syntax(self.text, 0)
        if isinstance(left, Literal) and isinstance(right, Prop):
            left, right = right, left
            op = {"gt": "lt", "lt": "gt", "ge": "le", "le": "ge"}.get(op, op)
        if isinstance(left, Literal):
            raise bad_request("Comparing two literals is not supported by the emulator.", code="0x0")
        if isinstance(right, Literal) and right.kind == "null":
            if op not in ("eq", "ne"):
                raise self._incompatible(left.col, "null", op)
            return f"({left.sql} IS {'NOT ' if op == 'ne' else ''}NULL)"
        collate = " COLLATE NOCASE" if left.col.kind in STRING_KINDS else ""
        if isinstance(right, Prop):
            return f"({left.sql}{collate} {_COMPARE[op]} {right.sql})"
        self.params.append(self._coerce(left.col, right, op))
        return f"({left.sql}{collate} {_COMPARE[op]} ?)"

    def _incompatible(self, col: Column, kind: str, op: str) -> ApiError:
        other = {"string": "Edm.String", "number": "Edm.Int32", "guid": "Edm.Guid", "datetime": "Edm.DateTimeOffset",
                 "bool": "Edm.Boolean", "null": "null"}[kind]
        return bad_request(f"A binary operator with incompatible types was detected. Found operand types "
                           f"'{_EDM[col.kind]}' and '{other}' for operator kind '{_OP_KIND[op]}'.", code="0x0")

    def _coerce(self, col: Column, lit: Literal, op: str, *, in_list: bool = False) -> Any:
        kind = col.kind
        if kind in STRING_KINDS:
            if lit.kind != "string":
                raise self._incompatible(col, lit.kind, op)
            return lit.value
        if kind in ("uniqueidentifier", "lookup"):
            if lit.kind == "guid" or (lit.kind == "string" and (in_list or kind == "uniqueidentifier")):
                return str(lit.value).lower()
            raise self._incompatible(col, lit.kind, op)
        if kind == "boolean":
            if lit.kind != "bool":
                raise self._incompatible(col, lit.kind, op)
            return int(lit.value)
        if kind in NUMERIC_KINDS:
            if lit.kind == "number":
                return lit.value
            if in_list and lit.kind == "string":
                try:
                    return float(lit.value) if "." in lit.value else int(lit.value)
                except ValueError:
                    pass
            raise self._incompatible(col, lit.kind, op)
        if kind in ("datetime", "dateonly"):
            parsed = parse_dt(str(lit.value)) if lit.kind in ("datetime", "string") else None
            if parsed is None:
                raise self._incompatible(col, lit.kind, op)
            return format_date(parsed) if col.date_only else format_dt(parsed)
        raise self._incompatible(col, lit.kind, op)


def compile_filter(table: Table, text: str) -> tuple[str, list[Any]]:
    """Compile ``$filter`` text for ``table`` into ``(sql_condition, params)``.

    Raises:
        ApiError: 400 with Dataverse's code and message for syntax and type errors.
    """
    return FilterCompiler(table, text).compile()
