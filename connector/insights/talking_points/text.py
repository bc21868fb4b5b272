"""Turn an e-mail body into the text its sender wrote: no HTML, no quoted reply, no signature.

Talking points must come from what the contact wrote in this message, not from the seller's words
quoted below it, a forwarded newsletter or a legal disclaimer. Each step is a pure function on
strings; :func:`clean_body` chains them. Everything here is linear in the input size so a hostile
100 KB body costs milliseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

MAX_BODY_CHARS = 200_000
"""Bodies are cut to this length before analysis: a personal remark sits in the first screens of text."""

_BLOCK_TAGS = frozenset({
    "p", "div", "br", "li", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "section", "article",
    "header", "footer", "ul", "ol", "pre", "td",
})
_VOID_TAGS = frozenset({"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr", "source"})
_SKIP_TAGS = frozenset({"style", "script", "head", "title", "blockquote", "template", "noscript"})
# Mail clients mark the quoted part of a reply with these classes / ids instead of (or as well as) <blockquote>.
_QUOTE_MARKERS = ("gmail_quote", "yahoo_quoted", "divrplyfwdmsg", "appendonsend", "moz-cite-prefix", "protonmail_quote")
_TAG_LIKE = re.compile(r"<\s*/?\s*[a-zA-Z][^>]{0,500}>")


class _TextExtractor(HTMLParser):
    """Collects visible text, dropping style/script/head and quoted blocks (nested or unclosed)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._stack: list[tuple[str, bool]] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag in _VOID_TAGS:
            return
        marks = " ".join(v or "" for k, v in attrs if k in ("class", "id")).lower()
        skip = tag in _SKIP_TAGS or any(m in marks for m in _QUOTE_MARKERS)
        self._stack.append((tag, skip))
        self._skip_depth += skip

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if not any(t == tag for t, _ in self._stack):
            return  # a stray end tag closes nothing
        while self._stack:
            t, skip = self._stack.pop()
            self._skip_depth -= skip
            if t == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.parts.append(data)


def looks_like_html(text: str) -> bool:
    """True when the body contains markup (at least one tag)."""
    return _TAG_LIKE.search(text[:5000]) is not None


