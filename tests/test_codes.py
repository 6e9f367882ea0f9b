import attrs
import pycountry
import pytest
from hypothesis import given

from kgru_relations import (
    ValidationError,
    country,
    country_code,
    currency,
    currency_code,
    language,
    language_code,
    script,
    script_code,
)
from kgru_relations.codes import (
    is_country_code,
    is_currency_code,
    is_language_code,
    is_script_code,
)
from kgru_relations.strategies import country_codes, currency_codes, language_codes, script_codes

# The six CSTO states, as facts.md lists them: (alpha-2, alpha-3, numeric).
CSTO = [
    ("RU", "RUS", "643"),
    ("KG", "KGZ", "417"),
    ("KZ", "KAZ", "398"),
    ("AM", "ARM", "051"),
    ("BY", "BLR", "112"),
    ("TJ", "TJK", "762"),
]


@pytest.mark.parametrize(("alpha_2", "alpha_3", "numeric"), CSTO)
def test_every_form_of_a_country_code_normalises_to_alpha_2(
    alpha_2: str, alpha_3: str, numeric: str
) -> None:
    for form in (alpha_2, alpha_3, numeric, alpha_2.lower(), alpha_3.lower(), int(numeric)):
        assert country_code(form) == alpha_2
    record = country(alpha_2)
    assert (record.alpha_2, record.alpha_3, record.numeric) == (alpha_2, alpha_3, numeric)
    assert not record.historic


def test_country_record_has_names() -> None:
    kyrgyzstan = country("KGZ")
    assert kyrgyzstan.name == "Kyrgyzstan"
    assert kyrgyzstan.official_name == "Kyrgyz Republic"


def test_unknown_country_code() -> None:
    with pytest.raises(ValidationError) as caught:
        country_code("XX")
    assert str(caught.value) == "$: 'XX' is not an ISO 3166-1 alpha-2 country code"


@pytest.mark.parametrize("value", [None, True, 1.0, 1000, -1, b"KG"])
def test_country_code_refuses_what_is_not_a_code(value: object) -> None:
    with pytest.raises(ValidationError, match="expected a country code as text"):
        country_code(value)  # type: ignore[arg-type]


def test_withdrawn_codes_only_where_a_field_allows_them() -> None:
    with pytest.raises(ValidationError) as caught:
        country_code("SU")
    assert "'SU' is a withdrawn ISO 3166 code (USSR" in str(caught.value)
    assert "this field needs a current country code" in str(caught.value)
    assert country_code("SU", historic=True) == "SU"
    assert country_code("SUN", historic=True) == "SU"
    assert country_code("810", historic=True) == "SU"
    assert country_code("DDDE", historic=True) == "DD"
    assert country_code("yug", historic=True) == "YU"
    soviet = country("SU")
    assert soviet.historic
    assert soviet.alpha_3 == "SUN"
    assert soviet.withdrawn is not None


def test_current_codes_win_over_withdrawn_ones() -> None:
    # SK was Sikkim (withdrawn 1975) and is Slovakia now; BY was the Byelorussian SSR.
    assert country("SK").name == "Slovakia"
    assert country("BY").name == "Belarus"
    assert country_code("SK", historic=True) == "SK"


def test_withdrawn_codes_that_would_be_ambiguous_are_refused() -> None:
    with pytest.raises(ValidationError, match="named more than one country"):
        country("CS")
    with pytest.raises(ValidationError, match="named more than one country"):
        country_code("891", historic=True)
    with pytest.raises(ValidationError, match="alpha-2 form 'CS' names more than one country"):
        country_code("CSHH", historic=True)
    with pytest.raises(ValidationError, match="alpha-2 form 'SK' names more than one country"):
        country_code("SKM", historic=True)
    assert country("CSHH").name.startswith("Czechoslovakia")


@given(country_codes())
def test_every_current_country_round_trips_through_each_code(code: str) -> None:
    record = country(code)
    assert country_code(record.alpha_3) == code
    if record.numeric is not None:
        assert country_code(record.numeric) == code


@given(country_codes(historic=True))
def test_every_listed_historic_code_is_accepted_where_allowed(code: str) -> None:
    assert country_code(code, historic=True) == code


