"""A generator of realistic synthetic reader-comment threads, for benchmarks and calibration.

Real reader comments run a median of about 50 words with a long tail (a few run to several
hundred words), arrive in threads of very uneven size, and about half of them reply to an
earlier comment. This module produces threads with those shapes from its own phrase lists
(nothing is copied from any dataset), deterministically from a seed.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator

from stance.thread.model import Article, Comment, Thread

TOPICS = (
    ("the new stadium tax", "stadium", "the council", "taxpayers"),
    ("the vaccine mandate for city workers", "mandate", "the health department", "workers"),
    ("the border wall funding bill", "wall", "Congress", "the administration"),
    ("the plan to close the downtown library", "library", "the mayor", "families"),
    ("raising the minimum wage to $15", "wage increase", "small businesses", "employees"),
    ("the pipeline expansion through the reservation", "pipeline", "the company", "landowners"),
    ("banning cars from Main Street", "car ban", "shop owners", "commuters"),
    ("the school board's new reading curriculum", "curriculum", "the board", "parents"),
    ("the merger of the two regional hospitals", "merger", "the hospital group", "patients"),
    ("the climate emergency declaration", "declaration", "the governor", "farmers"),
)
OUTLETS = ("CNN", "Fox News", "the New York Times", "MSNBC", "the BBC", "the Washington Post",
           "Breitbart", "the local paper", "Reuters", "NPR")
OPENERS = ("Honestly,", "Look,", "I have to say", "Wow.", "So", "Let me get this straight:",
           "As someone who has lived here for 30 years,", "Sorry but", "Exactly.", "Ha!",
           "With respect,", "Nobody is talking about the fact that", "Funny how", "Again,")
CLAIMS = (
    "{thing} is going to cost {group} far more than anyone admits",
    "{actor} already decided this months ago and the hearings were just for show",
    "I don't see how {thing} helps {group} at all",
    "{thing} is the best idea this town has had in a decade",
    "the numbers {actor} keeps quoting don't add up",
    "{group} were never asked what they actually want",
    "we tried something like {thing} in my old town and it worked out fine",
    "people who oppose {thing} never offer an alternative",
    "{actor} should be ashamed of how this was handled",
    "the real question is who profits from {thing}",
    "my taxes went up again last year and now this",
    "this will be forgotten by the next election anyway",
    "I support {thing} but the rollout has been a mess",
    "what happens to {group} when the money runs out",
)
MEDIA = (
    "{outlet} won't report any of this because it doesn't fit their narrative",
    "of course {outlet} is spinning this, they always do",
    "funny how {outlet} buried the story on page twelve",
    "you can't trust {outlet} or any of the mainstream media on this",
)
PLOTS = (
    "this was planned behind closed doors by people who will never be named",
    "follow the money and you'll see the same donors behind every one of these decisions",
    "it's all coordinated, they want us divided so nobody notices what's really going on",
)
QUESTIONS = ("Does anyone know when the vote is?", "Where does the money actually come from?",
             "Has anyone read the full report?", "Why wasn't this on the ballot?",
             "Source?", "Is this even legal?", "What did the other candidates say?")
REPLIES = ("I agree with you completely.", "That's just not true.", "You're missing the point.",
           "Well said.", "Did you even read the article?", "This.", "Couldn't have put it better.",
           "Nope. Try again.", "Fair point, I hadn't thought of that.", "Says who?")
FILLERS = ("to be fair", "in my opinion", "frankly", "at the end of the day", "if you ask me",
           "for what it's worth", "believe it or not", "let's be honest")
DETAILS = (
    "My neighbor works for the county and says the budget was already short by two million.",
    "The last time they promised something like this it took six years and doubled in price.",
    "I went to the meeting on Tuesday and maybe forty people showed up, mostly retirees.",
    "There is a link to the full proposal at the bottom of the page if anyone cares to read it.",
    "Property values on the east side have dropped every year since 2015.",
    "My kids go to school two blocks from there and the traffic is already terrible.",
    "They said the same thing about the bridge and look how that turned out.",
    "The comment section on the last article was full of people saying the opposite.",
    "I called my representative's office and got a recorded message, as usual.",
)
EMPHASIS = ("!!!", "...", " lol", " SMH", " :)", " #wakeup", " (just saying)", "?!")


def _words_target(rng: random.Random) -> int:
    """Comment length in words: lognormal, so that comments land at a median ~50 words."""
    return max(2, min(900, int(rng.lognormvariate(math.log(44), 0.75))))


def _sentence(rng: random.Random, topic: tuple[str, str, str, str]) -> str:
    title, thing, actor, group = topic
    roll = rng.random()
    if roll < 0.08:
        base = rng.choice(MEDIA).format(outlet=rng.choice(OUTLETS))
    elif roll < 0.13:
        base = rng.choice(PLOTS)
    elif roll < 0.23:
        return rng.choice(QUESTIONS)
    elif roll < 0.38:
        return rng.choice(DETAILS)
    else:
        base = rng.choice(CLAIMS).format(thing=rng.choice((thing, f"the {thing}", title)),
                                         actor=actor, group=group)
    if rng.random() < 0.3:
        base = f"{rng.choice(FILLERS)}, {base}"
    if rng.random() < 0.35:
        base = f"{rng.choice(OPENERS)} {base}"
    if rng.random() < 0.04:
        base = base.upper()
    text = base[0].upper() + base[1:]
    return text + (rng.choice(EMPHASIS) if rng.random() < 0.15 else ".")


def comment_text(rng: random.Random, topic: tuple[str, str, str, str], reply: bool) -> str:
    """One comment of lognormal length built from sentences about the topic."""
    goal = _words_target(rng)
    parts: list[str] = [rng.choice(REPLIES)] if reply and rng.random() < 0.5 else []
    words = sum(len(p.split()) for p in parts)
    while words < goal:
        sentence = _sentence(rng, topic)
        parts.append(sentence)
        words += len(sentence.split())
        if rng.random() < 0.08 and words < goal:
            parts.append("\n\n")
    return " ".join(parts).replace(" \n\n ", "\n\n").strip()


def _thread_size(rng: random.Random, mean_comments: float) -> int:
    return max(1, min(2000, int(rng.expovariate(1 / mean_comments)) + 1))


def generate_threads(n_comments: int, seed: int = 0, mean_comments: float = 25.0,
                     reply_rate: float = 0.5) -> Iterator[Thread]:
    """Yield threads holding `n_comments` comments in all, lazily and deterministically.

    About `reply_rate` of the comments reply to an earlier comment (recent ones more often);
    thread sizes are exponential with mean `mean_comments`.
    """
    rng = random.Random(seed)
    made = 0
    index = 0
    while made < n_comments:
        index += 1
        topic = TOPICS[rng.randrange(len(TOPICS))]
        size = min(_thread_size(rng, mean_comments), n_comments - made)
        comments: list[Comment] = []
        for pos in range(size):
            parent = None
            if pos and rng.random() < reply_rate:
                back = min(pos, 1 + int(rng.expovariate(1 / 3)))
                parent = comments[pos - back].id
            comments.append(Comment(id=f"c{pos + 1}", parent_id=parent,
                                    text=comment_text(rng, topic, parent is not None)))
        title = f"City weighs {topic[0]}" if rng.random() < 0.5 else f"Opinion: {topic[0]}"
        yield Thread(thread_id=f"s{seed}-{index}", comments=tuple(comments), format="jsonl",
                     article=Article(title=title, text=""))
        made += size


def calibration_texts(n: int = 96, seed: int = 12345) -> list[tuple[str, str]]:
    """(target, comment) pairs used to compare a quantised model with fp32."""
    pairs: list[tuple[str, str]] = []
    for thread in generate_threads(n, seed=seed, mean_comments=6):
        pairs.extend((thread.effective_target, c.text) for c in thread.comments)
    return pairs[:n]
