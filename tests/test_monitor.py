"""The Python API: one Monitor runs the whole flow over a knowledge base."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from treatywatch.errors import NoKnowledgeBase
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
        assert [r.status for r in monitor.status("POL", "APMBT", date(2026, 1, 1))] == ["withdrawing"]
        assert [r.status for r in monitor.status("POL", "Mine Ban Treaty", date(2026, 3, 1))] == ["withdrawn"]
        assert [r.treaty for r in monitor.status("POL", on=date(2026, 3, 1))] == ["APMBT", "CCM"]
        apmbt = monitor.treaty_status("APMBT", date(2026, 3, 1))
        assert apmbt.counts["withdrawn"] >= 1 and apmbt.states_parties == sum(
            1 for r in apmbt.results if r.is_state_party)
        developments = monitor.developments(limit=5)
        assert 0 < len(developments) <= 5
        again = monitor.ingest([str(corpus_path())])
        assert again.new_articles == 0 and again.skipped_inputs == again.inputs
        assert monitor.claims(actor_iso3="POL", review_state="accepted")


def test_a_monitor_for_reading_never_creates_a_knowledge_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TREATYWATCH_DB", raising=False)
    with Monitor.for_reading() as monitor:
        assert not monitor.claims_considered
        assert [r.status for r in monitor.status("POL", "APMBT", date(2026, 3, 1))] == ["withdrawn"]
    with pytest.raises(NoKnowledgeBase, match="no knowledge base at named.db"):
        Monitor.for_reading("named.db")
    assert list(tmp_path.iterdir()) == []
    with Monitor(str(tmp_path / "kb.db")):
        pass
    with Monitor.for_reading(str(tmp_path / "kb.db")) as monitor:
        assert monitor.claims_considered and monitor.claims() == []
