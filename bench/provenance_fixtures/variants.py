"""Derived copies of an original story, as the news stream produces them (fixture generator).

Every operation is a pure function of (text, random generator): straight copies with another
byline, shortened versions, paraphrases through a synonym table, sentence shuffles, machine-spun
rewrites that transliterate names differently and break the credit line, and page furniture.
The tables here are the benchmark's own, independent of anything treatywatch uses to match.
"""

from __future__ import annotations

import random
import re

SYNONYMS = {
    "said": ["stated", "declared", "noted", "remarked"],
    "told": ["informed", "explained to"],
    "begin": ["start", "commence"],
    "start": ["begin", "launch"],
    "producing": ["manufacturing", "making", "building"],
    "produce": ["manufacture", "make"],
    "expects": ["anticipates", "plans"],
    "country": ["nation", "state"],
    "government": ["cabinet", "administration"],
    "parliament": ["legislature", "lawmakers"],
    "approved": ["endorsed", "backed", "passed"],
    "decision": ["move", "choice"],
    "withdrawal": ["exit", "pullout", "departure"],
    "withdraw": ["exit", "pull out"],
    "border": ["frontier", "boundary"],
    "mines": ["landmines", "explosive devices"],
    "treaty": ["accord", "pact", "agreement"],
    "convention": ["treaty", "accord"],
    "announced": ["unveiled", "revealed", "disclosed"],
    "criticised": ["condemned", "slammed", "denounced"],
    "serious": ["major", "grave"],
    "setback": ["blow", "reversal"],
    "ready": ["prepared", "willing"],
    "allies": ["partners"],
    "armed forces": ["military", "army"],
    "first": ["initial"],
    "plans": ["intends", "aims"],
    "large": ["huge", "vast"],
    "civilians": ["non-combatants", "residents"],
    "danger": ["threat", "risk"],
    "decree": ["order", "edict"],
    "vote": ["ballot", "poll"],
    "voted": ["cast ballots", "decided"],
    "accused": ["charged", "blamed"],
    "rejected": ["dismissed", "denied"],
    "deliveries": ["shipments", "supplies"],
    "contract": ["deal", "agreement"],
    "acquire": ["buy", "obtain", "purchase"],
    "expected": ["anticipated", "awaited"],
    "protest": ["demonstration", "rally"],
    "on Tuesday": ["this Tuesday", "Tuesday"],
    "on Thursday": ["this Thursday", "Thursday"],
    "would": ["will", "is set to"],
    "also": ["additionally", "moreover"],
    "however": ["but", "yet"],
}

TRANSLITERATIONS = {
    "Pawel": ["Pavel", "Paweł", "Pavlo"],
    "Zalewski": ["Zalevsky", "Zalevski", "Zalewsky"],
    "Dovile": ["Dovilė", "Dovilya", "Dovila"],
    "Sakaliene": ["Šakalienė", "Shakaliene", "Sakalene"],
    "Volodymyr": ["Vladimir", "Volodimir", "Wolodymyr"],
    "Zelensky": ["Zelenskyy", "Zelenskiy", "Selenskyj"],
    "Kostenko": ["Kostienko", "Kostenka"],
    "Zakharova": ["Zaharova", "Sacharowa", "Zakharowa"],
    "Maria": ["Mariya", "Marija"],
    "Antti": ["Anti", "Antii"],
    "Hakkanen": ["Häkkänen", "Hakkaanen", "Khakkanen"],
    "Magnus-Valdemar": ["Magnus Valdemar", "Magnus-Waldemar"],
    "Saar": ["Sahr", "Saaar"],
    "Bydgoszcz": ["Bidgoshch", "Bydgoszch"],
    "Shebekino": ["Shebekina", "Schebekino"],
    "Kyiv": ["Kiev", "Kyyiv"],
    "Seimas": ["Seym", "Sejmas"],
}

BROKEN_CREDITS = [
    (re.compile(r"told Reuters"), "said to the agency Reuters in the conversation"),
    (re.compile(r"\(Reuters\) -"), "- According to the reports of the agency,"),
    (re.compile(r"RIA Novosti reported"), "reported the agency of news"),
    (re.compile(r"told ERR News"), "said to the news of the portal"),
    (re.compile(r"\(BNS\) -"), "-"),
]

