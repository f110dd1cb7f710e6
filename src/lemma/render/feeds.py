"""Machine-readable pages: the Atom feed, sitemap.xml and robots.txt.

Without base_url the site's address is unknown: there is no sitemap (it lists absolute
addresses only), robots.txt names none, and the feed's links are relative, which Atom resolves
against the feed's own address (RFC 4287, section 2), with `urn:uuid:` ids made from the site's
title and the post's path. The build says so once.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from lemma.config import CONFIG_FILE, SiteConfig
from lemma.errors import Problem
from lemma.model import Post, SourceLocation
from lemma.render.inline_math import inline_text
from lemma.render.listings import shown_language

if TYPE_CHECKING:
    from lemma.render.listings import RenderedPost

FEED_ENTRIES = 20
_ATOM = "http://www.w3.org/2005/Atom"
_XML = "http://www.w3.org/XML/1998/namespace"  # of xml:lang
# Characters XML 1.0 does not allow at all, even escaped: C0 controls but tab, newline and
# carriage return; lone surrogates; U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """`text` without the characters that would make an XML document invalid."""
    return _NOT_XML.sub("", text)


def _absolute_links(config: SiteConfig, html: str, page_url: str) -> str:
    """Feed readers have no page URL to resolve against: make site-absolute links absolute,
    and links within the post (citations, cross-references, footnotes) point into its page."""
    base = re.escape(config.base_path)
    html = re.sub(
        rf'(\s(?:href|src))="{base}', lambda m: f'{m.group(1)}="{config.absolute_url("")}', html
    )
    return re.sub(r'(\shref)="#', lambda m: f'{m.group(1)}="{page_url}#', html)


_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL)


def _without_scripts(html: str) -> str:
    # A chart's JSON means nothing to a feed reader; its static form (image or note) stays.
    return _SCRIPT.sub("", html)


def no_base_url_warning(config: SiteConfig) -> Problem:
    return Problem(
        "no base_url: the pages have no canonical or Open Graph address, there is no "
        "sitemap.xml, and the feed's links are relative",
        SourceLocation(CONFIG_FILE),
        hint=f'add base_url = "https://example.org/" to {CONFIG_FILE}, with the site\'s address',
        is_warning=True,
        # A note: the site is complete for local use, and --strict keeps it a message. Nothing
        # in it points at an address it will not have.
        is_note=True,
    )


def _entry_id(config: SiteConfig, path: str) -> str:
    """An Atom id: the absolute address when known, else a name that stays the same."""
    if config.has_base_url:
        return config.absolute_url(path)
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{config.title}/{path}')}"


def atom_feed(config: SiteConfig, posts: Sequence[tuple[Post, str]]) -> bytes:
    """An Atom feed of the newest posts with their full content; `posts` are newest first."""
    ET.register_namespace("", _ATOM)
    feed = ET.Element(f"{{{_ATOM}}}feed", {f"{{{_XML}}}lang": config.language})
    ET.SubElement(feed, f"{{{_ATOM}}}title").text = config.title
    ET.SubElement(feed, f"{{{_ATOM}}}subtitle").text = config.description
    ET.SubElement(feed, f"{{{_ATOM}}}id").text = _entry_id(config, "")
    ET.SubElement(feed, f"{{{_ATOM}}}link", href=config.absolute_url(""))
    ET.SubElement(feed, f"{{{_ATOM}}}link", rel="self", href=config.absolute_url("feed.xml"))
    entries = posts[:FEED_ENTRIES]
    moments = [(p.front_matter.updated or p.front_matter.date) for p, _ in entries]
    updated = max(moments).isoformat() if moments else "1970-01-01T00:00:00+00:00"
    ET.SubElement(feed, f"{{{_ATOM}}}updated").text = updated
    if config.author:
        author = ET.SubElement(feed, f"{{{_ATOM}}}author")
        ET.SubElement(author, f"{{{_ATOM}}}name").text = config.author
    ET.SubElement(feed, f"{{{_ATOM}}}generator").text = "Lemma"
    for post, html in entries:
        fm = post.front_matter
        entry = ET.SubElement(feed, f"{{{_ATOM}}}entry")
        if shown_language(config, fm.language):
            entry.set(f"{{{_XML}}}lang", str(fm.language))
        ET.SubElement(entry, f"{{{_ATOM}}}title").text = inline_text(fm.title)
        url = config.absolute_url(post.url_path)
        ET.SubElement(entry, f"{{{_ATOM}}}id").text = _entry_id(config, post.url_path)
        ET.SubElement(entry, f"{{{_ATOM}}}link", href=url)
        ET.SubElement(entry, f"{{{_ATOM}}}published").text = fm.date.isoformat()
        ET.SubElement(entry, f"{{{_ATOM}}}updated").text = (fm.updated or fm.date).isoformat()
        if fm.author or config.author:
            author = ET.SubElement(entry, f"{{{_ATOM}}}author")
            ET.SubElement(author, f"{{{_ATOM}}}name").text = fm.author or config.author
        for tag in fm.tags:
            ET.SubElement(entry, f"{{{_ATOM}}}category", term=tag)
        ET.SubElement(entry, f"{{{_ATOM}}}summary").text = inline_text(post.excerpt)
        content = ET.SubElement(entry, f"{{{_ATOM}}}content", type="html")
        content.text = _absolute_links(config, _without_scripts(html), url)
    for element in feed.iter():  # one control character anywhere makes the whole feed unreadable
        if element.text:
            element.text = xml_text(element.text)
        for name, value in element.attrib.items():
            element.set(name, xml_text(value))
    ET.indent(feed)
    xml: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return xml + b"\n"


def sitemap(
    config: SiteConfig, output_paths: Sequence[str], posts: Sequence[RenderedPost]
) -> bytes:
    lastmod = {
        f"{r.post.url_path}index.html": (r.post.front_matter.updated or r.post.front_matter.date)
        for r in posts
    }
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for path in sorted(output_paths):
        if not path.endswith("index.html"):
            continue
        url = config.absolute_url(path.removesuffix("index.html"))
        when = lastmod.get(path)
        extra = f"<lastmod>{when.date().isoformat()}</lastmod>" if when else ""
        lines.append(f"  <url><loc>{_xml_escape(xml_text(url))}</loc>{extra}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots_txt(config: SiteConfig) -> bytes:
    text = "User-agent: *\nAllow: /\n"
    if config.has_base_url:
        text += f"Sitemap: {config.absolute_url('sitemap.xml')}\n"
    return text.encode()


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
