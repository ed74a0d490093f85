"""The reply format of the code tasks, and reading the candidate program out of a reply.

Accepted, in this order: the last fenced block (```` ```python ````, ```` ```py ```` or a bare
```` ``` ````; an unclosed last fence runs to the end of the reply) after the last ``Answer:`` line;
else the last fenced block anywhere in the reply; else, without fences, the text after the last
``Answer:`` line when it contains ``def`` or ``return``. Anything else is no code (the environment
raises :class:`~curiosa.envs.base.FormatError`, which the rollout engine resamples).
"""

from __future__ import annotations

import re

CODE_REPLY_FORMAT = (
    "Reply with a line 'Thought: <your plan>', then a line 'Answer:' followed by the complete function "
    "in a ```python code block."
)

_FENCE = re.compile(r"```[ \t]*(?:python3?|py)?[ \t]*\n(?P<code>.*?)(?:^[ \t]*```|\Z)",
                    re.DOTALL | re.IGNORECASE | re.MULTILINE)
_ANSWER = re.compile(r"^[ \t>*_#`]*answer[ \t*_`]*[:：]", re.IGNORECASE | re.MULTILINE)


def extract_code(reply: str) -> str | None:
    """The candidate program of a reply (see the module docstring for the accepted forms), or None."""
    if not isinstance(reply, str):
        return None
    answers = list(_ANSWER.finditer(reply))
    tail = reply[answers[-1].end():] if answers else ""
    for text in ([tail] if tail else []) + [reply]:
        blocks = [m.group("code") for m in _FENCE.finditer(text)]
        blocks = [b for b in blocks if b.strip()]
        if blocks:
            return blocks[-1].rstrip() + "\n"
    if tail and re.search(r"\b(def|return)\b", tail):
        first, _, rest = tail.partition("\n")
        code = f"{first.strip()}\n{rest}" if first.strip() else rest
        return code.strip("\n").rstrip() + "\n"
    return None
