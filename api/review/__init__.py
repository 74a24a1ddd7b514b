"""Review pages for clerks (issue 5), served by ``docintake serve`` under /review.

``install(app, services)`` is the one hook in ``api.app.create_app``. Importing this
package also imports the review tables, so ``Base.metadata`` is complete.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

import api.db.review_models  # noqa: F401  (the tables)
from api.services import Services

STATIC = Path(__file__).resolve().parent.parent / "static" / "review"


def install(app: FastAPI, services: Services) -> None:
    from api.review.auth import SessionCodec
    from api.review.routes import NotSignedIn, render, router
    from api.review.service import ReviewError

    settings = services.settings
    app.state.review_sessions = SessionCodec(settings.session_secret, settings.session_max_age_s)
    app.include_router(router)
    app.mount("/review/static", StaticFiles(directory=str(STATIC)), name="review-static")

    @app.exception_handler(NotSignedIn)
    async def _not_signed_in(request: Request, _: Any) -> Response:
        nxt = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method != "GET":
            nxt = "/review/"
        return RedirectResponse(f"/review/login?next={quote(nxt)}", status_code=303)

    @app.exception_handler(ReviewError)
    async def _review_error(request: Request, exc: Any) -> Response:
        return render(request, "review/error.html", {"message": exc.message, "status": exc.status}, exc.status)
