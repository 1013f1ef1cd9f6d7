"""REST: claims (list, filter, export, one claim) and their reviews (read and write)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from treatywatch.kb import claims as claims_store
from treatywatch.kb import idempotency
from treatywatch.kb.search import browse_claims
from treatywatch.web.api_models import BulkReviewIn, ReviewIn
from treatywatch.web.data import forget_facets
from treatywatch.web.filters import ClaimFilters, claim_filters, claims_csv, json_array
from treatywatch.web.idempotent import IdempotencyKey, run_once
from treatywatch.web.paging import Cursor, no_offset, page_envelope
from treatywatch.web.render import query_with
from treatywatch.web.security import Principal, check_csrf, require_analyst

router = APIRouter(tags=["claims"])
MAX_PAGE = 500
MAX_EXPORT = 10_000
EXPORT_CHUNK = 500


def _kb(request: Request) -> Any:
    return request.app.state.kb


CSV_CONTENT = {"text/csv": {"schema": {"type": "string"}}}


class CSVResponse(Response):
    media_type = "text/csv"


@router.get("/claims", summary="List claims (filters, keyset pages; format=csv|json for exports)",
            responses={200: {"content": CSV_CONTENT, "description": "A page, or the export"}})
def list_claims(
    request: Request,
    filters: ClaimFilters = Depends(claim_filters),
    limit: int = Query(50, ge=1, le=MAX_EXPORT),
    cursor: str | None = Cursor,
    format: Literal["page", "json", "csv"] = Query("page", description="page: envelope; json/csv: export"),
    _: None = Depends(no_offset),
) -> Response:
    if format != "page":
        return export_claims(request, filters, limit, cursor, format)
    if limit > MAX_PAGE:
        raise HTTPException(400, f"limit is at most {MAX_PAGE} per page; use format=json or csv to export")
    page = browse_claims(_kb(request), **filters.kb_args(), limit=limit, cursor=cursor)
    return JSONResponse(page_envelope(request, page, {**filters.params(), "limit": limit}))


def export_claims(request: Request, filters: ClaimFilters, limit: int, cursor: str | None, fmt: str) -> Response:
    """The claims as CSV or a JSON array, streamed in chunks of EXPORT_CHUNK rows: at most
    ``limit`` (≤ MAX_EXPORT) per request; a ``Link: <...>; rel="next"`` header continues it.
    Corroboration is counted once for the whole export, in one pass."""
    kb, args = _kb(request), filters.kb_args()
    after = browse_claims(kb, **args, limit=limit, cursor=cursor, finish=False).next
    headers = {"Content-Disposition": f'attachment; filename="claims.{fmt}"'}
    if after is not None:
        params = {**filters.params(), "limit": limit, "format": fmt}
        headers["Link"] = f'<{request.url.path}?{query_with(params, cursor=after)}>; rel="next"'

    def pages() -> Iterator[list[dict[str, Any]]]:
        at, left = cursor, limit
        counts = claims_store.all_corroboration(kb)  # once, not once per chunk
        while left > 0:
            page = browse_claims(kb, **args, limit=min(EXPORT_CHUNK, left), cursor=at, counts=counts)
            yield page.items
            left -= len(page.items)
            if page.next is None:
                return
            at = page.next

    if fmt == "csv":
        return StreamingResponse(claims_csv(pages()), media_type="text/csv; charset=utf-8", headers=headers)
    return StreamingResponse(json_array(pages()), media_type="application/json", headers=headers)


@router.get("/claims.csv", summary="Export claims as CSV (same filters as /claims)", response_class=CSVResponse,
            responses={200: {"content": CSV_CONTENT, "description": "The claims as CSV"}})
def export_csv(
    request: Request,
    filters: ClaimFilters = Depends(claim_filters),
    limit: int = Query(MAX_EXPORT, ge=1, le=MAX_EXPORT),
    cursor: str | None = Cursor,
) -> Response:
    return export_claims(request, filters, limit, cursor, "csv")


@router.get("/claims/{claim_id}", summary="One claim with its evidence and review history")
def get_claim(request: Request, claim_id: str) -> dict[str, Any]:
    claim = claims_store.get_claim(_kb(request), claim_id)
    if claim is None:
        raise HTTPException(404, f"no claim {claim_id[:64]}")
    claim["reviews"] = claims_store.reviews_of(_kb(request), claim_id)
    return claim


@router.get("/claims/{claim_id}/reviews", summary="Every review of a claim, oldest first")
def get_reviews(request: Request, claim_id: str) -> list[dict[str, Any]]:
    if claims_store.get_claim(_kb(request), claim_id) is None:
        raise HTTPException(404, f"no claim {claim_id[:64]}")
    return claims_store.reviews_of(_kb(request), claim_id)


@router.post("/claims/{claim_id}/review", summary="Accept, reject or correct a claim (analysts only)")
def review(
    request: Request, claim_id: str, body: ReviewIn, who: Principal = Depends(require_analyst),
    idempotency_key: str | None = IdempotencyKey,
) -> Any:
    check_csrf(request, None)

    def perform(done: set[str]) -> dict[str, Any]:
        if claim_id in done:
            claim = claims_store.get_claim(_kb(request), claim_id)
            assert claim is not None
            return claim
        result = claims_store.review_claim(_kb(request), claim_id, body.state, who.username,
                                           correction=body.correction_fields(), note=body.note)
        forget_facets(request.app)
        return result

    def recover(watermark: int) -> set[str]:
        return idempotency.reviews_since(_kb(request), watermark, [claim_id], who.username, body.state)

    return run_once(request, who, idempotency_key, body, perform, recover)


@router.post("/reviews", summary="Accept or reject several claims at once (analysts only)")
def bulk_review(
    request: Request, body: BulkReviewIn, who: Principal = Depends(require_analyst),
    idempotency_key: str | None = IdempotencyKey,
) -> Any:
    check_csrf(request, None)
    missing = [cid for cid in body.claim_ids if claims_store.get_claim(_kb(request), cid) is None]
    if missing:
        raise HTTPException(404, f"no claim {missing[0]}; nothing was reviewed")
    ids = list(dict.fromkeys(body.claim_ids))

    def perform(done: set[str]) -> dict[str, Any]:
        for cid in ids:
            if cid not in done:
                claims_store.review_claim(_kb(request), cid, body.state, who.username, note=body.note)
        forget_facets(request.app)
        return {"reviewed": ids, "state": body.state}

    def recover(watermark: int) -> set[str]:
        return idempotency.reviews_since(_kb(request), watermark, ids, who.username, body.state)

    return run_once(request, who, idempotency_key, body, perform, recover)
