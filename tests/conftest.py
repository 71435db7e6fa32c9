"""The suite's shared set-up.  How tests/ is laid out:

* ``test_*.py`` — one file per feature.  A test module never imports another test module.
* ``oracle.py`` — what the tests hold to be true: the form's labels typed from
  ``../shared/spec/FORM.md``, generators of consistent data, the paths of the test data.
* ``hostile.py`` (the corpus of broken and absurd files), ``report_documents.py`` (table 三 as
  Word and web documents), ``libreoffice.py`` (LibreOffice headless, recalculating), ``opens.py``
  (counting the files a command opens), ``document_mutants.py`` and ``yearly.py`` — helpers.
* ``data/`` — every file the tests read (the seed, real published reports, the Hongze PDF):
  nothing is read from outside the repository, so a plain clone runs the suite.

Tests that run LibreOffice are marked ``office`` (registered in pyproject.toml):
``pytest -m "not office"`` leaves them out for a quick run; scripts/test.sh (CI) runs them all.
"""

from __future__ import annotations

import sys
from pathlib import Path

# The helper modules are imported by their plain names (``from oracle import ...``) whatever the
# import mode or the directory pytest is started from.
_TESTS = str(Path(__file__).resolve().parent)
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)
