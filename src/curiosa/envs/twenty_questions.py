"""Twenty Questions: find a secret entity of a known category with yes/no questions.

The offline simulator answers from a curated catalogue (``data/twenty_questions/catalogue.json``,
built by ``scripts/build_twenty_questions.py``): 16 categories, each entity described by a yes/no
value for every attribute of its category. A move is understood as

* a **guess** when it names an entity (by name or alias, e.g. "Is it a giraffe?", "giraffe",
  "My guess is the giraffe"), or uses an explicit guess form ("My final answer is ...");
* a **question** when it matches one of the category's attributes: the text is normalised
  (contractions, a light stemmer, a phrase and synonym table, filler words, negation, difflib for
  misspelt words) and compared with every way of asking about every attribute (each side of an
  "or" in a phrasing counts on its own) by an IDF-weighted Dice overlap, in which question words that
  another phrasing of the same attribute uses do not count against it; weak matches are rejected.
  Two attributes joined by "and"/"or" ("Is it big and grey?") or stacked in a noun phrase ("Is it a
  kitchen appliance?") are answered together when their phrasings make up the whole question;
* otherwise **unknown**, answered with one fixed reply. Every move uses a turn.

The reading of a move never depends on the secret, so the scripted players can replay it
(:func:`interpret`). Accuracy on a held-out paraphrase set: ``benchmarks/twenty_questions_paraphrase.py``.

A question with a negation ("Is it not a mammal?", "Does it have no legs?") gets the flipped answer;
a question that opens with a negative auxiliary ("Isn't it a mammal?") is answered as the positive
question, as people mean it.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar, Mapping

from curiosa.envs.base import Outcome
from curiosa.envs.dialogue import DialogueEnv, JudgeSpec
from curiosa.envs.task import Task, make_tasks, stable_rng
from curiosa.envs.text import REPLY_FORMAT

DATA_FILE = Path(__file__).resolve().parent / "data" / "twenty_questions" / "catalogue.json"
TEST_FRACTION = 0.2
"""Share of each category's entities held out for the test split (the split is by entity)."""
UNKNOWN_REPLY = (
    "I can only answer yes/no questions about the secret's properties, or a guess that names it; "
    "I could not understand that question."
)
ACCEPT_SCORE = 0.75
"""Minimum weighted-Dice similarity for a question to be matched to an attribute."""
PAIR_SCORE = 0.9
"""Minimum similarity between a question and the union of two attributes' phrasings."""
FUZZY_NAME_CUTOFF = 0.86
"""difflib ratio above which a misspelt name still counts as that guess (names of 5+ letters)."""

# --------------------------------------------------------------------------- text normalisation
_CONTRACTIONS = [
    (r"\bcan't\b", "can not"), (r"\bcannot\b", "can not"), (r"\bwon't\b", "will not"),
    (r"\bain't\b", "is not"), (r"\bshan't\b", "shall not"), (r"n't\b", " not"),
    (r"\b(it|that|what|there|this|he|she|who)'s\b", r"\1 is"), (r"'re\b", " are"), (r"'ve\b", " have"),
    (r"'ll\b", " will"), (r"'d\b", " would"), (r"\bi'm\b", "i am"), (r"'s\b", ""),
]
_NUMBERS = {"1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six", "8": "eight",
            "10": "ten", "11": "eleven", "100": "hundred", "1000": "thousand", "20": "twenty"}


