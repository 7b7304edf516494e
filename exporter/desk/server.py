"""``exporter serve``: the editor's live preview, a local web page over :class:`Preview`.

Routes are few and closed: the page and its script, the state as JSON, a stream of update
events (server-sent events), page images by token, and the e-book's chapters and their own
files by their names in the rendition. Every other path — ``../``, an absolute path, a file of
the bulletin that is not part of an edition, a symlink out of the folder — is a 404: nothing is
looked up on disk from a URL. Files are watched with watchfiles; a save lays out again only what
changed and tells every open page, which fetches the pages whose token changed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import asdict
from importlib.resources import files
from pathlib import Path

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from .preview import Preview

STATIC = files("exporter.desk") / "static"
_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css"}
_NO_STORE = {"Cache-Control": "no-store"}
# Our own pages: no inline script, nothing fetched from elsewhere.
_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "font-src 'self'; frame-src 'self'; connect-src 'self'; object-src 'none'"
)


class Desk:
    """The preview and the open pages waiting for its next version."""

    def __init__(self, preview: Preview, watch: list[Path] | None = None) -> None:
        self.preview = preview
        self.watch = watch or [preview.root]
        self.changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _notify(self) -> None:
        changed, self.changed = self.changed, asyncio.Event()
        changed.set()

    def _early(self, snapshot: object) -> None:
        """From the layout thread: a changed page is ready before its section is done."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._notify)

    async def rebuild(self) -> None:
        await anyio.to_thread.run_sync(self.preview.rebuild)
        self._notify()

    async def watching(self) -> None:
        from watchfiles import awatch

        async for _ in awatch(*self.watch, debounce=40, step=10, recursive=True):
            await self.rebuild()

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        self._loop = asyncio.get_running_loop()
        self.preview.on_early = self._early
        if self.preview.snapshot.version == 0:
            await self.rebuild()
        self._task = asyncio.create_task(self.watching())
        try:
            yield
        finally:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


def _state(preview: Preview) -> dict[str, object]:
    snapshot = preview.snapshot
    chapters = [{"href": href, "title": title} for href, title in preview.chapters()]
    return {
        "version": snapshot.version,
        "building": preview.building,
        "error": snapshot.error,
        "seconds": round(snapshot.seconds, 3),
        "publication": preview.bulletin.title if preview.bulletin else "",
        "pages": [asdict(page) for page in snapshot.pages],
        "problems": [asdict(problem) for problem in snapshot.problems],
        "chapters": chapters,
    }


def create_app(desk: Desk) -> Starlette:
    preview = desk.preview

    async def static(request: Request) -> Response:
        name = request.path_params.get("name", "preview.html")
        if name not in ("preview.html", "preview.js", "preview.css"):
            return Response("not found", 404)
        body = (STATIC / name).read_bytes()
        media = _TYPES[Path(name).suffix]
        return Response(
            body, media_type=media, headers={**_NO_STORE, "Content-Security-Policy": _CSP}
        )

    async def state(request: Request) -> Response:
        data = await anyio.to_thread.run_sync(_state, preview)
        return JSONResponse(data, headers=_NO_STORE)

    async def page(request: Request) -> Response:
        token = request.path_params["token"]
        png = await anyio.to_thread.run_sync(preview.page_png, token)
        if png is None:
            return Response("not found", 404)
        # A token names one look of one page: it never changes, so it may be kept.
        return Response(png, media_type="image/png", headers={"Cache-Control": "max-age=3600"})

    async def chapter(request: Request) -> Response:
        href = request.path_params["href"]
        epub = await anyio.to_thread.run_sync(preview.epub_rendition)
        if epub is None:
            return Response("not found", 404)
        for item in epub.pages:
            if item.href == href:
                return Response(item.html, media_type="application/xhtml+xml", headers=_NO_STORE)
        for sheet in epub.stylesheets:
            if sheet.href == href:
                return Response(sheet.text, media_type="text/css", headers=_NO_STORE)
        asset = epub.assets.get(href)
        if asset is None:
            return Response("not found", 404)
        return Response(asset.read(), media_type=asset.media_type, headers=_NO_STORE)

    async def events(request: Request) -> Response:
        async def stream() -> AsyncIterator[str]:
            yield f"event: update\ndata: {json.dumps(preview.snapshot.version)}\n\n"
            while not await request.is_disconnected():
                waiting = desk.changed
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(waiting.wait(), timeout=15)
                    yield f"event: update\ndata: {json.dumps(preview.snapshot.version)}\n\n"
                    continue
                yield ": still here\n\n"

        return StreamingResponse(
            stream(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
        )

    async def not_found(request: Request, exc: Exception) -> Response:
        return Response("not found", 404)

    routes = [
        Route("/", static),
        Route("/static/{name}", static),
        Route("/api/state", state),
        Route("/events", events),
        Route("/page/{token:str}.png", page),
        Route("/epub/{href:path}", chapter),
    ]
    return Starlette(
        routes=routes, lifespan=desk.lifespan, exception_handlers={404: not_found, 405: not_found}
    )


LOCAL = "127.0.0.1"


def watched(preview: Preview) -> list[Path]:
    """The bulletin and every folder of its theme: saving any of them updates the pages."""
    theme = preview.theme
    return [preview.root, *(d for d in [*theme.template_dirs, *theme.style_dirs] if d.is_dir())]


def serve(root: Path, theme_dirs: list[Path], host: str = LOCAL, port: int = 8700) -> None:
    """Run the preview until interrupted (the CLI's ``serve`` calls this)."""
    import uvicorn

    from exporter.render.theme import Theme

    preview = Preview(root, Theme(list(theme_dirs)))
    desk = Desk(preview, watched(preview))
    uvicorn.run(create_app(desk), host=host, port=port, log_level="warning")
