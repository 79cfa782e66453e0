"""Step 1 of text parsing: what each line of a plain-text scrape looks like on its own.

`kinds` names the line kinds and holds the classified `Line`; `classify` gives every line a
kind in context; the recognisers it calls (`clean` for labels and chrome, `dates`, `headers`
for attribution lines, `signatures`, `taglines`, `counts`) are also read by the HTML reader
and become features of the learned segmenter (`stance.thread.segment.features`).
"""
