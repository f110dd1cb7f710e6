"""`python -m lemma`: the same as the `lemma` command."""

import sys

from lemma.cli import main

sys.exit(main())
