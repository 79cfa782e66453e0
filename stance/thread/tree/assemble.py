"""Turn comment drafts into `Comment`s: clean text, strip quotations, rebuild reply parents.

Parents come from the strongest evidence the page offers, in this order: a forum quotation
that matches an earlier post ("X wrote:" + that post's text, or "> " lines opening a comment),
an explicit target ("Houshu in reply to Nuijel", "Replying to @jen_alv", a leading "@Nuijel" or
"In response to Nuijel's ..."; handles printed beside a name count as that author's), and the
reply depth (nested lists, indentation, "level 2", a "parent" link, Blogger's Reply/Delete
labels). On a page with no nesting at all, a comment that opens by quoting a sentence of
exactly one earlier comment (and not of the article) in quotation marks answers it
(`stance.thread.tree.cues`). A Reddit copy that lost its indentation (author lines "u/name",
no nesting printed) lists its comments depth first, as Reddit prints them: a comment no cue
places answers the comment above it (in RumourEval's 40 Reddit threads read depth first, 55%
of the comments answer the one above, 25% the post, 20% an earlier one; `REDDIT_SHARE`).
What cannot be resolved, or was guessed, is said in the warnings.
"""

from __future__ import annotations

import bisect
import itertools
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from stance.thread.lines import clean, dates
from stance.thread.lines.classify import BLANK, HEADER, QUOTE, TEXT, Line
from stance.thread.model import Comment
from stance.thread.segment.drafts import Draft
from stance.thread.tree import cues

logger = logging.getLogger(__name__)

_KEEP = frozenset({TEXT, QUOTE, BLANK})
_BULLET = re.compile(r"^[•·▪►▸‣◦]\s+")
_GENERIC_AUTHORS = frozenset({"anonymous", "unknown", "guest", "user", "deleted", "[deleted]"})
#: A comment that opens by addressing someone: "Betty,", "Dear Alia,", "Amen, Betty!",
#: "Thanks Rob." (a greeting or short reaction, then the name, then punctuation).
_VOCATIVE = re.compile(
    r"^\s*(?:(?i:dear|hi|hey|hello|thanks|thank you|amen|well said|good point|agreed|exactly|"
    r"yes|no|sorry|ok|okay|right|indeed|bravo|congrats|true|so true)[\s,!.]*)?"
    r"(?P<name>[A-Z][\w'’.-]*(?:\s[A-Z][\w'’.-]*){0,2})\s*[,!:;]")
#: Share of a flat page's comments whose author lines must name Reddit users ("u/name") for
#: the page to be read as a Reddit copy that lost its nesting.
REDDIT_SHARE = 0.5
#: A comment's first line this long that repeats a line of the article is a quotation of it.
_QUOTED_LINE_WORDS = 4
#: Earlier posts a quotation is matched against, the nearest first: enough for any thread a
#: reader scrolls, and no pass over every post for each quotation on a page of thousands.
_QUOTE_REACH = 200
_WHOLE_QUOTE = re.compile(r"^\s*[\"“„«][^\"“”„«»]{8,400}[\"”»][.,;:!?…]*\s*$")
_MENTION = re.compile(r"^\s*(?:@|(?:in (?:response|reply) to|replying to|reply to|re:?|to)\s+@?)",
                      re.IGNORECASE)


@dataclass
class _Body:
    lines: list[Line]
    raw: list[str]  # normalised non-blank lines before quotations were removed
    quoted: int | None = None  # index of the draft a leading quotation matched
    quote_only: bool = False
    opening: str | None = None  # a quoted opening line taken out of the text (folded)


@dataclass
class Assembled:
    comments: list[Comment]
    warnings: list[str] = field(default_factory=list)


def _norm(text: str) -> str:
    return clean.normalise_space(text).lower()


def same_person(name: str | None, other: str | None) -> bool:
    """Equal names, or one the first word(s) of the other ("Rob" signs for "Rob Stein")."""
    if not name or not other:
        return False
    a, b = _norm(name).lstrip("@"), _norm(other).lstrip("@")
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 3 and long_.startswith(short + " ")


def _body_lines(draft: Draft) -> list[Line]:
    out: list[Line] = []
    for k, line in enumerate(draft.lines):
        if draft.numbered and k == 0 and line.kind != HEADER:
            line = Line(line.index, line.item_raw, line.kind, line.attr)
        if line.kind in _KEEP:
            out.append(line)
    while out and out[0].kind == TEXT and dates.is_date_line(out[0].text):
        draft.timestamp = draft.timestamp or out[0].text
        out.pop(0)
    return out