FURNITURE_TOP = [
    "Add thelocalreport.in As A Trusted Source",
    "Follow us on Google News for the latest updates",
    "Breaking: live updates",
    "Advertisement",
]
FURNITURE_BOTTOM = [
    "Share this article with your friends",
    "Also read: Ten best travel destinations for the winter holidays",
    "Subscribe to our Telegram channel for more news",
    "Disclaimer: This story is auto-generated from a syndicated feed.",
    "Tags: defence, Europe, security, news",
]

_SENTENCE = re.compile(r"(?<=[.!?\"”])\s+(?=[A-Z\"“])")


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def sentences(text: str) -> list[str]:
    return [s for p in paragraphs(text) for s in _SENTENCE.split(p) if s.strip()]


def copy_with_byline(text: str, rng: random.Random) -> str:
    """A straight copy: same text, the outlet's own byline or date line added."""
    byline = rng.choice(["By Staff Reporter", "By News Desk", "Wire report", "Updated 2 hours ago"])
    return byline + "\n\n" + text


def shortened(text: str, rng: random.Random) -> str:
    """An aggregator's short version: the first two or three paragraphs."""
    keep = rng.choice([2, 3])
    return "\n\n".join(paragraphs(text)[:keep])


def paraphrased(text: str, rng: random.Random, rate: float = 0.5) -> str:
    """Replace words and phrases from the synonym table with probability ``rate`` each."""
    for word, choices in SYNONYMS.items():

        def swap(match: re.Match[str], options: list[str] = choices) -> str:
            return rng.choice(options) if rng.random() < rate else match.group(0)

        text = re.sub(rf"\b{re.escape(word)}\b", swap, text)
    return text


def shuffled(text: str, rng: random.Random) -> str:
    """Sentences in another order, in one block (a rewriter that restructures the piece)."""
    parts = sentences(text)
    head, rest = parts[:1], parts[1:]
    rng.shuffle(rest)
    return " ".join(head + rest)


def transliterated(text: str, rng: random.Random) -> str:
    """Names spelled the way another language's wire spells them."""
    for name, choices in TRANSLITERATIONS.items():
        choice = rng.choice(choices)
        text = re.sub(rf"\b{re.escape(name)}\b", choice, text)
    return text


def broken_credit(text: str) -> str:
    """The credit line after machine translation: the outlet no longer recognisably credited."""
    for pattern, replacement in BROKEN_CREDITS:
        text = pattern.sub(replacement, text)
    return text


def swapped_digits(text: str, rng: random.Random) -> str:
    """One figure garbled (two adjacent digits swapped): the garbling a spinner introduces."""
    numbers = [m for m in re.finditer(r"\d{2,}", text) if len(set(m.group(0))) > 1]
    if not numbers:
        return text
    m = rng.choice(numbers)
    digits = m.group(0)
    i = next(i for i in range(len(digits) - 1) if digits[i] != digits[i + 1])
    garbled = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
    return text[: m.start()] + garbled + text[m.end() :]


def with_furniture(text: str, rng: random.Random) -> str:
    top = rng.sample(FURNITURE_TOP, 2)
    bottom = rng.sample(FURNITURE_BOTTOM, 2)
    return "\n\n".join([*top, text, *bottom])


def spun(text: str, rng: random.Random) -> str:
    """A content farm's machine-spun copy: names garbled, credit broken, words swapped, furniture."""
    text = broken_credit(transliterated(text, rng))
    text = paraphrased(text, rng, rate=0.7)
    if rng.random() < 0.5:
        text = swapped_digits(text, rng)
    return with_furniture(text, rng)


# (variant name, outlet kind, function) — the mix of derived copies one wire story gets.
VARIANTS = [
    ("copy", "newspaper", copy_with_byline),
    ("copy", "aggregator", copy_with_byline),
    ("short", "aggregator", shortened),
    ("short", "newspaper", shortened),
    ("paraphrase", "newspaper", paraphrased),
    ("paraphrase", "broadcaster", paraphrased),
    ("shuffle", "newspaper", shuffled),
    ("furniture", "aggregator", with_furniture),
    ("spun", "farm", spun),
    ("spun", "farm", spun),
    ("short+paraphrase", "aggregator", lambda t, r: paraphrased(shortened(t, r), r)),
    ("spun+shuffle", "farm", lambda t, r: spun(shuffled(t, r), r)),
    ("spun+short", "farm", lambda t, r: spun(shortened(t, r), r)),
    ("translit+furniture", "farm", lambda t, r: with_furniture(transliterated(t, r), r)),
]
