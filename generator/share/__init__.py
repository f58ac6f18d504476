"""Employee advocacy: a share image per story and a share kit for the people who post it.

Pure functions over frozen dataclasses, for the engine and the ``brandsite share`` command:

- ``card.render_card(CardSpec) -> CardResult`` draws a 1200×630 PNG; ``card.card_key`` is the
  cache key of everything a card is drawn from. ``layout`` measures, wraps and fits the text.
- ``settings`` holds the theme's ``[share_card]`` settings; ``assets`` reads their fonts and logo.
- ``platforms`` knows each network's length limit and how it counts.
- ``kit.share_kit`` writes the suggested posts and share links; ``kit_html`` the pages.
- ``plan.check_share`` checks front matter ``share:`` (planned posts).
"""
