"""Cyrillic place names in the Latin spellings German news uses.

Ukrainian and Russian names reach German text two ways: the German (Duden)
transliteration ("Charkiw", "Saporischschja", "Robotyne") and the English one,
copied from agencies ("Kharkiv", "Zaporizhzhia"). The gazetteer has them only in
Cyrillic for most villages, so the knowledge-base build writes both.
"""

from __future__ import annotations

import re
import unicodedata

_UK_DE = {
    "а": "a", "б": "b", "в": "w", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "je",
    "ж": "sch", "з": "s", "и": "y", "і": "i", "ї": "ji", "й": "j", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch", "щ": "schtsch", "ь": "",
    "ю": "ju", "я": "ja", "'": "", "’": "", "ʼ": "",
}  # fmt: skip
#: Ukraine's official romanisation (2010), as English-language agencies write it
_UK_EN = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "",
    "ю": "iu", "я": "ia", "'": "", "’": "", "ʼ": "", "\x00": "gh",
}  # fmt: skip
#: at the start of a word the English romanisation writes these differently
_UK_EN_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_RU_DE = {
    "а": "a", "б": "b", "в": "w", "г": "g", "д": "d", "е": "e", "ё": "jo", "ж": "sch",
    "з": "s", "и": "i", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "ch", "ц": "z",
    "ч": "tsch", "ш": "sch", "щ": "schtsch", "ъ": "", "ы": "y", "ь": "", "э": "e",
    "ю": "ju", "я": "ja",
}  # fmt: skip
_VOWELS = set("аеёиоуыэюяєії")


def without_marks(text: str) -> str:
    """The text without its accents and other combining marks ("François" -> "Francois",
    "Mariupolʼ" keeps its modifier letter)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _apply(name: str, table: dict[str, str], initial: dict[str, str] | None = None) -> str | None:
    out = []
    previous = " "
    for char in name:
        low = char.lower()
        if low in table:
            word_start = not previous.isalpha()
            latin = (initial or {}).get(low) if word_start else None
            if latin is None:
                latin = table[low]
            if table is _RU_DE and low == "е" and (word_start or previous.lower() in _VOWELS):
                latin = "je"
            if char != low and latin:
                latin = latin[0].upper() + latin[1:]
            out.append(latin)
        elif char.isascii() and (char.isalpha() or char in " -."):
            out.append(char)
        else:
            return None  # a letter we do not know: better no form than a wrong one
        previous = char
    result = "".join(out).strip()
    return result or None


def ukrainian_german(name: str) -> str | None:
    """'Харків' -> 'Charkiw', 'Роботине' -> 'Robotyne'."""
    return _apply(name, _UK_DE)


def ukrainian_english(name: str) -> str | None:
    """'Харків' -> 'Kharkiv', 'Запоріжжя' -> 'Zaporizhzhia'."""
    # "зг" is "zgh", so that it does not read as "zh" (ж)
    return _apply(re.sub("(?<=[зЗ])г", "\x00", name), _UK_EN, _UK_EN_INITIAL)


def russian_german(name: str) -> str | None:
    """'Артёмовск' -> 'Artjomowsk'."""
    return _apply(name, _RU_DE)


#: the endings one Slavic adjective-surname ending (-ий/-ый/-ій) is spelt with in German
#: and English text: Selenskyj, Selenskij, Selenskyi, Selensky, Selenski, Zelenskyy
_SURNAME_ENDINGS = ("yj", "yi", "ij", "iy", "yy", "y", "i")
_SURNAME = re.compile(r"(?<=[bcdfghjklmnpqrstvwxzß])(yj|yi|ij|iy|yy)$")


def surname_variants(name: str) -> set[str]:
    """Every spelling of the ending of a name's last word: 'Syrskyj' -> 'Syrski', 'Syrsky', ...

    Only a two-letter ending is varied ('-yj', '-ij', '-yi', '-iy', '-yy'), so that
    'Grossi' or 'Sergei' stay as they are."""
    head, _, last = name.rpartition(" ")
    m = _SURNAME.search(last)
    if m is None or len(last) < 5:
        return set()
    stem = last[: m.start()]
    prefix = f"{head} " if head else ""
    return {f"{prefix}{stem}{ending}" for ending in _SURNAME_ENDINGS} - {name}


#: German transliteration -> the English one, as mixed spellings in German text have them
#: ("Prigoshin", "Gerassimov")
_GERMAN_TO_ENGLISH_ENDINGS = (("ow", "ov"), ("ew", "ev"), ("owa", "ova"), ("ewa", "eva"))
_ROMANISED = re.compile(r"zh|kh|shch|sh|ov\b|ev\b|iy\b|yy\b|yi\b")


def mixed_spellings(forms: set[str]) -> set[str]:
    """'Prigoschin' -> 'Prigoshin', 'Gerassimow' -> 'Gerassimov': the German form half
    romanised the English way. Only for names that are transliterated (one of their forms
    is in the English romanisation already), so that 'Scholz' stays as it is."""
    if not any(_ROMANISED.search(f) for f in forms):
        return set()
    out = set()
    for form in forms:
        if "sch" in form and not form.startswith("Sch"):
            out.add(form.replace("sch", "sh"))
        for german, english in _GERMAN_TO_ENGLISH_ENDINGS:
            if form.endswith(german):
                out.add(form[: -len(german)] + english)
    return out - forms
