"""The one place that decides URLs and output paths for every page, feed and file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..content.config import SiteConfig
from ..content.model import Site
from ..engine.pickling import fast_pickle
from ..errors import Diagnostic, error

HTML_KINDS = (
    "home",
    "stories",
    "story",
    "values",
    "value",
    "not_found",
    "jobs",
    "job",
    "share_mastodon",
)
UNLISTED_KINDS = ("not_found", "share_mastodon")
"""HTML pages no search engine should list: not in the sitemap, ``noindex`` in the page."""
REDIRECT_KIND = "language_redirect"
"""The root page of a site whose every language has its folder: a link to the default one."""


@fast_pickle
@dataclass(frozen=True, slots=True)
class Route:
    """One output file: what it is, where it goes, how it is made."""

    kind: str
    """home, stories, story, values, value, not_found, jobs, job, share_mastodon, feed,
    value_feed, jobs_feed, sitemap, robots."""
    output_path: str
    """Path relative to the output folder (``stories/anna/index.html``)."""
    url: str
    """Root-relative URL (``/careers/stories/anna/``)."""
    template: str | None = None
    """Template that renders it, for HTML pages."""
    key: str = ""
    """The story or value slug, or the page number of a listing."""
    lang: str = ""
    """The language of the page's edition; "" for files of the whole site (sitemap, robots)."""
    group: str = ""
    """Pages with the same group are one page in several languages (hreflang alternates):
    ``story:<original's source>`` for stories, ``<kind>:<key>`` for the rest; "" for none."""


FEED_PATH = "feed.xml"
SITEMAP_PATH = "sitemap.xml"
ROBOTS_PATH = "robots.txt"
NOT_FOUND_PATH = "404.html"
VALUES_PATH = "values/"
JOBS_PATH = "jobs/"
JOBS_FEED_PATH = JOBS_PATH + FEED_PATH
SHARE_MASTODON_PATH = "share/mastodon/"
"""The page that asks a visitor for their Mastodon server and sends the story's text there."""
SHARE_MASTODON_TEMPLATE = "share-mastodon.html"
"""Its template: a theme of its own that lacks it (one not extending default) has no such page."""


def job_path(slug: str) -> str:
    """Site path of an open role's page (``jobs/servicetechniker-offshore/``)."""
    return f"{JOBS_PATH}{slug}/"


def jobs_filter_path(kind: str, slug: str) -> str:
    """Site path of the roles of one team, location or type (``jobs/team/storage-projects/``)."""
    return f"{JOBS_PATH}{kind}/{slug}/"


def story_path(slug: str) -> str:
    """Site path of a story's page (``stories/anna/``)."""
    return f"stories/{slug}/"


def value_path(slug: str) -> str:
    """Site path of a value's page (``values/care/``)."""
    return f"{VALUES_PATH}{slug}/"


def value_feed_path(slug: str) -> str:
    """Site path of a value's feed (``values/care/feed.xml``)."""
    return value_path(slug) + FEED_PATH


def language_prefix(config: SiteConfig, lang: str) -> str:
    """Where a language's pages are: "" (the root) for the default language unless
    ``default_language_in_subdir``, else the language's folder (``en/``)."""
    if not config.multilingual or (
        lang == config.default_language and not config.default_language_in_subdir
    ):
        return ""
    return lang.lower() + "/"


def root_url(config: SiteConfig) -> str:
    """Absolute URL of the whole site, also from a language's settings (without its folder)."""
    prefix = language_prefix(config, config.language)
    return config.base_url[: len(config.base_url) - len(prefix)] if prefix else config.base_url


def page_url(config: SiteConfig, path: str) -> str:
    """Root-relative URL of a site path (``stories/`` → ``/careers/stories/``)."""
    return config.base_path + path


def absolute_url(config: SiteConfig, path: str) -> str:
    """Absolute URL of a site path (``stories/`` → ``https://example.com/careers/stories/``)."""
    return config.base_url + path


def site_path(config: SiteConfig, url: str) -> str:
    """The site path of a root-relative URL this module made (the inverse of ``page_url``)."""
    return url[len(config.base_path) :]


def listing_path(number: int) -> str:
    """Site path of page ``number`` of the stories listing."""
    return "stories/" if number == 1 else f"stories/page/{number}/"


