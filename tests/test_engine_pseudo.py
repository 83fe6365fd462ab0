from __future__ import annotations

from workflow.engines.pseudo import PseudoEngine, accent, mark


def test_every_segment_is_marked_and_accented() -> None:
    [[ko], [ja]] = [PseudoEngine().translate(["Talks resumed."], lang)[0] for lang in ("ko", "ja")]
    assert ko == f"{mark('ko')} Ţåļķš ŕéšûɱéð."
    assert ja.startswith(mark("ja"))


def test_placeholders_format_codes_and_digits_pass_through() -> None:
    assert accent("ZXQ3 paid US$45.6 billion to %s and {0} on %(day)s") == (
        "ZXQ3 þåîð ÛŠ$45.6 ƀîļļîöñ ţö %s åñð {0} öñ %(day)s"
    )


def test_one_hypothesis_whatever_is_asked() -> None:
    hypotheses = PseudoEngine().translate(["a", "b"], "ko", n_best=4)
    assert [len(h) for h in hypotheses] == [1, 1]


def test_describe_names_the_engine() -> None:
    assert PseudoEngine().describe("ja") == "pseudo-translation into ja"
