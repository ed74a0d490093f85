"""Reading and comparing math answers: exact rationals first, symbolic equivalence when available.

Self-correction rewards are binary and a wrong "wrong" verdict teaches the model to change right
answers, so the checker is strict about values and lenient about notation: ``3/4``, ``0.75``,
``\\frac{3}{4}``, ``\\boxed{3/4}``, ``x = 3/4``, ``$0.75$`` and ``3/4 dollars`` all read as the
same number, while ``0.33`` is not ``1/3`` (no rounding is ever accepted).

The small expression parser here (numbers, one-letter variables, ``+ - * / ^``, parentheses and
implicit products such as ``3x`` or ``2(x + 1)``) is shared with the procedural problems of
:mod:`curiosa.envs.math_synthetic`, whose scripted solver reads problems with it.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from fractions import Fraction
from typing import Union

from curiosa.envs.text import extract_answer

MAX_ANSWER_CHARS = 300
"""Longer answers are not read (they are explanations, not answers)."""
_MAX_DIGITS = 40
_MAX_EXPONENT = 12


class AnswerError(ValueError):
    """The text is not a single exact number (or expression) that can be compared."""


# --------------------------------------------------------------------------------------------- numbers
def format_number(value: Fraction) -> str:
    """``22``, ``-3/4``: the canonical text of an exact answer."""
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def format_operand(value: Fraction) -> str:
    """A number as it appears inside a worked step: negatives and fractions in parentheses."""
    text = format_number(value)
    return f"({text})" if value < 0 or Fraction(value).denominator != 1 else text


# --------------------------------------------------------------------------------------------- parser
@dataclass(frozen=True)
class Num:
    value: Fraction
    literal: bool = True


@dataclass(frozen=True)
class Var:
    name: str


@dataclass(frozen=True)
class Neg:
    operand: "Node"


@dataclass(frozen=True)
class Bin:
    op: str
    left: "Node"
    right: "Node"


Node = Union[Num, Var, Neg, Bin]

# A fraction literal is written without spaces ("3/4"); "12 / 4" is a division.
_TOKEN = re.compile(r"\s*(?:(?P<num>(?:\d+(?:\.\d+)?|\.\d+)(?:/\d+(?![.\d]))?)|(?P<var>[a-z])|(?P<op>[-+*/^()]))")


def tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise AnswerError(f"unexpected character {text[pos:pos + 1]!r} at position {pos}")
        kind = m.lastgroup or ""
        tokens.append((kind, m.group(kind)))
        pos = m.end()
    return tokens


class _Parser:
    """Recursive descent: expr = term (+|- term)*; term = unary (*|/|implicit unary)*; unary = -unary | power."""

    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise AnswerError("the expression ends too early")
        self.i += 1
        return tok

    def parse(self) -> Node:
        if not self.tokens:
            raise AnswerError("no number found")
        node = self.expr()
        if self.peek() is not None:
            raise AnswerError(f"unexpected {self.peek()[1]!r} after a complete expression")  # type: ignore[index]
        return node

    def expr(self) -> Node:
        node = self.term()
        while (tok := self.peek()) is not None and tok[1] in "+-" and tok[0] == "op":
            self.i += 1
            node = Bin(tok[1], node, self.term())
        return node

    def term(self) -> Node:
        node = self.unary()
        while (tok := self.peek()) is not None:
            if tok[0] == "op" and tok[1] in "*/":
                self.i += 1
                node = Bin(tok[1], node, self.unary())
            elif tok[0] == "var" or tok == ("op", "("):  # implicit product: 3x, 2(x + 1), (x + 1)(x - 1)
                node = Bin("*", node, self.power())
            else:
                break
        return node

    def unary(self) -> Node:
        tok = self.peek()
        if tok is not None and tok[0] == "op" and tok[1] in "+-":
            self.i += 1
            operand = self.unary()
            return operand if tok[1] == "+" else Neg(operand)
        return self.power()

    def power(self) -> Node:
        base = self.atom()
        tok = self.peek()
        if tok == ("op", "^"):
            self.i += 1
            return Bin("^", base, self.unary())
        return base

    def atom(self) -> Node:
        kind, text = self.take()
        if kind == "num":
            digits = sum(c.isdigit() for c in text)
            if digits > _MAX_DIGITS:
                raise AnswerError(f"number {text[:20]}... is too long")
            if "/" in text:
                num, den = text.split("/")
                if int(den) == 0:
                    raise AnswerError(f"{text} divides by zero")
                return Num(Fraction(Fraction(num), int(den)))
            return Num(Fraction(text))
        if kind == "var":
            return Var(text)
        if text == "(":
            node = self.expr()
            if self.take() != ("op", ")"):
                raise AnswerError("a parenthesis is not closed")
            return node
        raise AnswerError(f"unexpected {text!r}")


def parse_expression(text: str) -> Node:
    """The expression tree of ``text`` (raises AnswerError naming the problem)."""
    if len(text) > MAX_ANSWER_CHARS:
        raise AnswerError(f"expression longer than {MAX_ANSWER_CHARS} characters")
    try:
        return _Parser(text).parse()
    except RecursionError:
        raise AnswerError("the expression is nested too deeply") from None


def apply(op: str, a: Fraction, b: Fraction) -> Fraction:
    """One exact operation; raises AnswerError for division by zero or a huge power."""
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        if b == 0:
            raise AnswerError("division by zero")
        return a / b
    if op == "^":
        if b.denominator != 1 or abs(b) > _MAX_EXPONENT or (a == 0 and b < 0):
            raise AnswerError("only small whole-number powers are supported")
        if abs(a.numerator) > 10**_MAX_DIGITS or a.denominator > 10**_MAX_DIGITS:
            raise AnswerError("power of a number too large")
        return a ** int(b)
    raise AnswerError(f"unknown operator {op!r}")


def evaluate(node: Node) -> Fraction:
    """The exact value of a variable-free expression."""
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Neg):
        return -evaluate(node.operand)
    if isinstance(node, Bin):
        return apply(node.op, evaluate(node.left), evaluate(node.right))
    raise AnswerError(f"the answer contains the variable {node.name!r}, not just a number")


# --------------------------------------------------------------------------------------------- answers
_BOXED = re.compile(r"\\(?:boxed|fbox)\s*\{")
_FRAC = re.compile(r"\\[dt]?frac")
_DROP = re.compile(r"\\(?:left|right|displaystyle|!|,|;|:|quad|qquad)|\\ |~|\$|\\\(|\\\)|\\\[|\\\]")
_TEXT_CMD = re.compile(r"\\(?:text|textbf|mathrm|mbox|operatorname)\s*\{[^{}]*\}")
_THOUSANDS = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+)(?![\d])")
_WORDS = re.compile(r"[A-Za-z]{2,}")
_ASSIGN = re.compile(r"(?:^|[,;]|\band\b)\s*([a-z])\s*=\s*([^,;=]+?)\s*(?=$|[,;]|\band\b)")
_MIXED = re.compile(r"^\s*(-?)\s*(\d+)\s+(\d+)\s*/\s*(\d+)\s*$")


def _braced(text: str, start: int) -> tuple[str, int]:
    """The content of the brace group opening at ``text[start] == '{'`` and the index after it."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[start + 1:i], i + 1
    raise AnswerError("unbalanced braces")


