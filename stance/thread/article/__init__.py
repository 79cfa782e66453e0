"""Step 4: the article part of a page: title, byline, date and body, boilerplate removed.

`body` builds the `Article` from the lines above the comments (and cleans text any reader
extracted); `byline` and `posthead` read the head of a news story or a social post;
`original` recognises a social thread's opening post printed like its replies.
"""

from stance.thread.article.body import build_article, clean_article_text

__all__ = ["build_article", "clean_article_text"]
