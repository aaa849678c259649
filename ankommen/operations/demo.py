"""Demo data: each app registers a seeder here in its ready(), so the kernel imports no app.

A seeder receives the shared random generator (deterministic for a given --seed) and the
command's options, writes with bulk operations, and returns what it created for the summary.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SizeOption:
    name: str
    default: int
    help: str


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    url: str = ""  # people who sign in by personal link (newcomers) have a URL instead


@dataclass(frozen=True)
class Seeder:
    name: str
    order: int
    run: Callable[["DemoContext"], dict[str, int]]
    sizes: tuple[SizeOption, ...] = ()
    logins: tuple[DemoLogin, ...] = ()


@dataclass
class DemoContext:
    rng: random.Random
    sizes: dict[str, int]
    shared: dict[str, Any] = field(default_factory=dict)  # what one seeder leaves for the next


_seeders: dict[str, Seeder] = {}


def register_seeder(
    name: str,
    *,
    order: int,
    sizes: tuple[SizeOption, ...] = (),
    logins: tuple[DemoLogin, ...] = (),
) -> Callable[[Callable[[DemoContext], dict[str, int]]], Callable[[DemoContext], dict[str, int]]]:
    def decorator(
        run: Callable[[DemoContext], dict[str, int]],
    ) -> Callable[[DemoContext], dict[str, int]]:
        _seeders[name] = Seeder(name=name, order=order, run=run, sizes=sizes, logins=logins)
        return run

    return decorator


def seeders() -> list[Seeder]:
    return sorted(_seeders.values(), key=lambda seeder: seeder.order)


def demo_logins() -> list[DemoLogin]:
    return [login for seeder in seeders() for login in seeder.logins]
