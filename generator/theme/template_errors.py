"""A template that fails → one problem at its cause, in the theme folder the template came from.

Each problem names ``themes/<theme>/templates/<file>:<line>`` (adding "from the default theme" for
brandsite's own templates, and "installed with brandsite" when the project has no copy of that
theme and the file is the package's), says what is wrong in plain words, and hints at the fix in ``site.toml``
or in the site's own theme, never at editing the default theme. An exception that brandsite's own
code raises while a template runs is not the template's fault: ``template_problem`` returns None for
it and the caller lets it through.
"""

from __future__ import annotations

import re
import sysconfig
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.utils import missing

from ..errors import Diagnostic, closest, error
from . import template_tags
from .template_words import MissingName, missing_in_words, plain_words, unknown_name_words

PACKAGED_THEME = "default"
"""The theme brandsite ships; problems in it point at the site's own theme for the fix."""
JINJA_DIR = Path(jinja2.__file__).resolve().parent
STDLIB_DIR = Path(sysconfig.get_paths()["stdlib"]).resolve()
SITE_PACKAGES_DIR = Path(sysconfig.get_paths()["purelib"]).resolve()


@dataclass(frozen=True)
class Place:
    """Where a template file sits in the theme chain."""

    theme: str
    """Folder name under ``themes/``."""
    name: str
    """The template's name inside ``templates/`` (``partials/header.html``)."""
    installed: bool = False
    """The theme is the one installed with brandsite, not a folder in the project's ``themes/``."""

    @property
    def source(self) -> str:
        """``themes/<theme>/templates/<name>``: the same whether the theme is packaged or not."""
        return f"themes/{self.theme}/templates/{self.name}"

    @property
    def packaged(self) -> bool:
        """The template is brandsite's own: the default theme's, or any theme installed with it."""
        return self.theme == PACKAGED_THEME or self.installed

    @property
    def origin(self) -> str:
        """What the message adds about where the template came from."""
        if self.installed:
            return f" (from the {self.theme} theme installed with brandsite)"
        return " (from the default theme)"


@dataclass(frozen=True)
class TemplateFolders:
    """The ``templates/`` folders of the theme chain, child first."""

    folders: tuple[tuple[str, Path], ...]
    """(theme name, templates folder)."""
    installed: frozenset[str] = frozenset()
    """Names of the themes in the chain that come with brandsite rather than the project."""

    @property
    def site_theme(self) -> str:
        """The theme ``site.toml`` picks."""
        return self.folders[0][0] if self.folders else PACKAGED_THEME

    def locate(self, filename: str | None) -> Place | None:
        """The theme and template name of a file; None for files outside every theme."""
        if not filename:
            return None
        path = Path(filename).resolve()
        for theme, folder in self.folders:
            if path.is_relative_to(folder.resolve()):
                name = path.relative_to(folder.resolve()).as_posix()
                return Place(theme, name, theme in self.installed)
        return None

    def copy_hint(self, place: Place) -> str:
        """How to change a default-theme template without editing brandsite's own copy."""
        own = self.site_theme
        if own == PACKAGED_THEME or own in self.installed:
            return (
                f"the {place.theme} theme is brandsite's own: to change this template, start a "
                f"theme of your own that extends default (THEMING.md section 8) and copy "
                f"{place.name} into its templates/ folder"
            )
        return (
            f"the {place.theme} theme is brandsite's own: if themes/{own}/templates/ replaces a template "
            f"this one uses, fix it there; to change this one, copy it to "
            f"themes/{own}/templates/{place.name}"
        )


