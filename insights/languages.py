"""Languages as the scorers read them, and the language of a mention that arrives without one.

Detection (lingua-language-detector) is restricted to INSIGHTS_DETECT_LANGUAGES (a handful: fast, little memory),
loaded lazily on the first mention without a language, and never run on a mention that has one. It is a cascade:
lingua's low-accuracy mode (trigrams only, ~20k texts/s on one core) accepts the texts it finds clearly English;
the others, and whatever it is unsure of, go through the high-accuracy mode (~5k texts/s). Both ask for a minimum
relative distance (INSIGHTS_DETECT_MIN_DISTANCE) between the best and the next language: below it the text is
"undetermined" and keeps a blank language, which means the organisation's default (INSIGHTS_DEFAULT_LANGUAGE).
On 5,000 invented English Carl's Soda messages (slang, typos, emoji) none is taken for another language and 4 %
stay undetermined; "Carl's Soda sube los precios otra vez? Me cambio a Bubbleton." is "es".
"""

from functools import cache

from django.conf import settings


def primary_language(language: str) -> str:
    """'en-US' -> 'en'; blank means the organisation's default language."""
    return (language or settings.INSIGHTS_DEFAULT_LANGUAGE).split("-")[0].split("_")[0].lower()


@cache
def _detectors(codes: tuple[str, ...], distance: float):
    """(fast, accurate) lingua detectors for these ISO 639-1 codes, built once per process."""
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in codes]

    def builder():
        return LanguageDetectorBuilder.from_languages(*languages).with_minimum_relative_distance(distance)

    return builder().with_low_accuracy_mode().build(), builder().build()


def detect_languages(texts: list[str]) -> list[str]:
    """The ISO 639-1 code of each text's language among INSIGHTS_DETECT_LANGUAGES, or "" when undetermined."""
    if not texts:
        return []
    codes = tuple(sorted({code.strip().lower() for code in settings.INSIGHTS_DETECT_LANGUAGES if code.strip()}))
    if len(codes) < 2:  # nothing to choose between: the default language
        return [""] * len(texts)
    distance = settings.INSIGHTS_DETECT_MIN_DISTANCE
    return detect_among(texts, codes=codes, distance=distance, default=primary_language(""))


def detect_among(texts: list[str], *, codes: tuple[str, ...], distance: float, default: str) -> list[str]:
    """detect_languages() with its settings given (no Django needed: the benchmark measures it alone)."""
    fast, accurate = _detectors(codes, distance)
    out = []
    for text in texts:
        language = fast.detect_language_of(text)
        code = language.iso_code_639_1.name.lower() if language is not None else None
        if code != default:  # not clearly the default language: look again, closely
            language = accurate.detect_language_of(text)
            code = language.iso_code_639_1.name.lower() if language is not None else ""
        out.append(code)
    return out
