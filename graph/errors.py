"""All user-facing errors of regiokg.

Hierarchy::

    RegiokgError                 base; .code, .status (HTTP), .message, .details
    ├── BadInput                 400  input that cannot be used as given
    │   ├── ParseError           400  RDF syntax error (names file and line)
    │   ├── QueryError           400  malformed SPARQL (the parser's message)
    │   ├── RefusedOperation     400  SERVICE, LOAD and other refused operations
    │   └── QueryTooComplex      400  SPARQL nested deeper than REGIOKG_QUERY_MAX_DEPTH
    ├── Unauthorized             401  a write without (valid) credentials
    ├── Forbidden                403  a write with the wrong token, or writes disabled
    ├── NotFound                 404  unknown name, graph, query or resource
    ├── NotAcceptable            406  no result format matches Accept
    ├── PayloadTooLarge          413  request body over REGIOKG_MAX_REQUEST_BYTES
    ├── ValidationFailed         422  SHACL violations (focus node, path, message)
    ├── StoreLocked              423  the store is open in another process
    ├── QueryTimeout             503  query stopped after REGIOKG_QUERY_TIMEOUT
    │   └── QueryMemoryExceeded  503  query stopped at REGIOKG_QUERY_MEMORY_MB
    └── StoreError               500  the store itself failed

Every message says what is wrong, where, and what to do next. The CLI prints it as one
line; the API answers ``{"error": {"status", "code", "message", "details"}}``.
"""

from __future__ import annotations

from typing import Any


class RegiokgError(Exception):
    status: int = 500
    code: str = "error"

    def __init__(self, message: str, *, details: Any = None, code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.details = details
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "code": self.code, "message": self.message, "details": self.details}


class BadInput(RegiokgError):
    status = 400
    code = "bad_input"


class ParseError(BadInput):
    code = "parse_error"

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None, **kw: Any):
        super().__init__(message, **kw)
        self.file = file
        self.line = line
        if self.details is None:
            self.details = {"file": file, "line": line}


class QueryError(BadInput):
    code = "query_error"


class RefusedOperation(BadInput):
    code = "refused_operation"


class QueryTooComplex(BadInput):
    code = "query_too_complex"


class Unauthorized(RegiokgError):
    status = 401
    code = "unauthorized"


class Forbidden(RegiokgError):
    status = 403
    code = "forbidden"


class NotFound(RegiokgError):
    status = 404
    code = "not_found"


class NotAcceptable(RegiokgError):
    status = 406
    code = "not_acceptable"


class PayloadTooLarge(RegiokgError):
    status = 413
    code = "payload_too_large"


class ValidationFailed(RegiokgError):
    """SHACL validation found violations; ``details`` lists them.

    Each violation is a dict with ``focus_node``, ``path``, ``constraint``, ``message``,
    ``value`` and ``graph`` (where known).
    """

    status = 422
    code = "validation_failed"

    def __init__(self, message: str, *, violations: list[dict[str, Any]] | None = None, report_text: str = "", **kw: Any):
        super().__init__(message, details=violations or [], **kw)
        self.violations = violations or []
        self.report_text = report_text


class StoreLocked(RegiokgError):
    status = 423
    code = "store_locked"


class QueryTimeout(RegiokgError):
    status = 503
    code = "query_timeout"


class StoreError(RegiokgError):
    status = 500
    code = "store_error"


class QueryMemoryExceeded(QueryTimeout):
    code = "query_memory_exceeded"
