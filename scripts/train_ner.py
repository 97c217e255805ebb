"""Train the shipped name tagger:
`python scripts/train_ner.py [--smartdata PATH ...] [--europeana PATH ...] [--uner PATH]`.

Data: GermEval 2014 dev (CC BY 4.0) from ../shared/data/ner/germeval2014, and
optionally the DFKI SmartData corpus (CC BY 4.0; ``--smartdata``, its v1 JSON
files), the Europeana Newspapers NER corpus (CC0; ``--europeana``, its
German BIO files), Universal NER's German PUD (CC BY-SA 3.0; ``--uner``), MobIE
(CC BY 4.0; ``--mobie``) and the Sturm edition's letters (CC BY 4.0; ``--sturm``),
read by ``scripts/ner_corpora.py``; see ``NER_MODEL.md`` for where they come from.
The features include the word classes of ``scripts/word_clusters.py`` with
``--word-classes`` (none by default: the shipped model has none, see NER_MODEL.md),
which are then written beside the model (``ner.classes.tsv.gz``: the tagger reads them
from there).
GermEval test, CoNLL-2003 German and entity-linking gold sets such
as N3 News-100 are what the project is measured on: never here. GermEval dev's
sentences are split deterministically: every fifth sentence (index % 5 == 4) is
held apart and never used for choosing anything; the other four fifths are
cross-validated (``--folds``) to choose the regularisation, the extra corpus
joining every fold's training part (never its test part). Then:

1. a model on the four fifths (and the extra corpus) is scored on the
   held-apart fifth (reported);
2. the shipped model is trained on all of dev (and the extra corpus) with the
   chosen settings.

Each fold's model is scored alone and inside the whole tag stage. Prints every
fold's PER/LOC/ORG P/R/F1 and writes the model card figures to
stdout; the model goes to workers/tagging/data/ner.crfsuite.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pycrfsuite

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ner_corpora import europeana, mobie, smartdata, sturm, uner  # noqa: E402

from workers.evaluate.ner import (  # noqa: E402
    Counts,
    Sentence,
    read_sentences,
    score,
    tagger_predict,
    total,
)
from workers.settings import TaggingSettings  # noqa: E402
from workers.tagging.knowledge import Gazetteer, link_all, load_entities  # noqa: E402
from workers.tagging.names import load_cues  # noqa: E402
from workers.tagging.ner import (  # noqa: E402
    NAME_TYPES,
    Features,
    NameTagger,
    Token,
    kb_tags,
    load_nouns,
    load_person_names,
    load_word_classes,
    load_word_freq,
    sentences,
    side_path,
    spans_from_tags,
    tokens,
)
from workers.tagging.stage import Tagger  # noqa: E402

GERMEVAL = REPO.parent / "shared" / "data" / "ner" / "germeval2014" / "NER-de-dev.tsv"
GRID = [(0.05, 0.01), (0.1, 0.05), (0.02, 0.005)]


def prepare(sentences: list[Sentence], gazetteer: Gazetteer, features: Features):
    """(features, labels, tokens) of each sentence, KB matches as the tagger sees them."""
    out = []
    for s in sentences:
        text = s.text
        toks = [Token(a, b, w) for (a, b), w in zip(s.offsets(), s.words, strict=True)]
        kb = [(a, b, link.entity.type) for a, b, link in link_all(gazetteer, text)]
        out.append((features.sentence(s.words, kb_tags(toks, kb)), list(s.tags), toks, s))
    return out


def unlabelled(paths: list[Path], gazetteer: Gazetteer, features: Features) -> list:
    """(features, tokens) of every sentence of 5 to 60 tokens of the unlabelled texts
    (`word_clusters.texts`), KB matches as the tagger sees them."""
    from word_clusters import texts

    out = []
    for path in paths:
        for text in texts(path):
            toks = tokens(text)
            for sent in sentences(text, toks):
                if not 5 <= len(sent) <= 60:
                    continue
                start = sent[0].start
                part = text[start : sent[-1].end]
                kb = [
                    (a + start, b + start, ln.entity.type) for a, b, ln in link_all(gazetteer, part)
                ]
                words = [t.text for t in sent]
                out.append((features.sentence(words, kb_tags(sent, kb)), sent))
    return out


def self_labelled(model: Path, data: list, min_marginal: float, most: int) -> list:
    """The unlabelled sentences the model is sure of, with its tags as their labels: every
    token's tag has a marginal of ``min_marginal`` or more and the sentence has a
    PER/LOC/ORG name; the first ``most`` of them, in the texts' order."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    out = []
    for xseq, toks in data:
        tagger.set(xseq)
        yseq = tagger.tag()
        if not any(y[2:] in NAME_TYPES for y in yseq):
            continue
        if min(tagger.marginal(y, i) for i, y in enumerate(yseq)) < min_marginal:
            continue
        out.append((xseq, yseq, toks, None))
        if len(out) >= most:
            break
    return out


