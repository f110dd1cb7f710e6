"""`python -m lemma`: the same as the `lemma` command."""

from lemma.cli import run

run()
