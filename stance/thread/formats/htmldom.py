"""A flat index of an HTML page's elements with the cues that mark a comment block.

One pass over the parsed page (lexbor's own iterative traversal, never recursion) lists the
elements in document order with their parent, children, subtree end and text lengths; a second
pass, from the leaves up, gives every element the cues found anywhere inside it:

- `AUTHOR`: a short element whose class/id/itemprop names a person (author, user, name, nick,
  commenter, vcard, ...), a `cite`, or a short "X says:" / "X wrote:" text; an unmarked short
  name (`<b>Ruth</b>`, a plain span) printed right beside a date element, as a comment's meta
  row prints them, or followed by a bare "says:"; an avatar image (class avatar, gravatar,
  userpic) whose alt text is a name;
- `DATE`: a `time` element, a short element classed date/time/timestamp, or short date text
  ("March 3, 2019 at 10:02 pm", "2 days ago", "2019-03-01");
- `ACTION`: a short button-like text ("Reply", "Report", "12 likes") or an element classed
  reply/permalink/vote/like/report;
- `REPLY`: the actions of a conversation, not of any page ("Reply", "Quote", "Report",
  "Agree (21)", "#12", a vote or like counter), where `ACTION` also takes "Share" or "Edit";
- `HEADLINK`: a heading that holds a link (what a related-article teaser looks like).

`COMMENTY` (class/id words such as comment, reply, response, talkback, review) and `CHROME`
(navigation, menus, sidebars, related links, footers; not page-builder "widget" wrappers)
are the element's own, not inherited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from stance.thread.htmltext import SKIP_TAGS
from stance.thread.lines import clean, dates, headers

AUTHOR, DATE, ACTION, HEADLINK, COMMENTY, CHROME, REPLY = 1, 2, 4, 8, 16, 32, 64
#: The element's own text holds a bare speech verb ("<b>Ann</b> says:"); never inherited.
SAYS = 128
#: Cues that travel up to the enclosing elements.
INHERITED = AUTHOR | DATE | ACTION | HEADLINK | REPLY

_PARTS = re.compile(r"[a-z]+")
_AUTHOR_PARTS = frozenset("""
author authors user username usr name nick nickname commenter commentator poster fn vcard
profile member handle screenname displayname cite who by byline
""".split())
#: Class words of an element that holds a comment's text ("reply-text", "comment-body").
_TEXT_PARTS = frozenset("text content body message msg".split())
_DATE_PARTS = frozenset("date datetime time timestamp stamp ago published posted when".split())
_ACTION_PARTS = frozenset("""
reply replies permalink vote votes voting upvote downvote like likes dislike report flag
actions action toolbar respond quote
""".split())
_REPLY_PARTS = frozenset("""
reply replies respond quote permalink vote votes voting upvote downvote like likes dislike
report flag agree disagree
""".split())
_REPLY_TEXT = re.compile(
    r"\W*(?:reply|replies|reply to this(?: comment)?|respond|quote|reply with quote|report|"
    r"report abuse|report comment|flag|flag as inappropriate|like|likes|dislike|upvote|downvote|"
    r"vote up|vote down|agree|disagree|recommend|helpful|permalink|antworten|melden|zitieren|"
    r"répondre|signaler|citer|responder|denunciar|citar|rispondi|segnala|cita|reageer|"
    r"beantwoorden|rapporteer|svara|anmäl|odpowiedz|zgłoś|ответить|#\d{1,6}|"
    r"\d+\s+(?:likes?|replies|repl(?:y|ies)|points?|votes?))"
    r"(?:\s*\(\d+\))?\W*", re.IGNORECASE)
_COMMENT_WORDS = re.compile(r"comment|koment|kommentar|coment|talkback|reply|replies|respons|"
                            r"discuss|review|leserbrief|reaction", re.IGNORECASE)
_CHROME_PARTS = frozenset("""
nav navbar navigation menu menubar breadcrumb breadcrumbs sidebar related
recommended recommendations popular trending mostread teaser teasers promo promoted sponsored
footer masthead topbar toolbar pagination pager share sharing social tags tagcloud newsletter
subscribe banner advert ads ad outbrain taboola
""".split())
#: Not `form`: ASP.NET pages wrap the whole body in one.
_CHROME_TAGS = frozenset("nav header footer aside menu".split())
_SAYS = re.compile(r"^\S.{0,50}?\s(?:says|said|wrote|schreibt|écrit)\s*(?::|\.\.\.|…)?$",
                   re.IGNORECASE)
_SAYS_HEAD = re.compile(r"^(?P<n>\S.{0,50}?)\s(?:says|said|wrote|schreibt|écrit)\b",
                        re.IGNORECASE)
_BARE_SAYS = re.compile(r"(?:says|said|wrote|schreibt|écrit)\s*(?::|\.\.\.|…)?", re.IGNORECASE)
_PROFILE = re.compile(r"/(?:u|user|users|people|profile|profiles|member|members|author|"
                      r"authors|commenter|usuario|benutzer)/[^/?#]+/?$", re.IGNORECASE)
_POSTED_BY = re.compile(r"^\s*(?:posted|written|submitted|commented|comment)\s+by\s+\S",
                        re.IGNORECASE)
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")
#: Relative times in other languages ("vor 3 Stunden", "il y a 2 jours", "hace 5 minutos").
_AGO = re.compile(
    r"\W*(?:(?:vor|il y a|hace|há)\s+(?:\d+|einer?|une?|un|una)\s+\w+|"
    r"\d+\s+\w+\s+(?:fa|geleden|sedan|siden|temu|назад)|"
    r"gestern|heute|hier|aujourd'hui|ayer|hoy|ieri|oggi|gisteren|vandaag|igår|i dag)"
    r"(?:,?\s*(?:um|à|a las|alle|om|kl\.?)?\s*\d{1,2}[:.h]\d{2})?\W*", re.IGNORECASE)
_ROWS = frozenset("tr".split())
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
#: Elements whose text is not read; a button's is, for its cue ("Reply"), though it never
#: joins a comment's text (`node_text` leaves buttons out).
_UNREAD = SKIP_TAGS - {"button"}
#: Cue elements hold at most this many characters of text.
SHORT = 80
#: Tags an unmarked name beside a date may have, and the class words of avatar images.
_NAME_TAGS = frozenset("b strong span a cite em i small font".split())
#: ... and the tags of the text that opens a block (`leading_name`).
_LEADING_TAGS = _NAME_TAGS | {"div", "p"}
_AVATAR_PARTS = frozenset("avatar avatars gravatar userpic usericon userimage".split())
_BADGE_PARTS = frozenset("badge badges role flair rank usertitle".split())
_BADGE_TEXT = re.compile(r"(?:op|original poster|author|moderator|mod|admin|administrator|staff|"
                         r"editor|verified|subscriber|member|guest|top (?:commenter|contributor|"
                         r"fan)|rising contributor|creator|pinned|featured)", re.IGNORECASE)


@dataclass
class Dom:
    """Elements in document order; index lists are parallel."""

    nodes: list[LexborNode] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    parent: list[int] = field(default_factory=list)
    children: list[list[int]] = field(default_factory=list)
    end: list[int] = field(default_factory=list)  # one past the last descendant
    text: list[int] = field(default_factory=list)  # characters of text inside
    link: list[int] = field(default_factory=list)  # characters of text inside links
    longest_link: list[int] = field(default_factory=list)
    own: list[int] = field(default_factory=list)  # the element's own cue bits
    named: list[int] = field(default_factory=list)  # those its tag and attributes give
    cues: list[int] = field(default_factory=list)  # own | INHERITED bits of descendants
    words: list[frozenset[str]] = field(default_factory=list)  # class/id/itemprop words

    def __len__(self) -> int:
        return len(self.nodes)

    def text_of(self, i: int) -> str:
        return tidy_line(self.nodes[i].text(separator=" ") or "")


def is_action_line(text: str) -> bool:
    """A row of conversation buttons only ("Antworten Melden", "Reply · Report · 3 likes")."""
    parts = [p for p in re.split(r"\s*[·•|]\s*|\s{2,}|\s(?=[A-ZÀ-Ý])", text.strip()) if p]
    return bool(parts) and all(_REPLY_TEXT.fullmatch(p) or clean.is_label(p) for p in parts)


def tidy_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def attribute_words(node: LexborNode) -> tuple[str, frozenset[str]]:
    attrs = node.attributes
    raw = " ".join(str(attrs.get(k) or "") for k in ("class", "id", "itemprop", "rel", "role"))
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", raw).lower()
    return raw.lower(), frozenset(_PARTS.findall(spaced))


def _text_cues(text: str) -> int:
    """Cue bits of one short run of text."""
    line = text.strip()
    if not line or len(line) > SHORT:
        return 0
    bits = 0
    if dates.find_date(line) is not None or dates.is_relative(line) or _AGO.fullmatch(line):
        bits |= DATE
    if re.search(r"[A-Za-z]", line) and clean.is_label(line) and not dates.is_relative(line):
        bits |= ACTION
    if len(line) <= 40 and _REPLY_TEXT.fullmatch(line):
        bits |= ACTION | REPLY
    if _SAYS.match(line) or _POSTED_BY.match(line):
        bits |= AUTHOR
    elif _BARE_SAYS.fullmatch(line):
        bits |= SAYS
    return bits


def _datelike(text: str) -> bool:
    return bool(dates.find_date(text) or dates.is_relative(text) or _CLOCK.search(text)
                or _AGO.fullmatch(text.strip()))


def _element_cues(node: LexborNode, tag: str, raw: str, words: frozenset[str],
                  length: int) -> int:
    bits = 0
    if tag == "a" and 0 < length <= 40 and _PROFILE.search(node.attributes.get("href") or ""):
        bits |= AUTHOR  # a link to the writer's profile page
    if _COMMENT_WORDS.search(raw):
        bits |= COMMENTY
    if tag in _CHROME_TAGS or words & _CHROME_PARTS:
        bits |= CHROME
    if 0 < length <= SHORT:
        if tag == "cite" or words & _AUTHOR_PARTS or "author" in raw:
            bits |= AUTHOR
        named_date = words & _DATE_PARTS or "date" in raw or "timestamp" in raw
        if tag == "time" or (named_date and _datelike(node.text(separator=" ") or "")):
            bits |= DATE  # a year alone ("2018" in a list of sources) is no posting date
    if tag == "time":
        bits |= DATE
    if (length <= 40 and words & _ACTION_PARTS and not words & _TEXT_PARTS
            and tag not in ("li", "article", "section")):
        # (a short reply in "div.reply-text" is the reply's text, not a Reply button)
        bits |= ACTION | (REPLY if words & _REPLY_PARTS else 0)
    return bits


def index(tree: LexborHTMLParser) -> Dom:
    """The page's elements, text lengths and cues (linear in the page's size)."""
    dom = Dom()
    root = tree.body or tree.root
    if root is None:
        return dom
    position: dict[int, int] = {}
    skipped: list[bool] = []
    in_link: list[bool] = []
    text_bits: list[int] = []
    raw_attrs: list[str] = []
    for node in root.traverse(include_text=True):
        tag = node.tag or ""
        up = node.parent
        at = position.get(up.mem_id, -1) if up is not None and node is not root else -1
        if tag == "-text":
            if at < 0 or skipped[at]:
                continue
            content = node.text_content or ""
            size = len(content.strip())
            if size:
                dom.text[at] += size
                if in_link[at]:
                    dom.link[at] += size
                text_bits[at] |= _text_cues(content)
            continue
        if tag.startswith(("-", "_")) or tag == "!doctype":
            continue
        i = len(dom.nodes)
        position[node.mem_id] = i
        raw, words = attribute_words(node)
        dom.nodes.append(node)
        dom.tags.append(tag)
        dom.parent.append(at)
        dom.children.append([])
        dom.words.append(words)
        raw_attrs.append(raw)
        skipped.append(tag in _UNREAD or (at >= 0 and skipped[at]))
        in_link.append(tag == "a" or (at >= 0 and in_link[at]))
        text_bits.append(0)
        for column in (dom.text, dom.link, dom.longest_link, dom.own, dom.named, dom.cues,
                       dom.end):
            column.append(0)
        if at >= 0:
            dom.children[at].append(i)
    _aggregate(dom, raw_attrs, text_bits)
    _implicit_authors(dom)
    return dom


def _aggregate(dom: Dom, raw_attrs: list[str], text_bits: list[int]) -> None:
    """Sum text up the tree, then give each element its own and inherited cues."""
    for i in range(len(dom) - 1, -1, -1):
        dom.end[i] = max([i + 1] + [dom.end[c] for c in dom.children[i][-1:]])
        if dom.tags[i] == "a":
            dom.longest_link[i] = max(dom.longest_link[i], dom.text[i])
        up = dom.parent[i]
        if up >= 0:
            dom.text[up] += dom.text[i]
            dom.link[up] += dom.link[i]
            dom.longest_link[up] = max(dom.longest_link[up], dom.longest_link[i])
    for i in range(len(dom) - 1, -1, -1):
        tag = dom.tags[i]
        dom.named[i] = _element_cues(dom.nodes[i], tag, raw_attrs[i], dom.words[i], dom.text[i])
        own = dom.named[i] | text_bits[i]
        if tag in _HEADINGS and dom.link[i] >= 20:
            own |= HEADLINK
        dom.own[i] = own
        dom.cues[i] |= own
        up = dom.parent[i]
        if up >= 0:
            dom.cues[up] |= dom.cues[i] & INHERITED


def badge(dom: Dom, i: int) -> bool:
    """A role badge beside a name ("OP", "Moderator", "Top commenter"), not a name."""
    return bool(dom.words[i] & _BADGE_PARTS) or (
        0 < dom.text[i] <= 30 and bool(_BADGE_TEXT.fullmatch(dom.text_of(i))))


def _name_like(text: str) -> bool:
    """A display name with no class word to vouch for it: one handle ("prilu_1116") or a few
    capitalised words ("K. Ash"), never a phrase ("Hosted by Moira Flett", an event's host)."""
    words = text.split()
    return (0 < len(text) <= 40 and not clean.is_label(text) and not dates.is_date_line(text)
            and (len(words) == 1 or all(w[:1].isupper() for w in words[:3]))
            and len(words) <= 3 and headers.name_ok(text, max_words=3, initials=True))


def _implicit_authors(dom: Dom) -> None:
    """`AUTHOR` for names no class word marks: a short name element right beside a date
    element (its sibling before or after), an element whose text is a name and a bare
    "says:", and an avatar image whose alt text is a name.
    Pages with generated class names ("css-1x9k2q") mark neither, and their comment blocks
    would otherwise show a date and nothing else. The cue travels up as inherited cues do."""
    found: list[int] = []
    for i in range(len(dom)):
        if dom.tags[i] == "img" and dom.words[i] & _AVATAR_PARTS:
            if _name_like(tidy_line(dom.nodes[i].attributes.get("alt") or "")):
                found.append(i)
            continue
        if dom.own[i] & SAYS and not dom.own[i] & AUTHOR and dom.text[i] <= SHORT:
            said = _SAYS_HEAD.match(dom.text_of(i))  # "<span>liten</span> says: Edited"
            if said and _name_like(said.group("n")):
                found.append(i)
            continue
        if not dom.own[i] & DATE or dom.text[i] > SHORT or dom.parent[i] < 0:
            continue
        siblings = dom.children[dom.parent[i]]
        k = _position(siblings, i)
        before = k - 1
        while before > 0 and k - before <= 2 and badge(dom, siblings[before]):
            before -= 1  # "<b>Ann</b> <span class='badge'>OP</span> <time>"
        for j in (siblings[before] if before >= 0 else -1,
                  siblings[k + 1] if k + 1 < len(siblings) else -1):
            if (j >= 0 and dom.tags[j] in _NAME_TAGS and not dom.own[j] & (AUTHOR | DATE)
                    and 0 < dom.text[j] <= 40 and not badge(dom, j)
                    and _name_like(dom.text_of(j))):
                found.append(j)
    for i in found:
        dom.own[i] |= AUTHOR
        dom.cues[i] |= AUTHOR
        up = dom.parent[i]
        while up >= 0 and not dom.cues[up] & AUTHOR:
            dom.cues[up] |= AUTHOR
            up = dom.parent[up]


#: The action of answering a comment ("Reply", "Quote") or a discussion's vote score ("6
#: points"), not liking, sharing or flagging anything (shops and galleries have those).
_ANSWER = re.compile(r"\W*(?:reply|respond|quote|reply with quote|antworten|zitieren|répondre|"
                     r"citer|responder|citar|rispondi|cita|reageer|beantwoorden|svara|"
                     r"odpowiedz|ответить|-?\d+\s+(?:points?|votes?))\W*", re.IGNORECASE)


#: How many elements into a block its own name and buttons are looked for (a comment's own
#: part is far shorter; deeply nested pages stay linear).
_LOOK = 300


def answerable(dom: Dom, i: int) -> bool:
    """Whether element `i` holds a button or link to answer it ("Reply", "Quote") or a vote
    score."""
    return any(0 < dom.text[j] <= 20 and dom.tags[j] in ("a", "button", "span")
               and _ANSWER.fullmatch(dom.text_of(j))
               for j in range(i + 1, min(dom.end[i], i + _LOOK)))


def leading_name(dom: Dom, i: int) -> int | None:
    """The element whose text opens element `i`, when that text is a name by itself
    (`<span>Ines</span>` heading a block that shows no date and no author class)."""
    for j in range(i + 1, min(dom.end[i], i + _LOOK)):
        if dom.text[j] and sum(dom.text[c] for c in dom.children[j]) < dom.text[j]:
            if dom.words[j] & _AVATAR_PARTS:
                continue  # a letter avatar ("AL") before the name
            ok = dom.tags[j] in _LEADING_TAGS and _name_like(dom.text_of(j))
            return j if ok else None
    return None


def _position(siblings: list[int], i: int) -> int:
    """Where `i` stands among its siblings (sorted indices), by bisection."""
    lo, hi = 0, len(siblings)
    while lo < hi:
        mid = (lo + hi) // 2
        if siblings[mid] < i:
            lo = mid + 1
        else:
            hi = mid
    return lo


def ancestors(dom: Dom, i: int, limit: int = 200) -> list[int]:
    """Indices of the enclosing elements of `i`, nearest first (at most `limit`)."""
    out: list[int] = []
    up = dom.parent[i]
    while up >= 0 and len(out) < limit:
        out.append(up)
        up = dom.parent[up]
    return out


def _shape(dom: Dom, i: int) -> str:
    node = dom.nodes[i]
    first = (node.attributes.get("class") or "").split()[:1]
    if first:
        return f"{dom.tags[i]}.{re.sub(r'[0-9]+', '', first[0].lower())}"
    ident = re.sub(r"[0-9]+", "", (node.attributes.get("id") or "").lower())
    return f"{dom.tags[i]}#{ident}" if ident else dom.tags[i]


def signature(dom: Dom, i: int) -> str:
    """What repeated siblings share: the tag and the first class word (digits dropped); for
    a row with neither class nor id, also its first child's (`tr > td.head`, `tr > td.text`)."""
    shape = _shape(dom, i)
    if shape != dom.tags[i] or dom.tags[i] not in _ROWS or not dom.children[i]:
        return shape
    return f"{shape}>{_shape(dom, dom.children[i][0])}"


def in_chrome(dom: Dom, parent: int) -> bool:
    """Whether the container sits in navigation or page furniture, not a comment section."""
    for up in [parent, *ancestors(dom, parent)]:
        if dom.own[up] & COMMENTY and not dom.own[up] & CHROME:
            return False
        if dom.own[up] & CHROME:
            return True
    return False
