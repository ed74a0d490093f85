"""Reading the candidate program out of a reply; a reply without code is a format error."""

import pytest

from curiosa import envs
from curiosa.envs.code_tasks import replies


@pytest.fixture(scope="module")
def humaneval():
    return {s: envs.load_tasks("humaneval", s) for s in ("train", "test")}


@pytest.mark.parametrize("reply, code", [
    ("Thought: a\nAnswer:\n```python\ndef f():\n    return 1\n```", "def f():\n    return 1\n"),
    ("Thought: a\nAnswer:\n```\ndef f():\n    return 1\n```\nDone.", "def f():\n    return 1\n"),
    ("Thought: a\nAnswer:\n```py\ndef f():\n    return 1", "def f():\n    return 1\n"),  # unclosed fence
    ("```python\ndef g(): pass\n```\nThought: a\nAnswer:\n```python\ndef f(): pass\n```", "def f(): pass\n"),
    ("Thought: sketch\n```python\ndef f(): pass\n```\nThat is all.", "def f(): pass\n"),
    ("Thought: a\nAnswer: def f(): return 2", "def f(): return 2\n"),
    ("Thought: a\nAnswer:\n    return sorted(x)\n", "    return sorted(x)\n"),
])
def test_code_extraction(reply, code):
    assert replies.extract_code(reply) == code


@pytest.mark.parametrize("reply", ["no code at all", "Thought: a\nAnswer: 42", "Answer:\n```python\n```", ""])
def test_no_code_is_a_format_error(humaneval, reply):
    env = envs.make("humaneval", task=humaneval["test"][0])
    env.reset(seed=0)
    assert replies.extract_code(reply) is None
    with pytest.raises(envs.FormatError, match="no Python code"):
        env.parse_reply(reply)
