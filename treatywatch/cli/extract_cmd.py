"""``treatywatch extract FILE``: the extraction document of one article (docs/contracts.md#extraction-document).

A thin shell: the file goes through ingest (``read_input``), each article through
``treatywatch.nlp.extract``; this module only formats. ``--format json`` prints the public
``treatywatch.extraction/1`` document (one pretty-printed document for one article, JSON Lines
when the input holds several); ``--format text`` shows the article with its findings highlighted.
"""

from __future__ import annotations

import json
import sys

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from treatywatch.cli.common import check_format, fail, stderr
from treatywatch.dates import parse_day
from treatywatch.models import Extraction

TYPE_STYLES = {"STATE": "bold cyan", "ORG": "bold magenta", "PERSON": "bold green",
               "TREATY": "bold yellow", "PLACE": "cyan", "WEAPON": "bold red"}
TIME_STYLE = "underline blue"
QUANTITY_STYLE = "underline bright_red"
QUOTE_STYLE = "italic"


def _check_date(value: str | None) -> str | None:
    """``--published`` is a day, optionally with a time (kept as given for ingest to read)."""
    if value is None:
        return None
    try:
        parse_day(value[:10])
    except ValueError:
        raise fail(f"--published {value!r} is not an ISO date (YYYY-MM-DD)") from None
    return value


def render_text(extraction: Extraction, console: Console) -> None:
    """The article with entities, quotes, quantities and times highlighted, then a summary."""
    article = extraction.article
    text = Text(article.text)
    for quote in extraction.quotes:
        text.stylize(QUOTE_STYLE, *quote.span)
    for entity in extraction.entities:
        for start, end in entity.mentions:
            text.stylize(TYPE_STYLES.get(entity.type, "bold"), start, end)
    for quantity in extraction.quantities:
        text.stylize(QUANTITY_STYLE, *quantity.span)
    for time in extraction.times:
        text.stylize(TIME_STYLE, *time.span)
    header = f"{article.title or '(untitled)'} — published {article.published or 'unknown'}"
    console.print(Text(header, style="bold"))
    console.print(text)
    console.print(Text("legend: ", style="dim") + Text(" ").join(
        Text(name, style=style) for name, style in
        [*TYPE_STYLES.items(), ("time", TIME_STYLE), ("quantity", QUANTITY_STYLE), ("quote", QUOTE_STYLE)]))
    console.print(_entity_table(extraction))
    if extraction.quotes:
        console.print(_quote_table(extraction))


def _entity_table(extraction: Extraction) -> Table:
    table = Table(title="entities")
    for column in ("id", "type", "name", "mentions", "roles"):
        table.add_column(column, overflow="fold")
    for entity in extraction.entities:
        roles = "; ".join(f"{r.title} ({r.of})" if r.of else r.title for r in entity.roles)
        table.add_row(entity.id, entity.type, entity.name, str(len(entity.mentions)), roles)
    return table


def _quote_table(extraction: Extraction) -> Table:
    table = Table(title="quotes")
    for column in ("kind", "speaker", "text"):
        table.add_column(column, overflow="fold")
    for quote in extraction.quotes:
        table.add_row(quote.kind, quote.speaker or quote.speaker_name or "?", quote.text)
    return table


def extract_file(
    file: str = typer.Argument(..., help="Article file (text, HTML, JSONL, feed, WARC; .gz too)."),
    published: str | None = typer.Option(None, "--published", help="Publication date (YYYY-MM-DD)."),
    url: str | None = typer.Option(None, "--url", help="The article's URL, if the file does not say."),
    fmt: str = typer.Option("json", "--format", help="json or text"),
) -> None:
    """Extract entities, roles, quotes, quantities and dates from one article."""
    from treatywatch.events import detect_events
    from treatywatch.ingest import IngestOptions, read_input
    from treatywatch.nlp import extract_many

    check_format(fmt, ("json", "text"))
    batch = read_input(file, IngestOptions(published=_check_date(published), url=url))
    for rejection in batch.rejections:
        stderr.print(f"error: {rejection.one_line()}", markup=False)
    if not batch.articles:
        raise typer.Exit(1)
    extractions = list(extract_many(batch.articles, event_detector=detect_events))
    if fmt == "json":
        if len(extractions) == 1:
            sys.stdout.write(json.dumps(extractions[0].to_json(), ensure_ascii=False, indent=2) + "\n")
        else:
            for extraction in extractions:
                sys.stdout.write(json.dumps(extraction.to_json(), ensure_ascii=False) + "\n")
        return
    console = Console(highlight=False)
    for extraction in extractions:
        render_text(extraction, console)


def register(app: typer.Typer) -> None:
    app.command("extract")(extract_file)
