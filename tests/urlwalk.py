"""Walk every URL pattern in the project and turn each into a concrete path to request."""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

SAMPLE_BY_CONVERTER = {
    "int": "1",
    "str": "sample",
    "slug": "sample",
    "path": "sample",
    "uuid": "00000000-0000-4000-8000-000000000000",
}


@dataclass(frozen=True)
class Route:
    name: str | None  # namespaced view name, or None for unnamed routes
    path: str


def _piece(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        text = str(pattern._route)

        def fill(match: re.Match) -> str:
            converter = match.group(1) or "str"
            return SAMPLE_BY_CONVERTER.get(converter, "sample")

        return re.sub(r"<(?:(\w+):)?\w+>", fill, text)
    if isinstance(pattern, RegexPattern):
        text = pattern._regex.lstrip("^").rstrip("$").replace("\\Z", "")
        text = re.sub(r"\(\?P<\w+>[^)]*\)", "sample1", text)
        text = re.sub(r"\([^)]*\)\??", "", text)
        return text.replace("\\", "").replace("?", "")
    raise TypeError(f"unknown pattern type {pattern!r}")


def _walk(patterns, prefix: str, namespace: str | None):
    for entry in patterns:
        path = prefix + _piece(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = entry.namespace
            if namespace and inner:
                inner = f"{namespace}:{inner}"
            elif not inner:
                inner = namespace
            yield from _walk(entry.url_patterns, path, inner)
        elif isinstance(entry, URLPattern):
            name = entry.name
            if name and namespace:
                name = f"{namespace}:{name}"
            yield Route(name=name, path="/" + path)


def all_routes() -> list[Route]:
    """Every route with a path that resolves back to the same view name."""
    routes = []
    for route in _walk(get_resolver().url_patterns, "", None):
        match = resolve(route.path)
        if route.name is None or match.view_name == route.name:
            routes.append(route)
    return routes
