"""treatywatch.pipeline: the per-input step of the flow (read → extract → store), in one place.

The call chain of ``Monitor.ingest`` (and of the ``ingest`` command, and any loop that watches
or batches inputs)::

    Monitor.ingest(targets)
      └ Pipeline.ingest                        expand folders, then for each input, in order:
          ├ process_input(target, known=…)     pure: no database access
          │   ├ ingest.read_input              bytes → InputBatch; parsers in the parse sandbox
          │   └ extract_articles               nlp + events over the articles not yet known
          │     (workers > 1: pool.process_in_workers — reading stays here, extraction in
          │      worker processes, the same two steps)
          └ Pipeline.store                     one write transaction:
              └ kb.articles.store_input        done? → skip; fresh = not yet stored;
                  ├ assign(fresh)              stories (provenance.StoryIndex), called back
                  └ articles, extractions, claims, stories, rejections, checkpoint

Public surface::

    process_input(target, options, *, first_seen, known=None, prefilter=False, extract=True,
                  recurring=None) -> Processed          the pure per-input function
    extract_articles(articles) -> {id: Extraction}      its extraction half
    Processed                                           one input, read and extracted
    run.Pipeline(kb, *, extract=True)                   .ingest(...) -> IngestReport, .store(...)
    run.IngestReport

This ``__init__`` imports only the pure step, so a worker process that runs it (``pool``, a
Dask worker) does not import the knowledge base; ``Pipeline`` is imported from ``run``.

Only ``kb`` speaks SQL; this package decides nothing a transaction must decide (done, known,
stories are decided inside ``store_input``). What is known is asked of the kb before
extraction only to skip work.
"""

from treatywatch.pipeline.step import Processed, extract_articles, process_input

__all__ = ["Processed", "extract_articles", "process_input"]
