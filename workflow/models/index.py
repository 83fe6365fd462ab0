"""The package index (argospm's format) and downloading packages listed in it."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol
from urllib.parse import urljoin, urlsplit, urlunsplit

from workflow import __version__
from workflow.errors import ModelError
from workflow.models.install import _ensure_packages_dir, _install_archive, _workspace
from workflow.models.locations import _argos_setting, _reason
from workflow.models.package import InstalledModel, _PackageName, _text, version_key
from workflow.units import format_size

#: The argospm index, as argostranslate builds it from its default
#: ``ARGOS_PACKAGE_INDEX`` (a base URL to which it appends ``index.json``).
#: Any index location is read with `resolve_index`.
DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"

#: The index is about 30 kB.
_MAX_INDEX_BYTES = 16 * 1024**2

_CHUNK_BYTES = 256 * 1024
_DOWNLOAD_SCHEMES = ("http", "https", "file")
_USER_AGENT = f"l10n-workflow/{__version__}"


@dataclass(frozen=True)
class IndexEntry(_PackageName):
    """One package listed in a package index (see `parse_index`)."""

    from_code: str
    to_code: str
    package_version: str
    code: str
    #: Download links, made absolute; links of other kinds (``ipfs://``) are
    #: kept here but never used.
    links: tuple[str, ...]
    type: str = "translate"


class DownloadProgress(Protocol):
    """Receives the progress of a download (a progress bar, or a test's recorder).

    `start` is called once the size is known (``None`` when the server does
    not say), `advance` after each chunk, and `finish` once after every
    `start`, whether the download succeeded or not.
    """

    def start(self, total_bytes: int | None, description: str) -> None:
        """A download of `total_bytes` begins."""

    def advance(self, n: int) -> None:
        """`n` more bytes arrived."""

    def finish(self) -> None:
        """The download is over."""


def default_index_url() -> str:
    """The index argostranslate reads: `resolve_index` of ``ARGOS_PACKAGE_INDEX``, or the default.

    ``ARGOS_PACKAGE_INDEX`` (environment or ``settings.json``) is the base
    URL of a mirror of the argospm index, as for ``argospm``; the URL of an
    index file ending in ``.json`` is accepted too.
    """
    location = os.environ.get("ARGOS_PACKAGE_INDEX") or _argos_setting("ARGOS_PACKAGE_INDEX")
    return resolve_index(location) if location else DEFAULT_INDEX_URL


def resolve_index(location: str | None) -> str:
    """The URL of the index file that `location` names; `default_index_url` for ``None``.

    A location whose path ends in ``.json`` is the index file itself; any
    other is a base (a mirror's folder) to which ``index.json`` is appended,
    which is argostranslate's convention for ``ARGOS_PACKAGE_INDEX``. A local
    path becomes a ``file://`` URL.

    >>> resolve_index("http://127.0.0.1:8000/")
    'http://127.0.0.1:8000/index.json'
    >>> resolve_index("https://mirror.example/argos")
    'https://mirror.example/argos/index.json'
    >>> resolve_index("https://mirror.example/argos/index-2024.json?v=2")
    'https://mirror.example/argos/index-2024.json?v=2'
    """
    if not location:
        return default_index_url()
    url = _as_url(location)
    parts = urlsplit(url)
    if parts.path.lower().endswith(".json"):
        return url
    # argostranslate appends "index.json" to the base as it is; a base
    # without its final slash would give ".../mainindex.json".
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit(parts._replace(path=path + "index.json"))


def parse_index(data: bytes | str, *, base_url: str) -> list[IndexEntry]:
    """The packages listed in an argospm index (a JSON list of package metadata).

    Relative links are resolved against `base_url`, so a mirror can list its
    packages next to its index. Entries without language codes are skipped.

    >>> text = '[{"from_code": "en", "to_code": "ko", "package_version": "1.1",'
    >>> text += ' "links": ["ipfs://Qm", "translate-en_ko-1_1.argosmodel"]}]'
    >>> [entry] = parse_index(text, base_url="https://mirror.example/argos/index.json")
    >>> entry.label, entry.links[1]
    ('translate-en_ko 1.1', 'https://mirror.example/argos/translate-en_ko-1_1.argosmodel')
    """
    try:
        index = json.loads(data)
    except (ValueError, UnicodeDecodeError) as err:
        raise ModelError(f"the package index is not valid JSON: {err}", path=base_url) from None
    if not isinstance(index, list):
        raise ModelError("the package index is not a JSON list of packages", path=base_url)
    entries = []
    for item in index:
        if not isinstance(item, dict):
            continue
        from_code, to_code = item.get("from_code"), item.get("to_code")
        if not isinstance(from_code, str) or not isinstance(to_code, str):
            continue
        links = item.get("links")
        links = links if isinstance(links, list) else []
        kind = _text(item.get("type")) or "translate"
        entries.append(
            IndexEntry(
                from_code=from_code,
                to_code=to_code,
                package_version=_text(item.get("package_version")),
                code=_text(item.get("code")) or f"{kind}-{from_code}_{to_code}",
                links=tuple(urljoin(base_url, link) for link in links if isinstance(link, str)),
                type=kind,
            )
        )
    return entries


def fetch_index(location: str, *, timeout: float = 30.0) -> list[IndexEntry]:
    """Read a package index from an http(s) or ``file://`` URL, or a local path.

    `location` is read with `resolve_index` (a base gets ``index.json``);
    errors name the URL fetched.
    """
    url = resolve_index(location)
    with _open_url(url, timeout=timeout, what="the package index") as response:
        try:
            data = response.read(_MAX_INDEX_BYTES + 1)
        except OSError as err:
            raise ModelError(f"cannot read the package index: {_reason(err)}", path=url) from err
    if len(data) > _MAX_INDEX_BYTES:
        raise ModelError(f"the package index is over {format_size(_MAX_INDEX_BYTES)}", path=url)
    return parse_index(data, base_url=url)


def install_from_index(
    to_code: str,
    *,
    index_url: str | None = None,
    entries: Sequence[IndexEntry] | None = None,
    progress: DownloadProgress | None = None,
    from_code: str = "en",
    timeout: float = 30.0,
) -> InstalledModel:
    """Download the newest package for the pair listed in the index, check it, install it.

    `index_url` (see `resolve_index`) defaults to `default_index_url`;
    `entries`, when given, are that index as `fetch_index` read it already,
    so that several languages cost one fetch. Links are tried in order until
    one gives a valid package; downloads go to the staging folder (see
    `staging_dir`), never into the package folder.
    """
    url = resolve_index(index_url)
    listed = fetch_index(url, timeout=timeout) if entries is None else entries
    matches = [
        e
        for e in listed
        if e.type == "translate" and (e.from_code, e.to_code) == (from_code, to_code)
    ]
    if not matches:
        raise ModelError(f"the package index lists no {from_code}→{to_code} package", path=url)
    entry = max(matches, key=lambda e: version_key(e.package_version))
    links = [link for link in entry.links if urlsplit(link).scheme in _DOWNLOAD_SCHEMES]
    if not links:
        raise ModelError(f"{entry.label} has no http(s) download link in the index", path=url)

    root = _ensure_packages_dir()
    errors: list[ModelError] = []
    with _workspace(root) as work:
        for i, link in enumerate(links):
            download = work / f"download-{i}.argosmodel"
            try:
                try:
                    with download.open("wb") as out:
                        _download(
                            link, out, progress=progress, description=entry.label, timeout=timeout
                        )
                except OSError as err:
                    raise ModelError(
                        f"cannot save the download: {_reason(err)}", path=link
                    ) from err
                try:
                    return _install_archive(
                        download, root, work, from_code=from_code, to_code=to_code
                    )
                except ModelError as err:
                    # The staged file's name means nothing to the user; the link does.
                    raise ModelError(err.message, path=link) from err
            except ModelError as err:
                errors.append(err)
            finally:
                download.unlink(missing_ok=True)
    if len(errors) == 1:
        raise errors[0]
    raise ModelError(
        f"every download link of {entry.label} failed: " + "; ".join(map(str, errors)), path=url
    )


def _as_url(location: str) -> str:
    """`location` as a URL: http(s) and file URLs as they are, a local path as a file URL."""
    scheme = urlsplit(location).scheme
    if scheme in _DOWNLOAD_SCHEMES:
        return location
    if not scheme or re.match(r"[A-Za-z]:[\\/]", location):
        return Path(location).expanduser().resolve().as_uri()
    raise ModelError(f"unsupported URL scheme {scheme!r} (use http, https or file)", path=location)


def _open_url(url: str, *, timeout: float, what: str = "") -> Any:
    """The response for `url`, or a `ModelError` with the status or the network error.

    `what` (e.g. "the package index") starts the message, so that the user
    knows what the URL was fetched for.
    """
    import urllib.error
    import urllib.request

    status = f"cannot fetch {what}: " if what else ""
    failure = f"cannot fetch {what}: " if what else "cannot open: "
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    try:
        return urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as err:
        err.close()
        raise ModelError(f"{status}HTTP {err.code} {err.reason}", path=url) from None
    except urllib.error.URLError as err:
        reason = err.reason if isinstance(err.reason, str) else _reason(err.reason)
        raise ModelError(f"{failure}{reason}", path=url) from None
    except (OSError, ValueError) as err:
        raise ModelError(f"{failure}{_reason(err)}", path=url) from None


def _download(
    url: str,
    out: IO[bytes],
    *,
    progress: DownloadProgress | None,
    description: str,
    timeout: float,
) -> int:
    """Stream `url` into `out`; return the byte count. Short downloads are errors."""
    import http.client

    with _open_url(url, timeout=timeout) as response:
        total = _content_length(response.headers.get("Content-Length"))
        got = 0
        if progress is not None:
            progress.start(total, description)
        try:
            for chunk in _chunks(response):
                out.write(chunk)
                got += len(chunk)
                if progress is not None:
                    progress.advance(len(chunk))
        except (OSError, http.client.HTTPException) as err:
            if total is not None and got < total:
                raise ModelError(
                    f"download truncated: got {got} of {total} bytes ({_reason(err)})", path=url
                ) from err
            raise ModelError(f"download failed: {_reason(err)}", path=url) from err
        finally:
            if progress is not None:
                progress.finish()
    if total is not None and got < total:
        raise ModelError(f"download truncated: got {got} of {total} bytes", path=url)
    return got


def _chunks(response: Any) -> Iterator[bytes]:
    while chunk := response.read(_CHUNK_BYTES):
        yield chunk


def _content_length(value: str | None) -> int | None:
    try:
        return int(value) if value is not None and int(value) >= 0 else None
    except ValueError:
        return None
