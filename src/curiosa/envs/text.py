"""Text helpers shared by every game: the reply format, the character set, quoting agent text."""

from __future__ import annotations

import re
import string

from gymnasium.spaces import Text

# Printable ASCII, tab/newline and Latin-1/Latin Extended-A letters (names such as "São Paulo").
CHARSET = "".join(sorted(set(string.printable) - set("\x0b\x0c\r") | {chr(c) for c in range(0xA0, 0x180)}))
_CHARSET_SET = frozenset(CHARSET)
MAX_OBSERVATION_CHARS = 16_384
MAX_ACTION_CHARS = 8_192

REPLY_FORMAT = "Reply with a line 'Thought: <your brief reasoning>' followed by a line 'Answer: <your move>'."

_ANSWER_LINE = re.compile(r"^[ \t>*_#`]*answer[ \t*_`]*[:：][ \t]*(?P<rest>.*)$", re.IGNORECASE | re.MULTILINE)
_ANSWER_TAG = re.compile(r"<answer>(?P<rest>.*?)</answer>", re.IGNORECASE | re.DOTALL)


def observation_space() -> Text:
    return Text(max_length=MAX_OBSERVATION_CHARS, min_length=1, charset=CHARSET)


def action_space() -> Text:
    return Text(max_length=MAX_ACTION_CHARS, min_length=0, charset=CHARSET)


def extract_answer(reply: str) -> str | None:
    """The move in a think-then-answer reply, or None when there is no answer line.

    The last ``Answer:`` line wins (a model may restate its plan); an empty answer line takes the
    next non-empty line. ``<answer>...</answer>`` tags are accepted too. Surrounding quotes,
    markdown emphasis and trailing punctuation are stripped.
    """
    if not isinstance(reply, str):
        return None
    matches = list(_ANSWER_LINE.finditer(reply))
    if matches:
        m = matches[-1]
        rest = m.group("rest").strip()
        if not rest:
            following = reply[m.end():].strip().splitlines()
            rest = following[0].strip() if following else ""
    else:
        tags = list(_ANSWER_TAG.finditer(reply))
        if not tags:
            return None
        rest = tags[-1].group("rest").strip()
    rest = rest.strip().strip("*_`\"'“”‘’ \t").rstrip(".!").strip()
    return rest or None


def move_key(reply: str) -> str | None:
    """The move of a reply lower-cased with its spacing collapsed, so that two replies making the same
    move compare equal (how repeated moves are counted); None without an answer line."""
    answer = extract_answer(reply)
    return None if answer is None else " ".join(answer.lower().split())


def format_reply(thought: str, answer: str) -> str:
    """A reply in the agent format, as scripted policies and humans produce it."""
    return f"Thought: {thought.strip()}\nAnswer: {answer.strip()}"


def sanitize(text: str, limit: int | None = None) -> str:
    """Map characters outside the observation charset to '?' and cut to ``limit`` characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    clean = "".join(c if c in _CHARSET_SET else "?" for c in text)
    if limit is not None and len(clean) > limit:
        clean = clean[: max(0, limit - 3)] + "..."
    return clean


def quote(agent_text: str, limit: int = 60) -> str:
    """Agent text echoed back inside an observation: one line, safe characters, bounded length."""
    return "'" + sanitize(" ".join(agent_text.split()), limit) + "'"
