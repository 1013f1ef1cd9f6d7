"""GUM news (shared/benchmarks/gum-news): named entities, dates and direct quotes.

Text is rebuilt from the CoNLL-U (SpaceAfter, paragraphs on ``# newpar``) and run with
``--published`` = dateCreated. Entities: named mentions (head token PROPN) of type person /
organization / place, exact-span and overlap micro P/R/F1 (types mapped PERSON, ORG,
STATE|PLACE -> place). Dates: ``<date>`` spans (overlap) and values (``when``, or ``from`` for
ranges). Quotes: ``<quote>``/``<q>`` against direct quotes, overlap F1. Peers: bare spaCy NER
(PERSON, ORG, GPE/LOC/FAC -> place) and dateparser ``search_dates``.
"""

from __future__ import annotations

import re
from pathlib import Path

from scoring import PRF, align, bare_spacy
from tempeval import _dateparser_times

from treatywatch.models import Article, article_id_for
from treatywatch.nlp import extract_many

ROOT = Path("/work/shared/benchmarks/gum-news")
GOLD_TYPES = {"person": "PERSON", "organization": "ORG", "place": "PLACE"}
OURS = {"PERSON": "PERSON", "ORG": "ORG", "STATE": "PLACE", "PLACE": "PLACE"}
SPACY = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}
_ENTITY_PART = re.compile(r"\((\d+)-([a-z]+)[^()]*?(\))?(?=\(|\d+\)|$)|(\d+)\)")
_PRONOUNS = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}


def _conllu(path: Path) -> tuple[str, str, list[tuple[int, int]], list[tuple[int, int, str]]]:
    """(text, dateCreated, token char spans, named gold mentions (start, end, type))."""
    text, spans, heads, upos, mentions = "", [], [], [], []
    created, stack, sent_offset, pending_space = "", {}, 0, ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# meta::dateCreated"):
            created = line.split("=", 1)[1].strip()
        elif line.startswith("# newpar") and not line.startswith("# newpar_"):
            pending_space = "\n" if text else ""
        elif line.startswith("# sent_id"):
            sent_offset = len(spans)
            pending_space = pending_space or (" " if text else "")
        elif line and not line.startswith("#"):
            cols = line.split("\t")
            if "-" in cols[0] or "." in cols[0]:
                continue
            text += pending_space
            spans.append((len(text), len(text) + len(cols[1])))
            text += cols[1]
            pending_space = "" if "SpaceAfter=No" in cols[9] else " "
            heads.append(sent_offset + int(cols[6]) - 1 if cols[6] != "0" else -1)
            upos.append(cols[3])
            _entities(cols[9], len(spans) - 1, stack, mentions)
    named = []
    for start, end, etype in mentions:
        head = next((i for i in range(start, end + 1) if not start <= heads[i] <= end), start)
        if upos[head] == "PROPN" and etype in GOLD_TYPES:
            named.append((spans[start][0], spans[end][1], GOLD_TYPES[etype]))
    return text, created, spans, named


def _entities(misc: str, index: int, stack: dict[str, list[tuple[int, str]]],
              out: list[tuple[int, int, str]]) -> None:
    field = next((f[7:] for f in misc.split("|") if f.startswith("Entity=")), "")
    for opened, etype, closed_now, closed in _ENTITY_PART.findall(field):
        if opened and closed_now:
            out.append((index, index, etype))
        elif opened:
            stack.setdefault(opened, []).append((index, etype))
        elif closed and stack.get(closed):
            start, kind = stack[closed].pop()
            out.append((start, index, kind))


