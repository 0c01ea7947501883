"""gunicorn's access log without URL secrets or query strings.

Run gunicorn with ``--logger-class config.access_log.AccessLogger`` (the Dockerfile and
docker-compose.yml do): the request line, path and referer are logged through
``config.request_log.redact_url``, so a calendar feed's token (the whole of a feed's
protection) and query strings (search words) never reach the access log.
"""

from __future__ import annotations

from gunicorn.glogging import Logger

from config.request_log import redact_secrets, redact_url


class AccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time):  # type: ignore[no-untyped-def]
        atoms = super().atoms(resp, req, environ, request_time)
        uri = redact_url(environ.get("RAW_URI") or environ.get("PATH_INFO") or "")
        atoms["r"] = f"{environ.get('REQUEST_METHOD', '-')} {uri} {environ.get('SERVER_PROTOCOL', '-')}"
        for name, value in atoms.items():
            if not isinstance(value, str) or name == "r":
                continue
            if name in ("q", "{query_string}e"):
                atoms[name] = "-"
            elif name in ("U", "f", "{referer}i", "{raw_uri}e", "{http_referer}e", "{path_info}e"):
                atoms[name] = redact_url(value)
            else:  # any other header or environ value that happens to carry a feed address
                atoms[name] = redact_secrets(value)
        return atoms
