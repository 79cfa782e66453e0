"""Step 2 of text parsing: cut a classified scrape into its article part and comment drafts.

Two segmenters share one output shape (`drafts.Layout`), as spaCy's rule-based Sentencizer
sits beside its trained SentenceRecognizer:

- `rules` (with `numbered` and `refine`): the hand-written layouts, kept as the fallback;
- the learned line tagger, the default where its weights load: `features` (plain dicts per
  line), `perceptron` (a linear model over them), `decode` (Viterbi under structural
  constraints), `learned` (tags -> drafts); trained by `train` on pages rendered by `render`
  from real comment trees and scored site-disjointly by `evaluate`.
"""