def normalise(text: str) -> str:
    """Lower case, expanded contractions, letters and digits only, single spaces."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("`", "'").replace("&", " and ")
    for pattern, repl in _CONTRACTIONS:
        text = re.sub(pattern, repl, text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(_NUMBERS.get(w, w) for w in text.split())


# Phrases rewritten before tokenising (applied in order; longer and more specific first).
_PHRASES: list[tuple[str, str]] = [
    (r"\bnatural (disaster|disasters|phenomenon|phenomena)\b", r"\1"),
    (r"\b(man|human|people|machine) made\b", "manmade"),
    (r"\bmade by (people|humans|human beings|man|a person|persons|hand|someone)\b", "manmade"),
    (r"\b(artificial|manufactured|synthetic)\b", "manmade"),
    (r"\b(found in nature|occurs? naturally|made by nature|comes? from nature|natural)\b", "not manmade"),
    (r"\bliving (room|rooms)\b", "livingroom"), (r"\blounge\b", "livingroom"),
    (r"\b(living thing|living organism|living creature|life form|living being|alive)\b", "alive"),
    (r"\bbread ?box(es)?\b", "breadbox"), (r"\bloaf of bread\b", "breadbox"),
    (r"\bwarm blooded\b", "warmblooded"), (r"\bcold blooded\b", "not warmblooded"),
    (r"\bnorth(ern)? americ(a|an|as)\b", "northamerica"), (r"\bcentral americ(a|an)\b", "northamerica"),
    (r"\b(south|latin) americ(a|an|as)\b", "southamerica"),
    (r"\b(the )?united states( of america)?\b", "usa"), (r"\bthe us\b", "usa"), (r"\bu s a?\b", "usa"),
    (r"\b(americ(a|an|as))\b", "usa"),
    (r"\b(united kingdom|great britain|britain|british|england|english|uk)\b", "uk"),
    (r"\bmiddle east(ern)?\b", "mideast"),
    (r"\bbig cats?\b", "bigcat"), (r"\bbird of prey\b", "raptor"), (r"\bbirds of prey\b", "raptor"),
    (r"\b(small|little|light|short|big|large|tall) enough( to)?\b", ""),
    (r"\bmeat eat(er|ers|ing)\b", "eats meat"), (r"\bplant eat(er|ers|ing)\b", "eats plant"),
    (r"\b(insect|bug) eat(er|ers|ing)\b", "eats insect"), (r"\beat(er|ers)\b", "eats"),
    (r"\bunder ?(the )?ground\b", "underground"), (r"\bunder ?(the )?water\b", "underwater"),
    (r"\bunder ?(the )?sea\b", "underwater"), (r"\b(through|in|into) the (air|sky)\b", "fly"),
    (r"\b(in|on|among|near|up) (the |a )?(mountains?|hills?|slopes?|alps)\b", "mountainous"),
    (r"\b(have|has|contain|contains|got) (any )?bones?( in (it|them))?\b", "bony"),
    (r"\bstring(ed)? instruments?\b", "chordophone"), (r"\btyp(e|es|ing) (on|with|into)\b", "keyboard"),
    (r"\b(lots|lot|plenty|loads) of\b", "many"), (r"\b(several|multiple|numerous)\b", "many"),
    (r"\b(a )?(kind|type|sort) of\b", ""),
    (r"\bwatch(es|ing)? (it|shows?|tv|television|videos?|movies?|films?|programs?|programmes?)\b", "video"),
    (r"\b(tv )?(shows|programmes|programs)\b", "video"),
    (r"\b(huge|giant|enormous|massive|gigantic|very big|very large|really big)\b", "big person"),
    (r"\b(bigger|larger|taller|greater) than\b", "big"), (r"\b(bigger|larger)\b", "big"),
    (r"\b(smaller|shorter|littler) than\b", "not big"), (r"\b(small|little|tiny|smaller|minute)\b", "not big"),
    (r"\bharmless\b", "not dangerous"), (r"\bhairless\b", "not fur"), (r"\blegless\b", "not leg"),
    (r"\bwingless\b", "not wing"), (r"\bflightless\b", "not fly"), (r"\binedible\b", "not edible"),
    (r"\bwild animal\b", "wild"), (r"\bsea animal\b", "ocean"), (r"\bsea creature\b", "ocean"),
    # eating: "can you eat it" (edible) versus "does it eat X" (what the animal eats)
    (r"\b(be )?eaten\b", "edible"), (r"\bedible\b", "edible"),
    (r"\b(you|people|we|humans|one|someone|person|i)( can| could| would| might| do| will)? eat( it| them| this)?\b", "edible"),
    (r"\beat (it|them|this)\b", "edible"), (r"\b(good|fit) to eat\b", "edible"), (r"\bfood\b", "edible"),
    (r"\b(it|they|does it|do they) eats?\b", "eats"), (r"\beats\b", "eats"),
    (r"\bwhat (does|do) (it|they) eat\b", "eats"),
    (r"\bcan (you|people|one) drink\b", "drink"),
    (r"\bwithout\b", "not"), (r"\bnon\b", "not"), (r"\black(s|ing)?\b", "not"),
    (r"\bin the wild\b", "wild"), (r"\bon (its|their) (body|bodies|coat|coats|fur)\b", ""), (r"\b(is |are )?powered by\b", ""),
    (r"\b(battery|solar|wind|electric|electrically|steam|gas|petrol|pedal) powered\b", r"\1"),
    (r"\b(human|muscle|people) (powered|power)\b", "musclepowered"), (r"\bon (its|their|his|her|your) backs?\b", ""),
    (r"\b(used |use |work |works )?(with|for|by) (a |the )?computers?\b", "peripheral"),
    (r"\bcomputer (accessory|accessories|peripheral|peripherals)\b", "peripheral"),
    (r"\bplug(s|ged)? in(to)?( the| a| an)?( wall| socket| outlet| mains)?\b", "plug"),
    (r"\b(can|do|does|could|would|will|did|might|should) (a person|someone|somebody|people|humans|a human|you|one|we)\b", r"\1"),
]
_PHRASES_COMPILED = [(re.compile(p), r) for p, r in _PHRASES]

# Single-word synonyms (applied to each word, then stemmed).
_SYNONYMS: dict[str, str] = {
    # senses and sizes
    "large": "big", "heavyweight": "heavy", "weighs": "heavy", "weigh": "heavy", "weight": "heavy",
    "human": "person", "humans": "person", "man": "person", "adult": "person", "adults": "person",
    "colour": "", "color": "", "colours": "", "colors": "", "coloured": "", "colored": "", "shade": "",
    "colourful": "colorful", "multicoloured": "colorful", "multicolored": "colorful", "vibrant": "colorful",
    "gray": "grey", "violet": "purple",
    # animals
    "mammalian": "mammal", "furry": "fur", "hairy": "fur", "fluffy": "fur", "feathered": "feather",
    "feathery": "feather", "scaly": "scale", "limb": "leg", "limbs": "leg", "legged": "leg", "paws": "leg",
    "hoofed": "hoof", "hooved": "hoof", "hooves": "hoof", "antler": "horn", "antlers": "horn",
    "spiky": "prickly", "spiny": "prickly", "thorny": "prickly", "spikes": "prickly", "spike": "prickly",
    "venomous": "poison", "poisonous": "poison", "venom": "poison", "toxic": "poison", "poisons": "poison",
    "deadly": "dangerous", "lethal": "dangerous", "harmful": "dangerous", "kill": "dangerous",
    "fierce": "dangerous", "hurt": "dangerous", "harm": "dangerous", "injure": "dangerous", "aggressive": "dangerous", "hazardous": "dangerous", "risky": "dangerous",
    "sea": "ocean", "seas": "ocean", "marine": "ocean", "oceans": "ocean", "saltwater": "salt water",
    "freshwater": "fresh water", "rivers": "river", "lakes": "lake", "ponds": "lake", "pond": "lake",
    "jungles": "jungle", "grassland": "savanna", "grasslands": "savanna", "savannah": "savanna",
    "plains": "savanna", "woods": "forest", "woodland": "forest", "forests": "forest", "arctic": "polar",
    "antarctic": "polar", "antarctica": "polar", "cub": "baby", "young": "baby", "offspring": "baby",
    "babies": "baby", "insects": "insect", "bugs": "insect", "bug": "insect", "critters": "",
    "vegetarian": "herbivore", "herbivorous": "herbivore", "carnivorous": "carnivore", "omnivorous": "omnivore",
    "predatory": "predator", "hunts": "hunt", "hunting": "hunt",
    "stings": "sting", "stinger": "sting", "burrows": "burrow", "underground": "underground",
    "africa": "africa", "african": "africa", "asian": "asia", "european": "europe", "australian": "australia",
    "aussie": "australia",
    "french": "france", "italian": "italy", "spanish": "spain", "german": "germany", "greek": "greece",
    "russian": "russia", "turkish": "turkey", "chinese": "china", "japanese": "japan", "indian": "india",
    "thai": "thailand", "mexican": "mexico", "canadian": "canada", "brazilian": "brazil",
    "peruvian": "peru", "chilean": "chile", "egyptian": "egypt", "belgian": "belgium", "korean": "korea",
    "dutch": "netherlands", "holland": "netherlands", "austrian": "austria", "lebanese": "lebanon",
    "arabic": "mideast", "arab": "mideast", "scottish": "uk", "scotland": "uk", "wales": "uk",
    "welsh": "uk", "irish": "ireland",
    # objects
    "wooden": "wood", "timber": "wood", "metallic": "metal", "steel": "metal", "iron": "metal",
    "aluminium": "metal", "aluminum": "metal", "plastics": "plastic", "cloth": "fabric",
    "textile": "fabric", "textiles": "fabric", "woollen": "wool", "woolen": "wool", "woolly": "wool",
    "electrical": "electric", "electricity": "electric", "electronic": "electric", "powered": "power",
    "batteries": "battery", "rechargeable": "battery", "motorised": "motor", "motorized": "motor",
    "engines": "engine", "motor": "engine", "motors": "engine", "petrol": "gasoline", "gas": "gasoline",
    "gasoline": "gasoline", "diesel": "gasoline", "sofa": "couch", "lavatory": "bathroom",
    "toilet": "bathroom", "restroom": "bathroom", "washroom": "bathroom", "kitchens": "kitchen",
    "cookery": "cook", "cooking": "cook", "cooks": "cook", "cleaning": "clean", "cleans": "clean",
    "washing": "wash", "inside": "inside", "indoor": "indoors", "outdoor": "outdoors", "outside": "outside",
    "breakable": "fragile", "delicate": "fragile", "shatter": "fragile", "pointy": "sharp",
    "pointed": "sharp", "blades": "blade", "circular": "round", "spherical": "round", "rectangle": "rectangular",
    "pricey": "expensive", "costly": "expensive", "cheap": "not expensive", "inexpensive": "not expensive",
    "noisy": "loud", "noise": "loud", "quiet": "not loud", "silent": "not loud",
    "lightweight": "not heavy", "bright": "light", "glows": "light", "illuminate": "light",
    "lighting": "light", "lamp": "lamp",
    "wheeled": "wheel", "wheels": "wheel", "motorbike": "motorcycle", "aircraft": "fly", "airborne": "fly",
    "flies": "fly", "flying": "fly", "flight": "fly", "aerial": "fly", "boats": "boat", "ship": "boat",
    "watercraft": "boat", "vessel": "boat", "floats": "float", "passengers": "passenger",
    "trains": "train", "railway": "rail", "railways": "rail", "railroad": "rail", "tracks": "track",
    "goods": "cargo", "freight": "cargo", "licence": "license", "permit": "license",
    "speedy": "fast", "quick": "fast", "quickly": "fast", "rapid": "fast", "slow": "not fast",
    "kid": "child", "kids": "child", "children": "child", "childrens": "child", "toddlers": "child",
    "instruments": "instrument", "musical": "music",
    # food
    "sugary": "sweet", "sugar": "sweet", "salty": "savory", "savoury": "savory", "savory": "savory",
    "spiced": "spicy", "tangy": "sour", "tart": "sour", "acidic": "sour", "veggie": "vegetable",
    "veggies": "vegetable", "vegetables": "vegetable", "fruits": "fruit", "fruity": "fruit",
    "crispy": "crunchy", "crisp": "crunchy", "uncooked": "raw", "chilled": "cold", "frosty": "cold",
    "icy": "ice", "cheesy": "cheese", "chocolatey": "chocolate", "chocolaty": "chocolate",
    "milky": "milk", "noodle": "noodle", "spaghetti": "pasta", "macaroni": "pasta",
    "barbecued": "grill", "bbq": "grill", "barbecue": "grill", "roasted": "bake", "oven": "oven",
    "dessert": "dessert", "desserts": "dessert", "pudding": "dessert", "sweets": "dessert",
    "breakfasts": "breakfast", "snacks": "snack", "beef": "beef", "cow": "beef", "pig": "pork",
    "ham": "pork", "bacon": "pork", "seafood": "seafood", "fishy": "fish",
    # clothing and people
    "garment": "clothes", "garments": "clothes", "clothing": "clothes", "clothes": "clothes", "wear": "wear", "worn": "wear", "wearing": "wear",
    "wears": "wear", "ladies": "woman", "female": "woman", "females": "woman", "girls": "woman",
    "girl": "woman", "male": "man", "males": "man", "boys": "man", "boy": "man", "gentlemen": "man",
    "footwear": "foot", "shoe": "foot", "feet": "foot", "headwear": "head", "zip": "zipper",
    "shoelaces": "lace", "laces": "lace", "jobs": "job", "occupation": "job", "career": "job",
    "profession": "job", "workers": "work", "worker": "work", "working": "work", "works": "work",
    "hospital": "hospital", "sick": "sick", "ill": "sick", "patients": "sick", "patient": "sick",
    "healthcare": "medical", "medicine": "medical", "medicinal": "medical",
    "uniforms": "uniform", "armed": "weapon", "gun": "weapon", "guns": "weapon", "weapons": "weapon",
    "criminals": "crime", "criminal": "crime", "crimes": "crime", "university": "degree",
    "college": "degree", "diploma": "degree", "dangers": "dangerous", "danger": "dangerous",
    # places
    "metres": "meter", "meters": "meter", "metre": "meter", "storeys": "floor", "capital": "capital",
    "religion": "religious", "worship": "religious", "holy": "religious", "sacred": "religious",
    "church": "church", "churches": "church", "temple": "temple", "mosque": "mosque",
    "mountains": "mountain", "hills": "mountain", "hill": "mountain", "peak": "mountain",
    "old": "old", "ancient": "ancient", "wonders": "wonder", "skyscrapers": "skyscraper",
    # weather and nature
    "windy": "wind", "winds": "wind", "stormy": "storm", "storms": "storm", "rainy": "rain",
    "snowy": "snow", "cloudy": "cloud", "clouds": "cloud", "sunny": "sun", "sunlight": "sun",
    "sunshine": "sun", "frozen": "ice", "freezing": "cold", "chilly": "cold", "warm": "hot",
    "heat": "hot", "scent": "smell", "odour": "smell", "odor": "smell", "aroma": "smell",
    "fragrance": "smell", "smells": "smell", "smelly": "smell", "perfumed": "smell",
    "autumn": "fall", "leaves": "leaf", "flowers": "flower", "blooms": "flower", "bloom": "flower",
    "blossom": "flower", "blossoms": "flower", "flowering": "flower", "trees": "tree", "bushes": "bush",
    "shrubs": "shrub", "vine": "vine", "vines": "vine", "seeds": "seed", "pods": "pod",
    "sounds": "sound", "audible": "hear", "noises": "loud", "wet": "water", "damp": "water",
    "kept": "keep", "farmer": "farm", "farmers": "farm", "farming": "farm", "courtroom": "court",
    "courts": "court", "bicycle": "bike", "bicycles": "bike", "bikes": "bike", "cycle": "bike", "good": "nice", "pleasant": "nice", "lovely": "nice", "great": "nice",
    # devices and games
    "wifi": "internet", "online": "internet", "web": "internet", "touchscreen": "touchscreen",
    "photos": "photo", "pictures": "picture", "photographs": "photo", "pics": "picture",
    "videos": "video", "films": "movie", "film": "movie", "movies": "movie", "tunes": "melody", "tune": "melody",
    "songs": "music", "song": "music", "apps": "app", "applications": "app", "programs": "program",
    "software": "program", "telephone": "phone", "phones": "phone", "die": "dice",
    "pieces": "piece", "counters": "piece", "tokens": "piece", "players": "player", "cards": "card",
    "tiles": "tile", "boards": "board", "squares": "square", "strategic": "strategy",
    "luck": "luck", "chance": "luck", "random": "luck", "lucky": "luck",
}

_STOPWORDS = frozenset("""
a an the it its itself this that these those is are was were be been being am do does did done doing
can could would will shall should may might must has have had having you your yours i me my we our us
they them their he she his her there here of to in on at by for with from as about into onto than then
so very really quite rather just also too kind type sort thing things something anything object item
one ones please tell know guess say usually typically generally normally
commonly often mostly mainly primarily sometimes ever always any some all each every like people
person's found find located situated seen get gets got make makes made use used uses using go goes
going come comes came part body or and if whether either which what who how where when why yes ok okay
well hmm maybe perhaps probably possibly exactly basically actually particularly especially
considered known typical normal regular common usual certain specific particular lot lots bit
sorts kinds types way ways much someone somebody anyone thing's secret entity still
able capable possess possesses own owns need needs require requires required creature creatures
species member members continent native originally originate originates originated origin region
area country countries world exist exists existing available possible contain contains containing
run runs running happen happens happening occur occurs occurring form forms formed take place
give gives given giving off easy easily
include includes including consist consists composed create created produce
produces producing play played playing plays over during while across ripe enough beast animal's
household household's piece pieces bits actually literally definitely somewhat bit fairly pretty
""".split())
_FUNCTION_WORDS = frozenset("""
a an the it its this that is are was were be do does can could would will you your of to in on at some
kind type sort form
""".split())
_NEGATIONS = frozenset({"not", "no", "never", "neither", "nor", "none", "nothing"})
_WH_WORDS = frozenset({"what", "which", "where", "when", "who", "whom", "whose", "why", "how"})
_IRREGULAR = {"teeth": "tooth", "feet": "foot", "mice": "mouse", "geese": "goose", "children": "child",
              "men": "man", "women": "woman", "people": "person", "knives": "knife", "wolves": "wolf",
              "leaves": "leaf", "hooves": "hoof", "lives": "live", "shelves": "shelf", "halves": "half",
              "oxen": "ox", "cacti": "cactus", "fungi": "fungus", "dice": "dice", "news": "news"}


def stem(word: str) -> str:
    """A light, consistent stemmer: both questions and catalogue phrasings go through it."""
    word = _IRREGULAR.get(word, word)
    if len(word) <= 3:
        return word
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("xes", "x"), ("ches", "ch"), ("shes", "sh")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return stem(word[: -len(suffix)] + repl)
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) >= len(suffix) + 3:
            word = word[: -len(suffix)]
            if len(word) > 2 and word[-1] == word[-2] and word[-1] not in "ls":
                word = word[:-1]
            break
    if word.endswith("ly") and len(word) > 5:
        word = word[:-2]
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


@lru_cache(maxsize=None)
def _canon_word(word: str) -> tuple[str, ...]:
    """The content tokens a word stands for (empty for filler words)."""
    if word in _STOPWORDS:
        return ()
    mapped = _SYNONYMS.get(word)
    if mapped is None:
        mapped = _SYNONYMS.get(stem(word), word)
    return tuple(stem(w) for w in mapped.split() if w and w not in _STOPWORDS)


@dataclass(frozen=True)
class Tokens:
    """A question reduced to content tokens plus the parity of its negations."""

    content: tuple[str, ...]
    negated: bool


def question_tokens(text: str) -> Tokens:
    """Content tokens of a (normalised) question, with negation parity.

    A negative auxiliary that opens the question ("is not it", from "isn't it") asks the positive
    question and is dropped; any other negation word flips the answer.
    """
    text = re.sub(r"^(is|are|does|do|did|can|could|would|will|was|were|has|have|should) not (it|this|that|they|you|there)\b",
                  r"\1 \2", text)
    for pattern, repl in _PHRASES_COMPILED:
        text = pattern.sub(repl, text)
    negated = False
    content: list[str] = []
    for word in text.split():
        if word in _NEGATIONS:
            negated = not negated
            continue
        for tok in _canon_word(word):
            if tok not in content:
                content.append(tok)
    return Tokens(tuple(content), negated)


# --------------------------------------------------------------------------- catalogue
@dataclass
class Entity:
    id: str
    name: str
    aliases: tuple[str, ...]
    values: dict[str, bool]
    category: str

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass
class Category:
    id: str
    name: str
    noun: str
    attributes: tuple[str, ...]
    entities: tuple[Entity, ...]
    questions: dict[str, tuple[str, ...]]
    """Attribute id -> ways of asking it (the first is canonical unless ``canonical`` rewords it)."""
    canonical: dict[str, str] = field(default_factory=dict)
    """Attribute id -> the category's own wording of the question, where the shared one reads oddly."""
    _phrasings: list[tuple[str, frozenset[str]]] = field(default_factory=list, repr=False)
    _weights: dict[str, float] = field(default_factory=dict, repr=False)
    _bags: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _unknown_weight: float = 1.0
    _names: dict[str, Entity] = field(default_factory=dict, repr=False)
    exact_questions: frozenset[str] = frozenset()
    """The catalogue phrasings, normalised."""
    self_words: frozenset[str] = frozenset()
    """Stems of words naming the category itself ("Is it an animal?" is answered yes)."""

    def __post_init__(self) -> None:
        raw = {attr: [toks for q in self.questions[attr] for toks in _phrasing_variants(q)] for attr in self.attributes}
        single = {toks[0] for lists in raw.values() for toks in lists if len(toks) == 1}
        words = normalise(" ".join([self.name, self.noun, *_SELF_WORDS.get(self.id, ())])).split()
        self.self_words = frozenset(stem(w) for w in words if w not in _FUNCTION_WORDS) - single
        df: dict[str, int] = {}
        for attr in self.attributes:
            tokens: set[str] = set()
            for content in raw[attr]:
                toks = self._strip_self(content)
                if toks:
                    self._phrasings.append((attr, toks))
                    tokens |= toks
            for t in tokens:
                df[t] = df.get(t, 0) + 1
            self._bags[attr] = frozenset(tokens)
        n = len(self.attributes)
        self._weights = {t: math.log(1.0 + n / d) for t, d in df.items()}
        self._unknown_weight = math.log(1.0 + n)
        for ent in self.entities:
            for label in ent.names:
                for key in _name_keys(label):
                    self._names.setdefault(key, ent)
        self.exact_questions = frozenset(normalise(q) for a in self.attributes for q in self.questions[a])

    def _strip_self(self, tokens: tuple[str, ...] | list[str]) -> frozenset[str]:
        """Tokens without the words that name the category itself (unless nothing else is left)."""
        kept = frozenset(t for t in tokens if t not in self.self_words)
        return kept or frozenset(tokens)

    @property
    def vocabulary(self) -> frozenset[str]:
        return frozenset(self._weights)

    def entity(self, entity_id: str) -> Entity:
        for ent in self.entities:
            if ent.id == entity_id:
                return ent
        raise KeyError(f"no entity {entity_id!r} in category {self.id!r}")

    def canonical_question(self, attr: str) -> str:
        """The question the scripted players ask about ``attr``."""
        return self.canonical.get(attr) or self.questions[attr][0]

    def _weight(self, tokens: frozenset[str]) -> float:
        return sum(self._weights.get(t, self._unknown_weight) for t in tokens)

    def match(self, tokens: Tokens) -> tuple[str | None, float]:
        """Best attribute for question tokens and its similarity (None when nothing is close)."""
        qset = self._strip_self([self._correct(t) for t in tokens.content])
        if not qset:
            return None, 0.0
        qweight = self._weight(qset)
        best, best_score = None, 0.0
        for attr, toks in self._phrasings:
            if not qset & toks:
                continue
            # query words used by another phrasing of the same attribute do not count against it
            toks = toks | (qset & self._bags[attr])
            score = 2.0 * self._weight(qset & toks) / (qweight + self._weight(toks))
            if score > best_score + 1e-9:
                best, best_score = attr, score
        return best, best_score

    def match_pair(self, tokens: Tokens) -> tuple[str, str, float] | None:
        """Two attributes whose phrasings together make up the question ("Is it a kitchen appliance?")."""
        qset = self._strip_self([self._correct(t) for t in tokens.content])
        if len(qset) < 2:
            return None
        parts = [(attr, toks) for attr, toks in self._phrasings if toks < qset]
        best = None
        for i, (a, ta) in enumerate(parts):
            for b, tb in parts[i + 1:]:
                if a == b or ta & tb:
                    continue
                union = ta | tb
                score = 2.0 * self._weight(union & qset) / (self._weight(qset) + self._weight(union))
                if best is None or score > best[2] + 1e-9:
                    best = (a, b, score)
        return best

    def _correct(self, token: str) -> str:
        """A misspelt token mapped to the closest catalogue word (only for words of 5+ letters).

        Words of entity names ("lightning") are real words, never corrected into another one.
        """
        if token in self._weights or len(token) < 5 or token in _name_words():
            return token
        close = difflib.get_close_matches(token, list(self._weights), n=1, cutoff=0.84)
        return close[0] if close else token

    def lookup_name(self, text: str) -> Entity | None:
        return self._names.get(text)

    def fuzzy_name(self, text: str) -> Entity | None:
        if len(text) < 5:
            return None
        cutoff = FUZZY_NAME_CUTOFF if len(text) < 7 else FUZZY_NAME_CUTOFF - 0.06
        close = difflib.get_close_matches(text, list(self._names), n=1, cutoff=cutoff)
        return self._names[close[0]] if close else None


