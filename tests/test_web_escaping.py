"""Hostile text in every stored field is shown escaped on every page (docs/reliability.md#bad-inputs row 10).

Each payload goes into an article's title, author and text, a claim's evidence sentence and
attribution, an outlet's name and a story's original source; every page that shows those fields
must show them escaped (HTML text and attribute contexts), and template syntax literally.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from markupsafe import escape
from test_web_support import client_for, sign_in

from treatywatch.kb.articles import store_batch
from treatywatch.kb.store import open_kb
from treatywatch.kb.users import add_user
from treatywatch.models import (
    Article,
    Entity,
    Event,
    Evidence,
    Extraction,
    InputBatch,
    Source,
    StoryAssignment,
    article_id_for,
)

PAYLOADS = ["<script>alert(1)</script>", '"onmouseover=alert(1) x="', "{{7*7}}", "</script><script>"]
FIELDS = ("title", "author", "text", "attributed", "outlet", "origin")

# Which fields each page shows (a page that stops showing one fails the presence check).
PAGES: dict[str, tuple[str, ...]] = {
    "/": ("text", "attributed"),
    "/countries/LTU": ("text", "attributed"),
    "/articles/{article}": ("title", "author", "text", "attributed", "origin"),
    "/articles/{article}/original": ("title",),
    "/review": ("text", "attributed"),
    "/sources": ("outlet",),
    "/stories": ("title", "origin"),
    "/stories/{story}": ("title", "origin"),
    "/search?q=Vilnius": ("title", "text"),
}


def _marked(field: str, payload: str) -> str:
    return f"{field}[{payload}]"


def _seed(path: Path, payload: str) -> dict[str, str]:
    """One article whose every displayed field carries ``payload``, as ingest and extraction store it."""
    sentence = f"Officials in Vilnius said Lithuania approved its withdrawal from the Ottawa Convention {_marked('text', payload)}."
    text = sentence + " The vote passed with 107 votes."
    domain = "hostile.example"
    article = Article(
        id=article_id_for(text), text=text, url=f"https://{domain}/a", source=Source(domain, _marked("outlet", payload)),
        title=_marked("title", payload), author=_marked("author", payload), published="2025-06-24",
        published_from="user", language="en",
    )
    start = text.index(sentence)
    event = Event("treaty_withdrawal_approved", "state:LTU", "asserted", Evidence((start, start + len(sentence)), sentence),
                  0.9, actor_iso3="LTU", treaty="APMBT", date="2025-06-23",
                  attributed_to=_marked("attributed", payload))
    ltu = Entity("state:LTU", "STATE", "Lithuania", ((text.index("Lithuania"), text.index("Lithuania") + 9),), iso3="LTU")
    extraction = Extraction(article=article, entities=(ltu,), events=(event,))
    story = "s" + article.id[:15]
    kb = open_kb(str(path))
    try:
        store_batch(kb, InputBatch(location="hostile", key="hostile", articles=(article,)),
                    extractions_by_id={article.id: extraction},
                    assignments=(StoryAssignment(article.id, story, True, None, _marked("origin", payload), "credited"),))
        add_user(kb, "ana", "correct horse battery")
    finally:
        kb.close()
    return {"article": article.id, "story": story}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_page_escapes_hostile_fields(tmp_path: Path, payload: str) -> None:
    ids = _seed(tmp_path / "kb.db", payload)
    kb = open_kb(str(tmp_path / "kb.db"))
    try:
        with client_for(kb) as client:
            sign_in(client)
            for template, shown in PAGES.items():
                path = template.format(**ids)
                response = client.get(path)
                assert response.status_code == 200, path
                page = response.text
                for field in FIELDS:
                    raw = _marked(field, payload)
                    if raw != str(escape(raw)):
                        assert raw not in page, (path, field)
                    if field in shown:
                        assert str(escape(raw)) in page, (path, field)
                assert "[49]" not in page, path
                assert page.count("<script") == 1, path  # the app's own /static/app.js only
    finally:
        kb.close()
