"""Attribution lines: who wrote a comment and when, in the shapes comment sections print.

`parse_attribution(line)` recognises one line and says what it holds and where it sits
relative to the comment it belongs to:

- ``head``: before the text ("Luke said...", "Paul R says", "Houshu in reply to Nuijel",
  "#1 spyder");
- ``foot``: after the text ("by Helen on Tue Jul 31st, 2012", "Posted by: b | Oct 4 2005",
  "— Cindy S.");
- ``either``: a name with a date, or a date alone ("Anonymous February 26, 2019 at 9:15 AM",
  "u/compost_carl · 6 hr. ago", "[–] traffic_tech 24 points 8 hours ago", "Sam Ortiz @sam · 3h");
- ``quote``: a quotation opener inside a reply ("Polyspora wrote:").

`strong` marks shapes that are attributions wherever they occur; weak ones (a date alone, a name
with a date) count only when the thread repeats them or they sit beside a strong one.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from stance.thread.lines import clean, dates

logger = logging.getLogger(__name__)

_NOT_NAMES = frozenset("""
i i'm im me my you your he him his she her it its we our they them their this that these those
there here what why how when where who whom which if not don't dont can't cant won't will would
should could just very so because but and or is are was were am be been being have has had do
does did someone everyone anyone nobody somebody people one some many all most no yes ok okay
also then than now still even well oh lol the a an to of in on at for with from by as about
published updated posted date edited modified created last source photo image via re
update edit note ps p.s pros cons summary answer question example warning tldr tl;dr disclaimer
thanks thank cheers regards best love sincerely lol haha wow nice great agreed exactly indeed
follow following subscribe share reply asked answered start
""".split())
_FUNCTION_WORDS = frozenset("""
i i'm you he she it we they is are was were am be been have has had do does did not don't can't
will would should could because if that this these those
""".split())
_NAME_CHARS = re.compile(r"[\w.'’\-@&+\[\]]+(?:\s+[\w.'’\-@&+()]+){0,5}")


@dataclass(frozen=True, slots=True)
class Attribution:
    """What an attribution line says."""

    author: str | None = None
    timestamp: str | None = None
    reply_to: str | None = None
    role: str = "either"  # head | foot | either | quote
    strong: bool = False
    shape: str = ""  # a short signature of the line's shape, for repetition counts
    handle: str | None = None  # "@sam_ortiz" printed after the display name


#: Reddit's "u/" before a user name; a network's badge after it ("Priya Raman • 2nd").
_NAME_PREFIX = re.compile(r"^/?u/(?=\w)")
_NAME_BADGE = re.compile(r"\s*[•·]\s*(?:1st|2nd|3rd\+?|op|author|verified|following)$",
                         re.IGNORECASE)

#: A role in brackets after the name ("Nyx_Dev  [developer]").
_ROLE_BADGE = re.compile(r"(?<=\S)\s+[\[(](?:developer|dev|moderator|mod|admin|staff|op|author|"
                         r"verified|publisher|team)[\])]$", re.IGNORECASE)


#: A role printed after the name with no brackets ("Ann Lee Moderator", "tw Top commenter").
_BARE_ROLE = re.compile(r"(?<=\S)\s+(?:moderator|top (?:commenter|contributor|fan))$",
                        re.IGNORECASE)  # not "Staff" or "Admin": "Library Staff" is a name
#: A speech verb between the name and its date on one line.
_SAYS_BEFORE_DATE = re.compile(r"\s+(?:says|said|wrote)\s*:?$", re.IGNORECASE)

#: Old Reddit's glued markers for the submitter, a moderator or an admin ("pete[S]", "kim [M]").
_SITE_BADGE = re.compile(r"(?<=\S)\s?\[(?:S|M|A|S\+M)\]$")
_UNVERIFIED = re.compile(r"(?<=\S)\s*\((?:not verified|unverified)\)$", re.IGNORECASE)
#: A permalink printed before the header ("Permalink Submitted by Ann on ...").
_LEADING_PERMALINK = re.compile(r"^permalink\s+(?=\S)", re.IGNORECASE)


_OP_BADGE = re.compile(r"\s+(?:OP|\(OP\)|\[OP\])$")


def names_reddit_user(line: str) -> bool:
    """The line opens with a Reddit user name ("u/name · 5 hr. ago")."""
    return bool(_NAME_PREFIX.match(line.lstrip()))


def strip_markup(text: str, bullets: bool = True) -> str:
    """The line without a Markdown heading mark, emphasis or (with `bullets`) list bullet
    around it ("# ann", "**Ann Lee**", "• Ann")."""
    if not bullets and text[:1] not in _MARK_CHARS and text[-1:] not in _MARK_CHARS:
        return text  # nearly every line: no mark to take off
    return (_MD_PREFIX if bullets else _MD_MARK).sub("", text).strip().rstrip("*_").strip()


def clean_name(name: str) -> str:
    name = _MD_MARK.sub("", name).strip().strip("*`\"“”'‘’").strip()
    name = clean.normalise_space(name)
    name = _NAME_BADGE.sub("", _NAME_PREFIX.sub("", name))
    name = _OP_BADGE.sub("", name)  # the thread starter's badge
    name = _ROLE_BADGE.sub("", name)
    name = _UNVERIFIED.sub("", name)  # Drupal's anonymous commenter
    name = _BARE_ROLE.sub("", name)
    name = _SITE_BADGE.sub("", name)
    return name.lstrip("@").rstrip(",;:|·•-–— ").strip()


_INITIAL = re.compile(r"[A-Z]\.")


def name_ok(name: str, *, max_words: int = 6, titled: bool = False,
            initials: bool = False) -> bool:
    """Could `name` be a commenter's display name (not a sentence)? With `titled` (where the
    line's shape already says "header": Blogger's "X said...", a name glued to a full date),
    a title-cased name of up to four words may start with an article ("The Old Salt"). With
    `initials` (where markup already says "name": an HTML author element), a capital and a
    dot is an initial ("A. Lind"), never the article "a"; in plain text it stays what it may
    be there, an outline letter ("A. Introduction")."""
    name = clean_name(name)
    wrapped = re.fullmatch(r"[(\[]([^()\[\]]{1,40})[)\]]", name)
    if wrapped:  # "(Anonymous)" on LiveJournal, "[deleted]" on Reddit
        name = wrapped.group(1)
    if not name or len(name) > 60 or not re.search(r"[^\W\d_]|\d.*[^\W\d_]|[^\W\d]", name):
        return False
    if not re.search(r"[A-Za-z\u00C0-\uFFFF]", name) and not re.search(r"\w", name):
        return False
    if not _NAME_CHARS.fullmatch(name):
        return False
    words = name.split()
    if len(words) > max_words or name.endswith(("?", "!", ",", ";", ":")):
        return False
    if name.endswith(".") and not re.search(r"(?:^|\s)\w{1,3}\.$", name):
        return False  # a sentence end, unless an initial ("Avi L.") or a short handle
    lowered = [w.lower().strip(".'’") for w in words]
    title = titled and 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words)
    if title and lowered[0] in ("the", "a", "an") and lowered[1] not in _NOT_NAMES:
        return True
    initial = [initials and bool(_INITIAL.fullmatch(w)) for w in words]
    if all(initial):
        return False  # initials alone ("A.", "Q. A.")
    if not initial[0] and lowered[0] in _NOT_NAMES and len(words) <= 3:
        return False
    return sum(w in _FUNCTION_WORDS for w, i in zip(lowered, initial, strict=True) if not i) == 0


_NUMBER_PREFIX = re.compile(
    r"^\s*(?:\d{1,4}[.)]\s+)?(?:(?:comment\s+)?#\s?(\d{1,5})\b\s*[:.)\-–—]?\s*)?", re.IGNORECASE)
def letter_avatar(text: str) -> bool:
    """One or two capitals on their own ("AL"): the circle a comment system draws for a
    commenter without a picture, not a name."""
    return bool(_LETTERS.fullmatch(text))


_LETTERS = re.compile(r"[A-Z]{1,2}")
#: A role badge printed after "says:" ("Ann says: Moderator", "kestrel22 says: OP").
_SAYS_BADGE = re.compile(r"(\s(?:says|said|wrote):?)\s+(?:moderator|mod|top (?:commenter|"
                         r"contributor|fan)|op|author|admin|staff|verified)$", re.IGNORECASE)
#: A comment's permalink number after its header ("Ann Lee 2 days ago #4").
_PERMALINK_SUFFIX = re.compile(r"\s#\d{1,5}$")
_MD_PREFIX = re.compile(r"^\s*(?:#{1,6}\s+|[*_]{1,2}(?=\S)|[•◦▪‣]\s+)")  # list bullets too
_MD_MARK = re.compile(r"^\s*(?:#{1,6}\s+|[*_]{1,2}(?=\S))")
_MARK_CHARS = frozenset("#*_ ")
_SAID = re.compile(
    r"^(?P<a>.+?)\s+(?:(?:on|at)\s+(?P<d1>.+?)\s+)?(?P<v>said|says|writes|wrote|commented|"
    r"comments|replied|replies|responded|asked|asks|posted)(?:\s+(?:on|at)\s+(?P<d2>.+?))?"
    r"\s*(?P<end>\.\.\.|…|:|\.|,)?\s*(?:[*_]{1,2})?$",
    re.IGNORECASE,
)
_DATE_SAID = re.compile(
    r"^(?:on\s+)?(?P<d>.+?),?\s+(?P<a>[^,]+?)\s+(?:said|says|wrote|writes|commented)\s*"
    r"(?:\.\.\.|…|:)?$",
    re.IGNORECASE,
)
#: What `_SAID` and `_DATE_SAID` need somewhere in a line: a speech verb after a space, and for
#: `_DATE_SAID` at the end. Both full patterns backtrack through every split of a long line, so
#: a line without the verb (nearly every comment line) skips them (same results, less time).
_SAID_VERB = re.compile(r"\s(?:said|says|writes|wrote|commented|comments|replied|replies|"
                        r"responded|asked|asks|posted)", re.IGNORECASE)
_DATE_SAID_END = re.compile(r"\s(?:said|says|wrote|writes|commented)\s*(?:\.\.\.|…|:)?$",
                            re.IGNORECASE)
_IN_REPLY = re.compile(
    r"^(?P<a>.+?)\s+(?:in reply to|replying to|replied to|responding to|in response to|"
    r"reply to|→|»|▸|►|>)\s+@?(?P<r>.+?)\.?$",
    re.IGNORECASE,
)
_BY_FOOTER = re.compile(
    r"^(?:[-–—]\s*)?(?P<v>(?:posted|written|submitted|comment(?:ed)?|reply|post)\s+)?by:?\s+"
    r"(?P<a>[^|()»]+?)\s*(?:\([^)]*\))?\s*(?:\bon\b|\bat\b|@|\||,|\s-\s|·|»)\s*(?P<d>.+)$",
    re.IGNORECASE,
)
_POSTED_BY = re.compile(r"^(?P<dash>[-–—~]\s*)?(?:posted|written|submitted|sent)\s+by:?\s+"
                        r"(?P<a>[^|()]{1,60}?)\s*$", re.IGNORECASE)
_SAYS_END = re.compile(r"\s+(?:says|said|wrote|writes)\s*:?\s*$", re.IGNORECASE)
_DASH_FOOTER = re.compile(r"^(?:[-–—]{1,2}|~)\s*(?P<a>[^-–—~].{0,58})$")
_AVATAR = re.compile(r"^(?:(?P<a>.{1,60}?)['’]s avatar|avatar (?:of|for) (?P<b>.{1,60}))$",
                     re.IGNORECASE)
LEVEL_RE = re.compile(r"^level\s+(\d{1,3})$", re.IGNORECASE)
_POST_PREFIX = re.compile(r"(?:(?:reply|post|comment|message|entry|answer)\s*)?(?:#\s?\d+)?\s*"
                          r"(?:on|posted|at|-|–|·)?\s*:?", re.IGNORECASE)
#: Mail headers in an archive page: "From: Lena Moss <lena@example.org>".
_MAIL_FROM = re.compile(r"^from\s*:\s*(?P<a>[^<>@:]{1,60}?)\s*(?:<[^<>\s]+>)?$", re.IGNORECASE)
#: A collapse toggle before a name ("[–] traffic_tech 24 points 8 hours ago").
_TOGGLE = re.compile(r"^\[[–—+\-]\]\s*")
#: A score between the name and the date ("traffic_tech 24 points 8 hours ago").
_SCORE_TAIL = re.compile(r"\s*[·•|]?\s*[+\-−]?\d[\d,.]*[kK]?\s+(?:points?|votes?|likes?)\s*$",
                         re.IGNORECASE)
#: A reply line of its own under the author line ("Replying to @jen_alv and @metro").
#: The replied-to name may have a few words on a line of its own ("In reply to Marcus Lee").
_REPLYING = re.compile(r"^(?:replying to|in reply to|reply to|replied to|in response to)\s+@?"
                       r"(?P<r>[\w.\-]{1,40}(?:\s+(?!and\b)[\w.\-]{1,40}){0,3}?)"
                       r"(?:\s*(?:,|and)\s+(?:@?[\w.\-]+|\d+ others?))*\s*:?$", re.IGNORECASE)
_QUOTE_FROM = re.compile(r"^(?:quote from|quoting|(?:quote:?\s+)?originally posted by|quote)"
                         r"\s*:?\s+(?P<a>.+?)(?:\s+on\s+(?P<d>.+?))?(?:\s+view post)?\s*:?$",
                         re.IGNORECASE)
#: phpBB's quotation header: "Ann Lee wrote: ↑Wed Mar 03, 2021 10:15 am" (the arrow links to
#: the post quoted).
_WROTE_ARROW = re.compile(r"^(?P<a>.+?)\s+wrote:\s*[↑⇧▲]\s*(?P<d>.*)$", re.IGNORECASE)


def avatar_name(line: str) -> str | None:
    """The name in a "Name's avatar" line ("User" when it is the reader's own), else None."""
    match = _AVATAR.match(line.strip())
    if match is None:
        return None
    return clean_name(match.group("a") or match.group("b") or "") or None


def _split_name_date(text: str) -> tuple[str, str] | None:
    """(name part, date part) when a date ends the line and a plausible name precedes it."""
    span = dates.find_date(text)
    if span is None:
        return None
    before, stamp, after = text[:span[0]], text[span[0]:span[1]], text[span[1]:]
    after_ok = re.fullmatch(r"[\s|·•,:;()\[\]#\d\-–—]*(?:(?:said|says|wrote)\s*[:.…]*|"
                            r"(?:\|?\s*(?:parent|root|next|prev|context|link|permalink|reply|flag|"
                            r"edit|edited|report|share|\[[–-]\])\s*)+)?[\s|·•()\[\]–-]*", after,
                            re.IGNORECASE)
    if not after_ok:
        return None
    before = re.sub(r"(?:\s+(?:on|at|@|posted|-|–|—)\s*|\s*[|·•,(]\s*)$", "", before.rstrip())
    before = _SAYS_BEFORE_DATE.sub("", before)  # "Ann Lee says: 3 hours ago"
    return _SCORE_TAIL.sub("", before), stamp


#: A one-word handle and a short age or a clock time with no separator ("marta.beans 2d",
#: "likin 12:48 AM").
_HANDLE_AGE = re.compile(r"^(?P<a>@?[\w.\-]{2,40})\s+(?P<d>\d{1,3}(?:s|m|h|d|w|mo|y)"
                         r"|\d{1,2}:\d{2}\s?[AaPp]\.?[Mm]\.?)$")
#: A capitalised name of two or three words and a short age or a clock time with no
#: separator ("Ann Lee 4y", "R. Lu 5:03 PM"): the header of a comment system that prints
#: no date.
_NAME_AGE = re.compile(r"^(?P<a>[A-Z][\w.'’\-]*(?:\s[A-Z][\w.'’\-]*){1,2})\s+"
                       r"(?P<d>\d{1,3}(?:s|m|h|d|w|mo|y)|\d{1,2}:\d{2}(?:\s?[AaPp]\.?[Mm]\.?)?)$")
_SHORT_AGE = re.compile(r"^(?P<a>.{1,60}?)\s*[·•|]\s*"
                        r"(?P<d>\d{1,3}\s?(?:s|m|min|h|hr|d|w|mo|y|yr)s?)"
                        r"(?:\s*[·•|]\s*edited)?$", re.IGNORECASE)


def _name_date(text: str) -> Attribution | None:
    short = _SHORT_AGE.match(text) or _HANDLE_AGE.match(text) or _NAME_AGE.match(text)
    if short and name_ok(short.group("a")):  # "Derek Mills · 3y"
        name, handle = _split_handle(short.group("a"))
        return Attribution(author=name, timestamp=short.group("d"), role="either",
                           shape="name+date", handle=handle)
    parts = _split_name_date(text)
    if parts is None:
        return None
    before, stamp = parts
    stamp = stamp.strip()
    if not before.strip():
        return Attribution(timestamp=stamp, role="either", shape="date")
    # "Steve Benassi ,   Minneapolis USA   (08.20.17)": the name is the first field.
    if _POST_PREFIX.fullmatch(before.strip()):
        return Attribution(timestamp=stamp, role="either", shape="date")
    first = re.split(r"\s*,\s+|\s+,\s*|\s*\|\s*|\s+[·•]\s+|\s{3,}", before.strip())[0]
    first, reply_to = _reply_pair(first)
    # a whole field glued to a full date is a header's shape, so a titled name may pass
    titled = first == before.strip() and dates.find_date(stamp) is not None
    if first.rstrip().endswith(":") or not name_ok(first, titled=titled):
        return None
    name, handle = _split_handle(first)
    return Attribution(author=name, timestamp=stamp, role="either", shape="name+date",
                       handle=handle, reply_to=reply_to)


def _reply_pair(field: str) -> tuple[str, str | None]:
    """Disqus prints the replied-to commenter after the author, two spaces apart
    ("Tom Becker  Margaret Olsen • 2 hours ago"): (author, parent's author); else (field, None)."""
    parts = re.split(r"\s{2,}", field.strip())
    if (len(parts) == 2 and not _ROLE_BADGE.search(field.strip()) and not _NAME_BADGE.search(field)
            and all(name_ok(part, max_words=4) for part in parts)):
        return parts[0], clean_name(parts[1])
    return field, None


_HANDLE_TAIL = re.compile(r"^(?P<n>.*?\S)\s+(?P<h>@[\w.\-]{2,40}(?:@[\w.\-]{2,60})?)$")


def _split_handle(name: str) -> tuple[str, str | None]:
    """("Sam Ortiz", "@sam_ortiz") from "Sam Ortiz @sam_ortiz"; a lone name stays whole."""
    match = _HANDLE_TAIL.match(clean_name(name))
    if match is None or match.group("n").startswith("@"):
        return clean_name(name), None
    return match.group("n"), match.group("h")


def parse_attribution(line: str) -> Attribution | None:
    """Recognise an attribution line; None when the line is anything else."""
    text = line.strip()
    if not text or len(text) > 160:
        return None
    return _attribution(text)


@lru_cache(maxsize=4096)
def _attribution(text: str) -> Attribution | None:
    """`parse_attribution` of a stripped line of at most 160 characters. Pages repeat their
    author, date and button lines, so each distinct one is read once (the result is frozen,
    and only short lines are kept)."""
    text = strip_markup(text)
    number = _NUMBER_PREFIX.match(text)
    hashed = bool(number and number.group(1))
    if number and number.end():
        text = text[number.end():].strip()
    text = _TOGGLE.sub("", text)
    if not text:
        return None
    text = _SAYS_BADGE.sub(r"\1", text)  # "Ann says: Moderator"
    text = _LEADING_PERMALINK.sub("", text)
    permalink = _PERMALINK_SUFFIX.search(text)  # "Ann Lee 2 days ago #4", "delpri8606 #1"
    if permalink and not hashed:
        text = text[:permalink.start()].strip()
    found = _shaped(text)
    if found is not None:
        return found
    if hashed and name_ok(text):
        return Attribution(author=clean_name(text), role="head", strong=True, shape="#n name")
    if permalink and not hashed and name_ok(text, max_words=4):
        # weak: it counts where the page repeats it (`classify._weak_headers`)
        return Attribution(author=clean_name(text), role="head", shape="name #n")
    return None


#: SMF's post date line: "« on: March 03, 2021, 09:02:11 AM »", "« Reply #2 on: ... »".
SMF_ON = re.compile(r"^«\s*(?:reply\s*#\s?(?P<n>\d{1,6})\s+)?on:\s*(?P<d>.+?)\s*»$",
                    re.IGNORECASE)


def _shaped(text: str) -> Attribution | None:
    if avatar_name(text) is not None:
        return None
    match = SMF_ON.match(text)
    if match and dates.find_date(match.group("d")):
        return Attribution(timestamp=match.group("d"), role="head", strong=True,
                           shape="smf date")
    match = _WROTE_ARROW.match(text)
    if match and name_ok(match.group("a")) and (not match.group("d")
                                                or dates.find_date(match.group("d"))):
        return Attribution(author=clean_name(match.group("a")), role="quote", strong=True,
                           shape="wrote")
    match = _QUOTE_FROM.match(text)
    if match and name_ok(match.group("a")) and (match.group("d") is None or
                                                dates.find_date(match.group("d"))):
        return Attribution(author=clean_name(match.group("a")), role="quote", strong=True,
                           shape="quote from")
    match = _MAIL_FROM.match(text)
    if match and name_ok(match.group("a")):
        return Attribution(author=clean_name(match.group("a")), role="head", strong=True,
                           shape="mail from")
    match = _REPLYING.match(text)
    if match and name_ok(match.group("r")):
        return Attribution(reply_to=clean_name(match.group("r")), role="head", strong=True,
                           shape="replying to")
    match = _IN_REPLY.match(text)
    if match and name_ok(match.group("r")):
        # "Ann Lee 2 hours ago in reply to Bob"; with a dash before it, it signs the text
        # above ("— Ann Lee 2 hours ago in reply to Bob")
        dash = _DASH_FOOTER.match(match.group("a"))
        author = dash.group("a") if dash else match.group("a")
        dated = _name_date(author)
        stamp = None
        if dated is not None and dated.author:
            author, stamp = dated.author, dated.timestamp
        if name_ok(author):
            return Attribution(author=clean_name(author), timestamp=stamp,
                               reply_to=clean_name(match.group("r")),
                               role="foot" if dash else "head", strong=True,
                               shape="in reply to")
    match = _BY_FOOTER.match(text)
    if match and name_ok(match.group("a")) and dates.find_date(match.group("d")):
        # "Posted by X at ..." signs what is above it; a forum's "Post by X » ..." heads a post.
        verb = (match.group("v") or "").strip().lower()
        role = "head" if verb == "post" else "foot"
        return Attribution(author=clean_name(match.group("a")), timestamp=match.group("d").strip(),
                           role=role, strong=True, shape=f"{verb} by name on date".strip())
    match = _POSTED_BY.match(text)
    if match and name_ok(match.group("a")):  # "- Posted by grandview_mom" under a comment
        return Attribution(author=clean_name(match.group("a")), role="foot",
                           strong=bool(match.group("dash")), shape="posted by name")
    said = _SAID_VERB.search(text) is not None
    match = _SAID.match(text) if said else None
    found = _said(match) if match else None
    if found is not None:
        return found
    match = _DATE_SAID.match(text) if said and _DATE_SAID_END.search(text) else None
    if match and dates.find_date(match.group("d")) and name_ok(match.group("a")):
        if re.search(r"\bwrote\s*:?\s*$", text, re.IGNORECASE):  # a mail client's quote line
            return Attribution(author=clean_name(match.group("a")), role="quote", strong=True,
                               shape="date name wrote")
        return Attribution(author=clean_name(match.group("a")), timestamp=match.group("d"),
                           role="head", strong=True, shape="date name said")
    found = _name_date(text)
    if found is not None:
        return found
    match = _DASH_FOOTER.match(text)
    signed = _SAYS_END.sub("", match.group("a")) if match else ""  # "— Rael says:"
    dated = _name_date(signed) if match else None
    if dated is not None and dated.author:  # "– Priya K Mar 3 '19 at 14:02"
        return replace(dated, role="foot", strong=True, shape="dash name date")
    if match and name_ok(re.split(r"\s*,\s*", signed)[0], max_words=4):
        return Attribution(author=clean_name(re.split(r"\s*,\s*", signed)[0]),
                           role="foot", strong=False, shape="dash name")
    return None


def _said(match: re.Match[str]) -> Attribution | None:
    author, verb = match.group("a"), match.group("v").lower()
    stamp = match.group("d1") or match.group("d2")
    end = match.group("end") or ""
    if stamp and not dates.find_date(stamp):
        return None
    inner = _split_name_date(author) if not stamp else None
    if inner is not None and inner[0].strip():
        author, stamp = inner
    if not name_ok(author, titled=end in ("...", "…") and verb == "said"):
        return None
    if verb == "wrote" and end == ":" and not stamp:
        return Attribution(author=clean_name(author), role="quote", strong=True, shape="wrote")
    if verb not in ("said", "says", "wrote", "writes", "commented", "replied", "replies",
                    "responded") and end not in (":", "...", "…"):
        return None
    if verb in ("said", "says") or end in ("...", "…", ":") or stamp:
        return Attribution(author=clean_name(author), timestamp=stamp, role="head", strong=True,
                           shape=f"name {verb}")
    return None
