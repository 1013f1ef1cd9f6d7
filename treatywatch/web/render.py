"""Rendering pages: one Jinja2 environment with autoescaping on, and the page helpers.

Everything that came from an article (text, titles, quotes, outlet names) reaches the HTML only
through Jinja's autoescape or `markupsafe.escape`; no template uses ``|safe`` on stored text. The
one exception is the "original page" view, whose markup comes from the nh3 allow-list in
`sanitize.clean_html`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from treatywatch.event_types import registry
from treatywatch.web.security import apply_cookies, template_context

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
TEMPLATES.env.autoescape = True


def event_label(event_type: str | None) -> str:
    """Readable name of an event type, the registry's label (``treaty_joined`` → ``joined
    treaty``); a type the registry does not know is shown as stored."""
    return registry().label(event_type)


def short(value: str | None, n: int = 10) -> str:
    return (value or "")[:n]


def safe_url(value: str | None) -> str:
    """An outbound link only if it is http(s); anything else (javascript:, data:) becomes '#'."""
    text = (value or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else "#"


def query_with(params: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters changed (None drops one)."""
    merged = {**params, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "")})


TEMPLATES.env.filters["event_label"] = event_label
TEMPLATES.env.filters["short"] = short
TEMPLATES.env.filters["safe_url"] = safe_url
TEMPLATES.env.globals["query_with"] = query_with


def render(request: Request, name: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    """Render ``templates/name`` with the common context (analyst, CSRF token)."""
    response = TEMPLATES.TemplateResponse(
        request, name, template_context(request, **values), status_code=status_code
    )
    apply_cookies(request, response)
    return response


def render_error(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> HTMLResponse:
    response = render(request, "error.html", status_code=status, status=status, message=message)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response
