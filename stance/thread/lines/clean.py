"""What is not the commenter's text: button labels, counters, section markers and page chrome.

Three kinds of lines are recognised here, all by their whole-line shape:

- *labels*: buttons and counters that sit on every comment ("Reply", "ReplyDelete",
  "Expand full comment", "Liked by 2 people", "△ ▽", "12 points"), safe to drop anywhere;
- *markers*: headings that open a comment section ("3 comments:", "7 thoughts on “…”");
- *chrome*: page furniture (comment forms, copyright, share rows, feed links). Lines that are
  unambiguous ("Your email address will not be published.") are dropped anywhere; the rest
  ("Welcome to …", "Follow us on …") only at the edges of the comment section.

Blogger's plain-text scrapes glue labels to the neighbouring text ("ReplyDeleteOr how…");
`split_glued` cuts them loose before anything else looks at a line.
"""

from __future__ import annotations

import logging
import re

logger = logging.getLogger(__name__)

_SEP = r"[\s·•|/›‹»«()\[\]{}⋅∙:,\-–—↑↓→←▲▼△▽^*#~]*"
_LABEL_WORDS = (
    r"reply|replies|respond|delete|share|shares|report|flag|like|likes|liked|unlike|dislike|edit|edited|"
    r"hide|permalink|link|quote|multiquote|vote|votes|upvote|downvote|recommend|recommended|answer|"
    r"recommends|save|saved|award|give award|more|collapse|expand|thread|parent|context|"
    r"translate|see translation|pinned|top|embed|improve this (?:answer|question)|"
    r"(?:view|load|show) (?:\d+ )?(?:more|previous) comments?|"
    r"reply to this|reply to this comment|read more|"
    r"log in to reply|login to reply|sign in to reply|report abuse|report comment|report post|"
    r"mark as spam|flag as inappropriate|load more(?: comments| replies)?|show more(?: replies)?|"
    r"show less|see more|view more(?: comments| replies)?|add comment|add a comment|"
    r"expand full comment|hide replies|view replies|show replies|view all \d+ replies|"
    r"(?:show|view|hide|load) \d+ (?:more )?repl(?:y|ies)|\d+ more repl(?:y|ies)|"
    r"continue this thread|reply with quote|(?:times|nyt|reader|readers'?|editors'?|staff) picks?|"
    r"featured(?: comment)?|respect \(\d+\)|quote reply|comment permalink|points?|"
    r"liked by \d+ (?:people|person)|liked by you|\d+ people like this|helpful|not helpful|"
    r"click to rate|rate this(?: comment)?|rating [+\-−]?\d+|follow|following|"
    r"(?:\d[\d,.]*[KkMm]? )?(?:up|down)votes?|\d[\d,.]*[KkMm]? comments?|"
    r"quote:?|#\d{1,6}|thread tools|link to (?:this )?(?:comment|post)|share on other sites|"
    r"share this post|jump to content|recommended posts|go to topic listing|"
    r"(?:(?:senior|junior|new|full|registered|banned|super|well[- ]known|active|premium|"
    r"supporting|gold|silver|platinum|bronze|elite|valued|established|respected|trusted|"
    r"regular|staff|vip|lifetime|forum|global|community|retired) )?(?:member|moderator|"
    r"administrator|admin|guest|user|veteran|contributor)|site admin|newbie|"
    r"(?:hero|jr\.?|sr\.?|god) member|logged|"
    r"see (?:more|less)|show (?:more|fewer) replies|view (?:more|previous) replies|"
    r"was this helpful\??|cancel|loading|loading\.\.\.|loading…|reply ↓|(?:\d+ )?repl(?:y|ies)|"
    r"(?:\d+ )?likes?|(?:\d+ )?points?|(?:\d+ )?votes?|(?:\d+ )?recommend(?:ations|s)?|\d+|"
    r"\d+\s?(?:s|m|min|h|hr|d|w|wk|mo|y|yr)s?\.?(?: ago)?|"
    r"\d+ (?:seconds?|minutes?|hours?|days?|weeks?|months?|years?) ago"
)
_LABEL_RE = re.compile(rf"{_SEP}(?:(?:{_LABEL_WORDS}){_SEP})+", re.IGNORECASE)
#: A forum's rank under a poster's name ("Well-known member", "Senior Moderator").
_MEMBER_TITLE = re.compile(
    r"^(?:(?:(?:senior|junior|new|full|registered|banned|super|well[- ]known|active|premium|"
    r"supporting|gold|silver|platinum|bronze|elite|valued|established|respected|trusted|"
    r"regular|staff|vip|lifetime|forum|global|community|retired|hero|jr\.?|sr\.?|god) )?"
    r"(?:member|moderator|administrator|admin|veteran|contributor)|newbie)$", re.IGNORECASE)


