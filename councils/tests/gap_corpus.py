"""A planted corpus for the conversation gap: invented mentions of Carl's Soda and invented intranet posts,
with themes whose sides are known (councils.gap_eval scores councils.themes on it).

Planted themes (name -> side, and the words that belong to it):
- shared: "can redesign", "price increase", "delivery delays"
- external only: "sugar-free flavour request", "vending machine broken"
- internal only: "shift scheduling", "new office coffee"

Around them: everyday chatter on both sides that belongs to no theme, typos, mixed sentiment, the brand's
name everywhere, documents that touch a second theme in passing, a few stray documents of a one-sided theme
on the other side (an employee who saw a broken vending machine), and themes of different sizes.
Built from phrase banks by a seeded generator: the same corpus every time.
"""

import random
from dataclasses import dataclass

from councils.themes import STOP_WORDS, Doc, stop_words_for


@dataclass(frozen=True)
class Planted:
    name: str
    side: str  # shared | external_only | internal_only
    external: int  # how many documents on each side
    internal: int
    subjects: tuple[str, ...]
    comments: tuple[str, ...]

    @property
    def vocabulary(self) -> frozenset[str]:
        """The words it is written with, as the theme extraction reads them (stop words and brand aside)."""
        words = stop_words_for([*self.subjects, *self.comments])
        return frozenset(words - STOP_WORDS - stop_words_for(BRAND))


BRAND = ("Carl's Soda", "carlssoda")


PLANTED = [
    Planted(
        "can redesign",
        "shared",
        external=70,
        internal=32,
        subjects=(
            "the new can design",
            "the redesigned cans",
            "the can redesign",
            "the new label on the cans",
            "the logo on the new cans",
            "the packaging redesign",
            "the can colours",
        ),
        comments=(
            "looks so much better than the old label",
            "is ugly, I could not find it on the shelf",
            "makes the logo hard to read",
            "colours are bold and fresh",
            "the design feels cheap now",
            "customers keep asking about the redesign",
            "the label art is gorgeous",
        ),
    ),
    Planted(
        "price increase",
        "shared",
        external=55,
        internal=26,
        subjects=(
            "the price increase",
            "the new prices",
            "the price hike of 30 cents",
            "raising the price again",
            "the pricing change",
            "the cost of a six pack",
        ),
        comments=(
            "is too expensive for a soda",
            "is fair given what it costs to make",
            "means I buy it less often",
            "went up by a dollar at my store",
            "will hurt sales in the discount stores",
            "needs a clear explanation for customers",
        ),
    ),
    Planted(
        "delivery delays",
        "shared",
        external=40,
        internal=36,
        subjects=(
            "the delivery",
            "this week's shipment",
            "the distributor's truck",
            "the late deliveries",
            "the delayed shipments",
            "restocking the shelves",
        ),
        comments=(
            "was delayed again, shelves empty",
            "is three days late",
            "keeps missing the delivery window",
            "left the store out of stock",
            "delays are hurting our customers",
            "finally arrived late on Friday",
        ),
    ),
    Planted(
        "sugar-free flavour request",
        "external_only",
        external=48,
        internal=3,
        subjects=(
            "a sugar free version",
            "a sugar-free cherry flavour",
            "a zero sugar lime flavor",
            "a diet flavour",
            "more sugar free flavours",
        ),
        comments=(
            "would make me buy it every week",
            "is what I keep asking for, please bring it",
            "is my one request for the brand",
            "should exist by now, every rival has one",
            "please, my doctor says no sugar",
        ),
    ),
    Planted(
        "vending machine broken",
        "external_only",
        external=30,
        internal=2,
        subjects=(
            "the vending machine at the station",
            "the Carl's Soda vending machine in the gym",
            "the campus vending machine",
            "the vending machine on platform 2",
        ),
        comments=(
            "ate my coins again, no refund",
            "is broken for a week now",
            "has a can stuck in it",
            "is jammed and nobody fixes it",
            "took my money and gave nothing",
        ),
    ),
    Planted(
        "shift scheduling",
        "internal_only",
        external=2,
        internal=44,
        subjects=(
            "the new shift schedule",
            "the weekend rota",
            "swapping shifts",
            "the overtime roster",
            "the night shift schedule",
            "the shift scheduling tool",
        ),
        comments=(
            "was posted too late to plan anything",
            "needs a proper swap request button",
            "keeps giving me three weekends in a row",
            "works well since the last update",
            "should be fair between the teams",
        ),
    ),
    Planted(
        "new office coffee",
        "internal_only",
        external=1,
        internal=28,
        subjects=(
            "the new office coffee machine",
            "the espresso in the second floor kitchen",
            "the coffee beans we switched to",
            "the new coffee roast",
            "the barista corner in the kitchen",
        ),
        comments=(
            "is a huge upgrade, thank you",
            "tastes burnt, bring back the old beans",
            "needs more mugs",
            "makes mornings better",
            "is always out of beans by noon",
        ),
    ),
]

OPENERS_EXTERNAL = ("", "", "Honestly ", "Ugh, ", "Wow, ", "So ", "@carlssoda ", "Carl's Soda: ", "Not gonna lie, ")
OPENERS_INTERNAL = ("", "", "Team, ", "Quick note: ", "FYI ", "Heads up: ", "From the Leeds site: ", "Question: ")
CLOSERS = ("", "", "", " #carlssoda", " Thoughts?", " Just saying.", " Anyone else?", " :(", " :)", " 10/10")

