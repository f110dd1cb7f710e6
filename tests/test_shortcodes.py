"""Liquid tags and Hugo shortcodes in posts copied from Jekyll and Hugo: the common ones become
what they stood for, the others are warnings at their line, and code keeps them as written."""

from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import ZoneInfo

from lemma.load import load_post
from lemma.load.shortcodes import rewrite_tags
from site_support import NO_SEARCH, SiteDir, assert_ok, error_line, warning_line

JEKYLL_POST = """---
layout: post
title: Highlighting with liquid
date: 2019-04-01 08:00:00 -0700
---

Here is some code the old way:

{% highlight python linenos %}
print("RAN" + "-IT")
{% endhighlight %}

{% raw %}
The template variable {{ page.title }} is shown literally.
{% endraw %}

See also [the pi post]({% post_url 2019-03-14-pi-day %}) and
![plot]({{ site.baseurl }}/img/plot.png)
and [home]({{ "/" | relative_url }}) and [search]({{ site.url }}{{ site.baseurl }}/search/).

{% include note.html content="This is a note" %}

Inline code keeps `{% include x %}` and so does a fence:

```text
{% comment %} kept {% endcomment %}
```

A [broken link](nowhere.md) after all of it.
"""

HUGO_POST = """+++
title = "K-means"
date = 2024-02-01
+++

{{< figure src="clusters.png" title="Three clusters" alt="Points in three colours" >}}

{{< highlight python "linenos=table" >}}
print("RAN" + "-IT")
{{< /highlight >}}

Read [the SVD post]({{< ref "/posts/svd.md" >}}) and [that one]({{< relref "/posts/svd#rank" >}}).

Inline {{< katex >}}\\sigma_1 \\ge \\sigma_2{{< /katex >}} and display:

{{< math >}}
\\|A - A_k\\|_F
{{< /math >}}

{{< youtube w7Ft2ymGmfc >}}

{{< instagram BWNjjyYFxVx >}}
"""


def jekyll_site(tmp_path: Path) -> SiteDir:
    site = SiteDir(tmp_path)
    site.write("site.toml", f'{NO_SEARCH}base_url = "https://example.org/blog/"\n')
    site.write("static/img/plot.png", b"\x89PNG\r\n\x1a\n")
    site.write("posts/2019-03-14-pi-day.md", "---\ntitle: Pi day\n---\nPi.\n")
    site.write("posts/2019-04-01-liquid-highlight.md", JEKYLL_POST)
    return site


def test_jekyll_liquid_tags_become_what_they_stood_for(tmp_path: Path) -> None:
    site = jekyll_site(tmp_path)
    result = site.build("--keep-going")
    html = site.page("posts/liquid-highlight/index.html")
    assert 'data-language="py"' in html and "RAN" in html and "RAN-IT" not in html
    assert "{% highlight" not in html and "{% endhighlight" not in html
    assert "{% raw %}" not in html and "{{ page.title }} is shown literally" in html
    assert '<a href="/blog/posts/pi-day/">the pi post</a>' in html
    assert '<img src="/blog/img/plot.png" alt="plot"' in html
    assert '<a href="/blog/">home</a>' in html and '<a href="/blog/search/">search</a>' in html
    # Code keeps the tags, without a word about them.
    assert "<code>{% include x %}</code>" in html and "{% comment %} kept" in html
    warning_line(result, "posts/2019-04-01-liquid-highlight.md", 21, "includes are not supported")
    assert "comment" not in result.stderr
    # Lines keep their numbers: an error after the rewritten lines is at its own line.
    error_line(result, "posts/2019-04-01-liquid-highlight.md", 29, "broken link: no post")