def last_boxed(text: str) -> str | None:
    """The content of the last ``\\boxed{...}`` in ``text`` (None if there is none)."""
    matches = list(_BOXED.finditer(text))
    if not matches:
        return None
    try:
        return _braced(text, matches[-1].end() - 1)[0]
    except AnswerError:
        return None


def _frac_arg(text: str, i: int) -> tuple[str, int]:
    """One argument of ``\\frac``: a brace group or a single character (``\\frac34``)."""
    while i < len(text) and text[i] == " ":
        i += 1
    if i >= len(text):
        raise AnswerError("\\frac lacks an argument")
    if text[i] == "{":
        return _braced(text, i)
    return text[i], i + 1


def latex_to_plain(text: str) -> str:
    """Rewrite the LaTeX of simple numeric answers (fractions, products, signs) as plain arithmetic."""
    text = _TEXT_CMD.sub(" ", text)
    text = _DROP.sub("", text)
    text = text.replace("\\cdot", "*").replace("\\times", "*").replace("\\div", "/").replace("\\%", "%")
    text = text.replace("−", "-").replace("–", "-").replace("×", "*").replace("÷", "/").replace("·", "*")
    out = []
    pos = 0
    for _ in range(50):
        m = _FRAC.search(text, pos)
        if m is None:
            break
        num, after = _frac_arg(text, m.end())
        den, after = _frac_arg(text, after)
        out.append(text[pos:m.start()] + f"(({latex_to_plain(num)})/({latex_to_plain(den)}))")
        pos = after
    out.append(text[pos:])
    text = "".join(out)
    return text.replace("{", "(").replace("}", ")")


