"""The OpenAPI description and a server-rendered page reading it (no script, works offline)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, render_template

from carshare.api.blueprint import bp
from carshare.api.spec import document


@bp.get("/openapi.json")
def openapi():  # type: ignore[no-untyped-def]
    """The OpenAPI 3.1 description of the API, generated from its pydantic models."""
    return jsonify(document())


@bp.get("/docs")
def docs():  # type: ignore[no-untyped-def]
    """Every operation with its parameters, body and answers, and every schema."""
    doc = document()
    return render_template("api/docs.html", doc=doc, operations=_operations(doc),
                           schemas=sorted(doc["components"]["schemas"].items()))


def _operations(doc: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            found.append({"path": path, "method": method.upper(), "op": op,
                          "tag": (op.get("tags") or [""])[0], "body": _ref(body.get("schema")),
                          "answers": {code: _ref(next(iter(a.get("content", {}).values()),
                                                      {}).get("schema"))
                                      for code, a in op.get("responses", {}).items()}})
    return sorted(found, key=lambda o: (o["tag"], o["path"], o["method"]))


def _ref(schema: dict[str, Any] | None) -> str:
    """Return the schema name a ``$ref`` points to (empty when there is none)."""
    if not schema:
        return ""
    return schema.get("$ref", "").rsplit("/", 1)[-1]
