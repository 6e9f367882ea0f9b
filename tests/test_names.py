import pytest
from hypothesis import given

from kgru_relations import Name, NameKind, ValidationError
from kgru_relations.strategies import names


def test_name_with_language_script_and_kind() -> None:
    name = Name("Жапаров", language="rus", script="cyrl", kind="official")
    assert (name.text, name.language, name.script, name.kind) == (
        "Жапаров",
        "ru",
        "Cyrl",
        NameKind.OFFICIAL,
    )
    assert str(name) == "Жапаров"


def test_defaults_are_a_common_name_in_an_unknown_language() -> None:
    name = Name("Bishkek")
    assert (name.language, name.script, name.kind) == (None, None, NameKind.COMMON)


def test_the_four_kinds() -> None:
    assert [kind.value for kind in NameKind] == ["official", "common", "transliteration", "alias"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "must not be empty or blank"),
        ("   ", "must not be empty or blank"),
        ("\u00a0", "must not be empty or blank"),
        (" Lavrov", "' Lavrov' has leading or trailing whitespace"),
        ("Lavrov\n", "'Lavrov\\n' has leading or trailing whitespace"),
        ("Lav\x00rov", "'Lav\\x00rov' contains the control character U+0000 at character 4"),
        ("Lav\u2028rov", "contains the invisible character U+2028 (LINE SEPARATOR)"),
        ("Lav\ud800", "contains U+D800, a lone surrogate, which no UTF-8 file can hold"),
        (None, "expected the name as text, got NoneType"),
    ],
)
def test_bad_text_is_refused(text: object, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Name(text)  # type: ignore[arg-type]
    [issue] = caught.value.issues
    assert issue.path == "$.text"
    assert message in issue.message


def test_joiners_inside_names_are_kept() -> None:
    # Zero-width (non-)joiners are part of correct spelling in Persian and Indic scripts.
    assert Name("می\u200cخواهم").text == "می\u200cخواهم"


def test_every_bad_argument_is_reported_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        Name("", language="xx", script="Zzzx", kind="nickname")
    assert [issue.path for issue in caught.value] == ["$.text", "$.language", "$.script", "$.kind"]
    assert caught.value.issues[3].message == (
        "'nickname' is not a kind of name; expected one of "
        "'official', 'common', 'transliteration', 'alias'"
    )


def test_names_are_frozen_and_hashable() -> None:
    assert len({Name("Japarov"), Name("Japarov"), Name("Zhaparov")}) == 2
    with pytest.raises(AttributeError):
        Name("x").text = "y"  # type: ignore[misc]


@given(names())
def test_rebuilding_a_name_from_its_fields_gives_it_back(name: Name) -> None:
    assert Name(name.text, language=name.language, script=name.script, kind=name.kind.value) == name