_SELF_WORDS = {
    "professions": ("job", "occupation", "career", "work"), "body_parts": ("human", "body"),
    "weather": ("weather", "phenomenon", "natural"), "electronics": ("gadget", "device", "electric"),
    "clothing": ("clothes", "garment", "wear"), "foods": ("food", "dish", "meal"),
    "vehicles": ("transport", "transportation"), "landmarks": ("place", "site", "monument"),
    "household": ("house", "home", "object"), "instruments": ("music",), "tools": ("tool",),
}


def _phrasing_variants(question: str) -> list[tuple[str, ...]]:
    """Content tokens of a catalogue phrasing, plus each side of an "or" ("screws or bolts")."""
    text = normalise(question)
    variants = [question_tokens(text).content]
    if " or " in text:
        left, right = text.split(" or ", 1)
        variants += [question_tokens(left).content, question_tokens(right).content]
    return [v for v in variants if v]


@lru_cache(maxsize=1)
def _name_words() -> frozenset[str]:
    """Stems of every word used in an entity name or alias."""
    return frozenset(stem(w) for cat in catalogue().categories.values() for e in cat.entities
                     for label in e.names for w in normalise(label).split())


def _name_keys(label: str) -> set[str]:
    """Normalised forms of an entity name that count as naming it (with and without a plural s)."""
    base = normalise(label)
    keys = {base, base.replace(" ", "")}
    if base.endswith("s") and len(base) > 3:
        keys.add(base[:-1])
    else:
        keys.add(base + "s")
        if base.endswith(("ch", "sh", "x", "o")):
            keys.add(base + "es")
        if base.endswith("y") and len(base) > 3:
            keys.add(base[:-1] + "ies")
    return {k for k in keys if k}


