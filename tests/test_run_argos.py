"""``l10n run`` with the Argos engine, through real packages built by the tests.

A copy model proves that glossary masking survives the real tokenizer and
decoder end to end: its output is its input, so every msgstr must be the
English with each glossary term replaced by its target. A random model
proves the run survives a model that mangles placeholders.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from argos_builders import LAYOUTS, Layout, build_copy_package, build_random_package
from http_fixtures import LoopbackServer, closed_port, index_entry, publish, serve
from support import BUNDLED_ARTICLE, msgfmt_check

Run = Callable[..., tuple[int, str, str]]
STEM = "yonhap-2020-01-15-kang-motegi"
#: The installed folder of each layout's en→ko and en→ja packages.
FOLDERS: dict[Layout, tuple[str, str]] = {
    "legacy": ("en_ko", "en_ja"),
    "modern": ("translate-en_ko-1_1", "translate-en_ja-1_1"),
}


@pytest.fixture(scope="session")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Copy and random packages for ko and ja, built once per test session.

    ``copy-ko`` and the others have the real 1.1 packages' layout;
    ``copy-ko-modern`` and ``copy-ja-modern`` CTranslate2 4.x's.
    """
    folder = tmp_path_factory.mktemp("packages")
    corpus = [line for line in BUNDLED_ARTICLE.read_text("utf-8").splitlines() if line]
    built = {}
    for lang in ("ko", "ja"):
        built[f"copy-{lang}"] = build_copy_package(
            folder / f"copy-{lang}", to_code=lang, corpus=corpus
        )
        built[f"copy-{lang}-modern"] = build_copy_package(
            folder / f"copy-{lang}-modern", to_code=lang, corpus=corpus, layout="modern"
        )
        built[f"random-{lang}"] = build_random_package(
            folder / f"random-{lang}", to_code=lang, corpus=corpus, seed=7
        )
    return built


@pytest.fixture(autouse=True)
def packages_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test installs into a package folder of its own."""
    folder = tmp_path / "argos-packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(folder))
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", f"http://127.0.0.1:{closed_port()}/")
    return folder


def install(l10n: Run, *archives: Path) -> str:
    code, out, err = l10n("models", "install", "--from", *archives)
    assert code == 0, err
    return out


def publish_copy_models(server: LoopbackServer, packages: dict[str, Path]) -> str:
    """Serve the ko and ja copy packages with an index; the index's URL."""
    links = {
        lang: server.add(f"/{lang}.argosmodel", packages[f"copy-{lang}"].read_bytes())
        for lang in ("ko", "ja")
    }
    return publish(server, *(index_entry(lang, [link]) for lang, link in links.items()))


def expected_translation(entry: polib.POEntry) -> str:
    """The English with each glossary term in the entry's comments replaced by its target."""
    replacements = []
    for line in entry.comment.splitlines():
        if line.startswith("glossary: "):
            english, _, rest = line.removeprefix("glossary: ").partition(" → ")
            replacements.append((english, rest.rsplit(" (", 1)[0]))
    text = entry.msgid
    for english, target in sorted(replacements, key=lambda r: -len(r[0])):
        text = text.replace(english, target)
    return text


def packages_of(packages: dict[str, Path], layout: Layout, *langs: str) -> list[Path]:
    suffix = "-modern" if layout == "modern" else ""
    return [packages[f"copy-{lang}{suffix}"] for lang in langs]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_models_install_from_files_and_list(
    l10n: Run, packages: dict[str, Path], packages_dir: Path, layout: Layout
) -> None:
    out = install(l10n, *packages_of(packages, layout, "ko", "ja"))
    assert "installed translate-en_ko 1.1 (en→ko)" in out
    code, listing, _ = l10n("models", "list")
    assert code == 0
    assert "en→ko" in listing and "en→ja" in listing
    code, out, _ = l10n("models", "remove", "ja")
    assert code == 0 and "removed translate-en_ja 1.1" in out
    assert [p.name for p in packages_dir.iterdir()] == [FOLDERS[layout][0]]


def test_wrong_pair_is_refused(l10n: Run, packages: dict[str, Path], packages_dir: Path) -> None:
    code, _, err = l10n("models", "install", "ja", "--from", packages["copy-ko"])
    assert code == 2
    assert "is an en→ko package, not one of: ja" in err
    assert not packages_dir.exists() or not any(packages_dir.iterdir())