def html_to_text(html: str) -> str:
    """Visible text of an HTML body, block elements on their own lines, quoted blocks removed."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts).replace("\xa0", " ")
    return re.sub(r"[ \t\r\f\v]+", " ", text)


# A line that starts the quoted or forwarded part: everything from it on is someone else's text.
_QUOTE_HEADER = re.compile(
    r"""^[ \t]*(?:
        On\s.{1,300}?\bwrote\s?:
      | Le\s.{1,300}?\ba\s+écrit\s?:
      | -{2,}\s*(?:Original\s+Message|Forwarded\s+message|Message\s+d'origine|Message\s+transféré|Message\s+original)
      | Begin\s+forwarded\s+message\s?:
      | Début\s+du\s+message\s+réexpédié\s?:
      | _{8,}\s*$
      | (?:From|De)\s?:[ \t].*\n[ \t]*(?:Sent|Date|Envoyé|To|À|A)\s?:
    )""",
    re.IGNORECASE | re.VERBOSE | re.MULTILINE,
)
_QUOTED_LINE = re.compile(r"^[ \t]*>.*$\n?", re.MULTILINE)


def strip_quoted(text: str) -> str:
    """Drop quoted reply lines (``>``) and everything from a reply/forward header on.

    Headers recognised: "On … wrote:" (also wrapped over two lines), "Le … a écrit :", Outlook's
    "-----Original Message-----" / "From: … Sent:" blocks, forwarded-message banners.
    """
    # Gmail wraps long "On <date> <name> <addr>\nwrote:" headers: join such a pair before matching.
    text = re.sub(r"(^[ \t]*(?:On|Le)\s[^\n]{1,300})\n([ \t]*(?:wrote|a\s+écrit)\s?:)", r"\1 \2", text,
                  flags=re.MULTILINE | re.IGNORECASE)
    match = _QUOTE_HEADER.search(text)
    if match:
        text = text[: match.start()]
    return _QUOTED_LINE.sub("", text)


_SIGNOFF = re.compile(
    r"""[ \t]*(?:
        -- ?$
      | (?:best|kind|warm|many)?[ \t]*(?:regards|wishes)\b.{0,30}$
      | (?:thanks|thank\s+you|many\s+thanks|cheers|sincerely|best|all\s+the\s+best|talk\s+soon|br)[,.!]?[ \t]*$
      | sent\s+from\s+my\b.*$
      | get\s+outlook\s+for\b.*$
      | (?:bien\s+)?cordialement.{0,20}$
      | (?:bien|très)\s+à\s+(?:vous|toi).{0,10}$
      | (?:bonne\s+(?:journée|soirée|fin\s+de\s+journée|semaine)|merci|à\s+bientôt
         |salutations(?:\s+distinguées)?|amitiés)[,.!]?[ \t]*$
      | envoyé\s+de\s+mon\b.*$
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_DISCLAIMER = re.compile(
    r"confidential|intended\s+(?:solely|only)|privileged|received\s+(?:this|it)\s+in\s+error|"
    r"consider\s+the\s+environment|unsubscribe|confidentiel|destinataires?|reçu\s+ce\s+message\s+par\s+erreur|"
    r"pensez\s+à\s+l'environnement|se\s+désinscrire",
    re.IGNORECASE,
)


def strip_signature(text: str) -> str:
    """Cut the sign-off and everything after it; drop disclaimer paragraphs wherever they are.

    A sign-off ("Best regards,", "Cordialement", "--", "Sent from my iPhone") only counts once some
    text precedes it, so a one-line "Thanks!" reply is not emptied by mistake.
    """
    offset, seen_text = 0, False
    for line in text.split("\n"):
        # Sign-offs are short lines; testing only those keeps this linear in practice.
        if seen_text and len(line) <= 80 and _SIGNOFF.fullmatch(line):
            text = text[:offset]
            break
        seen_text = seen_text or bool(line.strip())
        offset += len(line) + 1
    paragraphs = re.split(r"\n[ \t]*\n", text)
    return "\n\n".join(p for p in paragraphs if not (_DISCLAIMER.search(p) and len(p) > 60))


def clean_body(body: object) -> str:
    """The sender's own words in an e-mail body (plain text or HTML); ``""`` for anything not text."""
    if not isinstance(body, str) or not body.strip():
        return ""
    text = body[:MAX_BODY_CHARS]
    if looks_like_html(text):
        text = html_to_text(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = strip_quoted(text)
    text = strip_signature(text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


@dataclass(frozen=True)
class Sentence:
    """One sentence of a cleaned body and where it sits in it (``text == body[start:end]``)."""

    text: str
    start: int
    end: int


_SENTENCE = re.compile(r"[^\n.!?…]+(?:[.!?…]+(?=\s|$|[\"'»”)])|[.!?…]+|$)", re.MULTILINE)


def sentences(text: str) -> list[Sentence]:
    """Split cleaned text into sentences: at ., !, ?, … followed by space or end, and at line breaks.

    Abbreviations ("Mr.", "p.m.") may split a sentence in two; a talking point only needs the clause
    that carries the topic, so this costs little and keeps the splitter linear and predictable.
    """
    out: list[Sentence] = []
    for m in _SENTENCE.finditer(text):
        raw = m.group(0)
        stripped = raw.strip()
        if len(stripped) < 2:
            continue
        start = m.start() + (len(raw) - len(raw.lstrip()))
        out.append(Sentence(stripped, start, start + len(stripped)))
    return out


def snippet(sentence: str, limit: int = 200) -> str:
    """The sentence cut to ``limit`` characters at a word boundary (nothing beyond it is kept)."""
    sentence = " ".join(sentence.split())
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"