def test_code_lists_are_the_whole_pycountry_lists() -> None:
    assert all(country_code(record.alpha_2) == record.alpha_2 for record in pycountry.countries)
    assert all(currency_code(record.alpha_3) == record.alpha_3 for record in pycountry.currencies)
    assert all(script_code(record.alpha_4) == record.alpha_4 for record in pycountry.scripts)
    assert all(language(record.alpha_3).alpha_3 == record.alpha_3 for record in pycountry.languages)


def test_currencies() -> None:
    assert currency_code("usd") == "USD"
    assert currency_code("417") == "KGS"
    assert currency_code(643) == "RUB"
    som = currency("KGS")
    assert (som.alpha_3, som.numeric, som.name) == ("KGS", "417", "Som")
    with pytest.raises(ValidationError, match="'XYZ' is not an ISO 4217 currency code"):
        currency_code("XYZ")
    with pytest.raises(ValidationError, match="expected a currency code as text"):
        currency_code(None)  # type: ignore[arg-type]


def test_languages() -> None:
    assert language_code("ru") == "ru"
    assert language_code("RUS") == "ru"
    assert language_code("kir") == "ky"
    assert language_code("ger") == "de"  # ISO 639-2/B
    assert language_code("ady") == "ady"  # no two-letter code: three letters stay
    kyrgyz = language("ky")
    assert (kyrgyz.code, kyrgyz.alpha_2, kyrgyz.alpha_3) == ("ky", "ky", "kir")
    with pytest.raises(ValidationError, match="'xx' is not an ISO 639 language code"):
        language_code("xx")
    with pytest.raises(ValidationError, match="expected a language code as text"):
        language_code(7)  # type: ignore[arg-type]


def test_scripts() -> None:
    assert script_code("Cyrl") == "Cyrl"
    assert script_code("LATN") == "Latn"
    assert script_code("220") == "Cyrl"
    cyrillic = script("cyrl")
    assert (cyrillic.alpha_4, cyrillic.numeric, cyrillic.name) == ("Cyrl", "220", "Cyrillic")
    with pytest.raises(ValidationError, match="'Xxxz' is not an ISO 15924 script code"):
        script_code("Xxxz")


@given(language_codes())
def test_language_codes_are_canonical(code: str) -> None:
    assert language_code(code) == code
    assert language_code(language(code).alpha_3) == code


@given(currency_codes())
def test_currency_codes_are_canonical(code: str) -> None:
    assert currency_code(code) == code


@given(script_codes())
def test_script_codes_are_canonical(code: str) -> None:
    assert script_code(code) == code
    assert script_code(script(code).numeric) == code


@attrs.frozen
class Record:
    """A user's own attrs class that uses the library's validators."""

    country: str = attrs.field(validator=is_country_code())
    former: str = attrs.field(validator=is_country_code(historic=True))
    currency: str = attrs.field(validator=is_currency_code())
    language: str = attrs.field(validator=is_language_code())
    script: str = attrs.field(validator=is_script_code())


def test_validators_accept_canonical_codes() -> None:
    record = Record("KG", "SU", "KGS", "ky", "Cyrl")
    assert record.former == "SU"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("country", "XX", "$.country: 'XX' is not an ISO 3166-1 alpha-2 country code"),
        ("country", "KGZ", "$.country: 'KGZ' is not in canonical form; write 'KG'"),
        ("country", "SU", "$.country: 'SU' is a withdrawn ISO 3166 code"),
        ("former", "SUN", "$.former: 'SUN' is not in canonical form; write 'SU'"),
        ("currency", "usd", "$.currency: 'usd' is not in canonical form; write 'USD'"),
        ("language", "rus", "$.language: 'rus' is not in canonical form; write 'ru'"),
        ("script", "CYRL", "$.script: 'CYRL' is not in canonical form; write 'Cyrl'"),
        ("script", 220, "$.script: 220 is not in canonical form; write 'Cyrl'"),
    ],
)
def test_validators_name_the_field_and_the_fix(field: str, value: object, message: str) -> None:
    arguments: dict[str, object] = {
        "country": "KG",
        "former": "SU",
        "currency": "KGS",
        "language": "ky",
        "script": "Cyrl",
    }
    arguments[field] = value
    with pytest.raises(ValidationError) as caught:
        Record(**arguments)  # type: ignore[arg-type]
    assert str(caught.value).startswith(message)