def template_problem(
    exc: BaseException,
    env: jinja2.Environment,
    template: str,
    context: Mapping[str, Any],
    folders: TemplateFolders,
) -> Diagnostic | None:
    """The problem ``exc`` is for the theme; None when brandsite's own code failed instead."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return _syntax_problem(exc, env, folders)
    if isinstance(exc, jinja2.TemplateNotFound):
        return _missing_template(exc, env, template, folders)
    if isinstance(exc, RecursionError):
        circle = circle_problem(env, template, folders)
        if circle is not None:
            return circle
    if isinstance(exc, MissingName):
        return _missing_name(exc, env, context, folders)
    if isinstance(exc, UnicodeDecodeError | OSError):
        unreadable = _unreadable_template(exc, folders)
        if unreadable is not None:
            return unreadable
    if not isinstance(exc, jinja2.TemplateError) and _raised_by_brandsite(exc, folders):
        return None
    place, line = _innermost(exc, folders)
    if isinstance(exc, RecursionError):
        message = "the template calls itself without end"
        hint = "a macro or {% include %} that uses itself needs a condition that stops it"
    else:
        message = f"the template failed: {plain_words(str(exc))}"
        hint = getattr(exc, "hint", "") or (
            "THEMING.md sections 5 and 6 list what templates receive and the helpers and filters"
        )
    return _problem(place, line, template, folders, "template-error", message, hint, exc)


def _problem(
    place: Place | None,
    line: int,
    template: str,
    folders: TemplateFolders,
    code: str,
    message: str,
    hint: str,
    exc: BaseException | None = None,
) -> Diagnostic:
    """Name the theme folder; for the default theme, say so and point the fix elsewhere."""
    if place is None:
        return error(f"themes/{folders.site_theme}/templates/{template}", 0, code, message, hint)
    if place.packaged:
        message += place.origin
        caller = _caller(exc, folders) if exc is not None else None
        reached = (
            f"called from themes/{caller[0].theme}/templates/{caller[0].name}:{caller[1]}"
            if caller
            else ""
        )
        hint = "; ".join(h for h in (hint, reached, folders.copy_hint(place)) if h)
    return error(place.source, line, code, message, hint)


def _syntax_problem(
    exc: jinja2.TemplateSyntaxError, env: jinja2.Environment, folders: TemplateFolders
) -> Diagnostic:
    place = folders.locate(exc.filename)
    name = place.name if place else exc.name or "template"
    found = template_tags.tag_problem(env, exc.source) if exc.source else None
    if found is not None and not _explains(found, exc):
        found = None
    if found is None:
        message, hint = _unknown_helper(env, exc.message or "") or (
            f"template syntax error: {exc.message}",
            "check the {% %} and {{ }} tags on that line",
        )
        return _problem(place, exc.lineno or 0, name, folders, "template-syntax", message, hint)
    message, hint = _tag_words(found)
    return _problem(place, found.line, name, folders, "template-syntax", message, hint)


def _unknown_helper(env: jinja2.Environment, message: str) -> tuple[str, str] | None:
    """Jinja's "No filter named 'x'." (or test) with a did-you-mean; None for other messages."""
    match = re.match(r"No (filter|test) named '([^']+)'", message)
    if match is None:
        return None
    kind, name = match.groups()
    guess = closest(name, env.filters if kind == "filter" else env.tests)
    return f"there is no {kind} `{name}`", (f"did you mean `{guess}`? " if guess else "") + (
        "THEMING.md section 6 lists brandsite's filters"
    )


def _explains(found: template_tags.TagProblem, exc: jinja2.TemplateSyntaxError) -> bool:
    """The tag problem is the one Jinja stopped at, not another one after an earlier mistake."""
    if found.found is None:
        return "end of template" in (exc.message or "")
    return found.found.line == exc.lineno


