"""Which post a name in a link names: Jekyll's post_url, Hugo's ref and Pelican's {filename}, by
the one set of rules in `find_post`."""

from __future__ import annotations

from lemma.render.post_names import PostReference, find_post, post_reference

POSTS = {
    "posts/svd.md",
    "posts/notes/svd.ipynb",
    "posts/pca/index.md",
    "posts/notes/2023-02-01-sub.md",
}


def test_a_tag_link_is_read_back_and_named_as_the_author_wrote_it() -> None:
    assert post_reference("{ref}/posts/svd#rank") == PostReference(
        "ref", "/posts/svd", "#rank", '{{< ref "/posts/svd" >}}'
    )
    assert post_reference("{post_url} 2023-02-01-sub ") == PostReference(
        "post_url", "2023-02-01-sub", "", "{% post_url 2023-02-01-sub %}"
    )
    assert post_reference("other.md") is None


def test_filename_names_a_page_bundle_by_its_folder() -> None:
    for name in ("/pca", "/pca/", "/pca/index.md"):
        assert find_post("filename", name, "posts/svd.md", POSTS) == ["posts/pca/index.md"]
    assert find_post("filename", "../pca", "posts/notes/x.md", POSTS) == ["posts/pca/index.md"]


def test_filename_names_a_file_exactly_as_pelican_does() -> None:
    assert find_post("filename", "/svd.md", "posts/pca/index.md", POSTS) == ["posts/svd.md"]
    found = find_post("filename", "svd.ipynb", "posts/notes/x.md", POSTS)
    assert found == ["posts/notes/svd.ipynb"]
    # No other suffix, no other folder, no name matched site-wide: a file, or a broken link.
    assert find_post("filename", "/svd.qmd", "posts/pca/index.md", POSTS) == []
    assert find_post("filename", "svd.md", "posts/pca/index.md", POSTS) == []
    assert find_post("filename", "/2023-02-01-sub.md", "posts/svd.md", POSTS) == []


def test_ref_and_post_url_look_further_than_filename() -> None:
    assert find_post("ref", "svd.qmd", "posts/pca/index.md", POSTS) == ["posts/svd.md"]
    assert find_post("ref", "svd", "posts/other/x.md", POSTS) == ["posts/svd.md"]
    assert find_post("ref", "pca", "posts/svd.md", POSTS) == ["posts/pca/index.md"]
    assert find_post("post_url", "2023-02-01-sub", "posts/svd.md", POSTS) == [
        "posts/notes/2023-02-01-sub.md"
    ]
