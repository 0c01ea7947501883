"""The word lists load once per process, at start-up, from a compact form that is current."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from anonymity.detector.lexicon import COMPACT, compact_lists, compact_word_ends, lexicon, lexicon_from_text
from anonymity.detector.spelling import name_grams, train_name_grams
from anonymity.detector.words import word_ends

ROOT = Path(__file__).resolve().parents[2]
# A fresh process, since in this one some earlier test may have scanned already.
AFTER_SETUP = """
import django
django.setup()
from anonymity.detector.lexicon import lexicon
from anonymity.detector.spelling import name_grams
print(lexicon.cache_info().currsize, name_grams.cache_info().currsize)
"""


def test_lists_and_spelling_model_are_loaded_once_django_is_set_up() -> None:
    # AnonymityConfig.ready() loads them, so the first request that scans a
    # text (web or worker) finds them in memory.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    done = subprocess.run(
        [sys.executable, "-c", AFTER_SETUP], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["1", "1"]

# After start-up, every cached function of the detector (all of them derive something from the
# lists) as it stands, then again after scans that go down every path of the rules.
CACHES_AFTER_SCANS = """
import json, sys
import django
django.setup()
import anonymity.detector
from anonymity.detector import scan

def cache_sizes():
    sizes = {}
    for name, module in sorted(sys.modules.items()):
        if name.startswith("anonymity.detector"):
            for attr, value in vars(module).items():
                if hasattr(value, "cache_info"):
                    sizes[f"{name}.{attr}"] = value.cache_info().currsize
    return sizes

before = cache_sizes()
texts = [json.loads(line)["text"] for line in open("tests/anonymity/corpus.jsonl", encoding="utf-8")]
for text in texts + ["we saw zorblat today, she doesnt know"]:  # a stray lower-case word
    scan(text)
print(json.dumps([before, cache_sizes()]))
"""


def test_scans_after_start_up_derive_nothing_more_from_the_lists() -> None:
    # The first requests that meet a contraction typed without its apostrophe ("hasnt") once
    # paid for deriving the words with one from the 63,000 common words.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    done = subprocess.run(
        [sys.executable, "-c", CACHES_AFTER_SCANS], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    before, after = json.loads(done.stdout)
    assert before == after
    assert "anonymity.detector.words.word_ends" in before


def test_the_compact_lists_are_built_from_the_current_text_files() -> None:
    # Fails after a change to a list until ``build_lists.py --compact`` is run
    # (meanwhile the detector reads the text files, slowly but correctly).
    assert compact_lists() is not None


def test_the_compact_lists_hold_exactly_what_the_text_files_do() -> None:
    from_text = lexicon_from_text()
    assert lexicon() == from_text
    trained, loaded = train_name_grams(from_text), name_grams()
    assert (loaded.names, loaded.words) == (trained.names, trained.words)
    assert (loaded.name_total, loaded.word_total) == (trained.name_total, trained.word_total)


def test_the_common_words_ends_come_prebuilt_and_match_the_words() -> None:
    common = lexicon().common
    prebuilt = compact_word_ends(common)
    assert prebuilt is not None
    assert word_ends(common) == prebuilt
    long = [w for w in lexicon_from_text().common if len(w) >= 4]
    assert prebuilt == ({w[:4] for w in long}, {w[-4:] for w in long})


def test_building_the_compact_lists_again_gives_the_shipped_file_byte_for_byte(tmp_path: Path) -> None:
    # What lets two branches that both rebuilt it merge: build again, get one file.
    out = tmp_path / "lists.pickle"
    build = ROOT / "anonymity" / "data" / "build_lists.py"
    subprocess.run([sys.executable, str(build), "--compact", str(out)], cwd=tmp_path, capture_output=True, check=True)
    assert out.read_bytes() == COMPACT.read_bytes()
