"""Build ``corpus/sample-crawl.warc.gz`` from the HTML pages kept in ``warc_src/``.

``warc_src/records.json`` lists the records in order (source file, target URI, capture date). The
record ids are derived from the URI so that rebuilding gives the same archive. Run with
``python -m treatywatch.sample.build_warc``; the produced file is committed.
"""

from __future__ import annotations

import json
import uuid
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).parent
SRC = HERE / "warc_src"
OUT = HERE / "corpus" / "sample-crawl.warc.gz"


def _record_id(uri: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, uri)}>"


def build(out: Path = OUT) -> int:
    """Write the WARC (one warcinfo record, then one response per page); return the count."""
    records = json.loads((SRC / "records.json").read_text(encoding="utf-8"))
    with out.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        info = writer.create_warcinfo_record(
            "sample-crawl.warc.gz",
            {"software": "treatywatch sample builder", "description": "treatywatch sample corpus"},
        )
        info.rec_headers.replace_header("WARC-Record-ID", _record_id("warcinfo:sample-crawl"))
        info.rec_headers.replace_header("WARC-Date", records[0]["date"])
        writer.write_record(info)
        for rec in records:
            payload = (SRC / rec["file"]).read_bytes()
            http = StatusAndHeaders(
                "200 OK",
                [("Content-Type", "text/html; charset=utf-8"),
                 ("Content-Length", str(len(payload)))],
                protocol="HTTP/1.1",
            )
            warc_headers = {"WARC-Record-ID": _record_id(rec["uri"]), "WARC-Date": rec["date"]}
            record = writer.create_warc_record(
                rec["uri"], "response", payload=BytesIO(payload), http_headers=http,
                warc_headers_dict=warc_headers,
            )
            writer.write_record(record)
    return len(records)


if __name__ == "__main__":
    print(f"wrote {build()} response records to {OUT}")