def _trim_edge_chrome(lines: list[Line], *, leading: bool) -> list[Line]:
    """Page furniture at the start of the first comment or the end of the last one."""
    order = list(range(len(lines))) if leading else list(range(len(lines) - 1, -1, -1))
    cut: int | None = None
    seen_chrome = False
    for k in order:
        line = lines[k]
        if line.kind == BLANK:
            continue
        text = line.text
        short = clean.word_count(text) <= 5 and not re.search(r"[.!?]$", text[-2:])
        if clean.is_chrome(text, edge=True) or (seen_chrome and short):
            seen_chrome = True
            cut = k
            continue
        break
    if cut is None:
        return lines
    return lines[cut + 1:] if leading else lines[:cut]


def _folded(bodies: list[_Body], cache: list[str]) -> list[str]:
    """Each body's text as a quotation of it is compared, folded once and only when asked."""
    cache.extend(cues.fold(" ".join(body.raw)) for body in bodies[len(cache):])
    return cache


def _drop_quoted_opening(lines: list[Line], article_lines: set[str], article_words: str,
                         earlier: Callable[[], list[str]]) -> tuple[list[Line], str | None]:
    """A comment that opens with a line it quotes, alone on its line, starts after it: a
    line of the article copied as it is, or a line in quotation marks that the article or an
    earlier comment holds ("“You, to your credit, ...”" above the reply to it). Returns the
    lines and the quotation dropped (folded), which still tells whom the comment answers."""
    first = next((k for k, ln in enumerate(lines) if ln.kind != BLANK), None)
    if first is None or lines[first].kind != TEXT:
        return lines, None
    if not any(ln.kind == TEXT for ln in lines[first + 1:]):
        return lines, None
    text = lines[first].text
    if _norm(text) in article_lines:
        return lines[first + 1:], cues.fold(text)
    quoted = cues.opening_quotation(text)
    if quoted is None or not _WHOLE_QUOTE.match(text):
        return lines, None
    if quoted in article_words or any(quoted in text for text in earlier()):
        return lines[first + 1:], quoted
    return lines, None


def _first_word(name: str | None) -> str:
    words = _norm(name or "").lstrip("@").split()
    return words[0] if words else ""


def _by_first_word(drafts: list[Draft]) -> dict[str, list[int]]:
    """Draft indices (ascending) by the first word of their author's name: `same_person`
    only matches names that share it."""
    out: dict[str, list[int]] = {}
    for k, draft in enumerate(drafts):
        if draft.author:
            out.setdefault(_first_word(draft.author), []).append(k)
    return out


def _match_quote(following: list[Line], bodies: list[_Body], drafts: list[Draft],
                 author: str | None, named: dict[str, list[int]]) -> tuple[int | None, int]:
    """(draft index, lines consumed) of the earlier post that the quoted lines reproduce:
    of the `_QUOTE_REACH` nearest earlier posts (by the quoted author, where named), at most
    `_QUOTE_REACH` lines of it."""
    quoted = itertools.islice((ln for ln in following if ln.kind != BLANK), _QUOTE_REACH)
    texts: list[str] = []  # the quoted lines, normalised as far as some post matches them

    def line(n: int) -> str | None:
        while len(texts) <= n:
            nxt = next(quoted, None)
            if nxt is None:
                return None
            texts.append(_norm(nxt.text))
        return texts[n]

    best: tuple[int | None, int] = (None, 0)
    if author:
        posts = named.get(_first_word(author), [])
        end = bisect.bisect_left(posts, len(bodies))
        candidates: Sequence[int] = posts[max(0, end - _QUOTE_REACH):end][::-1]
    else:
        candidates = range(len(bodies) - 1, max(-1, len(bodies) - 1 - _QUOTE_REACH), -1)
    for j in candidates:
        if author and not same_person(drafts[j].author, author):
            continue
        raw = bodies[j].raw
        whole = " ".join(raw)
        n = 0
        # A quotation reproduces the earlier post's lines, or whole sentences of them.
        while (text := line(n)) is not None and (text in raw or (
                clean.word_count(text) >= 3 and text in whole)):
            n += 1
        if n > best[1]:
            best = (j, n)
    return best


