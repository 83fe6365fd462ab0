"""Argos Translate models: where they live, which are installed, installing and removing them.

This is the one package that knows the Argos package format (a zip holding one
folder with ``metadata.json``, a CTranslate2 ``model/`` folder and a
``sentencepiece.model`` or ``bpe.model``) and where argostranslate keeps
packages, so that a model installed with ``argospm`` is found here and one
installed here is used by ``argospm`` and argostranslate alike.

What comes from argostranslate and what is our own. The project depends on
``argos-translate-lt``, the distribution of ``argostranslate`` without torch,
stanza or spacy, so importing it is cheap now; the choice below is made
module by module, for measured reasons, not by habit:

* From argostranslate: its rules and formats, not re-invented. The package
  folder is argostranslate's (``ARGOS_PACKAGES_DIR``, then ``settings.json``,
  then the XDG data folder), the index is argospm's (``ARGOS_PACKAGE_INDEX``,
  a base URL to which ``index.json`` is appended), and a package is read with
  argostranslate's defaults (no ``type`` means a translation package, the
  SentencePiece model wins over ``bpe.model``, ``code`` defaults to
  ``translate-FROM_TO``). The tests run argostranslate itself, in a fresh
  subprocess, and check that it lists exactly the packages
  `installed_models` lists, and that its default index is ours.
* Our own, reading argostranslate's folder directly instead of calling
  ``argostranslate.package``:

  - Importing ``argostranslate.package`` imports ``argostranslate.settings``,
    which creates five folders under the home directory (config, cache,
    downloads, data, packages; measured in an empty HOME) and reads
    ``ARGOS_PACKAGES_DIR`` once, at first import: the folder can no longer
    change within the process, so a library (and the tests) could not point
    it elsewhere, and ``l10n models list`` would write to the home directory.
    `packages_dir` applies the same rules afresh on every call and creates
    nothing.
  - ``install_from_path`` extracts any zip as it is, straight into the
    package folder, with no check at all (``../`` entries, several top
    folders, a zip bomb, a format-6 model without ``config.json``), so a
    bad or interrupted install leaves half a package that breaks every later
    listing. `validate_package` checks the file before anything is unpacked,
    and installs are atomic (see `workflow.models.install`).
  - ``install_from_path`` and ``uninstall`` import ``argostranslate.translate``
    to clear a cache: 0.4 s and 67 MB with argos-translate-lt (against 3 s
    and 760 MB with torch), plus onnxruntime, which creates a folder of its
    own under ``~/.cache``; ``l10n models`` needs none of it.
  - ``update_package_index`` writes the index to one fixed file and
    ``networking.get`` fetches http(s) only, without progress or size
    checks; `fetch_index` reads any index (http(s), ``file://`` or a path)
    into memory, bounded, and downloads report progress and refuse
    truncated files.

One concept per module:

* `workflow.models.locations`: where packages live (`packages_dir`) and
  where installs stage them (`staging_dir`).
* `workflow.models.package`: package metadata, the installed packages
  (`installed_models`, `find_model`) and checking a package file
  (`validate_package`, including the CTranslate2 format check).
* `workflow.models.install`: atomic installs and removals, and cleaning up
  what killed installs left (its docstring says how).
* `workflow.models.index`: reading an argospm index and downloading the
  packages it lists.

The names other modules use are re-exported here; import them from
``workflow.models``. Names with a leading underscore are shared between the
modules of this package only.
"""

from __future__ import annotations

from workflow.models.index import (
    DEFAULT_INDEX_URL,
    DownloadProgress,
    IndexEntry,
    default_index_url,
    fetch_index,
    install_from_index,
    parse_index,
    resolve_index,
)
from workflow.models.install import (
    FilePlan,
    install_from_file,
    plan_file_install,
    remove_model,
)
from workflow.models.locations import STAGING_NAME, packages_dir, staging_dir
from workflow.models.package import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_RATIO,
    InstalledModel,
    PackageInfo,
    find_model,
    installed_models,
    validate_package,
    version_key,
)

__all__ = [
    "DEFAULT_INDEX_URL",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_RATIO",
    "STAGING_NAME",
    "DownloadProgress",
    "FilePlan",
    "IndexEntry",
    "InstalledModel",
    "PackageInfo",
    "default_index_url",
    "fetch_index",
    "find_model",
    "install_from_file",
    "install_from_index",
    "installed_models",
    "packages_dir",
    "parse_index",
    "plan_file_install",
    "remove_model",
    "resolve_index",
    "staging_dir",
    "validate_package",
    "version_key",
]
