"""Demo data for `make run`: each app registers a loader; each loader runs once per database.

A loader is a function `(actor, stdout) -> None`. A finished loader is recorded as a
`demo.loaded` event on the system user, so `salesdesk demo --once` skips it next time while
loaders added by later versions still run.
"""

from collections.abc import Callable
from dataclasses import dataclass

Loader = Callable[..., None]


@dataclass(frozen=True)
class DemoLoader:
    name: str
    order: int
    func: Loader


_LOADERS: dict[str, DemoLoader] = {}


def register(name: str, *, order: int = 100) -> Callable[[Loader], Loader]:
    def decorator(func: Loader) -> Loader:
        _LOADERS[name] = DemoLoader(name, order, func)
        return func

    return decorator


def loaders() -> list[DemoLoader]:
    return sorted(_LOADERS.values(), key=lambda loader: (loader.order, loader.name))