def _strip_quotes(lines: list[Line], bodies: list[_Body], drafts: list[Draft],
                  named: dict[str, list[int]]) -> _Body:
    raw = [_norm(ln.text) for ln in lines if ln.kind != BLANK]
    out: list[Line] = []
    quoted: int | None = None
    unmatched_bare = False  # a "> ..." quotation of nothing on the page was dropped
    i = 0
    while i < len(lines):
        line = lines[i]
        # a comment may open with "> quoted lines" and no "X wrote:" line above them
        bare = line.kind == TEXT and line.text.startswith(">") and not any(
            ln.kind != BLANK for ln in out)
        if line.kind != QUOTE and not bare:
            out.append(line)
            i += 1
            continue
        author = line.attr.author if line.attr is not None else None
        first = i if bare else i + 1  # where the quoted lines start
        marked = _marked_quote(lines, first)  # mail style: "> quoted line"
        following = [Line(ln.index, ln.text.lstrip("> "), ln.kind) for ln in lines[first:marked]] \
            if marked > first else lines[first:first + 4 * _QUOTE_REACH]
        target, count = _match_quote(following, bodies, drafts, author, named)
        if target is not None and not any(ln.kind != BLANK for ln in out):
            quoted = target
        unmatched_bare = unmatched_bare or (bare and target is None)
        if marked > first:
            i = marked
        else:
            i = _skip(lines, first, count) if count else _skip_paragraph(lines, first)
    has_text = any(ln.kind != BLANK for ln in out)
    if not has_text and quoted is None and unmatched_bare:
        # "> ..." that quotes nothing on the page, and nothing else: the quotation may hold
        # the commenter's own words run into it (a lost line break), so it stays the text
        return _Body(lines=[ln for ln in lines if ln.kind in (TEXT, BLANK)], raw=raw)
    return _Body(lines=out, raw=raw, quoted=quoted, quote_only=not has_text and bool(raw))


def _marked_quote(lines: list[Line], i: int) -> int:
    """End of a run of ">"-marked lines starting at `i` (blank lines inside it allowed)."""
    end = i
    while i < len(lines) and (lines[i].kind == BLANK or lines[i].text.startswith(">")):
        if lines[i].kind != BLANK:
            end = i + 1
        i += 1
    return end


def _skip(lines: list[Line], i: int, count: int) -> int:
    """Index after `count` non-blank lines from `i`."""
    while i < len(lines) and count:
        if lines[i].kind != BLANK:
            count -= 1
        i += 1
    return i


def _skip_paragraph(lines: list[Line], i: int) -> int:
    """An unmatched quotation runs to the end of its paragraph (or to the next quotation)."""
    while i < len(lines) and lines[i].kind == BLANK:
        i += 1
    while i < len(lines) and lines[i].kind not in (BLANK, QUOTE):
        i += 1
    return i


def _mentioned(text: str, authors: list[tuple[int, str]]) -> int | None:
    """Index of the latest earlier comment whose author the text opens by addressing."""
    match = _MENTION.match(text)
    if match is None:
        return None
    rest = _norm(text[match.end():])
    for index, name in reversed(authors):
        if name in _GENERIC_AUTHORS or not name:
            continue
        if rest.startswith(name) and (len(rest) == len(name) or not rest[len(name)].isalnum()
                                      or rest[len(name):].startswith(("'s", "’s"))):
            return index
    return None


def _blogger_depths(drafts: list[Draft], warnings: list[str]) -> None:
    """Blogger: a top-level comment ends with Reply+Delete, a reply with Delete only."""
    if not any("Delete" in label for d in drafts for label in d.labels):
        return
    guessed = 0
    for k, draft in enumerate(drafts):
        labels = "".join(draft.labels)
        if "ReplyDelete" in labels:
            draft.depth = 0
        elif labels.startswith("Delete"):
            draft.depth = 1
        elif draft.depth is None:
            # lossy text loses most reply labels: an unlabelled comment hangs under the last
            # top-level comment, unless a "Reply" button closed that comment's replies
            before = drafts[k - 1] if k else None
            open_group = before is not None and not "".join(before.labels).endswith(
                "DeleteReply")
            draft.depth = 1 if open_group else 0
            guessed += 1
    if guessed:
        warnings.append(f"{guessed} comment(s) had no Reply/Delete labels; whether they are "
                        "replies was guessed from their neighbours")


def _parent_by_depth(k: int, drafts: list[Draft], ids: list[str], kept: list[int]
                     ) -> str | None:
    depth = drafts[k].depth or 0
    if depth <= 0:
        return None
    for j in reversed(kept):
        if (drafts[j].depth or 0) < depth:
            return ids[j]
    return None


