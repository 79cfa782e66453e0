"""The pieces pages are made of: invented names and dates, comment headers and footers, page
chrome. Nothing here comes from the datasets; the comment texts themselves do (`sources`)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

_SYLLABLES = ("ka ro mi ten bar lu sa vin del mo ra ne tor li an ber go el fi da "
              "ham ul wes pri chan do ve kin ash or").split()
_PLACES = ("Leeds", "Ohio", "Toronto", "Perth", "Cork", "Denver", "Kent", "Oslo", "Austin",
           "Brisbane", "Halifax", "Bristol", "Maine", "Calgary", "Dublin")
_MONTHS = ("January February March April May June July August September October November "
           "December").split()


@dataclass
class Meta:
    """What a header or footer may print about one comment."""

    name: str
    date: str
    number: int
    depth: int
    parent_name: str | None
    points: int


def word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 3))).capitalize()


def name(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.08:
        return "Anonymous"
    if roll < 0.4:
        return f"{word(rng)} {word(rng)}"
    if roll < 0.55:
        return f"{word(rng)[0]}. {word(rng)}"
    if roll < 0.85:
        sep = rng.choice(("_", "", "-", "."))
        return f"{word(rng).lower()}{sep}{rng.choice(('', str(rng.randint(1, 9999))))}"
    return word(rng)


def date(rng: random.Random) -> str:
    y, m, d = rng.randint(2005, 2024), rng.randint(1, 12), rng.randint(1, 28)
    h, mi = rng.randint(0, 23), rng.randint(0, 59)
    month = _MONTHS[m - 1]
    ampm = f"{(h % 12) or 12}:{mi:02d} {'am' if h < 12 else 'pm'}"
    shapes = (f"{month} {d}, {y} at {ampm}", f"{d} {month} {y} {h:02d}:{mi:02d}",
              f"{month[:3]} {d}, {y}", f"{y}-{m:02d}-{d:02d} {h:02d}:{mi:02d}",
              f"{rng.randint(1, 23)} hours ago", f"{rng.randint(1, 11)}y",
              f"{month} {d}th, {y}", f"{ampm.upper()}", f"{d:02d}/{m:02d}/{y} {h:02d}:{mi:02d}",
              f"{month} {d}, {y} {ampm}", f"{rng.randint(2, 30)} days ago",
              f"{d}.{m}.{y}, {h:02d}:{mi:02d}")
    return rng.choice(shapes)


def place(rng: random.Random) -> str:
    return rng.choice(_PLACES)


Lines = Callable[[Meta, random.Random], list[str]]

_RANKS = ("Senior Member", "Member", "Newbie", "Moderator", "Regular", "Gold Member",
          "Full Member", "Administrator", "Junior Member", "Citizen", "Veteran", "Guest",
          "Top Contributor", "Supporter", "Banned")


def _rank(rng: random.Random) -> str:
    return rng.choice(_RANKS) if rng.random() < 0.7 else " ".join(
        word(rng) for _ in range(rng.randint(1, 3)))


def profile(m: Meta, rng: random.Random) -> list[str]:
    """A forum engine's poster block: name, then some of rank, post count, join date,
    karma, location, online state (as a list where the engine prints one)."""
    n = rng.randint(1, 25000)
    stats = [_rank(rng), f"Posts: {n:,}", f"{n:,} posts", f"Joined: {_MONTHS[rng.randint(0, 11)]}"
             f" {rng.randint(2003, 2023)}", f"Karma: {rng.randint(-20, 3000)}",
             f"Reputation: {rng.randint(0, 900)}", f"Location: {place(rng)}",
             rng.choice(("Offline", "Online")), f"Likes: {rng.randint(0, 5000)}"]
    picked = rng.sample(stats, rng.randint(1, 4))
    mark = rng.choice(("", "", "• ", "  • "))
    return [m.name, *(mark + line for line in picked)]


def signature(m: Meta, rng: random.Random) -> list[str]:
    """What a forum prints under a post: a signature line, "Logged", a report link."""
    lines = []
    if rng.random() < 0.5:
        lines.append(" ".join(word(rng).lower() for _ in range(rng.randint(2, 6))).capitalize()
                     + rng.choice(("", ".", "!", " ...")))
    lines.append(rng.choice(("Logged", "Report post", "Quote", "Report", "Top")))
    return lines


#: Header shapes: the lines above a comment's text.
HEADS: dict[str, Lines] = {
    "name": lambda m, r: [m.name],
    "says": lambda m, r: [f"{m.name} says:"],
    "says_date": lambda m, r: [f"{m.name} says:", m.date],
    "said": lambda m, r: [f"{m.name} said..."],
    "name_date": lambda m, r: [m.name, m.date],
    "name_bar_date": lambda m, r: [f"{m.name} | {m.date}"],
    "on_date_said": lambda m, r: [f"{m.name} on {m.date} said:"],
    "user_date": lambda m, r: [f"User: {m.name}", f"Date: {m.date}"],
    "wrote": lambda m, r: [f"{m.name} wrote:"],
    "hash_number": lambda m, r: [f"#{m.number} {m.name}"],
    "dot_age": lambda m, r: [f"{m.name} · {m.date}"],
    "posted_by": lambda m, r: [f"Posted by {m.name} on {m.date}"],
    "points": lambda m, r: [f"{m.name} {m.points} points {m.date}"],
    "date_name": lambda m, r: [m.date, m.name],
    "name_place": lambda m, r: [f"{m.name}, {place(r)}"],
    "name_blank_date": lambda m, r: [m.name, "", m.date],
    "from": lambda m, r: [f"From: {m.name}", f"Sent: {m.date}"],
    "avatar": lambda m, r: [f"{m.name}'s avatar", m.name, m.date],
    "reply_to": lambda m, r: [f"{m.name} in reply to {m.parent_name}" if m.parent_name
                              else m.name, m.date],
    "paren_date": lambda m, r: [f"{m.name}   ({m.date})"],
    "post_n": lambda m, r: [f"Post {m.number}", m.name, m.date],
    "profile": profile,
}

#: Footer shapes: the lines below a comment's text.
FOOTS: dict[str, Lines] = {
    "paren": lambda m, r: [f"({m.name}, {m.date})"],
    "dash_place": lambda m, r: [f"– {m.name}, {place(r)}"],
    "comment_by": lambda m, r: [f"Comment by {m.name} — {m.date}"],
    "posted_by": lambda m, r: [f"Posted by: {m.name} | {m.date}"],
    "name": lambda m, r: [m.name],
    "bar_reply": lambda m, r: [f"{m.name} | {m.date} | Reply"],
    "reply": lambda m, r: ["Reply"],
    "like_reply": lambda m, r: [f"Like · Reply · {m.date}"],
    "report": lambda m, r: ["Report abuse"],
    "points": lambda m, r: [f"{m.points} points"],
    "em_name": lambda m, r: [r.choice(("— {}", "-{}", "- {}", "~{}", "--{}", "-- {}", "– {}"))
                             .format(m.name)],
    "permalink": lambda m, r: [f"{m.date} | Permalink"],
    "reply_arrow": lambda m, r: ["Reply ↓"],
    "recommend": lambda m, r: [f"Recommend ({m.points})", "Reply"],
    "posted_at": lambda m, r: [f"Posted by {m.name} at {m.date}"],
    "votes": lambda m, r: [str(m.points), "Reply", "Share"],
    "date": lambda m, r: [m.date],
    "name_place": lambda m, r: [m.name, place(r)] if r.random() < 0.5 else [
        r.choice(("{} / {}", "{}, {}", "{} ({})", "{} – {}")).format(m.name, place(r))],
    "post_links": lambda m, r: r.sample(["Link to comment", "Share on other sites", "Quote",
                                         "Link to post", "Share this post", "Permalink"],
                                        r.randint(1, 3)),
    "flag": lambda m, r: ["Reply", "Flag"],
    "signature": signature,
}

NAV = ("Home | News | Opinion | Sport", "Skip to content", "Menu", "Search", "Subscribe",
       "Sign in", "Share this:", "Facebook", "Twitter", "Email", "Print", "Advertisement",
       "Related posts", "Trending now", "Newsletter")
MARKERS = ("{n} comments", "Comments", "{n} Responses", "Leave a Reply", "Discussion",
           "{n} thoughts on “{t}”", "Reader comments ({n})", "Comments are closed.",
           "{n} Comments", "Join the conversation")
TAIL = ("Leave a Reply", "Your email address will not be published.", "Post a Comment",
        "Newer Post Older Post Home", "Copyright © {y} All rights reserved.",
        "Powered by Blogger.", "Subscribe to: Post Comments (Atom)", "Load more comments",
        "Terms of Service | Privacy Policy", "Back to top",
        "This topic is now archived and is closed to further replies.", "Go to topic listing",
        "TrackBack URL for this entry:", "Comments are closed.", "Older comments",
        "Log in to reply", "Previous page | Next page")


_PROMPTS = ("What do you think?", "Tell us what you think", "Have your say",
            "Join the discussion", "Share your thoughts", "Add a comment",
            "Post a comment", "Leave a comment", "Start the conversation",
            "Be the first to comment", "Your view", "Talk back", "Readers respond",
            "What's your take?", "Comment on this story")
_ACCOUNT = ("Sign in to comment", "Log in to comment", "Members can comment. Log in.",
            "Log in or register to post comments", "Create an account", "Sign in",
            "You must be logged in to post a comment.", "Register", "Subscribe to comment",
            "Become a member to join the conversation", "Sign up")
_RULES = ("Comments are moderated.", "Please keep it civil.", "Community guidelines",
          "Comments are reviewed before they appear.", "Read our commenting policy",
          "Be respectful. No spam.", "Comment policy")
_SORTS = ("Newest", "Oldest", "Best", "Top", "Most liked", "Most replied", "Controversial",
          "Latest", "Popular", "Old", "New")


def section_head(n: int, rng: random.Random) -> list[str]:
    """The lines a comment section opens with, before its first comment: prompts, sign-in
    calls, house rules, sort and count controls, made up in many shapes."""
    seps = (" | ", " · ", " / ", "  ", " - ", " • ")
    makers: list[Callable[[], str]] = [
        lambda: rng.choice(_PROMPTS),
        lambda: rng.choice(_ACCOUNT),
        lambda: rng.choice(_RULES),
        lambda: rng.choice(("Sort by", "Sort by:", "Order by", "View:", "Show:")) + " " +
        rng.choice(seps).join(rng.sample(_SORTS, rng.randint(1, 4))),
        lambda: rng.choice(("Showing {k} of {n} comments", "{n} replies", "Viewing {k} of {n}",
                            "{n} Comments", "Comments ({n})", "{n} Reactions",
                            "Load {k} more comments", "Page 1 of {p}", "{n} people listening",
                            "Conversation ({n})", "Replies: {n}")).format(
            n=n, k=min(n, rng.randint(1, 20)), p=rng.randint(2, 9)),
        lambda: rng.choice(seps).join(rng.sample(("Reply", "Share", "Report", "Follow",
                                                  "Subscribe", "Notify me", "Flag",
                                                  "Collapse", "Expand all"), rng.randint(2, 4))),
    ]
    lines = [rng.choice(makers)() for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.3:
        lines = [lines[0].upper()] + lines[1:]
    if rng.random() < 0.2:  # two controls glued on one line, as a scrape joins buttons
        lines = ["".join(lines[:2])] + lines[2:]
    return lines


def trackbacks(rng: random.Random) -> list[str]:
    """A blog's list of trackbacks (other blogs linking to the post): a heading, then per
    link a title line, an excerpt and a "Tracked on" date."""
    lines = [rng.choice(("Listed below are links to weblogs that reference this post:",
                         "Trackbacks", "Pingbacks", "TrackBack"))]
    for _ in range(rng.randint(1, 3)):
        title = " ".join(word(rng) for _ in range(rng.randint(2, 5)))
        lines.append(f"» {title} from {word(rng)} {word(rng)}")
        if rng.random() < 0.6:
            lines.append(" ".join(word(rng).lower() for _ in range(rng.randint(6, 20))) + "...")
        lines.append(rng.choice(("Tracked on {}", "Pinged on {}", "{}")).format(date(rng)))
    return lines


INSETS = ("Read more:", "Advertisement", "Share this:", "Related:", "READ MORE", "Share",
          "Continue reading below", "Most Read", "Tweet", "Email")
ADS = ("Advertisement", "Sponsored Content", "ADVERTISEMENT", "Promoted Stories",
       "Story continues below advertisement")