# Everyday chatter: who, did what and where drawn apart, so that no two words keep each other's company.
CHATTER_WHO = tuple(
    [
        "my sister",
        "our neighbour",
        "the kids",
        "grandpa",
        "my flatmate",
        "the plumber",
        "my coach",
        "a stranger",
        "the twins",
        "my uncle",
        "the dog",
        "my godson",
        "our teacher",
        "the postman",
        "my cousin",
        "the band",
        "my boss",
        "the baby",
        "the goalkeeper",
        "my mum",
        "a tourist",
        "the landlord",
        "my classmate",
        "the cat",
        "our captain",
    ]
)
CHATTER_DID = tuple(
    [
        "sang",
        "painted",
        "missed",
        "baked",
        "cleaned",
        "watched",
        "read",
        "planted",
        "fixed",
        "cooked",
        "visited",
        "played",
        "wrote",
        "climbed",
        "knitted",
        "photographed",
        "found",
        "borrowed",
        "sold",
        "carried",
        "drew",
        "ordered",
        "chose",
        "tidied",
        "shared",
    ]
)
CHATTER_THING = tuple(
    [
        "a song",
        "the fence",
        "the train",
        "some bread",
        "the garage",
        "a movie",
        "a novel",
        "tomatoes",
        "the bike",
        "pasta",
        "the museum",
        "chess",
        "a poem",
        "the hill",
        "a hat",
        "the sunset",
        "a kite",
        "a ladder",
        "the sofa",
        "a puzzle",
        "a map",
        "pancakes",
        "a lamp",
        "the boat",
        "a scarf",
    ]
)
CHATTER_WHERE = tuple(
    [
        "at the beach",
        "in the park",
        "downtown",
        "at the cinema",
        "by the lake",
        "at the library",
        "on the highway",
        "at the stadium",
        "in the garden",
        "at the market",
        "on holiday",
        "at the festival",
        "in the attic",
        "at the zoo",
        "at the concert",
        "on the roof",
        "at the campsite",
        "in the forest",
        "at the airport",
        "at the harbour",
        "in the village",
        "at the bakery",
        "on the ferry",
        "at the gym",
        "at the wedding",
    ]
)
CHATTER_EXTRA = 90, 70  # external, internal

SENTIMENT = (1.0, 1.0, 0.0, -1.0, -1.0)  # mixed: positive, neutral and negative alike


def _typo(text: str, rng: random.Random) -> str:
    """Swap two letters of one longer word now and then, as people type."""
    words = text.split(" ")
    candidates = [i for i, word in enumerate(words) if len(word) > 5 and word.isalpha()]
    if candidates and rng.random() < 0.25:
        i = rng.choice(candidates)
        word = words[i]
        j = rng.randrange(1, len(word) - 2)
        words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    return " ".join(words)


def _themed(theme: Planted, rng: random.Random, *, internal: bool) -> str:
    opener = rng.choice(OPENERS_INTERNAL if internal else OPENERS_EXTERNAL)
    subject, comment = rng.choice(theme.subjects), rng.choice(theme.comments)
    text = f"{opener}{subject} {comment}.{rng.choice(CLOSERS)}"
    if rng.random() < 0.3:  # a second sentence from the same theme, for longer documents
        text += f" Also {rng.choice(theme.subjects)} {rng.choice(theme.comments)}."
    if rng.random() < 0.08:  # and a word on another theme: the document still counts as this theme's
        other = rng.choice([p for p in PLANTED if p is not theme])
        text += f" And {rng.choice(other.subjects)} {rng.choice(other.comments)}, by the way."
    if rng.random() < 0.2:  # a bit of chatter around it
        text = _chatter(rng, internal=internal) + " " + text
    return _typo(text[0].upper() + text[1:], rng)


def _chatter(rng: random.Random, *, internal: bool) -> str:
    text = (
        f"{rng.choice(CHATTER_WHO)} {rng.choice(CHATTER_DID)} {rng.choice(CHATTER_THING)} {rng.choice(CHATTER_WHERE)}"
    )
    if not internal and rng.random() < 0.5:
        text += ", with a Carl's Soda"
    return _typo(text[0].upper() + text[1:] + "." + rng.choice(CLOSERS), rng)


@dataclass
class Corpus:
    external: list[Doc]
    internal: list[Doc]
    external_truth: list[str | None]  # the planted theme of each document, None for chatter
    internal_truth: list[str | None]


def gap_corpus(seed: int = 14) -> Corpus:
    """The planted corpus, shuffled the same way every time."""
    rng = random.Random(seed)
    external: list[tuple[Doc, str | None]] = []
    internal: list[tuple[Doc, str | None]] = []
    for theme in PLANTED:
        for _ in range(theme.external):
            external.append((Doc(_themed(theme, rng, internal=False), rng.choice(SENTIMENT)), theme.name))
        for _ in range(theme.internal):
            internal.append((Doc(_themed(theme, rng, internal=True)), theme.name))
    for _ in range(CHATTER_EXTRA[0]):
        external.append((Doc(_chatter(rng, internal=False), rng.choice(SENTIMENT)), None))
    for _ in range(CHATTER_EXTRA[1]):
        internal.append((Doc(_chatter(rng, internal=True)), None))
    rng.shuffle(external)
    rng.shuffle(internal)
    return Corpus(
        external=[doc for doc, _ in external],
        internal=[doc for doc, _ in internal],
        external_truth=[name for _, name in external],
        internal_truth=[name for _, name in internal],
    )
