"""The Jinja environment of a site (its templates/ first, then the packaged theme), and a
template rendered with any mistake in it reported at the template's file:line."""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

from lemma import __version__, theme_dir
from lemma.config import SiteConfig
from lemma.csp import ContentPolicy
from lemma.errors import TemplateError, TemplateNotFound
from lemma.model import SourceLocation
from lemma.templates import environment, template_folders
from lemma.wording import jinja_undefined_wording


def make_environment(config: SiteConfig) -> jinja2.Environment:
    """Site templates override the packaged theme file by file; undefined names are errors."""
    env = environment(template_folders(config.root, theme_dir()))
    env.globals.update(
        site=_site_view(config),
        url=config.url,
        absolute_url=config.absolute_url,
        lemma_version=__version__,
    )
    return env


def compile_templates(env: jinja2.Environment) -> None:
    """Compile the site's HTML templates ahead of the pages (`PostBodies.start_preparing`); a
    template with a mistake is left to `render_template`, which reports it when a page uses it."""
    for name in env.list_templates(extensions=["html"]):
        with contextlib.suppress(Exception):
            env.get_template(name)


def _site_view(config: SiteConfig) -> dict[str, Any]:
    return {
        "title": config.title,
        "description": config.description,
        "author": config.author,
        "language": config.language,
        "base_url": config.base_url,
        "repo_url": config.repo_url,
        "theme": dict(config.theme),
        "serve_mode": config.serve_mode,
        "search": config.search,
        "csp": content_policy(config).header(),
    }


def content_policy(config: SiteConfig) -> ContentPolicy:
    return ContentPolicy.for_site(config.csp, config.search)


def render_template(
    env: jinja2.Environment, name: str, context: Mapping[str, Any], config: SiteConfig
) -> str:
    """Render `name`; any template mistake becomes a LemmaError at the template's file:line."""
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"template syntax error: {exc.message}",
            _template_location(exc.filename or exc.name or name, exc.lineno, config),
        ) from exc
    except jinja2.TemplateNotFound as exc:
        missing = str(exc.name)
        including = _including_template(exc, config)
        raise TemplateNotFound(
            missing,
            f"template '{missing}' not found"
            + (f" (included by {including.path})" if including else ""),
            including or SourceLocation("templates"),
            hint=f"create templates/{missing} or use one of the theme's templates",
        ) from exc
    except Exception as exc:  # a template's runtime error: undefined names, bad filters, ...
        frames = [
            f
            for f in traceback.extract_tb(exc.__traceback__)
            if f.filename.endswith((".html", ".xml", ".j2", ".jinja"))
        ]
        frame = frames[-1] if frames else None
        location = (
            _template_location(frame.filename, frame.lineno or 0, config)
            if frame
            else SourceLocation(f"templates/{name}")
        )
        if isinstance(exc, jinja2.UndefinedError):
            said = jinja_undefined_wording(str(exc))
            raise TemplateError(
                f"template error: {said.message}", location, hint=said.hint, detail=said.detail
            ) from exc
        raise TemplateError(f"template error: {type(exc).__name__}: {exc}", location) from exc


def _including_template(exc: BaseException, config: SiteConfig) -> SourceLocation | None:
    """Where a template includes (or extends) the missing one: the last template frame."""
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if f.filename.endswith((".html", ".xml", ".j2", ".jinja"))
    ]
    if not frames:
        return None
    return _template_location(frames[-1].filename, frames[-1].lineno or 0, config)


def _template_location(filename: str, line: int, config: SiteConfig) -> SourceLocation:
    path = Path(filename)
    if path.is_absolute() and path.is_relative_to(config.root):
        return SourceLocation(path.relative_to(config.root).as_posix(), line)
    if path.is_absolute() and path.is_relative_to(theme_dir()):
        return SourceLocation(f"templates/{path.relative_to(theme_dir()).as_posix()}", line)
    return SourceLocation(filename, line)
