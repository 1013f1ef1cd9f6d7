"""/docs: the OpenAPI document rendered as a plain page (no script, no CDN assets)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from treatywatch.web.render import render

router = APIRouter()


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per (path, method) with its summary, parameters and body schema name."""
    rows = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            body = (op.get("requestBody") or {}).get("content", {}).get("application/json", {})
            ref = (body.get("schema") or {}).get("$ref", "")
            rows.append({
                "path": path,
                "method": method.upper(),
                "summary": op.get("summary", ""),
                "tags": op.get("tags", []),
                "params": [
                    {"name": p["name"], "in": p["in"], "required": p.get("required", False),
                     "description": p.get("description", "")}
                    for p in op.get("parameters", [])
                ],
                "body": ref.rsplit("/", 1)[-1] if ref else None,
            })
    return rows


@router.get("/docs")
def docs(request: Request) -> Response:
    spec = request.app.openapi()
    schemas = spec.get("components", {}).get("schemas", {})
    return render(request, "docs.html", ops=operations(spec), schemas=schemas, info=spec.get("info", {}))
