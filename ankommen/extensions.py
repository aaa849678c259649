"""Extension points: where a lower app lets higher apps plug in without importing them.

A point is declared once, in the lower app, with what it is for and whether the portal keeps
its promises without anyone plugged in. Higher apps register providers in their
`AppConfig.ready()`. A required point that nobody implements is a start-up error (a Django
system check), not a promise that silently does nothing.
"""

from collections.abc import Iterable, Sequence
from typing import Any, Generic, TypeVar

from django.apps import AppConfig
from django.core import checks

T = TypeVar("T")


class ExtensionPoint(Generic[T]):
    """A named place that collects providers of type T (functions, panels, sources, ...)."""

    def __init__(self, name: str, doc: str, *, required: bool = False) -> None:
        self.name = name
        self.doc = doc
        self.required = required
        self._providers: list[T] = []

    def register(self, provider: T) -> T:
        """Returns the provider, so that it also works as a decorator."""
        self._providers.append(provider)
        return provider

    def providers(self) -> list[T]:
        return list(self._providers)

    def __repr__(self) -> str:
        return f"<ExtensionPoint {self.name} ({len(self._providers)} providers)>"


_points: dict[str, ExtensionPoint[Any]] = {}


def declare(point: ExtensionPoint[T]) -> ExtensionPoint[T]:
    """Make the point known to the start-up check; one point per name."""
    if point.name in _points:
        raise ValueError(f"The extension point {point.name!r} is declared twice.")
    _points[point.name] = point
    return point


def extension_points() -> list[ExtensionPoint[Any]]:
    return list(_points.values())


def missing_providers(points: Iterable[ExtensionPoint[Any]]) -> list[checks.CheckMessage]:
    return [
        checks.Error(
            f"Nobody implements the required extension point {point.name!r}.",
            hint=f"{point.doc} Register a provider in an AppConfig.ready().",
            obj=point.name,
            id="ankommen.E001",
        )
        for point in points
        if point.required and not point.providers()
    ]


@checks.register()
def check_required_extension_points(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[checks.CheckMessage]:
    return missing_providers(extension_points())