def _xml_spans(path: Path, spans: list[tuple[int, int]], tags: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """Char spans of elements ``tags`` in the one-token-per-line XML, with the date value."""
    found, open_tags, token = [], [], 0
    for line in path.read_text(encoding="utf-8").splitlines():
        tag = re.match(r"<(/?)(\w+)([^>]*)>", line)
        if tag:
            closing, name, attrs = tag.groups()
            if name in tags and not closing and not attrs.rstrip().endswith("/"):
                value = re.search(r'(?:when|from|notBefore)="([^"]+)"', attrs)
                open_tags.append((name, token, value.group(1) if value else ""))
            elif name in tags and closing:
                index = max(i for i, t in enumerate(open_tags) if t[0] == name)
                _, start, value = open_tags.pop(index)
                if token > start and token - 1 < len(spans):
                    found.append((spans[start][0], spans[token - 1][1], value))
        elif line.strip():
            token += 1
    return found


def _normalised(text: str, spans: list[tuple[int, int, str]]) -> set[tuple[int, int, str]]:
    """Spans without a leading "the" or a trailing possessive (boundary conventions differ)."""
    out = set()
    for start, end, etype in spans:
        words = text[start:end]
        if words.lower().startswith("the "):
            start += 4
        for tail in (" 's", "'s", " ’s", "’s"):
            if words.endswith(tail):
                end -= len(tail)
        out.add((start, end, etype))
    return out


def _entity_scores(gold: list[tuple[int, int, str]], pred: list[tuple[int, int, str]]) -> tuple[PRF, PRF]:
    exact = len(set(gold) & set(pred))
    pairs = align([(g[0], g[1]) for g in gold], [(p[0], p[1]) for p in pred])
    loose = sum(1 for gi, pi in pairs if gold[gi][2] == pred[pi][2])
    return PRF(exact, len(pred), exact, len(gold)), PRF(loose, len(pred), loose, len(gold))


def run_gum() -> list[list[str]]:
    docs = []
    for path in sorted((ROOT / "dep").glob("GUM_news_*.conllu")):
        text, created, spans, named = _conllu(path)
        xml = ROOT / "xml" / (path.stem + ".xml")
        docs.append((text, created, named, _xml_spans(xml, spans, ("date",)), _xml_spans(xml, spans, ("quote", "q"))))
    articles = [Article(id=article_id_for(d[0]), text=d[0], published=d[1]) for d in docs]
    totals = {k: PRF() for k in ("ent exact tw", "ent trimmed-exact tw", "ent overlap tw", "ent exact sp",
                                 "ent trimmed-exact sp", "ent overlap sp",
                                 "date tw", "date value tw", "date dp", "date value dp", "quote tw")}
    for (text, created, named, dates, quotes), x in zip(docs, extract_many(articles), strict=True):
        ours = [(s, e, OURS[ent.type]) for ent in x.entities if ent.type in OURS
                for s, e in ent.mentions if text[s:e].lower() not in _PRONOUNS]
        theirs = [(e.start_char, e.end_char, SPACY[e.label_]) for e in bare_spacy()(text).ents if e.label_ in SPACY]
        for system, pred in (("tw", ours), ("sp", theirs)):
            exact, loose = _entity_scores(named, pred)
            trimmed = _normalised(text, named) & _normalised(text, pred)
            totals[f"ent trimmed-exact {system}"].add(PRF(len(trimmed), len(pred), len(trimmed), len(named)))
            totals[f"ent exact {system}"].add(exact)
            totals[f"ent overlap {system}"].add(loose)
        for system, pred_dates in (("tw", [(t.span, t.value) for t in x.times]), ("dp", _dateparser_times(text, created))):
            pairs = align([(d[0], d[1]) for d in dates], [p[0] for p in pred_dates])
            good = sum(1 for gi, pi in pairs if dates[gi][2] and dates[gi][2] == pred_dates[pi][1])
            totals[f"date {system}"].add(PRF(len(pairs), len(pred_dates), len(pairs), len(dates)))
            totals[f"date value {system}"].add(PRF(good, len(pred_dates), good, len(dates)))
        direct = [q.span for q in x.quotes if q.kind == "direct"]
        pairs = align([(q[0], q[1]) for q in quotes], direct)
        totals["quote tw"].add(PRF(len(pairs), len(direct), len(pairs), len(quotes)))
    names = {"tw": "treatywatch", "sp": "spaCy sm alone", "dp": "dateparser"}
    rows = []
    for key, prf in totals.items():
        *field, system = key.split()
        rows.append([" ".join(field).replace("ent", "named entities"), names[system], *prf.row()])
    return rows
