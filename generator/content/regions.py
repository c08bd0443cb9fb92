"""The countries an article can say its advice applies to: ISO 3166-1 alpha-2 codes,
lowercase as editors write them, with the English names readers see (from Babel's CLDR
data, which Material already installs)."""

from __future__ import annotations

from babel import Locale

# CLDR's territories include groupings and codes reserved for other uses: not countries.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "XK", "ZZ"}

REGIONS: dict[str, str] = {
    code.lower(): name for code, name in sorted(Locale("en").territories.items())
    if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
}


# Not a country, but where some rules hold (facts may apply EU-wide): its code and name.
EU, EU_NAME = "eu", "European Union"


def region_name(code: str) -> str:
    """A country's name, or the European Union's."""
    return EU_NAME if code == EU else REGIONS[code]


def region_names(codes: list[str]) -> list[str]:
    return [REGIONS[code] for code in codes]