def is_member_title(line: str) -> bool:
    """A forum rank printed under the poster's name ("Active Member", "Moderator")."""
    return bool(_MEMBER_TITLE.match(line.strip()))
#: Lines that are labels only when they are exactly this (case-sensitive): Blogger's leftovers.
_BLOGGER_LABELS = {"ReplyDelete", "Delete", "Replies", "Reply", "Load more...", "Add comment",
                   "ReplyDeleteReplies", "DeleteReplies", "RepliesReply"}
_RULE = re.compile(r"(?:-\s*){3,}|(?:_\s*){3,}|(?:\*\s*){3,}|(?:=\s*){3,}|(?:~\s*){3,}")
#: Slashdot-style subject lines carry the moderation score: "Re:Who knew (Score:5, Insightful)".
_SCORE = re.compile(r"\(Score:\s?-?\d(?:,\s?[A-Za-z]+)?\)\s*$")
_BARE_NUMBER = re.compile(r"[+\-−]?(?:\d{1,3}(?:,\d{3})+|\d{1,6})(?:\.\d)?[KkMm]?")

#: Emoji reactions with their counts ("👍 3  ❤️ 1").
_REACTIONS = re.compile(
    r"(?:\s*[\U0001F300-\U0001FAFF\u2600-\u27BF\u2190-\u21FF][\uFE0F\u200d]?\s*\d{0,6})+")

_NUMBER_ROW = re.compile(r"(?:\d{1,6}(?:[.,]\d)?[KkMm]?\s{2,}){1,3}\d{1,6}(?:[.,]\d)?[KkMm]?")

#: A label glued to the start of the next comment. Lower case may follow the whole Blogger run
#: and a lone "Delete" ("Deletequite right about the fares"), except where the line starts with a
#: word ("Deleted", "Deletes", "Deleterious").
_GLUED_HEAD = re.compile(r"^(ReplyDelete(?:Replies)?(?=\S)|(?:Replies|Reply)(?=[^\sa-z])|"
                         r"Delete(?=[^\sa-z]|(?!d\b|s\b|rious)[a-z]))")
_GLUED_TAIL = re.compile(r"(?<=[a-z0-9.!?)\"'”’\]…:;])(ReplyDelete(?:Replies)?|Replies|Delete)$")
_GLUED_MID = re.compile(r"(?<=[.!?)\"'”’\]…])(ReplyDelete(?:Replies)?)(?=[A-Z\"“'‘(\[0-9])")

_MARKER_RE = re.compile(
    r"^(?:#+\s*)?[(\[]?\s*(?:"
    r"(?:\d+|no|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?:comments?|responses?|thoughts?|reactions?|talkbacks?|opinions?|answers?)"
    r"(?:\s+(?:on|to|about|for)\b.*|\s*:)?"
    r"|(?:reader'?s?'?|user|visitor)\s+comments?(?:\s*\(\d+\))?:?"
    r"|comments?(?:\s*\(\d+\)|\s+\d+)?\s*:?"
    r"|responses?(?:\s*\(\d+\))?\s*:?"
    r"|talkbacks?(?:\s*\(\d+\))?\s*:?"
    r"|discussion(?: about this (?:post|article))?|conversation(?:\s*\(\d+\))?"
    r"|(?:join|read) the (?:discussion|conversation)"
    r"|what (?:readers|people|you) (?:are )?say(?:ing)?"
    r"|(?:showing|displaying|viewing) (?:all )?\d+ (?:comments?|responses?)"
    r"|comments? (?:for|on) this (?:entry|post|article|story)(?: are listed below)?\.?"
    r")\s*[)\]]?$",
    re.IGNORECASE,
)

