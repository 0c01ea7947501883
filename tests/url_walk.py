"""Every URL pattern of the service, found by walking the resolver, as a template to fill in.

Used by the tests that must reach every page (bad bytes, Redis down): a URL added later by
anyone is covered without touching them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

SAMPLE = {"int": "1", "uuid": "00000000-0000-0000-0000-000000000001"}
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?:[^()]|\([^()]*\))*\)")


@dataclass(frozen=True)
class UrlShape:
    """A URL pattern as a template: ``{}`` where a free-text parameter goes."""

    name: str
    template: str

    def with_value(self, value: str) -> str:
        return self.template.replace("{}", value)


def _as_template(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return PARAMETER.sub(lambda m: SAMPLE.get(m.group("converter") or "str", "{}"), str(pattern))
    # Regex patterns (allauth's confirm-email and password-reset keys, the admin's app index
    # and catch-all): every named group becomes a free-text slot.
    text = REGEX_GROUP.sub("{}", str(pattern.regex.pattern))
    return text.replace("^", "").replace("$", "").replace("\\", "")


def url_shapes() -> list[UrlShape]:
    found: list[UrlShape] = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, prefix + _as_template(entry.pattern), ns)
            elif isinstance(entry, URLPattern):
                template = "/" + prefix + _as_template(entry.pattern)
                if "{}" not in template:
                    # No free-text parameter: the bad bytes ride in an extra path segment.
                    template = template.rstrip("/") + "/{}/" if template.endswith("/") else template + "{}"
                found.append(UrlShape(f"{namespace}{entry.name or template}", template))

    walk(get_resolver().url_patterns, "", "")
    return found