@dataclass
class Catalogue:
    categories: dict[str, Category]
    global_names: dict[str, Entity]

    def entity(self, category: str, entity_id: str) -> Entity:
        return self.categories[category].entity(entity_id)


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The packaged catalogue, loaded once."""
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    questions = {k: tuple(v["questions"]) for k, v in raw["attributes"].items()}
    categories: dict[str, Category] = {}
    global_names: dict[str, Entity] = {}
    for cat in raw["categories"]:
        ents = tuple(Entity(e["id"], e["name"], tuple(e["aliases"]), dict(e["attributes"]), cat["id"])
                     for e in cat["entities"])
        categories[cat["id"]] = Category(cat["id"], cat["name"], cat["noun"], tuple(cat["attributes"]), ents,
                                         {a: questions[a] for a in cat["attributes"]}, dict(cat.get("canonical", {})))
        for ent in ents:
            for label in ent.names:
                for key in _name_keys(label):
                    global_names.setdefault(key, ent)
    return Catalogue(categories, global_names)


def category_by_name(name: str) -> Category | None:
    """The category announced as ``name`` (its display name or id)."""
    for cat in catalogue().categories.values():
        if name.strip().lower() in (cat.name, cat.id):
            return cat
    return None


# --------------------------------------------------------------------------- interpreting a move
@dataclass(frozen=True)
class Interpretation:
    """What a move asks, independent of the secret."""

    kind: str
    """"question", "guess" or "unknown"."""
    attribute: str | None = None
    """The attribute asked about (questions)."""
    negated: bool = False
    """The question is negated: the answer flips."""
    entity: Entity | None = None
    """The entity guessed, when the guess names one of the catalogue (None for unknown names)."""
    guess_text: str | None = None
    score: float = 0.0
    self_answer: bool = False
    """A question such as "Is it an animal?" that the category itself answers with yes."""
    other_attribute: str | None = None
    """The second attribute of a two-part question ("Is it big and grey?")."""
    connective: str = "and"
    """How the two parts combine: "and" (both true) or "or" (either true)."""

    def value(self, entity: Entity) -> bool:
        """The yes/no answer this question gets about ``entity`` (questions only)."""
        if self.self_answer:
            truth = True
        elif self.other_attribute is None:
            truth = entity.values[self.attribute]
        elif self.connective == "or":
            truth = entity.values[self.attribute] or entity.values[self.other_attribute]
        else:
            truth = entity.values[self.attribute] and entity.values[self.other_attribute]
        return truth != self.negated


_LEADING_FILLER = re.compile(
    r"^(?:(?:ok|okay|so|well|hmm+|um+|uh+|alright|all right|thanks|thank you|"
    r"next question|question|and|but|then|now|yes|sure|let me think|"
    r"let me see|let me ask|i want to ask|i would like to ask|i will ask|my next question is|"
    r"my question is|tell me|please tell me|please|can you tell me|could you tell me|just|"
    r"do you think(?: that)?(?= (?:it|this|that|the|there|its|they)\b)|would you say(?: that)?|is it true that|"
    r"would it be fair to say(?: that)?|"
    r"i wonder if|i was wondering if|i am wondering if|can i ask(?: you)?|may i ask)\s+)+")
_TRAILING_FILLER = re.compile(
    r"(?:\s+(?:please|then|maybe|perhaps|right|by any chance|at all|or not|is it|correct|am i right|"
    r"yes or no|i think|i guess|i wonder|too|again|now|thanks|thank you))+$")
_EXPLICIT_GUESS = [
    re.compile(r"^(?:my |our )?(?:final |last |best |next |first )?(?:guess|answer) (?:is|would be|will be|has to be|must be)(?: that)?(?: it is| it s)? (?P<x>.+)$"),
    re.compile(r"^i (?:will |would |am going to |want to |would like to |will now )?(?:guess|bet)(?: that)?(?: it is| it s| it must be)? (?P<x>.+)$"),
    re.compile(r"^(?:i think|i believe|i bet|i am sure|i suspect) (?:that )?(?:it is|it must be|it has to be|you are thinking of|the answer is|the secret is) (?P<x>.+)$"),
    re.compile(r"^(?:are|were) you thinking (?:of|about) (?P<x>.+)$"),
    re.compile(r"^(?:the (?:secret|answer|entity|thing|object|word|item)(?: \w+)? is) (?P<x>.+)$"),
    re.compile(r"^(?:is the (?:secret|answer|entity|thing|object|word|item)(?: \w+)?) (?P<x>.+)$"),
    re.compile(r"^(?:my |our )?(?:final guess|guess|final answer|answer|last guess)(?: is)? (?P<x>.+)$"),
    re.compile(r"^(?:it is|it s|it must be|it has to be|then it is|so it is) (?P<x>.+)$"),
]
_QUESTION_GUESS = re.compile(
    r"^(?:is it|is this|is that|could it be|might it be|can it be|would it be|will it be|it could be|"
    r"it might be|maybe it is|perhaps it is|is it maybe|is it perhaps) (?P<x>.+)$")
_SOFT_GUESS = re.compile(r"^is (?:the|your|this)(?: secret| mystery| hidden)? [a-z]+ (?P<x>(?:a|an|the) .+)$")
_ARTICLES = re.compile(r"^(?:a|an|the|some|called|named)\s+")
_CATEGORY_QUESTION = re.compile(r"\b(?:kind|kinds|type|types|sort|family|relative|related|member|group|like|similar)\b")


def _clean_name(text: str) -> str:
    text = _TRAILING_FILLER.sub("", text).strip()
    previous = None
    while previous != text:
        previous = text
        text = _ARTICLES.sub("", text).strip()
    return text


_LEADING_REPLY = re.compile(r"^\s*(?:yes|no|ok|okay|hmm+|hm|ah|oh|so|well|right|alright|great|thanks|cool|nice|good|"
                            r"interesting|perfect|i see|got it|understood|noted)\s*[,.!?;:]+\s*",
                            re.IGNORECASE)


@lru_cache(maxsize=50_000)
def interpret(move: str, category_id: str) -> Interpretation:
    """How the offline simulator reads ``move`` in ``category_id``; does not depend on the secret."""
    cat = catalogue().categories[category_id]
    text = normalise(_LEADING_REPLY.sub("", move))
    text = _LEADING_FILLER.sub("", text).strip()
    if not text:
        return Interpretation("unknown")
    core = _TRAILING_FILLER.sub("", text).strip() or text
    # 0. the whole message is a name ("guess who", "the great wall of china")
    ent = cat.lookup_name(_clean_name(core))
    if ent is not None:
        return Interpretation("guess", entity=ent, guess_text=_clean_name(core))
    # 1. explicit guesses ("my guess is X", "I think it is X"): a name, known or not, is a guess
    for pattern in _EXPLICIT_GUESS:
        m = pattern.match(core)
        if m is None:
            continue
        name = _clean_name(m.group("x"))
        ent = _find_entity(name, cat)
        if ent is not None:
            return Interpretation("guess", entity=ent, guess_text=name)
        reading = _question(name, cat)
        if reading.kind == "question":
            return reading
        if _looks_like_name(name) and not _CATEGORY_QUESTION.search(name):
            return Interpretation("guess", guess_text=name)
        return Interpretation("unknown", score=reading.score)
    # 2. "Is it a giraffe?", "Is the animal a giraffe?" or a bare name
    soft = _SOFT_GUESS.match(core)
    if soft is not None:
        ent = _find_entity(_clean_name(soft.group("x")), cat)
        if ent is not None:
            return Interpretation("guess", entity=ent, guess_text=_clean_name(soft.group("x")))
    m = _QUESTION_GUESS.match(core)
    candidate = _clean_name(m.group("x") if m else core)
    with_article = m is not None and re.match(r"(?:a|an|the|some)\s", m.group("x")) is not None
    ent = cat.lookup_name(candidate) or catalogue().global_names.get(candidate)
    if ent is None and not _CATEGORY_QUESTION.search(candidate):
        ent = _find_entity(candidate, cat)
    if ent is not None:
        # A catalogue question worded exactly like this one wins over a name that is not used as a
        # noun of this category: "Is it orange?" asks for a colour, while "Is it an orange?",
        # "orange" and (in another category) "Is it an organ?" are read as written.
        local = ent.category == cat.id
        if m is not None and (not local or not with_article) and core in cat.exact_questions:
            return _question(core, cat)
        return Interpretation("guess", entity=ent, guess_text=candidate)
    if core.split()[0] in _WH_WORDS:
        return Interpretation("unknown")
    # 3. a question about an attribute
    reading = _question(core, cat)
    if reading.kind == "question":
        return reading
    # 4. "Is it a wombat?": a short noun phrase without any word the catalogue asks about
    if with_article and _looks_like_name(candidate) and not _CATEGORY_QUESTION.search(candidate) \
            and not set(question_tokens(candidate).content) & cat.vocabulary:
        return Interpretation("guess", guess_text=candidate)
    return reading


def _question(text: str, cat: Category) -> Interpretation:
    tokens = question_tokens(text)
    attr, score = cat.match(tokens)
    if attr is not None and score >= ACCEPT_SCORE:
        return Interpretation("question", attribute=attr, negated=tokens.negated, score=score)
    copular = _QUESTION_GUESS.match(text)
    noun_phrase = copular is not None and _looks_like_name(_clean_name(copular.group("x")))
    connective = re.search(r"\b(and|or)\b", text)
    pair = cat.match_pair(tokens) if not tokens.negated and (connective or noun_phrase) else None
    if pair is not None and pair[2] >= PAIR_SCORE:
        return Interpretation("question", attribute=pair[0], other_attribute=pair[1],
                              connective="or" if connective and connective.group(1) == "or" else "and",
                              score=pair[2])
    raw = [stem(w) for w in text.split() if w not in _FUNCTION_WORDS and w not in _NEGATIONS]
    if raw and set(raw) <= cat.self_words:
        return Interpretation("question", negated=tokens.negated, self_answer=True, score=1.0)
    return Interpretation("unknown", score=score)


def _find_entity(name: str, cat: Category) -> Entity | None:
    if not name:
        return None
    ent = cat.lookup_name(name) or cat.lookup_name(name.replace(" ", ""))
    if ent is not None:
        return ent
    ent = catalogue().global_names.get(name)
    if ent is not None:
        return ent
    if set(question_tokens(name).content) & cat.vocabulary:
        return None
    return cat.fuzzy_name(name)


def _looks_like_name(text: str) -> bool:
    """A short noun phrase (one to four words, no verbs of a question) that could name a thing."""
    words = text.split()
    if not 1 <= len(words) <= 4:
        return False
    if set(words) & (_STOPWORDS - {"one"}) or set(words) & _NEGATIONS:
        return False
    return True


# --------------------------------------------------------------------------- observation text
_REPLY_LINE = re.compile(r"^(?P<reply>Yes|No|Goal reached)\b", re.MULTILINE)
_CATEGORY_LINE = re.compile(r"^Category: (?P<category>[a-z ]+)$", re.MULTILINE)


def parse_reply(observation: str) -> str | None:
    """"yes", "no" or "goal" for an observation that answers a question or guess, else None."""
    m = _REPLY_LINE.match(observation.strip())
    if m is None:
        return None
    return {"Yes": "yes", "No": "no", "Goal reached": "goal"}[m.group("reply")]


def parse_category(instruction: str) -> Category | None:
    """The category announced in an instruction."""
    m = _CATEGORY_LINE.search(instruction)
    return category_by_name(m.group("category")) if m else None


def _turns_left(n: int) -> str:
    return "1 turn left." if n == 1 else f"{n} turns left."


# --------------------------------------------------------------------------- environment
class TwentyQuestionsEnv(DialogueEnv):
    """Ask yes/no questions, then name the secret entity of the announced category."""

    group: ClassVar[str] = "twenty_questions"
    max_turns: ClassVar[int] = 20
    simulator_role: ClassVar[str] = "the Twenty Questions host"

    @classmethod
    def build_tasks(cls, split: str) -> list[Task]:
        cat = catalogue()
        params: list[dict[str, Any]] = []
        for cat_id in sorted(cat.categories):
            ents = sorted(cat.categories[cat_id].entities, key=lambda e: e.id)
            order = stable_rng(cls.group, "split", cat_id).permutation(len(ents))
            n_test = max(1, round(TEST_FRACTION * len(ents)))
            test_idx = set(int(i) for i in order[:n_test])
            for i, ent in enumerate(ents):
                if (i in test_idx) == (split == "test"):
                    params.append({"category": cat_id, "entity": ent.id})
        order = stable_rng(cls.group, "order", split).permutation(len(params))
        return make_tasks(cls.group, split, [params[i] for i in order])

    # ----------------------------------------------------------------- game
    def _start(self) -> str:
        assert self.task is not None
        self.category = catalogue().categories[str(self.task.params["category"])]
        self.secret = self.category.entity(str(self.task.params["entity"]))
        example = self.category.canonical_question(self.category.attributes[_example_index(self.category)])
        return (
            "Let's play Twenty Questions. I am thinking of a secret entity from a known category.\n"
            f"Category: {self.category.name}\n"
            f"Find it in at most {self.max_turns} turns. Each turn, either ask one yes/no question about it "
            f"(e.g. 'Answer: {example}') or guess it by name (e.g. 'Answer: Is it a lighthouse?'). "
            "I reply Yes or No; a wrong guess is answered No. You win as soon as you name it. "
            "Questions I cannot answer with yes or no still use a turn.\n" + REPLY_FORMAT
        )

    def _offline_play(self, move: str) -> Outcome:
        reading = interpret(move, self.category.id)
        left = self.max_turns - self.turn
        if reading.kind == "guess":
            feedback = {"kind": "guess", "attribute": None,
                        "guess": reading.entity.name if reading.entity else reading.guess_text}
            if reading.entity is self.secret:
                reply = f"Goal reached! You guessed it: {self.secret.name}."
                return Outcome(reply, feedback={"reply": reply, **feedback, "answer": "goal"}, done=True,
                               success=True)
            reply = "No."
            return Outcome(_with_turns(reply, left), feedback={"reply": reply, **feedback, "answer": "no"})
        if reading.kind == "question":
            yes = reading.value(self.secret)
            reply = "Yes." if yes else "No."
            return Outcome(_with_turns(reply, left), feedback={
                "reply": reply, "kind": "question", "answer": "yes" if yes else "no",
                "attribute": reading.attribute})
        return Outcome(_with_turns(UNKNOWN_REPLY, left), feedback={
            "reply": UNKNOWN_REPLY, "kind": "unknown", "answer": None, "attribute": None})

    def _reveal(self) -> str:
        return f"The secret {self.category.noun} was: {self.secret.name}."

    # ----------------------------------------------------------------- LLM mode
    def llm_simulator_prompt(self) -> str:
        true_facts = [self.category.canonical_question(a).rstrip("?") for a in self.category.attributes
                      if self.secret.values[a]]
        aliases = ", ".join(self.secret.aliases) or "none"
        return (
            "You are the host of a game of Twenty Questions. The player is trying to find a secret entity "
            f"from the category '{self.category.name}'.\n"
            f"The secret {self.category.noun} is: {self.secret.name} (other names: {aliases}).\n"
            "For reference, the answer is Yes to each of these questions about it: "
            + "; ".join(true_facts) + ". Use common knowledge for anything else.\n"
            "Rules:\n"
            "- Reply with exactly one of: Yes, No, Goal reached. Write nothing else.\n"
            f"- Reply 'Goal reached' only when the player's message guesses the secret {self.category.noun} "
            "itself, by its name or one of its other names.\n"
            "- Reply 'No' to a guess of anything else, and answer every yes/no question truthfully.\n"
            "- Never reveal, spell or hint at the name of the secret."
        )

    def llm_extract_reply(self, text: str) -> str | None:
        return extract_llm_reply(text)

    def llm_judge(self, move: str) -> JudgeSpec:
        names = " or ".join(f"'{n}'" for n in self.secret.names)
        return JudgeSpec(
            question=(f"Does the message guess that the secret {self.category.noun} is {self.secret.name} "
                      f"(accepted names: {names})?"),
            labels={"yes": (True, True), "no": (False, False)},
        )

    def llm_feedback(self, move: str, label: str) -> dict[str, Any]:
        reading = interpret(move, self.category.id)
        if label == "yes":
            return {"kind": "guess", "answer": "goal", "attribute": None}
        kind = reading.kind
        return {"kind": kind, "answer": None, "attribute": reading.attribute}


def _with_turns(reply: str, left: int) -> str:
    return f"{reply} {_turns_left(left)}" if left > 0 else reply


def _example_index(cat: Category) -> int:
    """A fixed, broadly useful example question per category (depends on the category only)."""
    counts = [sum(e.values[a] for e in cat.entities) for a in cat.attributes]
    n = len(cat.entities)
    return min(range(len(counts)), key=lambda i: (abs(2 * counts[i] - n), i))


_LLM_REPLY = re.compile(r"^(yes|no|goal reached)$")


def extract_llm_reply(text: str) -> str | None:
    """"Yes", "No" or "Goal reached" when the simulator's text is exactly one of them, else None."""
    if not isinstance(text, str):
        return None
    cleaned = re.sub(r"[^a-z ]+", " ", text.lower())
    cleaned = " ".join(cleaned.split())
    m = _LLM_REPLY.match(cleaned)
    if m is None:
        return None
    return {"yes": "Yes", "no": "No", "goal reached": "Goal reached"}[m.group(1)]


