"""Child side: act on a module once it has loaded: at once if it has, else as its import ends.

The post's process patches libraries (`showhooks`) and seeds numpy's random state (`worker`)
without importing them itself: a post that never imports them never pays for them, and
`from bokeh.plotting import show` gets the patched function.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import types
from collections.abc import Callable, Sequence
from typing import Any

Action = Callable[[types.ModuleType], None]

_waiting: dict[str, list[Action]] = {}  # module name -> what to do once it has loaded


class _AfterImport(importlib.abc.MetaPathFinder):
    """Finds nothing itself: wraps the real loader of the modules waited for."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        actions = _waiting.get(fullname)
        if not actions:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        loader: Any = spec.loader
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        original = loader.exec_module

        def exec_module(module: types.ModuleType) -> None:
            original(module)
            for action in actions:
                action(module)

        loader.exec_module = exec_module  # this module's own loader instance only
        return spec


def when_loaded(name: str, action: Action) -> None:
    """Call `action(module)` now if the module `name` has loaded, else as soon as it has."""
    module = sys.modules.get(name)
    if module is not None:  # imported already (by the fork server's preload, say)
        action(module)
        return
    _waiting.setdefault(name, []).append(action)
    if not any(isinstance(finder, _AfterImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _AfterImport())