def parse_answer(text: str, variable: str | None = None) -> Fraction:
    """The exact number an answer states; raises AnswerError when it states none or several.

    Accepted: integers (``1,200`` too), decimals, ``a/b``, mixed numbers (``3 1/2``), LaTeX fractions,
    ``\\boxed{...}``, ``$...$``, a trailing unit or ``%``, ``x = 5`` (with several assignments, the one
    of ``variable``), and arithmetic that evaluates exactly (``21/3``).
    """
    if not isinstance(text, str):
        raise AnswerError("the answer is not text")
    text = text.strip()
    if not text:
        raise AnswerError("the answer is empty")
    if len(text) > MAX_ANSWER_CHARS:
        raise AnswerError(f"the answer is longer than {MAX_ANSWER_CHARS} characters")
    boxed = last_boxed(text)
    if boxed is not None:
        text = boxed
    text = latex_to_plain(text)
    text = _THOUSANDS.sub(lambda m: m.group(1).replace(",", ""), text)
    text = re.sub(r"\b(?:is|equals)\b", "=", text)
    if "=" in text:
        assignments = {m.group(1): m.group(2) for m in _ASSIGN.finditer(text.strip())}
        if variable is not None and variable in assignments:
            text = assignments[variable]
        else:
            text = text.rsplit("=", 1)[1]
    text = _WORDS.sub(" ", text)
    text = text.replace("%", " ").replace("#", " ").strip().rstrip(".,;:!?").lstrip(",;:!?").strip()
    mixed = _MIXED.match(text)
    if mixed:
        sign = -1 if mixed.group(1) else 1
        return sign * (int(mixed.group(2)) + Fraction(int(mixed.group(3)), max(1, int(mixed.group(4)))))
    if not re.search(r"\d", text):
        raise AnswerError("no number found")
    try:
        return evaluate(parse_expression(text))
    except RecursionError:
        raise AnswerError("the expression is nested too deeply") from None


def extract_math_answer(reply: str) -> str | None:
    """The final answer of a math reply.

    Its ``Answer:`` line, else its last ``\\boxed{}``, else a GSM8K-style ``####`` line.
    """
    answer = extract_answer(reply)
    if answer is not None:
        return answer
    if not isinstance(reply, str):
        return None
    boxed = last_boxed(reply)
    if boxed is not None and boxed.strip():
        return "\\boxed{" + boxed + "}"
    hashes = re.findall(r"^\s*####\s*(.+?)\s*$", reply, re.MULTILINE)
    return hashes[-1] if hashes else None


def same_number(answer: str, expected: Fraction, variable: str | None = None) -> bool:
    """True when ``answer`` states exactly ``expected``; raises AnswerError when it states no number."""
    return parse_answer(answer, variable) == Fraction(expected)


# --------------------------------------------------------------------------------------------- general answers
def math_verify_available() -> bool:
    try:
        import math_verify  # noqa: F401
    except ImportError:
        return False
    return True


_SPACES = re.compile(r"\s+")


def normalize_text_answer(text: str) -> str:
    """A canonical string for answers that are not numbers (intervals, expressions, words)."""
    boxed = last_boxed(text)
    if boxed is not None:
        text = boxed
    text = _TEXT_CMD.sub(lambda m: m.group(0)[m.group(0).index("{") + 1:-1], text)
    text = _DROP.sub("", text)
    text = re.sub(r"\\[dt]frac", r"\\frac", text)
    text = re.sub(r"\^\s*\{?\\circ\}?", "", text).replace("\\%", "").replace("%", "")
    text = _SPACES.sub("", text).strip(".").lower()
    return text


def _boxed_source(text: str) -> str:
    return text if ("\\boxed" in text or "$" in text) else "\\boxed{" + text + "}"


def equivalent(answer: str, gold: str) -> bool:
    """Whether ``answer`` and ``gold`` state the same value (any math answer, e.g. from MATH or GSM8K).

    Numbers are compared exactly; other answers with math-verify when it is installed (symbolic
    equivalence: ``\\sqrt{2}/2`` equals ``\\frac{1}{\\sqrt{2}}``), and otherwise as normalised text.
    """
    try:
        return parse_answer(answer) == parse_answer(gold)
    except AnswerError:
        pass
    except (ArithmeticError, RecursionError):
        return False
    if math_verify_available():
        from math_verify import parse, verify

        timeout: int | None = 5 if threading.current_thread() is threading.main_thread() else None
        try:
            gold_parsed = parse(_boxed_source(gold), parsing_timeout=timeout)
            answer_parsed = parse(_boxed_source(answer), parsing_timeout=timeout)
            if gold_parsed and answer_parsed and verify(gold_parsed, answer_parsed, timeout_seconds=timeout):
                return True
        except Exception:  # noqa: BLE001 - a checker failure is a wrong answer, never a crash
            pass
    return normalize_text_answer(answer) == normalize_text_answer(gold) != ""