#: Page furniture that never belongs to a comment.
_CHROME_ALWAYS = re.compile(
    r"^(?:"
    r"(?:please )?enter your (?:comment|name|e-?mail)(?: address)?(?: here)?[!.]?"
    r"|you have entered an incorrect .*"
    r"|you must be (?:logged|signed) in to (?:post|leave) a comment\.?"
    r"|your email address will not be published\.?.*"
    r"|required fields are marked.*"
    r"|notify me of (?:follow-up comments|new (?:comments|posts)).*"
    r"|save my name, email,? and website.*"
    r"|this site uses akismet.*"
    r"|(?:the )?comments?(?: (?:to|on|for) this (?:entry|post|article|story))? (?:are|is) "
    r"(?:now |currently )?closed.*"
    r"|reader comments are listed below.*"
    r"|(?:leave|post|add|write|submit|join) (?:a |your |the )?(?:comment|reply|response|"
    r"discussion|conversation)(?: below)?[.:!…]*(?:\s*cancel reply)?"
    r"|cancel reply|post comment|submit comment|sign in to comment|log ?in to comment"
    r"|(?:posts|threads|joined|join date|karma|reputation|messages|member since|total posts|"
    r"location|registered|points|likes received|age|gender|rep power|thanks)\s*:\s*\S.{0,30}"
    r"|restacks?|view \d+ (?:more )?repl(?:y|ies)|\d+ repl(?:y|ies)"
    r"|\d[\d,.]*k?\s+(?:posts|voters?)\.?"  # a forum profile's post count, a poll's voters
    r"|[«‹]\s.{1,200}\s\|\s*main\s*\|\s.{1,200}"  # Movable Type's "« previous | Main | next »"
    r"|subscribe to:? post comments \(atom\)|post comments \(atom\)"
    r"|newer post\s*older post\s*home|newer posts?|older posts?"
    r"|(?:email this\s*)?blogthis!.*|share to (?:twitter|facebook|pinterest).*"
    r"|powered by (?:blogger|wordpress|disqus)\.?.*"
    r"|trackback url for this entry:?.*|trackbacks?|pingbacks?|trackbacks? & pingbacks?"
    r"|listed below are links to (?:weblogs|blogs|sites) that reference .{1,200}"
    r"|others have rated this comment as follows:?"
    r"|(?:\S.{0,60})'s avatar|avatar(?: of .{1,60})?|user'?s? avatar"
    r"|discussion about this post|no posts|ready for more\??|what are your thoughts\??"
    r"|start your substack.*|.*\bget the app|substack is the home for great culture"
    r"|advertisement|advertisements|advertising|sponsored(?: content| links?)?|ad|ads"
    r"|scroll to (?:continue|read more).*|story continues below(?: advertisement)?"
    r"|skip to (?:main )?content|back to top|jump to comments?"
    r"|sort(?:ed)? by:?.*|(?:newest|oldest|best|top|popular)(?: first)?"
    r"|most relevant|all comments|top comments"
    r"|(?:sign|log) in (?:or create|or register|to)\b.{0,40}"
    r"\b(?:account|comment|discussion|reply)\b.*"
    r"|sent from my \w+(?: \w+)?|get outlook for \w+"
    # forum engines' furniture (XenForo, Invision, phpBB, vBulletin)
    r"|(?:results|showing (?:posts|results)) \d[\d,]* to \d[\d,]* of \d[\d,]*|page \d+ of \d+"
    r"|click to expand(?:\.\.\.|…)?|reactions?\s*:\s*\S.{0,200}"
    r"|(?:author\s+)?topic:\s.{1,200}\(read [\d,]+ times\)"
    r"|(?:thread starter|start date)\s+\S.{0,60}"
    r"|\(?you must (?:log ?in|sign in|register|sign up)(?: or (?:register|sign up))? to "
    r"(?:reply|post|comment)(?: here)?\.?\)?"
    r"|create an account or sign in to comment|you need to be a member in order to leave a "
    r"comment|this topic is now (?:archived|closed)\b.*|discussion in '.{1,80}' started by .{1,80}"
    r"|[\w .'’-]{1,40}(?:, [\w .'’-]{1,40})*(?: and (?:\d+ others?|[\w .'’-]{1,40}))? likes? this\."
    r"|(?:author|op|original poster|top fan|top contributor|rising contributor|verified|creator"
    r"|accepted answer|solution|edited)"
    r"|all rights reserved\.?.*|(?:©|\(c\)|copyright\s*(?:©|\(c\))?\s*\d{4}).*"
    r")$",
    re.IGNORECASE,
)