def test_post_url_to_no_post_is_an_error_at_its_line(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    site.write(
        "posts/2019-04-01-a.md", "---\ntitle: A\n---\n\nSee {% post_url 2010-07-21-nothing %}.\n"
    )
    result = site.build()
    assert result.code == 1, str(result)
    error_line(result, "posts/2019-04-01-a.md", 5, "broken link: no post")


def test_hugo_shortcodes_become_figures_code_links_and_math(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    site.write("posts/svd.md", "---\ntitle: SVD\ndate: 2024-01-01\n---\n## Rank {#rank}\n")
    site.write("posts/kmeans/index.md", HUGO_POST)
    site.write("posts/kmeans/clusters.png", b"\x89PNG\r\n\x1a\n")
    result = site.build("--keep-going")
    html = site.page("posts/kmeans/index.html")
    assert '<figure class="lemma-figure">' in html
    assert 'alt="Points in three colours"' in html
    assert "<figcaption>Three clusters</figcaption>" in html
    assert 'data-language="py"' in html and "RAN-IT" not in html
    assert '<a href="/posts/svd/">the SVD post</a>' in html
    assert '<a href="/posts/svd/#rank">that one</a>' in html
    assert html.count('<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">') == 1
    assert html.count('display="block"') == 1
    assert "katex" not in html and "{{&lt; math" not in html
    assert (
        '<iframe class="lemma-video" src="https://www.youtube-nocookie.com/embed/w7Ft2ymGmfc"'
        in html
    )
    line = warning_line(result, "posts/kmeans/index.md", 20, "Content-Security-Policy")
    assert 'frame-src = ["https://www.youtube-nocookie.com"]' in line
    line = warning_line(result, "posts/kmeans/index.md", 22, "Hugo shortcode")
    assert "'{{< instagram BWNjjyYFxVx >}}' is not supported; shown as text" in line
    strict = site.build("--strict")
    assert strict.code == 1, str(strict)


def page_with_image(tmp_path: Path, body: str) -> str:
    """The page of a post beside its image x.png, whose body is `body`."""
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    site.write("posts/a/x.png", b"\x89PNG\r\n\x1a\n")
    site.write("posts/a/index.md", f"---\ntitle: A\ndate: 2024-01-01\n---\n{body}")
    assert_ok(site.build())
    return site.page("posts/a/index.html")


def test_a_titled_image_alone_in_its_paragraph_is_a_figure(tmp_path: Path) -> None:
    body = '![A](x.png "The caption")\n\nText ![B](x.png "Not a caption") inline.\n'
    html = page_with_image(tmp_path, body)
    assert html.count("<figure") == 1 and "<figcaption>The caption</figcaption>" in html
    assert "<p>Text <img" in html


def test_a_figure_caption_is_inline_markdown_as_hugo_reads_it(tmp_path: Path) -> None:
    # Hugo's figure shortcode passes its caption through markdownify: bold, code and math
    body = '{{< figure src="x.png" alt="A" caption="The **loss** of `fit` at $x < 1$" >}}\n'
    html = page_with_image(tmp_path, body)
    caption = re.search(r"<figcaption>(.*?)</figcaption>", html, re.DOTALL)
    assert caption, html
    shown = caption.group(1)
    assert "<strong>loss</strong>" in shown and "<code>fit</code>" in shown
    assert "<math" in shown and "**" not in shown and "$" not in shown


def test_post_url_after_baseurl_any_suffix_and_subfolders(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", f'{NO_SEARCH}base_url = "https://example.org/blog/"\n')
    site.write("posts/2023-01-15-welcome.markdown", "---\ntitle: Welcome\n---\nHi.\n")
    site.write("posts/notes/2023-02-01-sub.md", "---\ntitle: Sub\n---\nSub.\n")
    site.write("posts/2023-03-10-eigen.md", "---\ntitle: Eigen\n---\nEigen.\n")
    body = (
        "[a]({{ site.baseurl }}{% post_url 2023-03-10-eigen %}) and\n"
        "[b]({% post_url 2023-01-15-welcome %}) and [c]({% post_url /notes/2023-02-01-sub %})\n"
        "and [d]({% post_url 2023-02-01-sub %}) and\n"
        "{{ site.baseurl }}{% post_url 2023-03-10-eigen %}\n"
        "and [e]({% post_url 2023-01-16-nothing %}).\n"
        "and [f]({% post_url eigen %}).\n"
    )
    site.write("posts/2023-04-01-links.md", f"---\ntitle: Links\n---\n{body}")
    result = site.build("--keep-going")
    html = site.page("posts/links/index.html")
    assert '<a href="/blog/posts/eigen/">a</a>' in html
    assert '<a href="/blog/posts/welcome/">b</a>' in html
    assert '<a href="/blog/posts/sub/">c</a>' in html and '<a href="/blog/posts/sub/">d</a>' in html
    assert '<a href="/blog/posts/eigen/">2023-03-10-eigen</a>' in html
    line = error_line(result, "posts/2023-04-01-links.md", 8, "broken link")
    assert "no post for {% post_url 2023-01-16-nothing %}" in line
    assert "check the file name in posts/" in line
    near = error_line(result, "posts/2023-04-01-links.md", 9, "no post for {% post_url eigen %}")
    assert "did you mean posts/2023-03-10-eigen.md?" in near  # the file's name has a date
    assert "static/" not in result.stderr


def test_hugo_ref_finds_bundles_relative_then_site_wide(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    site.write("posts/pca.md", "---\ntitle: PCA\ndate: 2024-01-01\n---\n## Rank {#rank}\n")
    site.write("posts/notes/svd.md", "---\ntitle: SVD\ndate: 2024-01-01\n---\nSVD.\n")
    site.write(
        "posts/kmeans/index.md",
        "---\ntitle: K-means\ndate: 2024-01-02\n---\n"
        '[a]({{< ref "pca.md" >}}) [b]({{< relref "pca#rank" >}}) [c]({{< ref "/posts/pca" >}})\n'
        '[d]({{< ref "svd" >}}) [e]({{< ref "notes/svd.md" >}}) {{< ref "nothing" >}}\n'
        '{{< ref "2024-01-01-PCA" >}}\n',
    )
    site.write(
        "posts/links.md",
        "---\ntitle: Links\ndate: 2024-01-03\n---\n"
        '[k]({{< ref "kmeans" >}}) [s]({{< ref "svd" >}})\n',
    )
    result = site.build("--keep-going")
    html = site.page("posts/kmeans/index.html")
    assert '<a href="/posts/pca/">a</a>' in html and '<a href="/posts/pca/#rank">b</a>' in html
    assert '<a href="/posts/pca/">c</a>' in html and '<a href="/posts/svd/">d</a>' in html
    assert '<a href="/posts/svd/">e</a>' in html
    error_line(result, "posts/kmeans/index.md", 6, """no post for {{< ref "nothing" >}}""")
    near = error_line(result, "posts/kmeans/index.md", 7, """{{< ref "2024-01-01-PCA" >}}""")
    assert "did you mean posts/pca.md?" in near  # a date too many, and capitals
    links = site.page("posts/links/index.html")
    assert '<a href="/posts/kmeans/">k</a>' in links and '<a href="/posts/svd/">s</a>' in links


def test_quartos_include_says_where_macros_go() -> None:
    text = "---\ntitle: Q\ndate: 2025-01-01\n---\n\n{{< include _macros.qmd >}}\n\n$x$\n"
    _post, problems = load_post("posts/q.qmd", text.encode(), ZoneInfo("UTC"))
    (problem,) = problems
    assert str(problem.location) == "posts/q.qmd:6" and problem.is_warning
    assert problem.message == "Quarto's '{{< include _macros.qmd >}}' is not read; shown as text"
    assert problem.hint is not None and "[macros] in site.toml" in problem.hint


def test_a_post_that_mentions_base_url_in_its_code_is_not_looked_at() -> None:
    body = (
        "Set `base_url` first:\n\n```python\nsite.base_url = 'https://example.org/'\n"
        "print(site.base_url, page.image_url)\n```\n"
    )
    rewritten, problems = rewrite_tags(body, 5, "posts/a.md")
    assert problems == []
    assert rewritten is body  # returned as it is: never parsed again for its code blocks


def test_a_url_filter_alone_is_still_rewritten() -> None:
    body = 'Go [home]({{ "/" | relative_url }}) or to [x]({{ "x/" | absolute_url }}).\n'
    rewritten, problems = rewrite_tags(body, 5, "posts/a.md")
    assert (rewritten, problems) == ("Go [home](/) or to [x](/x/).\n", [])


HUGO_BLOX_POST = """---
title: Welcome to Hugo Blox
date: 2023-10-24
image:
  caption: 'Image credit: Unsplash'
  focal_point: ''
---

{{< toc >}}

{{% callout warning %}}
Mind the step size $\\eta$.
{{% /callout %}}

{{< spoiler text="Click to view the solution" >}}
You found me! $x = 2$
{{< /spoiler >}}

{{< gist spf13 7896402 >}}
"""


def test_hugo_blox_callouts_spoilers_embeds_and_image_mapping(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    site.write("posts/welcome/index.md", HUGO_BLOX_POST)
    result = site.build()
    assert_ok(result)  # `image:` as Hugo Blox's mapping, without a file name: no image
    html = site.page("posts/welcome/index.html")
    warning = re.search(r'class="callout callout-warning".*?</div>\s*</div>', html, re.S)
    assert warning is not None and "Mind the step size" in warning.group(0)
    assert "<mi>η</mi>" in warning.group(0)
    spoiler = re.search(
        r"<details[^>]*>\s*<summary[^>]*>(.*?)</summary>(.*?)</details>", html, re.S
    )
    assert spoiler is not None and "Click to view the solution" in spoiler.group(1)
    assert "You found me!" in spoiler.group(2)
    gist = '<a href="https://gist.github.com/spf13/7896402" rel="noopener">spf13/7896402 on'
    assert gist in html
    assert "{{" not in html and "og:image" not in html


def test_an_embed_shortcode_in_a_sentence_or_with_an_odd_id_stays_a_warning() -> None:
    body, problems = rewrite_tags(
        'Watch {{< youtube abc >}} now.\n\n{{< youtube "a b" >}}\n', 5, "posts/x.md"
    )
    assert body.startswith("Watch {{< youtube abc >}} now.")
    assert [p.location.line for p in problems] == [5, 7]


def test_mkdocs_materials_spaced_more_marker_ends_the_excerpt() -> None:
    from lemma.load.excerpts import MORE, split_excerpt

    body, excerpt = split_excerpt("First, $x$.\n\n<!-- more -->\n\nRest.\n", MORE)
    assert excerpt == "First, $x$.\n\n" and body == "First, $x$.\n\n\n\nRest.\n"


def test_jekyll_plugins_gist_and_youtube_tags_are_read_like_hugos() -> None:
    body, problems = rewrite_tags(
        "{% gist parkr/931c1c8d465a04042403 %}\n\n{% youtube dQw4w9WgXcQ %}\n", 3, "posts/x.md"
    )
    assert problems == []
    gist, _, video, _ = body.split("\n")
    assert gist == (
        "[parkr/931c1c8d465a04042403 on GitHub Gist]"
        "(https://gist.github.com/parkr/931c1c8d465a04042403)"
    )
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in video


def test_octopress_img_tag_is_an_image_found_as_pelicans_static_path() -> None:
    body, problems = rewrite_tags(
        "{% img left /images/posterior.png 400 300 'Posterior' 'The posterior' %}\n", 1, "p.md"
    )
    assert problems == []
    assert body == '![The posterior]({static}/images/posterior.png "Posterior")\n'


def test_page_variables_show_the_posts_own_front_matter() -> None:
    # Jekyll's {{ page.title }} and Eleventy's {{ title }} print the front matter's value; a
    # value that is not text, and any other variable, stay as written with a warning. TeX's
    # doubled braces are never read as a variable, in a formula or written without spaces.
    text = (
        "---\ntitle: Gradient descent\ndate: 2024-01-02\ntags: [posts, optimisation]\n"
        "step: 3\n---\n\n"
        "# {{ page.title }}\n\n"
        "Welcome to {{ title }}, step {{ page.step }} of {{ page.tags }}.\n\n"
        "In math: $a^{{ title }}$ and \\(b\\) then $\\frac{{title}}{2}$ and {{title}}.\n"
    )
    post, problems = load_post("posts/gd.md", text.encode(), ZoneInfo("UTC"))
    assert "# Gradient descent\n" in post.body
    assert "Welcome to Gradient descent, step 3 of {{ page.tags }}." in post.body
    assert "$a^{{ title }}$" in post.body and "$\\frac{{title}}{2}$ and {{title}}." in post.body
    assert [f"{p.location}: {p.message}" for p in problems if "step" not in p.message] == [
        "posts/gd.md:10: Liquid variable '{{ page.tags }}' is not supported; shown as text"
    ]
