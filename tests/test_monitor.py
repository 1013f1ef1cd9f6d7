"""The Python API: one Monitor runs the whole flow over a knowledge base."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from treatywatch.monitor import Monitor
from treatywatch.sample import corpus_path, manifest


def test_monitor_ingests_the_sample_and_answers_claims_stories_and_status(tmp_path: Path) -> None:
    with Monitor(str(tmp_path / "kb.db")) as monitor:
        report = monitor.ingest([str(corpus_path())])
        assert not report.failed and report.new_articles == len(manifest()) - 1
        summary = monitor.summary()
        assert summary["stories"] == len({entry["story"] for entry in manifest()})
        claims = monitor.claims(actor_iso3="POL", treaty="APMBT")
        assert any(c["type"] == "treaty_withdrawal_notified" for c in claims)
        reviewed = monitor.review(claims[0]["id"], "accepted", "ana")
        assert reviewed["review_state"] == "accepted"
        assert monitor.status("POL", "APMBT", date(2026, 1, 1)).status == "withdrawing"
        assert monitor.status("POL", "APMBT", date(2026, 3, 1)).status == "withdrawn"
        developments = monitor.developments(limit=5)
        assert 0 < len(developments) <= 5
        again = monitor.ingest([str(corpus_path())])
        assert again.new_articles == 0 and again.skipped_inputs == again.inputs
        assert monitor.claims(actor_iso3="POL", review_state="accepted")
