"""Train the learned layer's model (``names.crfsuite``) on every labelled set, or estimate it.

    python anonymity/data/train_learned.py            # write names.crfsuite and names.json
    python anonymity/data/train_learned.py --cv       # leave-one-round-out estimate, threshold grid

Training data: every ``tests/anonymity/*.jsonl`` ({"text", "identifiers": [{"kind", "text"}]}).
Every occurrence of a labelled name is tagged NAME (B-/I-), of a labelled school, nursery,
club, shop or home INST; everything else, and every word of a clean text, is O (clean texts
teach the model what is *not* a name). The rules' own findings are a feature, so the rules
are run first (``learned.rules_only()``). Each text is also given once more without that
feature, so the model learns to read words and context on its own rather than repeat the
rules. Training is deterministic (L-BFGS from zero, texts in file order): the same sets and
rules give the same file.

``--cv`` trains once per fold (``FOLDS``: an author round or a blind set) on all the
others, tags the fold left out, and scores rules alone against rules plus the layer on it
with ``anonymity/evaluation.py`` (span recall, whole-span recall, clean texts flagged), per
file, per fold and pooled, for a grid of thresholds. The rules were tuned on every set, so
"rules alone" there is an in-sample figure; only the layer is scored out of sample.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import pycrfsuite  # noqa: E402

from anonymity.detector import Finding, learned, scan  # noqa: E402
from anonymity.evaluation import Report, evaluate, load_corpus  # noqa: E402

SETS_DIR = ROOT / "tests" / "anonymity"
LABELS = {"name": "NAME", "school": "INST"}
PARAMS = {
    "c1": 0.05,
    "c2": 0.05,
    "max_iterations": 80,
    "feature.minfreq": 2,
    "feature.possible_transitions": True,
}
# The folds of --cv: one per author round or blind set, so a set is never scored by a
# model trained on its own author's other sets of the same round.
FOLDS = {
    "corpus": ("corpus",),
    "authors 1-3": ("holdout", "holdout_fresh", "holdout_third", "holdout_third_fresh"),
    "authors 4-5, 9, 11 (hurried)": (
        "holdout_fourth",
        "holdout_fourth_fresh",
        "holdout_fifth",
        "holdout_ninth",
        "holdout_eleventh",
    ),
    "authors 6-8, 10": ("holdout_sixth", "holdout_seventh", "holdout_eighth", "holdout_tenth"),
    "authors 12-16": (
        "holdout_twelfth",
        "holdout_thirteenth",
        "holdout_fourteenth",
        "holdout_fifteenth",
        "holdout_sixteenth",
    ),
    "authors 17-24": tuple(
        f"holdout_{n}"
        for n in (
            "seventeenth",
            "eighteenth",
            "nineteenth",
            "twentieth",
            "twentyfirst",
            "twentysecond",
            "twentythird",
            "twentyfourth",
        )
    ),
    "blind_w1_hurried": ("blind_w1_hurried",),
    "blind_w1_pasted": ("blind_w1_pasted",),
    "blind_w2_mixed": ("blind_w2_mixed",),
}
THRESHOLDS = (0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)


@dataclass
class Text:
    set_name: str
    record: dict
    toks: list[learned.Token]
    rules: list[Finding]
    tags: list[str]


def labelled_sets() -> list[Path]:
    """Every labelled set, in name order."""
    return sorted(SETS_DIR.glob("*.jsonl"))


def sets_digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for p in paths:
        digest.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return digest.hexdigest()


def bio_tags(text: str, toks: list[learned.Token], identifiers: list[dict]) -> list[str]:
    """B-/I- tags on the tokens of every occurrence of every labelled name or place."""
    tags = ["O"] * len(toks)
    for label in identifiers:
        tag = LABELS.get(label["kind"])
        needle = label["text"]
        if tag is None or not needle:
            continue
        at = text.find(needle)
        while at != -1:
            end = at + len(needle)
            if at == 0 or not text[at - 1].isalnum():
                inside = [i for i, t in enumerate(toks) if t.start < end and t.end > at and t.text[0].isalnum()]
                for n, i in enumerate(inside):
                    tags[i] = ("B-" if n == 0 else "I-") + tag
            at = text.find(needle, at + 1)
    return tags


def read_texts(paths: list[Path]) -> list[Text]:
    """Every text of the sets with its tokens, the rules' findings and its tags."""
    out = []
    with learned.rules_only():
        for path in paths:
            for rec in load_corpus(path):
                text = rec["text"]
                toks = learned.tokens(text)
                out.append(Text(path.name, rec, toks, scan(text), bio_tags(text, toks, rec.get("identifiers", []))))
    return out