def assemble(drafts: list[Draft], article: str = "",
             article_authors: Sequence[str] = ()) -> Assembled:
    """Comments with clean text and parents, plus warnings about what was guessed.

    `article` is the page's article (title and text): a comment that opens by quoting it
    answers the article, not an earlier comment that repeated the same sentence.
    `article_authors` are the names and handles of the article's author: a comment that
    answers them ("Replying to @metrotransit_x") answers the article, so it is no reply to a
    missing comment.
    """
    warnings: list[str] = []
    article_words = cues.fold(article)
    article_lines = {_norm(line) for line in article.splitlines()
                     if clean.word_count(line) >= _QUOTED_LINE_WORDS}
    _blogger_depths(drafts, warnings)
    bodies: list[_Body] = []
    folded: list[str] = []  # each body's text as quotations of it are compared
    named = _by_first_word(drafts)
    kept: list[int] = []
    for k, draft in enumerate(drafts):
        lines = _body_lines(draft)
        if k == 0:
            lines = _trim_edge_chrome(lines, leading=True)
        if k == len(drafts) - 1:
            lines = _trim_edge_chrome(lines, leading=False)
        lines, opening = _drop_quoted_opening(lines, article_lines, article_words,
                                              lambda: _folded(bodies, folded))
        bodies.append(_strip_quotes(lines, bodies, drafts, named))
        bodies[-1].opening = opening
    comments: list[Comment] = []
    ids = [f"c{k + 1}" for k in range(len(drafts))]
    authors: list[tuple[int, str]] = []
    earlier: list[tuple[int, str]] = []  # (draft index, folded text) for quoted openings
    unresolved: list[str] = []
    quote_only = 0
    reddit_flat = (len(drafts) > 1 and all(d.depth is None for d in drafts)
                   and sum(d.reddit for d in drafts) >= max(2, REDDIT_SHARE * len(drafts)))
    chained = 0
    for k, (draft, body) in enumerate(zip(drafts, bodies, strict=True)):
        text = _BULLET.sub("", clean.join_text([ln.raw for ln in body.lines]), count=1)
        if not text and not body.quote_only:
            continue
        quote_only += body.quote_only
        parent = _resolve_parent(k, draft, body, text, (drafts, ids, kept), authors, unresolved,
                                 article_authors)
        if (parent is None and draft.depth is None  # the page prints no nesting at all
                and (quoted := body.opening or cues.opening_quotation(text)) is not None):
            source = cues.quoted_source(quoted, earlier, article_words)
            parent = ids[source] if source is not None else None
        if parent is None and reddit_flat and kept and not draft.reply_to:
            # depth-first order: the likeliest parent is the comment above (a named target
            # that is not on the page stays unresolved, as said in the warnings)
            parent = ids[kept[-1]]
            chained += 1
        kept.append(k)
        earlier.append((k, cues.own_words(text)))
        comments.append(Comment(id=ids[k], text=text, parent_id=parent, author=draft.author,
                                timestamp=dates.normalise_timestamp(draft.timestamp)))
        for name in [draft.author, *draft.aliases, *cues.local_names(draft.aliases)]:
            if name:
                authors.append((k, _norm(name)))
    comments = _renumber(comments)
    if quote_only:
        warnings.append(f"{quote_only} comment(s) hold only a quotation of an earlier comment; "
                        "their own text is empty (an image or emoji the scrape dropped)")
    if chained:
        warnings.append(f"{chained} comment(s) of a Reddit copy that shows no nesting were "
                        "attached to the comment above them (Reddit lists replies depth first); "
                        "some may answer an earlier comment or the post")
    if unresolved:
        names = ", ".join(sorted(set(unresolved))[:5])
        warnings.append(f"{len(unresolved)} comment(s) answer authors whose comments are not in "
                        f"the page ({names}); they were kept top-level")
    return Assembled(comments=comments, warnings=warnings)


def _resolve_parent(k: int, draft: Draft, body: _Body, text: str,
                    context: tuple[list[Draft], list[str], list[int]],
                    authors: list[tuple[int, str]], unresolved: list[str],
                    article_authors: Sequence[str] = ()) -> str | None:
    drafts, ids, kept = context
    if body.quoted is not None:
        return ids[body.quoted]
    if draft.reply_to:
        for index, name in reversed(authors):
            if same_person(name, draft.reply_to):
                return ids[index]
        if not any(same_person(name, draft.reply_to) for name in article_authors):
            unresolved.append(draft.reply_to)  # answering the article's author is no gap
    else:
        mentioned = _mentioned(text, authors)
        if mentioned is None and drafts[k].depth is None:
            mentioned = _addressed(text, authors, drafts[k].author)
        if mentioned is not None:
            return ids[mentioned]
    return _parent_by_depth(k, drafts, ids, kept)


def _addressed(text: str, authors: list[tuple[int, str]], own: str | None) -> int | None:
    """Index of the latest earlier comment whose author the text opens by addressing by name
    ("Betty,", "Dear Alia,", "Amen, Betty!"), on a page that prints no nesting: the name
    is the author's whole name or their first name. Addressing oneself does not count."""
    match = _VOCATIVE.match(text)
    if match is None:
        return None
    said = _norm(match.group("name"))
    for index, name in reversed(authors):
        if not name or name in _GENERIC_AUTHORS or same_person(name, own):
            continue
        first = name.split()[0]
        if said == name or (len(first) >= 3 and said == first):
            return index
    return None


def _renumber(comments: list[Comment]) -> list[Comment]:
    """Ids c1, c2 ... in document order after empty drafts were dropped; parents follow."""
    mapping = {c.id: f"c{n + 1}" for n, c in enumerate(comments)}
    return [Comment(id=mapping[c.id], text=c.text, author=c.author, timestamp=c.timestamp,
                    parent_id=mapping.get(c.parent_id) if c.parent_id else None)
            for c in comments]