#: Furniture that could be a commenter's sentence: dropped only outside comment bodies.
_CHROME_EDGE = re.compile(
    r"^(?:"
    r"welcome to\b.*|home|menu|search|subscribe|sign up|log ?in|sign in|register"
    r"|(?:follow|like|find) us on\b.*|follow .{1,60} on (?:facebook|twitter|instagram|x)\b.*"
    r"|.*\bnewsletters?\b.*|.*\b(?:emails?|alerts) & alerts\b.*|.*\bto your inbox\.?"
    r"|(?:share|tweet|email|print|pin it|whatsapp|facebook|twitter|linkedin|reddit|telegram)"
    r"(?:\s*[|·•/,]?\s*(?:share|tweet|email|print|pin it|whatsapp|facebook|twitter|linkedin|"
    r"reddit|telegram))*"
    r"|share this(?: article| story| post)?:?|like this:?|related(?: posts| articles| stories)?:?"
    r"|labels?:.*|tags?:.*|categories:.*|filed under\b.*|posted in\b.*"
    r"|(?:previous|next) (?:post|article|story|page)\b.*"
    r"|privacy(?: policy)?.*|terms(?: of (?:use|service))?.*|cookie (?:policy|settings).*"
    r"|contact us|about us|read more(?: \.+|…|\.{3})?:?|<<\s*home|home\s*>>"
    r"|about me|view my complete profile|blog archive|followers|popular posts|total pageviews"
    r"|search this blog|(?:\d+ )?subscribers?|featured post|archives?|categories|recent posts"
    r"|recent comments|links|blogroll|my blog list"
    r")$",
    re.IGNORECASE,
)

#: Editors' notes and "read more" lines close a blog post's article part.
ARTICLE_END_RE = re.compile(
    r"^(?:read more\b.*|(?:[\w.'’ ]{0,30}\s)?editor(?:'s|’s)?(?: note| comment)?s?\s*:.*"
    r"|posted by .{1,60} (?:at|on) .*|labels?:.*|share this.*|email this.*)$",
    re.IGNORECASE,
)


def split_glued(line: str) -> list[str]:
    """Cut Blogger button labels loose from the text they were glued to (one line -> several)."""
    if not line or not any(word in line for word in ("Reply", "Delete", "Replies")):
        return [line]
    out: list[str] = []
    rest = line
    while True:
        match = _GLUED_HEAD.match(rest)
        if match is None:
            break
        out.append(match.group(1))
        rest = rest[match.end():]
    pieces = _GLUED_MID.split(rest)
    tail: list[str] = []
    last = pieces[-1]
    match = _GLUED_TAIL.search(last)
    if match is not None and match.start() > 0:
        tail = [match.group(1)]
        pieces[-1] = last[:match.start()]
    out.extend(p for p in pieces if p != "")
    out.extend(tail)
    return out or [line]


def is_rule(line: str) -> bool:
    """A horizontal rule ("---", "* * *", "____") separating messages."""
    return bool(_RULE.fullmatch(line.strip()))


def is_label(line: str) -> bool:
    """A button, counter or vote widget line ("Reply", "Like · Reply · 2y", "△ ▽", "12 points")."""
    text = line.strip()
    if not text:
        return False
    if text in _BLOGGER_LABELS or _SCORE.search(text[:200]):
        return True
    if len(text) > 80 or _BARE_NUMBER.fullmatch(text):
        return False
    if not re.search(r"\w", text):
        return True  # "•", "△ ▽", "›": widget glyphs without words
    if not re.search(r"[A-Za-z]", text):
        if _REACTIONS.fullmatch(text) or re.fullmatch(r"#\d{1,6}", text):
            return True  # "👍 3", "❤️ 1": reaction counts; "#2": a post number
        return bool(re.fullmatch(r"[\s△▽▲▼↑↓^|·•⋅+\-−\d]+", text)) and bool(
            re.search(r"[△▽▲▼↑↓^]", text))
    return bool(_LABEL_RE.fullmatch(text)) and not _is_plain_word_sentence(text)


def _is_plain_word_sentence(text: str) -> bool:
    # "More." or "Like." ending a sentence in a comment are words, not buttons.
    return text.endswith((".", "!", "?")) and not text.endswith("...")


def is_counter(line: str) -> bool:
    """A bare number (a vote or post count) - a label only next to other chrome."""
    text = line.strip()
    return bool(_BARE_NUMBER.fullmatch(text)) or (  # "2  15": reply and like counts in a row
        len(text) <= 40 and bool(_NUMBER_ROW.fullmatch(text)))


def is_marker(line: str) -> bool:
    """A heading that opens a comment section ("3 comments:", "7 thoughts on “A post”")."""
    text = line.strip()
    return bool(text) and len(text) <= 200 and bool(_MARKER_RE.match(text))


#: The dated line under each trackback ("Tracked on 2005-02-24 10:38:03 PM"): chrome, though
#: it reads as a date line, so the line classifier asks before it looks for dates.
_TRACKED = re.compile(r"^(?:tracked|pinged) on \S.{0,40}\d.{0,30}$", re.IGNORECASE)