def train(texts: list[Text], model: Path) -> None:
    """Fit the CRF on ``texts`` (each with and without the rules' findings) and write it to ``model``."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for t in texts:
        if not t.toks:
            continue
        trainer.append(learned.features(t.record["text"], t.toks, t.rules), t.tags)
        trainer.append(learned.features(t.record["text"], t.toks, t.rules, use_rules=False), t.tags)
    trainer.set_params(PARAMS)
    trainer.train(str(model))


def fold_of(set_name: str) -> str:
    """The --cv fold of a set (a set in no fold is a fold of its own)."""
    stem = set_name.removesuffix(".jsonl")
    return next((fold for fold, stems in FOLDS.items() if stem in stems), stem)


def fold_probabilities(texts: list[Text], fold: str) -> dict[int, list[tuple[str, float]]]:
    """The token probabilities of the fold's texts from a model trained on every other fold."""
    with tempfile.TemporaryDirectory() as tmp:
        model = Path(tmp) / "fold.crfsuite"
        train([t for t in texts if fold_of(t.set_name) != fold], model)
        learned.use_model(model)
        probs = {
            i: learned.probabilities(t.record["text"], t.toks, t.rules)
            for i, t in enumerate(texts)
            if fold_of(t.set_name) == fold
        }
    print(f"fold {fold} done", file=sys.stderr, flush=True)
    return probs


def held_out_probabilities(texts: list[Text], workers: int) -> dict[int, list[tuple[str, float]]]:
    """Each text's token probabilities from a model trained on the other folds."""
    folds = sorted({fold_of(t.set_name) for t in texts})
    probs: dict[int, list[tuple[str, float]]] = {}
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for part in pool.starmap(fold_probabilities, [(texts, f) for f in folds]):
            probs.update(part)
    return probs


def scorer(texts: list[Text], probs: dict[int, list[tuple[str, float]]] | None, threshold: float) -> Callable:
    """A scanner for ``evaluate``: the rules' findings, plus the layer's at ``threshold``."""
    by_text: dict[str, list[Finding]] = {}
    for i, t in enumerate(texts):
        found = list(t.rules)
        if probs is not None:
            found += learned.spans(t.record["text"], t.toks, probs[i], threshold)
        by_text[t.record["text"]] = sorted(found, key=lambda f: (f.start, f.end))
    return lambda text: by_text[text]


def line(label: str, r: Report) -> str:
    total = sum(r.total.values())
    return (
        f"{label:<34}{sum(r.found.values()):>5}/{total:<5}{r.recall:>7.3f}"
        f"{sum(r.whole.values()):>6}{r.whole_recall:>7.3f}{r.clean_flagged:>5}/{r.clean_texts:<5}{r.false_alarm_rate:>6.1%}"
    )


def cross_validate(texts: list[Text], workers: int) -> None:
    """Print rules alone and rules + layer on each left-out set, and pooled, per threshold."""
    probs = held_out_probabilities(texts, workers)
    folds = sorted({fold_of(t.set_name) for t in texts})
    names = sorted({t.set_name for t in texts})
    for threshold in (None, *THRESHOLDS):
        label = "rules alone" if threshold is None else f"rules + layer, p >= {threshold}"
        print(f"\n== {label}\n{'set':<34}{'span found':>11}{'recall':>7}{'whole':>6}{'recall':>7}{'clean flagged':>16}")
        scan_with = scorer(texts, None if threshold is None else probs, threshold or 1.0)
        for name in names:
            print(line(name, evaluate([t.record for t in texts if t.set_name == name], scan_with)))
        for fold in folds:
            print(line(f"[{fold}]", evaluate([t.record for t in texts if fold_of(t.set_name) == fold], scan_with)))
        print(line("POOLED", evaluate([t.record for t in texts], scan_with)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", action="store_true", help="leave-one-round-out estimate instead of training")
    parser.add_argument("--workers", type=int, default=2, help="folds trained at once (--cv)")
    args = parser.parse_args()
    paths = labelled_sets()
    texts = read_texts(paths)
    if args.cv:
        cross_validate(texts, args.workers)
        return
    train(texts, learned.MODEL)
    info = {
        "feature_version": learned.FEATURE_VERSION,
        "threshold": learned.THRESHOLD,
        "params": PARAMS,
        "trained_on": [p.name for p in paths],
        "sets_digest": sets_digest(paths),
        "texts": len(texts),
    }
    learned.MODEL_INFO.write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {learned.MODEL} ({len(texts)} texts from {len(paths)} sets)")


if __name__ == "__main__":
    main()
