"""A seeded synthetic syndication corpus with its ground truth, for benchmarks.

Wire stories (English and Arabic) and their rewrites by other outlets: sentences
dropped, edited (words replaced, inserted, deleted, Arabic spelling variants and
digits), reordered (the lede moved to the end), added; credit lines; each outlet's
page boilerplate. Besides them: independent stories on the same topics (same names
and topic words, fresh sentences), which must not join a story's cluster, and
unrelated single stories. A fifth of the wire originals are left out of the corpus.

    python bench/syndication_corpus.py --docs 10000 --seed 7 --out DIR

writes DIR/docs.jsonl and DIR/truth.json ({"story": {id: story}, "wire": [...]});
``generate_corpus(document_count, seed)`` returns both without writing.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

_ENGLISH_FUNCTION = (
    "the of to and a in that is for on with as was by he it at from his an be has have "
    "are said were not which this but had its after also been who they their will over "
    "more than would about two year new one up into last first people other could "
    "government minister officials on tuesday on monday according told statement week"
).split()
_ARABIC_FUNCTION = (
    "في من على إلى أن التي الذي عن مع هذا هذه كان قال وقال أضاف وأضاف بين بعد قبل كما "
    "ذلك الرئيس الحكومة وزير اليوم أمس العام خلال حيث لكن أيضا مصادر بيان وأكد أعلن "
    "المسؤولين الأربعاء الثلاثاء الخميس الأسبوع الماضي وفقا حسب"
).split()
_LATIN_SYLLABLES = "ka ro mi ta le sa no vi de ra lo ni pe ga tu be ma si ko da re ze ba fi".split()
_ARABIC_SYLLABLES = "كا را مي تا لو سا نو في دي رو لي ني بي غا تو بو ما سي كو دا ري زا با".split()
_ENGLISH_BOILERPLATE = [
    "Share this article",
    "Read more: {outlet} coverage",
    "Subscribe to our newsletter for the latest updates",
    "© {outlet}. All rights reserved.",
    "Follow {outlet} on social media",
]
_ARABIC_BOILERPLATE = [
    "شارك الخبر",
    "اقرأ أيضاً: تغطية {outlet}",
    "اشترك في النشرة البريدية لتصلك آخر الأخبار",
    "جميع الحقوق محفوظة لموقع {outlet}",
    "تابعونا على صفحة {outlet}",
]
_AGENCIES = {"en": ["Reuters", "AP", "AFP"], "ar": ["رويترز", "أ ف ب", "الأناضول"]}
_CREDITS = {
    "en": ["({agency}) - ", "According to {agency}, "],
    "ar": ["({agency}) - ", "وحسب وكالة {agency}، "],
}
_ARABIC_VARIANTS = {"ي": "ى", "ه": "ة"}
_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _word(rng: random.Random, syllables: list[str]) -> str:
    return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))


class _Language:
    """Vocabulary of one language: function words, a Zipf-ranked lexicon, topics."""

    def __init__(self, code: str, rng: random.Random, lexicon_size: int, topics: int) -> None:
        self.code = code
        syllables = _LATIN_SYLLABLES if code == "en" else _ARABIC_SYLLABLES
        self.function = _ENGLISH_FUNCTION if code == "en" else _ARABIC_FUNCTION
        self.lexicon = list(dict.fromkeys(_word(rng, syllables) for _ in range(lexicon_size)))
        self.topics = [
            [_word(rng, syllables).capitalize() for _ in range(8)]
            + [_word(rng, syllables) for _ in range(40)]
            for _ in range(topics)
        ]
        self.boilerplate = _ENGLISH_BOILERPLATE if code == "en" else _ARABIC_BOILERPLATE

    def sentence(self, rng: random.Random, topic: int) -> list[str]:
        words = []
        for _ in range(rng.randint(12, 30)):
            roll = rng.random()
            if roll < 0.42:
                words.append(self.function[int(len(self.function) * rng.random() ** 2.5)])
            elif roll < 0.72:
                words.append(rng.choice(self.topics[topic]))
            elif roll < 0.76:
                words.append(str(rng.randint(2, 2030)))
            else:
                words.append(self.lexicon[int(len(self.lexicon) * rng.random() ** 3)])
        return words


def _render(words: list[str], language: str) -> str:
    text = " ".join(words)
    return text[0].upper() + text[1:] + "." if language == "en" else text + "."


def _edit(rng: random.Random, words: list[str], language: _Language, topic: int) -> list[str]:
    words = list(words)
    for _ in range(rng.randint(1, 3)):
        action = rng.random()
        position = rng.randrange(len(words))
        if action < 0.5:
            words[position] = rng.choice(language.topics[topic] + language.function)
        elif action < 0.75:
            words.insert(position, rng.choice(language.function))
        elif len(words) > 6:
            del words[position]
    return words


def _arabic_variant(rng: random.Random, text: str) -> str:
    """Spelling a normalizer folds: hamza on alef, alef maqsura, ta marbuta, digits."""
    words = []
    for word in text.split(" "):
        if rng.random() < 0.15 and word and word[0] == "ا":
            word = "أ" + word[1:]
        if rng.random() < 0.15 and word and word[-1] in _ARABIC_VARIANTS:
            word = word[:-1] + _ARABIC_VARIANTS[word[-1]]
        words.append(word)
    text = " ".join(words)
    return text.translate(_ARABIC_DIGITS) if rng.random() < 0.5 else text


def generate_corpus(
    document_count: int, seed: int, big_clusters: Sequence[int] = ()
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """``document_count`` documents and their ground truth, the same for the same seed.

    ``big_clusters``: the first stories get exactly this many rewrites each (16, 50,
    300: a story copied by every outlet), for benchmarks of cluster-size costs; without
    them the corpus is as it always was for the seed."""
    rng = random.Random(seed)
    topics = max(4, document_count // 40)
    languages = {
        "en": _Language("en", rng, 20_000, topics),
        "ar": _Language("ar", rng, 20_000, topics),
    }
    outlets = {
        "en": [f"The {_word(rng, _LATIN_SYLLABLES).capitalize()} Herald {n}" for n in range(100)],
        "ar": [f"صحيفة {_word(rng, _ARABIC_SYLLABLES)} {n}" for n in range(100)],
    }
    outlet_boilerplate = {
        outlet: [line.format(outlet=outlet) for line in rng.sample(languages[code].boilerplate, 3)]
        for code in outlets
        for outlet in outlets[code]
    }
    start = datetime(2021, 1, 1, tzinfo=timezone.utc)
    documents: list[dict[str, Any]] = []
    story_of: dict[str, str] = {}
    wires: list[str] = []
    story_number = 0
    while len(documents) < document_count:
        story_number += 1
        story = f"s{story_number:06d}"
        code = "en" if rng.random() < 0.6 else "ar"
        language = languages[code]
        topic = rng.randrange(topics)
        published = start + timedelta(minutes=rng.randrange(525_600))
        kind = rng.random()
        if story_number <= len(big_clusters):
            kind = 1.0  # a big cluster: the wire and its rewrites, never a single story
        if kind < 0.25:  # an unrelated single story, or independent same-topic coverage
            sentences = [language.sentence(rng, topic) for _ in range(rng.randint(6, 20))]
            document_id = f"{story}-single"
            outlet = rng.choice(outlets[code])
            body = "\n".join(_render(s, code) for s in sentences)
            body += "\n" + "\n".join(outlet_boilerplate[outlet])
            documents.append(_document(document_id, body, outlet, published, code, rng))
            story_of[document_id] = story
            continue
        wire_sentences = [language.sentence(rng, topic) for _ in range(rng.randint(8, 30))]
        agency = rng.choice(_AGENCIES[code])
        if rng.random() >= 0.2:
            document_id = f"{story}-wire"
            body = "\n".join(_render(s, code) for s in wire_sentences)
            documents.append(_document(document_id, body, agency, published, code, rng))
            story_of[document_id] = story
            wires.append(document_id)
        rewrites = min(12, int(rng.paretovariate(1.2)))
        if story_number <= len(big_clusters):
            rewrites = big_clusters[story_number - 1]
        for number in range(rewrites):
            if len(documents) >= document_count:
                break
            outlet = rng.choice(outlets[code])
            light = rng.random() < 0.15
            keep_share = rng.uniform(0.25, 0.4) if light else rng.uniform(0.4, 0.95)
            kept = [s for s in wire_sentences if rng.random() < keep_share] or wire_sentences[:2]
            kept = [_edit(rng, s, language, topic) if rng.random() < 0.3 else s for s in kept]
            if rng.random() < 0.2 and len(kept) > 2:
                kept = kept[1:] + kept[:1]
            own = [language.sentence(rng, topic) for _ in range(rng.randint(0, 8 if light else 6))]
            for sentence in own:
                kept.insert(rng.randint(0, len(kept)), sentence)
            lines = [_render(s, code) for s in kept]
            if code == "ar":
                lines = [_arabic_variant(rng, line) for line in lines]
            if rng.random() < 0.5:
                lines[0] = rng.choice(_CREDITS[code]).format(agency=agency) + lines[0]
            body = "\n".join(lines + outlet_boilerplate[outlet])
            document_id = f"{story}-r{number:02d}"
            when = published + timedelta(minutes=rng.randint(10, 2880))
            documents.append(_document(document_id, body, outlet, when, code, rng))
            story_of[document_id] = story
        # Independent coverage of the same topic: same names, fresh sentences.
        if rng.random() < 0.3 and len(documents) < document_count:
            document_id = f"{story}-topic"
            sentences = [language.sentence(rng, topic) for _ in range(rng.randint(8, 20))]
            outlet = rng.choice(outlets[code])
            body = "\n".join(_render(s, code) for s in sentences)
            documents.append(_document(document_id, body, outlet, published, code, rng))
            story_of[document_id] = f"{story}-topic"
    rng.shuffle(documents)
    story_sizes: dict[str, int] = {}
    for story in story_of.values():
        story_sizes[story] = story_sizes.get(story, 0) + 1
    truth = {
        "seed": seed,
        "documents": len(documents),
        "story": story_of,
        "wire": sorted(wires),
        "pairs": sum(size * (size - 1) // 2 for size in story_sizes.values()),
    }
    return documents, truth


def _document(
    document_id: str, body: str, outlet: str, published: datetime, code: str, rng: random.Random
) -> dict[str, Any]:
    title_words = body.split()[: rng.randint(5, 10)]
    return {
        "id": document_id,
        "title": " ".join(title_words),
        "text": body,
        "outlet": outlet,
        "published": published.isoformat(),
        "language": code,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--big-clusters",
        default="",
        help="comma-separated rewrite counts of the first stories, e.g. 16,50,300",
    )
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.big_clusters.split(",") if size]
    documents, truth = generate_corpus(arguments.docs, arguments.seed, sizes)
    arguments.out.mkdir(parents=True, exist_ok=True)
    with (arguments.out / "docs.jsonl").open("w", encoding="utf-8") as stream:
        for document in documents:
            stream.write(json.dumps(document, ensure_ascii=False) + "\n")
    (arguments.out / "truth.json").write_text(
        json.dumps(truth, ensure_ascii=False), encoding="utf-8"
    )
    print(f"{len(documents)} documents, {truth['pairs']} same-story pairs", file=sys.stderr)


if __name__ == "__main__":
    main()
