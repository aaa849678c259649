"""Hooks: the one way a lower app lets higher apps plug in without importing them.

A hook is declared once, in the lower app that calls it (`declare`), typed by what its
providers are (a Protocol, a dataclass, a callable signature), with what it is for and two
promises the portal checks at start-up (Django system checks):

- `required`: the portal breaks a promise if nobody provides it (a volunteer's withdrawal that
  ends nothing), so no provider is an error (ankommen.E001);
- `single`: exactly one app may provide it (how many newcomers a volunteer accompanies), so a
  second provider is an error (ankommen.E002) instead of the last one silently winning.

Higher apps register their providers in one place each: the `register()` function of their
`integrations` module, called from their `AppConfig.ready()`. Tests swap providers with
`register_temporarily`, never by patching a module's private list.
"""

from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from django.apps import AppConfig
from django.core import checks

T = TypeVar("T")


class Hook(Generic[T]):
    """A named place that collects providers of type T.

    `key` names a provider (a segment's kind, a bulk action's key): a second provider under the
    same key is refused when it registers. `order` sorts providers for whoever shows them (menu
    entries, page panels); without it they keep the order in which apps registered them.
    """

    def __init__(
        self,
        name: str,
        doc: str,
        *,
        required: bool = False,
        single: bool = False,
        key: Callable[[T], Hashable] | None = None,
        order: Callable[[T], Any] | None = None,
    ) -> None:
        self.name = name
        self.doc = doc
        self.required = required
        self.single = single
        self._key = key
        self._order = order
        self._providers: list[T] = []

    def register(self, provider: T) -> T:
        """Returns the provider, so that it also works as a decorator."""
        if self._key is not None:
            key = self._key(provider)
            if self.get(key) is not None:
                raise ValueError(f"{self.name}: {key!r} is registered twice.")
        self._providers.append(provider)
        if self._order is not None:
            self._providers.sort(key=self._order)
        return provider

    def providers(self) -> list[T]:
        return list(self._providers)

    def get(self, key: Hashable) -> T | None:
        """The provider registered under `key` (keyed hooks only)."""
        if self._key is None:
            raise TypeError(f"{self.name} is not keyed.")
        return next((item for item in self._providers if self._key(item) == key), None)

    def one(self) -> T | None:
        """The provider of a single hook, or None when no app provides it."""
        if not self.single:
            raise TypeError(f"{self.name} takes several providers; ask for providers().")
        return self._providers[0] if self._providers else None

    @contextmanager
    def register_temporarily(self, provider: T) -> Iterator[T]:
        """For tests: the provider takes part inside the block only. A single hook's provider
        is replaced for the block, so the test sees exactly the one it registered."""
        saved = list(self._providers)
        if self.single:
            self._providers.clear()
        if self._key is not None:
            key = self._key(provider)
            self._providers = [item for item in self._providers if self._key(item) != key]
        self.register(provider)
        try:
            yield provider
        finally:
            self._providers = saved

    def __repr__(self) -> str:
        return f"<Hook {self.name} ({len(self._providers)} providers)>"


_hooks: dict[str, Hook[Any]] = {}


def declare(
    name: str,
    doc: str,
    *,
    required: bool = False,
    single: bool = False,
    key: Callable[[T], Hashable] | None = None,
    order: Callable[[T], Any] | None = None,
) -> Hook[T]:
    """Declare the hook `name` and make it known to the start-up checks; once per name."""
    if name in _hooks:
        raise ValueError(f"The hook {name!r} is declared twice.")
    hook: Hook[T] = Hook(name, doc, required=required, single=single, key=key, order=order)
    _hooks[name] = hook
    return hook


def declared_hooks() -> list[Hook[Any]]:
    return sorted(_hooks.values(), key=lambda hook: hook.name)


def broken_promises(hooks: Sequence[Hook[Any]]) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for hook in hooks:
        count = len(hook.providers())
        if hook.required and count == 0:
            errors.append(
                checks.Error(
                    f"Nobody provides the required hook {hook.name!r}.",
                    hint=f"{hook.doc} Register a provider in an app's integrations.register().",
                    obj=hook.name,
                    id="ankommen.E001",
                )
            )
        if hook.single and count > 1:
            names = ", ".join(_provider_name(item) for item in hook.providers())
            errors.append(
                checks.Error(
                    f"The hook {hook.name!r} takes one provider, and {count} registered: {names}.",
                    hint=hook.doc,
                    obj=hook.name,
                    id="ankommen.E002",
                )
            )
    return errors


def _provider_name(provider: object) -> str:
    module = getattr(provider, "__module__", type(provider).__module__)
    name = getattr(provider, "__qualname__", type(provider).__qualname__)
    return f"{module}.{name}"


@checks.register()
def check_hooks(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[checks.CheckMessage]:
    return broken_promises(declared_hooks())
