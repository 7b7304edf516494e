"""The only files WeasyPrint may read: the rendition's own assets, at a made-up address.

Article content is untrusted. Pages and stylesheets live at ``VIRTUAL_ROOT``; the fetcher
serves only the rendition's assets from it, so nothing else on disk or on the network is
reachable, in this process or in a worker laying out one part of the issue.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from exporter.render.rendition import Asset

VIRTUAL_ROOT = "file:///exporter-rendition/"


class SandboxViolation(FatalURLFetchingError):
    """Raised inside WeasyPrint's fetch to stop the render (not just log a warning)."""


class RenditionFetcher(URLFetcher):
    def __init__(self, assets: dict[str, Asset]) -> None:
        super().__init__(allowed_protocols={"file", "data"})
        self.assets = assets

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if not url.startswith(VIRTUAL_ROOT):
            kind = "a network URL" if urlsplit(url).scheme not in ("file", "") else "a local file"
            raise SandboxViolation(f'"{url}" is {kind} outside the bulletin, which is refused')
        href = unquote(urlsplit(url).path)[len(urlsplit(VIRTUAL_ROOT).path) :]
        asset = self.assets.get(href)
        if asset is None:
            raise SandboxViolation(f'"{href}" is not a file of this bulletin or its theme')
        return URLFetcherResponse(
            url, body=asset.read(), headers={"Content-Type": asset.media_type}
        )
