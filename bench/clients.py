"""HTTP clients for the bench: plain http.client from threads, one connection per request (gunicorn's
sync workers close the connection after each response), cookies set by hand.

Signed-in sessions are made in the bench process (``signed_in_session``) rather than through the
sign-in form, so the password hasher's deliberate slowness is not part of any figure. Cookies are
sent as headers because production names them ``__Host-…`` and marks them Secure, which a cookie
jar would refuse to send over plain HTTP on the loopback.
"""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils.crypto import get_random_string

CSRF_SECRET = get_random_string(32)


@dataclass
class Reply:
    status: int
    location: str
    ms: float


def post(port: int, path: str, data: dict[str, str], cookies: dict[str, str]) -> Reply:
    body = urlencode(data)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Host": f"127.0.0.1:{port}"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("POST", path, body, headers)
        response = conn.getresponse()
        response.read()
        return Reply(response.status, response.getheader("Location", ""), (time.perf_counter() - started) * 1000)
    finally:
        conn.close()


def signed_in_session(user, extra: dict | None = None) -> str:
    """A database session for ``user`` (as after sign-in) holding ``extra``; its key."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    for key, value in (extra or {}).items():
        store[key] = value
    store.create()
    return store.session_key


def cookies_for(session_key: str) -> dict[str, str]:
    from django.conf import settings

    return {settings.SESSION_COOKIE_NAME: session_key, settings.CSRF_COOKIE_NAME: CSRF_SECRET}


@dataclass
class Run:
    replies: list[Reply] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rps(self) -> float:
        return len(self.replies) / self.seconds if self.seconds else 0.0

    def p(self, q: int) -> float:
        times = sorted(r.ms for r in self.replies)
        if len(times) < 2:
            return times[0] if times else 0.0
        return statistics.quantiles(times, n=100, method="inclusive")[q - 1]


def concurrently(jobs: list[list], call, *, until: float | None = None) -> Run:
    """One thread per list in ``jobs``; each thread calls ``call(item)`` for its items in turn
    (or, with ``until``, repeats its first item until that many seconds have passed). All
    threads start together."""
    run = Run()
    lock = threading.Lock()
    barrier = threading.Barrier(len(jobs) + 1)

    def worker(items: list) -> None:
        barrier.wait()
        mine = []
        if until is None:
            mine = [call(item) for item in items]
        else:
            deadline = started + until
            while time.perf_counter() < deadline:
                mine.append(call(items[0]))
        with lock:
            run.replies.extend(mine)

    threads = [threading.Thread(target=worker, args=(items,)) for items in jobs]
    for t in threads:
        t.start()
    started = time.perf_counter()
    barrier.wait()
    for t in threads:
        t.join()
    run.seconds = time.perf_counter() - started
    return run