def catalogue_stats() -> Mapping[str, Any]:
    """Sizes of the catalogue: entities, categories, attributes per entity."""
    cats = catalogue().categories.values()
    return {
        "categories": len(cats),
        "entities": sum(len(c.entities) for c in cats),
        "min_attributes_per_entity": min(len(c.attributes) for c in cats),
        "max_attributes_per_entity": max(len(c.attributes) for c in cats),
    }


def score_paraphrases(items: list[Mapping[str, str]]) -> dict[str, Any]:
    """How the offline simulator answers ``items`` of ``{"category", "entity", "question", "expected"}``.

    Each question is played as the first move of a fresh game whose secret is the item's entity;
    ``expected`` is "yes", "no" or "goal". Returns the rates of correct, wrong and not-understood
    answers overall and per category, and the items answered wrongly or not understood.
    """
    env = TwentyQuestionsEnv()
    per_category: dict[str, list[int]] = {}
    misses: list[dict[str, Any]] = []
    totals = [0, 0, 0]  # correct, wrong, not understood
    for item in items:
        task = Task("twenty_questions-eval-00000", TwentyQuestionsEnv.group, "test",
                    {"category": item["category"], "entity": item["entity"]})
        env.reset(seed=0, options={"task": task})
        _, _, _, _, info = env.step("Answer: " + item["question"])
        got = info["feedback"].get("answer")
        outcome = 0 if got == item["expected"] else (2 if got is None else 1)
        totals[outcome] += 1
        per_category.setdefault(item["category"], [0, 0, 0])[outcome] += 1
        if outcome:
            misses.append({**item, "got": got})
    n = max(1, len(items))
    return {
        "items": len(items),
        "accuracy": totals[0] / n,
        "wrong_rate": totals[1] / n,
        "not_understood_rate": totals[2] / n,
        "by_category": {c: {"items": sum(v), "accuracy": v[0] / sum(v)} for c, v in sorted(per_category.items())},
        "misses": misses,
    }