def page_count(total: int, per_page: int) -> int:
    """Number of listing pages (at least one, even with no stories)."""
    return max(1, -(-total // per_page))


def plan_routes(
    site: Site, config: SiteConfig, share_page: bool = True
) -> tuple[list[Route], list[Diagnostic]]:
    """Every output file of the site; collisions and paths escaping the output are problems.

    Each edition (language) has the same kinds of pages under its prefix; the sitemap and
    robots.txt are the whole site's, and so is the root 404 page (the default language's).
    ``share_page``: the theme has the Mastodon share page's template.
    """
    routes: list[Route] = []
    for edition in site.all_editions:
        routes += edition_routes(edition, config, edition.lang or config.language, share_page)
    if config.multilingual and config.default_language_in_subdir:
        routes.insert(0, Route(REDIRECT_KIND, "index.html", page_url(config, ""), None))
    routes.append(Route("sitemap", SITEMAP_PATH, page_url(config, SITEMAP_PATH)))
    routes.append(Route("robots", ROBOTS_PATH, page_url(config, ROBOTS_PATH)))
    return routes, check_paths(
        [(r.output_path, r.kind + (f" {r.key}" if r.key else "")) for r in routes]
        + [(a.output_path, "file") for a in site.assets]
        + [(v.output_path, f"image {i.source}") for i in site.images for v in i.variants]
        + [(s.card_path, f"share image {s.slug}") for s in site.stories]
    )


def edition_routes(
    site: Site, config: SiteConfig, lang: str, share_page: bool = True
) -> list[Route]:
    """The pages and feeds of one language (``site`` is its edition)."""
    prefix = language_prefix(config, lang)

    def route(kind: str, path: str, template: str | None, key: str = "", group: str = "") -> Route:
        output = prefix + path + ("index.html" if path.endswith("/") or not path else "")
        url = page_url(config, prefix + path)
        return Route(kind, output, url, template, key, lang, group)

    routes = [route("home", "", "home.html", group="home")]
    for number in range(1, page_count(len(site.stories), config.stories_per_page) + 1):
        routes.append(route("stories", listing_path(number), "stories.html", str(number),
                            f"stories:{number}"))  # fmt: skip
    for story in site.stories:
        group = "" if story.untranslated else "story:" + story.translation_group
        routes.append(route("story", story_path(story.slug), "story.html", story.slug, group))
    routes.append(route("values", VALUES_PATH, "values.html", group="values"))
    for value in site.values:
        routes.append(route("value", value_path(value.slug), "value.html", value.slug,
                            "value:" + value.slug))  # fmt: skip
        routes.append(route("value_feed", value_feed_path(value.slug), None, value.slug))
    for job in job_routes(site, config):
        routes.append(route(job.kind, site_path(config, job.url), job.template, job.key,
                            f"{job.kind}:{job.key}" if job.template else ""))  # fmt: skip
    if share_page:
        routes.append(route("share_mastodon", SHARE_MASTODON_PATH, SHARE_MASTODON_TEMPLATE,
                            group="share_mastodon"))  # fmt: skip
    not_found = route("not_found", NOT_FOUND_PATH, NOT_FOUND_PATH)
    if lang == config.language:  # servers look for /404.html: the default language's
        not_found = Route("not_found", NOT_FOUND_PATH, page_url(config, NOT_FOUND_PATH),
                          NOT_FOUND_PATH, "", lang)  # fmt: skip
    routes.append(not_found)
    routes.append(route("feed", FEED_PATH, None))
    return routes


def job_routes(site: Site, config: SiteConfig) -> list[Route]:
    """The pages of the open roles: the listing, its filter pages, one page per role, the feed.

    A site with no open role has none of them (and no "Jobs" in its menu). Filter pages are
    ``jobs`` routes whose key is ``kind/slug``; the listing's key is empty.
    """
    if not site.roles:
        return []
    from .jobs import all_facets  # here: the grouping needs the model's slug rule

    routes = [Route("jobs", JOBS_PATH + "index.html", page_url(config, JOBS_PATH), "jobs.html")]
    for kind, groups in all_facets(site.roles).items():
        for facet in groups:
            path = jobs_filter_path(kind, facet.slug)
            key = f"{kind}/{facet.slug}"
            routes.append(
                Route("jobs", path + "index.html", page_url(config, path), "jobs.html", key)
            )
    for role in site.roles:
        path = job_path(role.slug)
        routes.append(
            Route("job", path + "index.html", page_url(config, path), "job.html", role.slug)
        )
    routes.append(Route("jobs_feed", JOBS_FEED_PATH, page_url(config, JOBS_FEED_PATH)))
    return routes


def check_paths(claims: Iterable[tuple[str, str]]) -> list[Diagnostic]:
    """Two things claiming one output path, or a path leaving the output folder, are errors."""
    problems: list[Diagnostic] = []
    owners: dict[str, str] = {}
    for path, owner in claims:
        parts = path.split("/")
        if (
            path.startswith("/")
            or "\\" in path
            or "\0" in path
            or any(p in ("", ".", "..") for p in parts)
        ):
            problems.append(
                error(
                    "",
                    0,
                    "path-escapes-output",
                    f"{owner} would be written to {path!r}, outside the output folder",
                    "use plain names: lowercase letters, digits and hyphens",
                )
            )
            continue
        if path in owners:
            problems.append(
                error(
                    "",
                    0,
                    "path-collision",
                    f"{owner} and {owners[path]} would both be written to {path}",
                    "rename one of them",
                )
            )
            continue
        owners[path] = owner
    return problems