@pytest.mark.parametrize(("beam", "layout"), [("4", "legacy"), ("1", "legacy"), ("4", "modern")])
def test_copy_model_keeps_every_glossary_term(
    l10n: Run, packages: dict[str, Path], tmp_path: Path, beam: str, layout: Layout
) -> None:
    install(l10n, *packages_of(packages, layout, "ko", "ja"))
    out = tmp_path / "out"
    code, _, err = l10n("run", BUNDLED_ARTICLE, "--out", out, "--beam-size", beam)
    assert code == 0, err
    korean = polib.pofile(str(out / "ko" / f"{STEM}.po"))
    japanese = polib.pofile(str(out / "ja" / f"{STEM}.po"))
    assert korean.metadata["X-Machine-Translation"] == "argos translate-en_ko 1.1"
    assert sum("glossary: " in e.comment for e in korean) >= 10
    for entry in korean:
        assert entry.msgstr == expected_translation(entry), entry.msgid
        assert "fuzzy" in entry.flags
        assert "not enforced" not in entry.comment
    for entry in japanese:
        # Japanese drops the spaces around inserted terms; the words are the same.
        assert "".join(entry.msgstr.split()) == "".join(expected_translation(entry).split())
    for path in out.rglob("*.po*"):
        msgfmt_check(path)


def test_random_model_flags_terms_it_could_not_keep(
    l10n: Run, packages: dict[str, Path], tmp_path: Path
) -> None:
    install(l10n, packages["random-ko"], packages["random-ja"])
    out = tmp_path / "out"
    code, _, err = l10n("run", BUNDLED_ARTICLE, "--out", out)
    assert code == 0, err
    assert "could not be enforced" in err
    for lang in ("ko", "ja"):
        catalog = polib.pofile(str(out / lang / f"{STEM}.po"))
        assert all("fuzzy" in entry.flags for entry in catalog)
        flagged = [e for e in catalog if "glossary term not enforced" in e.comment]
        assert flagged
        assert all("ZXQ" not in e.msgstr for e in flagged)
        msgfmt_check(out / lang / f"{STEM}.po")


@pytest.mark.parametrize(("langs", "workers"), [("ko", 4), ("ko,ja", 2)])
def test_spare_cores_decode_more_batches_at_once(
    l10n: Run,
    packages: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    langs: str,
    workers: int,
) -> None:
    import ctranslate2

    created: list[dict[str, object]] = []
    translator = ctranslate2.Translator

    def recording(model_dir: str, **options: object) -> object:
        created.append(options)
        return translator(model_dir, **options)

    monkeypatch.setattr(ctranslate2, "Translator", recording)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    install(l10n, packages["copy-ko"], packages["copy-ja"])
    code, _, err = l10n("run", BUNDLED_ARTICLE, "--langs", langs, "--out", tmp_path / "out")
    assert code == 0, err
    assert [(o["inter_threads"], o["intra_threads"]) for o in created] == [(workers, 1)] * len(
        langs.split(",")
    )


def test_a_run_imports_neither_torch_nor_stanza(
    l10n: Run, packages: dict[str, Path], tmp_path: Path
) -> None:
    install(l10n, packages["copy-ko"])
    script = (
        "import sys\n"
        "from workflow.cli import main\n"
        f"code = main(['run', {str(BUNDLED_ARTICLE)!r}, '--langs', 'ko', "
        f"'--out', {str(tmp_path / 'out')!r}])\n"
        "heavy = sorted(m for m in ('torch', 'stanza', 'argostranslate.translate') "
        "if m in sys.modules)\n"
        "print(code, heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        env=os.environ.copy(),
    )
    assert result.stdout.splitlines()[-1] == "0 []", result.stderr
    assert (tmp_path / "out" / "ko" / f"{STEM}.po").exists()


