"""HTTP GET for URLs that people outside the team choose (feeds): public addresses only.

Only http(s) (no file:, ftp: or data: handlers, also after a redirect); the peer of every
connection must be a public address, so a URL cannot reach into the company's own network
(INSIGHTS_FEED_ALLOW_PRIVATE turns that off); the whole exchange has a deadline and the
body a size limit. Every failure is a FetchError whose message a staff member can act on.
"""

import http.client
import ipaddress
import socket
import ssl
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings

USER_AGENT = "Rapport feed reader"
DEFAULT_TIMEOUT_SECONDS = 10  # settings.INSIGHTS_FEED_TIMEOUT_SECONDS overrides it (tests use a fraction)
MAX_FEED_BYTES = 10 * 1024 * 1024
READ_CHUNK = 64 * 1024


class FetchError(Exception):
    """A URL could not be read; the message says why."""


@dataclass
class Response:
    url: str
    headers: dict[str, str]  # lower-case names
    body: bytes


def _timeout() -> float:
    return float(getattr(settings, "INSIGHTS_FEED_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS))


class PrivateAddress(OSError):
    """The URL's host is on a private, local or reserved network: Rapport does not fetch it."""


PRIVATE_MESSAGE = "it is on a private or local network, which Rapport does not fetch"


def _public_connection(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None, *args, **kwargs):
    """`socket.create_connection`, but the host is resolved first and every address it resolves to must be
    public, before any connection is made; then the connection goes to the checked address (no second DNS
    lookup that could answer differently). The same refusal whatever the address, port or scheme, so it
    tells nothing about the internal network. INSIGHTS_FEED_ALLOW_PRIVATE turns the check off.
    """
    host, port = address
    if settings.INSIGHTS_FEED_ALLOW_PRIVATE:
        return socket.create_connection(address, timeout, source_address, *args, **kwargs)
    answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    for *_, sockaddr in answers:
        ip = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if not (getattr(ip, "ipv4_mapped", None) or ip).is_global:
            raise PrivateAddress(PRIVATE_MESSAGE)
    last_error: OSError | None = None
    for family, kind, protocol, _, sockaddr in answers:
        sock = socket.socket(family, kind, protocol)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            sock.close()
            last_error = exc
    raise last_error or OSError(f"no address for {host}")


class _PublicOnly:
    """Connections that only ever reach public addresses (see _public_connection); https keeps the host
    name for SNI and certificate checks, since only the socket underneath is made differently."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _public_connection


class _HTTPConnection(_PublicOnly, http.client.HTTPConnection):
    pass


class _HTTPSConnection(_PublicOnly, http.client.HTTPSConnection):
    pass


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_HTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_HTTPSConnection, req, context=self._context)


def _opener() -> urllib.request.OpenerDirector:
    # Only HTTP(S): unlike urllib's default opener, no file:, ftp: or data: handler, so a
    # redirect cannot make the poller read a local file or another protocol; and only
    # public addresses (_PublicOnly), so a feed URL cannot reach into our own network.
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        _HTTPHandler(),
        _HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPRedirectHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _unreachable(reason) -> str:
    if isinstance(reason, PrivateAddress):
        why = PRIVATE_MESSAGE
    elif isinstance(reason, ConnectionRefusedError):
        why = "the server refused the connection"
    elif isinstance(reason, socket.gaierror):
        why = "its host name was not found"
    elif isinstance(reason, ssl.SSLCertVerificationError):
        why = "its HTTPS certificate could not be verified"
    elif isinstance(reason, ssl.SSLError):
        why = "the secure (HTTPS) connection failed"
    else:
        why = str(getattr(reason, "strerror", None) or reason) or reason.__class__.__name__
    return f"This address could not be reached ({why})."


def fetch(url: str, *, etag: str = "", last_modified: str = "") -> Response | None:
    """GET `url`, conditionally when validators are given. None means 304 Not Modified.

    The whole exchange, not only each socket read, must end within the timeout, and
    the body may not exceed MAX_FEED_BYTES; otherwise FeedError.
    """
    timeout = _timeout()
    too_slow = f"This address did not answer within {timeout:g} seconds."
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)
    deadline = time.monotonic() + timeout
    too_large = f"The feed is larger than {MAX_FEED_BYTES // (1024 * 1024)} MB, the most Rapport reads."
    try:
        with _opener().open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > MAX_FEED_BYTES:
                raise FetchError(too_large)
            chunks, size = [], 0
            while chunk := response.read(READ_CHUNK):
                size += len(chunk)
                if size > MAX_FEED_BYTES:
                    raise FetchError(too_large)
                if time.monotonic() > deadline:
                    raise FetchError(too_slow)
                chunks.append(chunk)
            return Response(
                url=response.geturl(),
                headers={name.lower(): value for name, value in response.headers.items()},
                body=b"".join(chunks),
            )
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return None
        raise FetchError(f"This address answered with an error (HTTP {exc.code} {exc.reason}), not a feed.") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise FetchError(too_slow) from exc
        raise FetchError(_unreachable(exc.reason)) from exc
    except TimeoutError as exc:
        raise FetchError(too_slow) from exc
    except (http.client.HTTPException, OSError) as exc:
        raise FetchError(f"The connection broke while reading this address ({exc.__class__.__name__}).") from exc