def _tag_words(found: template_tags.TagProblem) -> tuple[str, str]:
    """Message and hint for an unclosed, stray or unknown tag."""
    opened, tag = found.opened, found.found
    if tag is not None and found.unknown:
        guess = f"did you mean `{{% {found.suggestion} %}}`?" if found.suggestion else ""
        still = f" `{opened.text}` on line {opened.line} is still open." if opened else ""
        return f"there is no tag `{tag.text}`", (guess + still).strip() or (
            "THEMING.md section 7 and the Jinja documentation list the tags"
        )
    if opened is not None:
        end = "{% end" + opened.name + " %}"
        if tag is None:
            return (
                f"`{opened.text}` is never closed: the template ends before its `{end}`",
                f"add `{end}` where the {opened.name} should end",
            )
        return (
            f"`{opened.text}` is never closed: `{tag.text}` on line {tag.line} comes before "
            f"its `{end}`",
            f"add `{end}` where the {opened.name} should end, before line {tag.line}",
        )
    assert tag is not None
    wanted = tag.name[3:] if tag.name.startswith("end") else "if"
    return (
        f"`{tag.text}` has no `{{% {wanted} %}}` to belong to",
        f"remove it, or add the `{{% {wanted} … %}}` it belongs to",
    )


def _missing_template(
    exc: jinja2.TemplateNotFound, env: jinja2.Environment, template: str, folders: TemplateFolders
) -> Diagnostic:
    wanted = str(exc.name)
    place, line = _innermost(exc, folders)
    looked = " and ".join(f"themes/{theme}/templates/" for theme, _ in folders.folders)
    guess = closest(wanted, env.list_templates())
    own = folders.site_theme
    fix = (
        f"add it as themes/{own}/templates/{wanted}"
        if own != PACKAGED_THEME and own not in folders.installed
        else "add it to a theme of your own that extends default (THEMING.md section 8)"
    )
    hint = (f"did you mean `{guess}`? or " if guess else "") + fix
    first = wanted.split("/")[0]
    if guess and "/" in wanted and not any((f / first).is_dir() for _, f in folders.folders):
        hint = f"did you mean `{guess}`? another theme's template is named by its folder in themes/"
    if place is None:  # the page's own template: no template asked for it
        return _problem(
            None,
            0,
            wanted,
            folders,
            "template-missing",
            f"the theme has no template `{wanted}` (looked in {looked})",
            (f"did you mean `{guess}`? or " if guess else "")
            + (
                f'add it, or set extends = "default" in themes/{own}/theme.toml'
                if own != PACKAGED_THEME and own not in folders.installed
                else fix
            ),
        )
    return _problem(
        place,
        line,
        template,
        folders,
        "template-missing",
        f"there is no template `{wanted}` (looked in {looked})",
        hint,
    )


def circle_problem(
    env: jinja2.Environment, template: str, folders: TemplateFolders
) -> Diagnostic | None:
    """``template-cycle`` when the extends chain above ``template`` runs in a circle."""
    circle = template_tags.extends_circle(env, template)
    if not circle:
        return None
    first = circle[0]
    place = folders.locate(first.filename)
    if len(circle) == 1:
        parent = _parent_copy(first.filename, folders)
        hint = (
            f"to build on the parent theme's {parent.name}, write {{% extends \"{parent.theme}/"
            f'{parent.name}" %}}'
            if parent
            else "remove the {% extends %}"
        )
        message = f"{first.name} extends itself"
    else:
        names = " → ".join([step.name for step in circle] + [first.name])
        message = f"templates extend each other in a circle: {names}"
        hint = (
            "remove the {% extends %} from one of them, or make it extend a parent theme's copy "
            'by its folder name ("default/base.html")'
        )
    return _problem(place, first.line, template, folders, "template-cycle", message, hint)


def _unreadable_template(exc: BaseException, folders: TemplateFolders) -> Diagnostic | None:
    """A template file the loader could not read (saved as Latin-1, say): the file itself."""
    tb = exc.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_code.co_name == "get_source" and isinstance(frame.f_locals.get("filename"), str):
            place = folders.locate(frame.f_locals["filename"])
            if place is not None:
                if isinstance(exc, UnicodeDecodeError):
                    return error(
                        place.source,
                        0,
                        "not-utf8",
                        f"the template {place.name} is not a UTF-8 text file",
                        "save it as UTF-8 in your editor",
                    )
                return error(
                    place.source,
                    0,
                    "template-error",
                    f"the template {place.name} cannot be read",
                    "check that the file is readable",
                )
        tb = tb.tb_next
    return None