def is_tracked_on(line: str) -> bool:
    return bool(_TRACKED.match(line.strip()))


def is_chrome(line: str, *, edge: bool = False) -> bool:
    """Page furniture; `edge=True` also accepts lines that are chrome only outside comments."""
    text = line.strip()
    if not text or len(text) > 400:
        return False
    if _CHROME_ALWAYS.match(text) or _TRACKED.match(text):
        return True
    return edge and bool(_CHROME_EDGE.match(text))


_COPYRIGHT = re.compile(r"(?:all rights reserved|©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\))?\s*\d{4})",
                        re.IGNORECASE)


def is_copyright(line: str) -> bool:
    """A copyright notice (however long its legal text): page furniture, never a comment."""
    text = line.strip()
    return len(text) <= 2000 and bool(_COPYRIGHT.match(text))


_ENDS_SECTION = re.compile(
    r"^(?:"
    # the comment form
    r"(?:leave|post|add|write|submit|join) (?:a |your |the )?(?:comment|reply|response|"
    r"discussion|conversation)(?: below)?[.:!…]*"
    r"|your email address will not be published\b.*|required fields are marked\b.*"
    r"|comments? (?:are|is) (?:moderated|reviewed)\b.*|(?:sign|log) ?in to (?:comment|reply)\b.*"
    r"|you must be (?:logged|signed) in to (?:post|leave) a comment\b.*"
    r"|(?:the )?comments? (?:are|is) (?:now |currently )?closed\b.*"
    r"|\(?you must (?:log ?in|sign in|register|sign up)(?: or (?:register|sign up))? to "
    r"(?:reply|post|comment)(?: here)?\.?\)?"
    r"|create an account or sign in to comment|this topic is now (?:archived|closed)\b.*"
    # sidebar and related-content headings
    r"|also on .{1,60}|recent (?:comments|posts|articles|stories)"
    r"|related(?: posts| articles| stories| content)?"
    r"|(?:most|more) (?:read|popular|viewed|commented|shared|from .{1,40})"
    r"|popular (?:posts|stories)"
    r"|you (?:may|might) also like|trending(?: now| stories)?|top stories|latest (?:news|posts)"
    # the footer
    r"|privacy(?: policy)?|terms(?: of (?:use|service))?|cookie (?:policy|settings)"
    r"|contact(?: us)?|about(?: us)?|advertise(?: with us)?|sitemap|all rights reserved\.?"
    r")[.:]?$",
    re.IGNORECASE,
)
_SECTION_PARTS = re.compile(r"\s*[|·•]\s*")


def ends_comments(text: str) -> bool:
    """A line that closes a comment section: the comment form, a sidebar heading, a footer
    or copyright line ("Terms of Use | Contact us" counts when each part does)."""
    text = text.strip()
    if not text or len(text) > 200:
        return False
    if is_copyright(text):
        return True
    return all(_ENDS_SECTION.match(part) or is_copyright(part)
               for part in _SECTION_PARTS.split(text) if part)


def is_article_end(line: str) -> bool:
    return bool(ARTICLE_END_RE.match(line.strip()))


def collapse_blank_runs(lines: list[str]) -> list[str]:
    """Trim blank lines at both ends and squeeze inner runs to one blank line."""
    out: list[str] = []
    for line in lines:
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(line.rstrip())
    while out and out[-1] == "":
        out.pop()
    return out


def dedent_block(lines: list[str]) -> list[str]:
    """Remove the indentation common to all non-blank lines."""
    widths = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
    cut = min(widths, default=0)
    return [line[cut:] if line.strip() else "" for line in lines]


def join_text(lines: list[str]) -> str:
    """Comment text from its lines: common indentation removed, blank runs squeezed."""
    return "\n".join(collapse_blank_runs(dedent_block(lines))).strip()


def word_count(text: str, cap: int = 2000) -> int:
    """Words in `text`, counting only its first `cap` characters (cheap on a 20 MB line)."""
    return len(text[:cap].split())


def ends_sentence(text: str) -> bool:
    """Does the text end like a sentence (., !, ?, closing quote or bracket after one)?"""
    return bool(re.search(r"[.!?…][\"”’')\]]*$", text[-6:].rstrip()))


def normalise_space(text: str) -> str:
    """Whitespace runs as one space, none at the ends (`str.split` and the regex `\\s` agree on
    what whitespace is; splitting is the faster of the two)."""
    return " ".join(text.split())