def test_missing_model_without_index_is_one_clear_line(l10n: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, err = l10n("run", BUNDLED_ARTICLE, "--out", out)
    assert code == 2
    [line] = err.strip().splitlines()[-1:]
    assert line.startswith("l10n: error: no en→ko translation model (package translate-en_ko)")
    assert "l10n models install ko" in line and "--from translate-en_ko.argosmodel" in line
    assert not out.exists()


def test_missing_model_is_fetched_from_the_index(
    l10n: Run, packages: dict[str, Path], tmp_path: Path, packages_dir: Path
) -> None:
    with serve() as server:
        index = publish_copy_models(server, packages)
        out = tmp_path / "out"
        code, _, err = l10n("run", BUNDLED_ARTICLE, "--out", out, "--index", index)
    assert code == 0, err
    assert "fetching it from the package index" in err
    assert sorted(p.name for p in packages_dir.iterdir()) == ["en_ja", "en_ko"]
    catalog = polib.pofile(str(out / "ko" / f"{STEM}.po"))
    assert all(entry.msgstr == expected_translation(entry) for entry in catalog)


def test_models_install_from_an_index_and_its_failures(
    l10n: Run, packages: dict[str, Path], packages_dir: Path
) -> None:
    with serve() as server:
        good = server.add("/ko.argosmodel", packages["copy-ko"].read_bytes())
        entry = index_entry("ko", [good])
        index = publish(server, entry)
        code, out, err = l10n("models", "install", "ko", "--index", index)
        assert code == 0, err
        assert "installed translate-en_ko 1.1 (en→ko)" in out
        missing = {**entry, "links": [server.url("/gone.argosmodel")]}
        broken = server.add("/broken.json", json.dumps([missing]).encode())
        code, _, err = l10n("models", "install", "ko", "--index", broken)
    assert code == 2
    assert err.startswith("l10n: error: ") and "HTTP 404" in err
    assert [p.name for p in packages_dir.iterdir()] == ["en_ko"]


def test_term_usage_is_complete_with_the_copy_model(
    l10n: Run, packages: dict[str, Path], tmp_path: Path
) -> None:
    install(l10n, packages["copy-ko"], packages["copy-ja"])
    articles = [
        BUNDLED_ARTICLE,
        *sorted((Path(__file__).parent / "data" / "articles").glob("*.txt")),
    ]
    assert len(articles) == 3
    out = tmp_path / "out"
    code, _, err = l10n("run", *articles, "--out", out, "--threads", "1")
    assert code == 0, err
    catalogs = sorted(out.glob("*/*.po"))
    assert len(catalogs) == 6
    code, report, err = l10n("eval", *catalogs, "--json")
    assert code == 0, err
    for figures in json.loads(report):
        assert figures["term_hits"] > 10
        assert figures["term_usage_rate"] == 1.0, figures["path"]
    code, table, _ = l10n(
        "eval",
        out / "ko" / f"{STEM}.po",
        "--reference",
        Path(__file__).parent / "data" / "reference",
    )
    assert code == 0 and "chrF" in table and "100.0%" in table


def test_quiet_run_installs_missing_models_silently(
    l10n: Run, packages: dict[str, Path], tmp_path: Path, packages_dir: Path
) -> None:
    with serve() as server:
        publish_copy_models(server, packages)
        out = tmp_path / "out"
        # A base URL: index.json is appended, as argostranslate does.
        code, stdout, err = l10n(
            "run", BUNDLED_ARTICLE, "--out", out, "--index", server.url("/"), "--quiet"
        )
    assert code == 0, err
    assert (stdout, err) == ("", "")
    assert sorted(server.requests) == ["/index.json", "/ja.argosmodel", "/ko.argosmodel"]
    assert (out / "ko" / f"{STEM}.po").exists() and (out / "ja" / f"{STEM}.po").exists()


@pytest.mark.parametrize("quiet", [False, True], ids=["normal", "quiet"])
def test_every_missing_model_is_named_when_the_index_is_unreachable(
    l10n: Run, tmp_path: Path, quiet: bool
) -> None:
    out = tmp_path / "out"
    index = f"http://127.0.0.1:{closed_port()}/mirror/"
    code, stdout, err = l10n(
        "run", BUNDLED_ARTICLE, "--out", out, "--index", index, *(["--quiet"] if quiet else [])
    )
    assert (code, stdout) == (2, "")
    [line] = err.splitlines()
    assert line.startswith(
        "l10n: error: no en→ko translation model (package translate-en_ko) and "
        "no en→ja translation model (package translate-en_ja) are installed and "
        f"the package index failed ({index}index.json: "
    )
    assert "`l10n models install ko ja`" in line
    assert "`l10n models install ko ja --from translate-en_ko.argosmodel " in line
    assert not out.exists()


def test_only_the_missing_model_is_named(
    l10n: Run, packages: dict[str, Path], tmp_path: Path
) -> None:
    install(l10n, packages["copy-ko"])
    out = tmp_path / "out"
    code, _, err = l10n("run", BUNDLED_ARTICLE, "--out", out)
    assert code == 2
    [line] = err.splitlines()
    assert line.startswith(
        "l10n: error: no en→ja translation model (package translate-en_ja) is installed and "
    )
    assert "en→ko" not in line and "install it with `l10n models install ja`" in line
    assert not out.exists()


def test_a_damaged_model_is_one_line_and_nothing_written(
    l10n: Run, packages: dict[str, Path], packages_dir: Path, tmp_path: Path
) -> None:
    install(l10n, packages["copy-ko"])
    weights = packages_dir / "en_ko" / "model" / "model.bin"
    weights.write_bytes(weights.read_bytes()[:1000])
    out = tmp_path / "out"
    code, _, err = l10n("run", BUNDLED_ARTICLE, "--langs", "ko", "--quiet", "--out", out)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("l10n: error: ")
    assert "model" in err
    assert not out.exists()


def test_batch_size_is_a_setting_that_does_not_change_the_output(
    l10n: Run, packages: dict[str, Path], tmp_path: Path
) -> None:
    install(l10n, packages["copy-ko"])
    outputs = []
    for tokens in ("1024", "16"):
        out = tmp_path / f"out-{tokens}"
        code, _, err = l10n(
            "run", BUNDLED_ARTICLE, "--langs", "ko", "--batch-tokens", tokens, "--out", out
        )
        assert code == 0, err
        outputs.append([e.msgstr for e in polib.pofile(str(out / "ko" / f"{STEM}.po"))])
    assert outputs[0] == outputs[1]
    code, _, err = l10n("run", BUNDLED_ARTICLE, "--batch-tokens", "0", "--out", tmp_path / "x")
    assert code == 2 and "batch size must be at least 1 token" in err
    assert not (tmp_path / "x").exists()