def _parent_copy(filename: str, folders: TemplateFolders) -> Place | None:
    """The same template in a theme further up the chain, if one has it."""
    place = folders.locate(filename)
    if place is None:
        return None
    themes = [theme for theme, _ in folders.folders]
    for theme, folder in folders.folders[themes.index(place.theme) + 1 :]:
        if (folder / place.name).is_file():
            return Place(theme, place.name, theme in folders.installed)
    return None


def _missing_name(
    exc: MissingName, env: jinja2.Environment, context: Mapping[str, Any], folders: TemplateFolders
) -> Diagnostic:
    place, line = _innermost(exc, folders)
    template = place.name if place else "template"
    if exc.jinja_hint:
        return _problem(
            place,
            line,
            template,
            folders,
            "template-undefined",
            f"template uses something that does not exist: {plain_words(exc.jinja_hint)}",
            "check with `is defined` first",
        )
    source = _read(exc, folders)
    tokens = template_tags.tokens_on_line(env, source, line) if source and line else []
    name = str(exc.name)
    if exc.owner is missing:
        choices = (
            set(context) | set(env.globals) | template_tags.names_defined_in(env, source or "")
        )
        message, hint = unknown_name_words(name, choices, context)
        return _problem(place, line, template, folders, "template-undefined", message, hint, exc)
    expression = template_tags.expression_of(tokens, name, owned=True)
    message, hint = missing_in_words(exc.owner, name, expression)
    return _problem(place, line, template, folders, "template-undefined", message, hint, exc)


def _frames(exc: BaseException) -> list[traceback.FrameSummary]:
    return list(traceback.extract_tb(exc.__traceback__))


def _innermost(exc: BaseException, folders: TemplateFolders) -> tuple[Place | None, int]:
    """The innermost traceback frame that is a theme's template (Jinja rewrites frames so)."""
    found: tuple[Place | None, int] = (None, 0)
    for frame in _frames(exc):
        place = folders.locate(frame.filename)
        if place is not None:
            found = (place, frame.lineno or 0)
    return found


def _caller(exc: BaseException, folders: TemplateFolders) -> tuple[Place, int] | None:
    """The innermost frame of the site's own theme outside a default-theme frame (a macro's caller)."""
    found = None
    for frame in _frames(exc):
        place = folders.locate(frame.filename)
        if place is not None and not place.packaged:
            found = (place, frame.lineno or 0)
    return found


def _read(exc: BaseException, folders: TemplateFolders) -> str | None:
    """The text of the innermost template frame's file."""
    files = [f.filename for f in _frames(exc) if folders.locate(f.filename)]
    if not files:
        return None
    try:
        return Path(files[-1]).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _raised_by_brandsite(exc: BaseException, folders: TemplateFolders) -> bool:
    """Whether the exception comes from code that a template called, not from the template.

    Look at the innermost frame that is not Python's own library: a template line or Jinja
    (``{{ 1 / 0 }}``, a macro called with too many arguments) means the template is wrong;
    brandsite's modules or a library they use (the Markdown cache, say) mean brandsite failed.
    """
    frames: Sequence[traceback.FrameSummary] = _frames(exc)
    if not any(folders.locate(f.filename) for f in frames):
        return True  # no template ran: the failure is before or around rendering
    for frame in reversed(frames):
        if _is_standard_library(frame.filename):
            continue
        return not (folders.locate(frame.filename) or _is_jinja(frame.filename))
    return False


def _is_standard_library(filename: str) -> bool:
    return filename.startswith("<") or (
        _inside(filename, STDLIB_DIR) and not _inside(filename, SITE_PACKAGES_DIR)
    )


def _is_jinja(filename: str) -> bool:
    return _inside(filename, JINJA_DIR)


def _inside(filename: str, folder: Path) -> bool:
    try:
        return Path(filename).resolve().is_relative_to(folder)
    except OSError:
        return False
