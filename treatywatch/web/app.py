"""The web app factory: one FastAPI app serving the pages and the REST API over one kb.

Layers, outermost first: security headers (so every answer, errors included, carries them) →
in-flight request limit → Host check → body size cap → cross-site write refusal → ETag, 304
and Cache-Control of kb reads (`web.caching`) → routes.
Sessions are server-side (`web.security`, `kb.sessions`). Handlers are plain ``def`` functions,
so a slow query runs in the thread pool and never blocks the loop, and every read of the kb is
under the configured time limit (`KB.read_time_limit`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from treatywatch.errors import TreatywatchError
from treatywatch.kb.store import KB, open_kb
from treatywatch.web import (
    api_articles,
    api_claims,
    api_facts,
    api_sources,
    api_states,
    api_treaties,
    pages_alerts,
    pages_article,
    pages_auth,
    pages_country,
    pages_dashboard,
    pages_docs,
    pages_facts,
    pages_review,
    pages_sources,
    pages_treaties,
)
from treatywatch.web.api_models import ERROR_RESPONSES
from treatywatch.web.caching import ConditionalGetMiddleware
from treatywatch.web.render import render_error
from treatywatch.web.security import (
    BodyLimitMiddleware,
    CrossSiteWriteMiddleware,
    InFlightLimitMiddleware,
    SecurityHeadersMiddleware,
    require_reader,
)
from treatywatch.web.settings import WebSettings

STATIC_DIR = Path(__file__).parent / "static"
API_PREFIX = "/api/v1"


def create_app(db: str | None = None, *, settings: WebSettings | None = None, kb: KB | None = None) -> FastAPI:
    """Build the app over the kb at ``db`` (path or URL), or over an already open ``kb``."""
    settings = settings or WebSettings()
    owned = kb is None
    store = kb if kb is not None else open_kb(db)
    store.read_time_limit = settings.read_time_limit

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            store.close()

    app = FastAPI(
        title="treatywatch",
        summary="Sourced, reviewable monitor of arms-control treaties: claims, evidence, status.",
        version="1",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json" if settings.docs else None,
        lifespan=lifespan,
    )
    app.state.kb = store
    app.state.settings = settings
    _add_routes(app, settings)
    _add_error_handlers(app)
    app.add_middleware(ConditionalGetMiddleware, kb=store, settings=settings)
    app.add_middleware(CrossSiteWriteMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.hosts)
    app.add_middleware(InFlightLimitMiddleware, limit=settings.max_in_flight)
    app.add_middleware(SecurityHeadersMiddleware)
    return app


def _add_routes(app: FastAPI, settings: WebSettings) -> None:
    readers = [Depends(require_reader)]
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(pages_auth.router)
    for module in (pages_dashboard, pages_country, pages_article, pages_review, pages_sources,
                   pages_treaties, pages_facts, pages_alerts):
        app.include_router(module.router, dependencies=readers, include_in_schema=False)
    if settings.docs:
        app.include_router(pages_docs.router, include_in_schema=False)
    for api in (api_claims, api_articles, api_states, api_sources, api_treaties, api_facts):
        app.include_router(api.router, prefix=API_PREFIX, dependencies=readers, responses=ERROR_RESPONSES)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith(API_PREFIX) and "text/html" in request.headers.get("accept", "")


def _error(
    request: Request, status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    if _wants_html(request):
        return render_error(request, status, message, headers=dict(headers or {}))
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status,
                        headers=dict(headers or {}))


_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          409: "conflict", 413: "too_large", 422: "invalid", 429: "too_many_attempts"}


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        code = _CODES.get(exc.status_code, "error")
        return _error(request, exc.status_code, code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if _wants_html(request):
            names = sorted({str(e["loc"][-1]) for e in exc.errors() if e.get("loc")})
            return render_error(request, 422, f"the request had invalid fields: {', '.join(names)}")
        details = [{"loc": list(e.get("loc", ())), "msg": e.get("msg")} for e in exc.errors()]
        return JSONResponse({"error": {"code": "invalid", "message": "invalid request", "details": details}},
                            status_code=422)

    @app.exception_handler(TreatywatchError)
    async def treatywatch_error(request: Request, exc: TreatywatchError) -> Response:
        """Every error of the tree (`treatywatch.errors`): its own status, code and message."""
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after is not None else None
        return _error(request, exc.http_status, exc.code, exc.message, headers=headers)
