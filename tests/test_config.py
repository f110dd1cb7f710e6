"""site.toml: defaults for every field, type checks, and errors at the key's line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from lemma.config import SiteConfig, load_config
from lemma.errors import LemmaError
from site_support import SiteDir, assert_failed_cleanly, assert_ok, error_line, post, snapshot


def config_error(tmp_path: Path, toml: str) -> LemmaError:
    (tmp_path / "site.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(LemmaError) as info:
        load_config(tmp_path)
    return info.value


def test_every_field_has_a_default_without_site_toml(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.title and config.description
    assert config.base_url == ""  # unknown: no canonical links, no sitemap (a warning says so)
    assert config.posts_per_page >= 1
    assert config.timezone == "UTC"
    assert config.language == "en"
    assert config.output_dir == tmp_path.resolve() / "_site"


def test_values_from_site_toml_are_read(tmp_path: Path) -> None:
    (tmp_path / "site.toml").write_text(
        'title = "T"\nbase_url = "https://example.org/blog"\nposts_per_page = 3\n'
        'timezone = "Europe/Paris"\n[theme]\naccent = "teal"\n'
    )
    config = load_config(tmp_path)
    assert (config.title, config.posts_per_page, config.timezone) == ("T", 3, "Europe/Paris")
    assert dict(config.theme) == {"accent": "teal"}


def test_site_toml_with_bom_is_read(tmp_path: Path) -> None:
    (tmp_path / "site.toml").write_bytes('\ufefftitle = "Bom"\r\n'.encode())
    assert load_config(tmp_path).title == "Bom"


def test_command_line_overrides_win_and_none_is_ignored(tmp_path: Path) -> None:
    config = load_config(tmp_path, strict=True, jobs=None)
    assert config.strict is True
    assert config.jobs == SiteConfig(tmp_path, tmp_path).jobs


def test_unknown_key_is_an_error_with_line_and_closest_key(tmp_path: Path) -> None:
    error = config_error(tmp_path, '# my blog\ntitle = "x"\n\nbase_ulr = "https://a.org/"\n')
    assert str(error.location) == "site.toml:4"
    assert "unknown key 'base_ulr'" in str(error)
    assert error.problem.hint == "did you mean 'base_url'?"


def test_unknown_key_without_close_match_lists_known_keys(tmp_path: Path) -> None:
    error = config_error(tmp_path, "zzzzzz = 1\n")
    assert error.problem.hint is not None
    assert "known keys:" in error.problem.hint
    assert "posts_per_page" in error.problem.hint


def test_unknown_table_is_an_error_at_its_header(tmp_path: Path) -> None:
    error = config_error(tmp_path, 'title = "x"\n\n[themes]\na = 1\n')
    assert str(error.location) == "site.toml:3"
    assert error.problem.hint == "did you mean 'theme'?"


def test_invalid_toml_is_an_error_at_its_line(tmp_path: Path) -> None:
    error = config_error(tmp_path, 'title = "x"\ndescription = "unterminated\n')
    assert str(error.location).startswith("site.toml:2:")
    assert "invalid TOML: a quoted value is not closed on its line" in str(error)


@pytest.mark.parametrize(
    ("toml", "line", "message"),
    [
        ('title = "x"\nposts_per_page = "ten"\n', 2, "'posts_per_page' must be a whole number"),
        ("posts_per_page = true\n", 1, "'posts_per_page' must be a whole number"),
        ("posts_per_page = 0\n", 1, "posts_per_page must be at least 1"),
        ("title = 3\n", 1, "'title' must be a string"),
        ("search = 1\n", 1, "'search' must be true or false"),
        ('execute = "x"\n', 1, "'execute' must be a table"),
        ('\ntimezone = "Mars/Olympus"\n', 2, "unknown timezone 'Mars/Olympus'"),
        ('base_url = "example.org"\n', 1, "is not an absolute http(s) URL"),
    ],
)
def test_bad_values_are_errors_at_their_line(
    tmp_path: Path, toml: str, line: int, message: str
) -> None:
    error = config_error(tmp_path, toml)
    assert error.location is not None
    assert (error.location.path, error.location.line) == ("site.toml", line)
    assert message in str(error)


@pytest.mark.parametrize(
    ("base_url", "base_path"),
    [
        ("https://example.org", "/"),
        ("https://example.org/", "/"),
        ("https://example.org/blog", "/blog/"),
        ("https://example.org/blog/", "/blog/"),
    ],
)
def test_base_path_always_starts_and_ends_with_a_slash(base_url: str, base_path: str) -> None:
    config = SiteConfig(Path("/r"), Path("/r/_site"), base_url=base_url)
    assert config.base_path == base_path
    assert config.url("/tags/") == base_path + "tags/"
    assert config.absolute_url("posts/x/") == base_url.rstrip("/") + "/posts/x/"


def test_folder_with_only_posts_builds(make_site: Callable[..., SiteDir]) -> None:
    site = make_site({"posts/only.md": post("Only")}, bare=True)
    result = site.build()
    assert_ok(result)
    assert (site.out / "posts/only/index.html").is_file()
    assert "<title>Only" in site.page("posts/only/index.html")


def test_unknown_site_toml_key_fails_the_build_with_file_line_and_closest_key(
    built_site: SiteDir,
) -> None:
    before = snapshot(built_site.out)
    built_site.write("site.toml", 'title = "Blog"\ntitel = "Typo"\n')
    result = built_site.build()
    line = error_line(result, "site.toml", 2, "unknown key 'titel'")
    assert "did you mean 'title'?" in line
    assert_failed_cleanly(result, built_site, before)


def test_site_title_from_site_toml_appears_on_pages(make_site: Callable[..., SiteDir]) -> None:
    site = make_site(
        {"posts/a.md": post("A"), "site.toml": 'title = "My Own Blog"\nsearch = false\n'}
    )
    assert_ok(site.build())
    assert "<title>My Own Blog</title>" in site.page("index.html")


def test_site_macros_are_read_and_a_bad_one_is_an_error_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "site.toml").write_text(
        '[macros]\nR = "\\\\mathbb{R}"\ntp = ["{#1}^\\\\top", 1]\n', encoding="utf-8"
    )
    assert dict(load_config(tmp_path).macros) == {"R": "\\mathbb{R}", "tp": ["{#1}^\\top", 1]}
    (tmp_path / "site.toml").write_text('[macros]\nE = ["\\\\mathbb{E}_{#1}", 1, "x"]\n')
    assert dict(load_config(tmp_path).macros) == {"E": ["\\mathbb{E}_{#1}", 1, "x"]}
    error = config_error(tmp_path, '[macros]\nR = "\\\\mathbb{R}"\nbad = 3\n')
    assert str(error.location) == "site.toml:3"
    assert "macro 'bad'" in str(error)


@pytest.mark.parametrize(
    ("line", "ours"),
    [
        ('baseURL = "https://example.org/"', "base_url"),  # Hugo
        ('url = "https://example.org"', "base_url"),  # Jekyll
        ('SITEURL = "https://example.org"', "base_url"),  # Pelican
        ('site_name = "Notes"', "title"),  # MkDocs
        ('languageCode = "en-us"', "language"),  # Hugo
        ("paginate = 5", "posts_per_page"),  # Jekyll, Hugo
        ('Title = "Notes"', "title"),
    ],
)
def test_another_tools_name_for_a_setting_is_told_lemmas(
    tmp_path: Path, line: str, ours: str
) -> None:
    (tmp_path / "site.toml").write_text(f'author = "A"\n{line}\n', encoding="utf-8")
    with pytest.raises(LemmaError) as error:
        load_config(tmp_path)
    assert str(error.value.problem.location) == "site.toml:2"
    assert f"Lemma's name for it is '{ours}'" in str(error.value)
