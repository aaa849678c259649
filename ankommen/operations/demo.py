"""Demo data: each app registers a seeder (DEMO_SEEDERS), so the kernel imports no app.

A seeder receives the shared random generator (deterministic for a given --seed) and the
command's options, writes with bulk operations, and returns what it created for the summary.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ankommen.hooks import Hook, declare


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


DEMO_SEEDERS: Hook[Seeder] = declare(
    "operations.demo_seeders",
    "What `seed_demo` (and `make run`) writes for each app, in order: people first, then what "
    "refers to them.",
    key=lambda seeder: seeder.name,
    order=lambda seeder: seeder.order,
)


def demo_seeder(
    name: str,
    *,
    order: int,
    sizes: tuple[SizeOption, ...] = (),
    logins: tuple[DemoLogin, ...] = (),
) -> Callable[[Callable[[DemoContext], dict[str, int]]], Seeder]:
    """Turns a seeding function into a Seeder, which the app registers in its integrations."""

    def decorator(run: Callable[[DemoContext], dict[str, int]]) -> Seeder:
        return Seeder(name=name, order=order, run=run, sizes=sizes, logins=logins)

    return decorator


def seeders() -> list[Seeder]:
    return DEMO_SEEDERS.providers()


def demo_logins() -> list[DemoLogin]:
    return [login for seeder in seeders() for login in seeder.logins]
