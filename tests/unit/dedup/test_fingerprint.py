from __future__ import annotations

import subprocess
import sys

from workers.dedup.fingerprint import content_hash, shingle_hashes, title_key, words


def test_words_fold_case_umlauts_and_sharp_s() -> None:
    assert words("Straße „Müller“ – ÖL") == words('strasse "Mueller" - oel')


def test_content_hash_ignores_typesetting_not_words() -> None:
    assert content_hash("Die  Lage, sagte er.") == content_hash("die lage sagte er")
    assert content_hash("Die Lage, sagte er.") != content_hash("Die Lage, sagte sie.")


def test_title_key_drops_publishing_marks() -> None:
    plain = title_key("Kiew meldet Geländegewinne")
    for marked in (
        "dpa: Kiew meldet Geländegewinne",
        "+++ Liveblog +++ Kiew meldet Geländegewinne",
        "+++ Eilmeldung +++ dpa: Kiew meldet Geländegewinne",
        "Liveticker: Kiew meldet Geländegewinne",
        "Kiew meldet Geländegewinne - Liveblog",
        "„Kiew meldet Geländegewinne“",
        "Kiew meldet Geländegewinne (dpa)",
    ):
        assert title_key(marked) == plain, marked
    assert title_key("Kiew meldet Verluste") != plain


def test_shingles_are_a_set_of_32_bit_values() -> None:
    grams = shingle_hashes(words("a b c a b c a b c"), 3)
    assert len(grams) == 3  # abc, bca, cab
    assert int(grams.max()) < 2**32
    assert len(shingle_hashes(words("zu kurz"), 3)) == 0


def test_shingle_hashes_are_the_same_in_another_process() -> None:
    """Stored signatures are compared across workers: nothing may depend on hash seeds."""
    code = (
        "from workers.dedup.fingerprint import shingle_hashes, words;"
        "print(shingle_hashes(words('die lage an der front bleibt angespannt'), 3).tolist())"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(runs) == 1
    assert runs.pop().strip() == str(
        shingle_hashes(words("die lage an der front bleibt angespannt"), 3).tolist()
    )
