"""The "how to read this" text: what each number in the report means. Shown in every format."""

from __future__ import annotations

DEFINITIONS: tuple[tuple[str, str], ...] = (
    ("Labels",
     "Every comment carries model predictions, not human judgements: stance toward the "
     "thread's target (favor, against, query = asks or doubts, none = unrelated), agreement "
     "with the comment it replies to, sentiment, and whether it claims the news media are "
     "biased (naming outlets) or that a secret plot explains events."),
    ("Shares and intervals",
     "A share is count / total over the comments that have that label; replies only for "
     "agreement. The bracket is a 95% Wilson interval: with this many comments the share "
     "could plausibly lie anywhere inside it. Comments in one thread answer each other, so "
     "for a corpus of 8 or more threads a second interval resamples whole threads (a thread "
     "bootstrap); "
     "trust that one when it is wider. Intervals cover sampling noise, not model error."),
    ("Depth",
     "0 is a top-level comment, 1 a reply to it, and so on; 5+ pools deeper replies. "
     "'unknown' is a reply whose parent has no record."),
    ("Agreement flows",
     "For each stance of a parent comment, how its direct replies answer it (agree, "
     "neutral, disagree) and which stance those replies take themselves."),
    ("Outlets",
     "Outlets named by comments that claim media bias, ranked by how many comments name "
     "them; the share is of all media-bias claims, so one comment naming two outlets counts "
     "for both and the shares can add up to more than 100%."),
    ("Most confident",
     "For favor, against and query: the comments whose predicted stance has the highest "
     "model probability. High confidence is not proof: read them."),
    ("Most contested",
     "Comments with the most direct replies labelled 'disagree', then the highest share "
     "of disagreeing replies, then the flattest stance scores."),
    ("Most ambiguous",
     "Comments whose four stance scores are closest to flat (normalised entropy near 1): "
     "the model could not tell. Useful for spot-checking its mistakes."),
    ("Over time",
     "Comments per hour, day, week or month (chosen from the time span), by sentiment. "
     "Times without a zone are read as given. Shown only when comments have timestamps."),
    ("Threads",
     "The largest threads are shown in detail with their reply tree; the JSON lists every "
     "thread's counts under thread_index."),
)