def train(data, c1: float, c2: float, path: Path) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for xseq, yseq, _, _ in data:
        trainer.append(xseq, yseq)
    trainer.set_params(
        {"c1": c1, "c2": c2, "max_iterations": 150, "feature.possible_transitions": True}
    )
    trainer.train(str(path))


def evaluate(model: Path, data) -> dict[str, Counts]:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    by_text = {s.text: (x, toks) for x, _, toks, s in data}

    def predict(text: str) -> set[tuple[int, int, str]]:
        x, toks = by_text[text]
        return {(sp.start, sp.end, sp.type) for sp in spans_from_tags(toks, tagger.tag(x), text)}

    return score([s for _, _, _, s in data], predict)


def summed(folds: list[dict[str, Counts]]) -> dict[str, Counts]:
    """The folds' counts added up, per type."""
    out = {t: Counts() for t in folds[0]}
    for counts in folds:
        for t, c in counts.items():
            out[t].tp += c.tp
            out[t].fp += c.fp
            out[t].fn += c.fn
    return out


def line(name: str, counts: dict[str, Counts]) -> str:
    all_ = total(counts)
    per = "  ".join(f"{t} {c.f1:.3f}" for t, c in counts.items())
    return f"{name:<14} P {all_.precision:.3f} R {all_.recall:.3f} F1 {all_.f1:.3f}   ({per})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=GERMEVAL)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=TaggingSettings().ner_model)
    parser.add_argument(
        "--c1", type=float, help="with --c2: skip the grid search, use these settings"
    )
    parser.add_argument("--c2", type=float)
    parser.add_argument(
        "--smartdata",
        type=Path,
        action="append",
        default=[],
        help="a SmartData v1 JSON file (train.json.gz, test.json.gz) to train on as well",
    )
    parser.add_argument(
        "--europeana",
        type=Path,
        action="append",
        default=[],
        help="a Europeana Newspapers BIO file (enp_DE.lft.bio, enp_DE.sbb.bio) to train on too",
    )
    parser.add_argument(
        "--sturm",
        type=Path,
        action="append",
        default=[],
        help="the Sturm edition's NER file (NEISSproject/NERDatasets Sturm/sturm.conll): "
        "its sentences with a person or place, to train on too",
    )
    parser.add_argument(
        "--uner",
        type=Path,
        action="append",
        default=[],
        help="a Universal NER IOB2 file (UNER_German-PUD's de_pud-ud-test.iob2) to train on too",
    )
    parser.add_argument(
        "--uner-names-only",
        action="store_true",
        help="of --uner, only the sentences with a name",
    )
    parser.add_argument(
        "--mobie",
        type=Path,
        action="append",
        default=[],
        help="a MobIE CoNLL-2003 file (ner_conll03_formatted.zip's train.conll2003 ...): its "
        "traffic reports' sentences with a name, to train on too",
    )
    parser.add_argument(
        "--word-classes",
        type=Path,
        help="the word classes of scripts/word_clusters.py for the model's features (default: "
        "none); written beside the model, where the tagger reads them",
    )
    parser.add_argument(
        "--person-names",
        type=Path,
        help="the given names and surnames of scripts/person_names.py for the model's features "
        "(default: none); written beside the model, where the tagger reads them",
    )
    parser.add_argument(
        "--word-freq",
        type=Path,
        help="the word frequencies of scripts/word_freq.py for the model's features (a "
        "capitalised word's German Zipf bucket; default: none); written beside the model",
    )
    parser.add_argument(
        "--nouns",
        type=Path,
        help="the noun lexicon of scripts/noun_lexicon.py for the model's features (a "
        "capitalised word's Wiktionary kinds; default: none); written beside the model",
    )
    parser.add_argument(
        "--noun-compounds",
        action="store_true",
        help="with --nouns: also a word ending in a Wiktionary common noun, and the kinds of a "
        "hyphenated word's last part",
    )
    parser.add_argument(
        "--noun-neighbours",
        action="store_true",
        help="with --nouns: also the Wiktionary kinds of a capitalised neighbour",
    )
    parser.add_argument(
        "--particles",
        action="store_true",
        help="flag a particle between a given name and a capitalised word ('della Porta')",
    )
    parser.add_argument(
        "--freq-english",
        action="store_true",
        help="with --word-freq: also how a word's English frequency compares to its German",
    )
    parser.add_argument(
        "--finite-verbs",
        action="store_true",
        help="a feature for a lower-case neighbour that is a finite verb (default: none)",
    )
    parser.add_argument(
        "--self-train",
        type=Path,
        action="append",
        default=[],
        help="unlabelled text (.jsonl with a text field, plain text, a directory of pages): "
        "each model tags it and is trained again with the sentences it is sure of",
    )
    parser.add_argument("--self-min-marginal", type=float, default=0.9)
    parser.add_argument("--self-max", type=int, default=3000)
    parser.add_argument(
        "--only-fold",
        type=int,
        action="append",
        help="cross-validate on this fold only (repeatable): a quick comparison",
    )
    parser.add_argument(
        "--no-cv",
        action="store_true",
        help="with --c1/--c2: skip the cross-validation (held-apart figures and the model only)",
    )
    parser.add_argument(
        "--no-apart",
        action="store_true",
        help="with --no-cv: skip the held-apart figures too (the shipped model only)",
    )
    parser.add_argument(
        "--no-ship",
        action="store_true",
        help="measure only: do not train the shipped model",
    )
    parser.add_argument(
        "--smartdata-sources",
        default="news,rss",
        help="which SmartData documents (news, rss, tweet; default: news,rss)",
    )
    args = parser.parse_args()
    if args.no_cv and (args.c1 is None or args.c2 is None):
        parser.error("--no-cv needs --c1 and --c2")
    settings = TaggingSettings()
    gazetteer = Gazetteer(load_entities(settings.entities_file))
    word_classes = args.word_classes
    classes = load_word_classes(word_classes)  # {} without
    person_names = load_person_names(args.person_names)  # {} without
    freq = load_word_freq(args.word_freq)  # {} without
    nouns = load_nouns(args.nouns)  # {} without
    features = Features(
        load_cues(settings.cues_file),
        gazetteer.lookup,
        classes,
        names=person_names,
        finite_verbs=args.finite_verbs,
        freq=freq,
        freq_english=args.freq_english,
        nouns=nouns,
        noun_compounds=args.noun_compounds,
        noun_neighbours=args.noun_neighbours,
        particles=args.particles,
    )
    sentences = list(read_sentences(args.data))
    tune = [s for i, s in enumerate(sentences) if i % 5 != 4]
    apart = [s for i, s in enumerate(sentences) if i % 5 == 4]
    print(f"{len(sentences)} sentences: {len(tune)} cross-validated, {len(apart)} held apart")
    sources = frozenset(args.smartdata_sources.split(","))
    extra = [s for path in args.smartdata for s in smartdata(path, sources)]
    if extra:
        kinds = ",".join(sorted(sources))
        print(f"+ {len(extra)} SmartData sentences ({kinds}) in every training part")
    old_news = [s for path in args.europeana for s in europeana(path)]
    if old_news:
        print(f"+ {len(old_news)} Europeana Newspapers sentences in every training part")
    extra += old_news
    letters = [s for path in args.sturm for s in sturm(path)]
    if letters:
        print(f"+ {len(letters)} Sturm edition sentences in every training part")
    extra += letters
    for path in args.uner:
        gold, dropped = uner(path, args.uner_names_only, known=gazetteer.lookup)
        print(
            f"+ {len(gold)} Universal NER sentences of {path.name} in every training part "
            f"({dropped} left out: a name not on our tokens)"
        )
        extra += gold
    reports = [s for path in args.mobie for s in mobie(path)]
    if reports:
        print(f"+ {len(reports)} MobIE traffic-report sentences in every training part")
    extra += reports
    tune_data = prepare(tune, gazetteer, features)
    apart_data = prepare(apart, gazetteer, features)
    extra_data = prepare(extra, gazetteer, features)
    self_data = unlabelled(args.self_train, gazetteer, features)
    if self_data:
        print(f"{len(self_data)} unlabelled sentences for self-training")

    def fit(data: list, c1: float, c2: float, path: Path) -> None:
        """Train; with unlabelled text, tag it and train again with what the model is sure of."""
        train(data, c1, c2, path)
        if self_data:
            sure = self_labelled(path, self_data, args.self_min_marginal, args.self_max)
            print(f"  + {len(sure)} self-labelled sentences")
            train(data + sure, c1, c2, path)

    tagger = Tagger(settings)
    with tempfile.TemporaryDirectory() as tmp:
        model = Path(tmp) / "fold.crfsuite"
        best = None
        grid = [(args.c1, args.c2)] if args.c1 is not None and args.c2 is not None else GRID
        for c1, c2 in [] if args.no_cv else grid:
            crf_folds, stage_folds = [], []
            for k in args.only_fold or range(args.folds):
                train_part = [d for i, d in enumerate(tune_data) if i % args.folds != k]
                train_part += extra_data
                test_part = [d for i, d in enumerate(tune_data) if i % args.folds == k]
                fit(train_part, c1, c2, model)
                crf_folds.append(evaluate(model, test_part))
                print(line(f"c1={c1} c2={c2} fold {k}", crf_folds[-1]))
                # the whole tag stage (knowledge base + this fold's tagger), as
                # `lagebild eval` runs it
                tagger.ner = NameTagger(
                    model, features.cues, gazetteer.lookup, classes, person_names, freq, nouns
                )
                stage_folds.append(score([d[3] for d in test_part], tagger_predict(tagger)))
                print(line("  stage", stage_folds[-1]))
            crf, stage = summed(crf_folds), summed(stage_folds)
            print(line(f"  cv c1={c1} c2={c2}", crf))
            print(line(f"  cv stage c1={c1} c2={c2}", stage))
            if best is None or total(crf).f1 > best[0]:
                best = (total(crf).f1, c1, c2)
        _, c1, c2 = best or (0.0, args.c1, args.c2)
        if not args.no_apart:
            fit(tune_data + extra_data, c1, c2, model)
            print(line(f"held apart, CRF (c1={c1} c2={c2})", evaluate(model, apart_data)))
            tagger.ner = NameTagger(
                model, features.cues, gazetteer.lookup, classes, person_names, freq, nouns
            )
            print(line("held apart, stage", score(apart, tagger_predict(tagger))))
    if args.no_ship:
        return
    started = time.perf_counter()
    fit(tune_data + apart_data + extra_data, c1, c2, args.out)
    # the model's word classes, names, frequencies and nouns go with it, or none do
    for given, beside in (
        (word_classes, side_path(args.out, "classes")),
        (args.person_names, side_path(args.out, "names")),
        (args.word_freq, side_path(args.out, "freq")),
        (args.nouns, side_path(args.out, "nouns")),
    ):
        if given is None:
            beside.unlink(missing_ok=True)
        elif given.resolve() != beside.resolve():
            shutil.copyfile(given, beside)
    print(
        f"shipped model: all {len(sentences)} + {len(extra)} sentences, c1={c1} c2={c2}, "
        f"{args.out.stat().st_size / 1e6:.2f} MB, {time.perf_counter() - started:.0f} s -> "
        f"{args.out}"
    )


if __name__ == "__main__":
    main()
