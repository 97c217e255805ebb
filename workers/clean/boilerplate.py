"""Boilerplate removal: rules from a data file, applied line by line.

The rules (``data/boilerplate.toml``) are data, loaded and validated once; each one
carries the examples it must remove and article lines it must keep, which the tests
check. The code here only knows the actions: drop a line, drop a heading with the
teaser lines under it, strip a match from a line.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

RULES_FILE = Path(__file__).resolve().parent / "data" / "boilerplate.toml"
Action = Literal["drop", "drop_following", "strip"]
ACTIONS = ("drop", "drop_following", "strip")
#: a line this short that repeats an earlier line is a repeated caption or teaser
DUPLICATE_MAX_WORDS = 30


class RuleError(ValueError):
    """The rule file is invalid (the message names the rule)."""


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    pattern: re.Pattern[str]
    action: Action
    max_words: int
    follow_max_words: int
    follow_lines: int
    examples: tuple[str | tuple[str, str], ...]
    keep: tuple[str, ...]

    def applies(self, line: str, words: int) -> bool:
        return words <= self.max_words and self.pattern.search(line) is not None


def _rule(entry: dict) -> Rule:
    rule_id = entry.get("id") or "<no id>"
    try:
        pattern = re.compile(entry["pattern"])
    except (KeyError, re.error) as exc:
        raise RuleError(f"rule {rule_id}: bad or missing pattern: {exc}") from exc
    action = entry.get("action", "drop")
    if action not in ACTIONS:
        raise RuleError(f"rule {rule_id}: unknown action {action!r}")
    examples = entry.get("examples") or []
    if not examples:
        raise RuleError(f"rule {rule_id}: every rule needs at least one example")
    if action == "strip":
        if not all(isinstance(e, list) and len(e) == 2 for e in examples):
            raise RuleError(f"rule {rule_id}: strip examples are [line, expected] pairs")
        examples = [tuple(e) for e in examples]
    return Rule(
        id=rule_id,
        description=entry.get("description", ""),
        pattern=pattern,
        action=action,
        max_words=int(entry.get("max_words", 40)),
        follow_max_words=int(entry.get("follow_max_words", 16)),
        follow_lines=int(entry.get("follow_lines", 8)),
        examples=tuple(examples),
        keep=tuple(entry.get("keep") or ()),
    )


def load_rules(path: Path = RULES_FILE) -> tuple[Rule, ...]:
    """Read and validate a rule file; an invalid file fails at start, not per item."""
    with path.open("rb") as f:
        entries = tomllib.load(f).get("rule", [])
    rules = tuple(_rule(e) for e in entries)
    ids = [r.id for r in rules]
    if len(ids) != len(set(ids)):
        raise RuleError(f"duplicate rule ids in {path}")
    return rules


@cache
def default_rules() -> tuple[Rule, ...]:
    return load_rules(RULES_FILE)


def _words(line: str) -> int:
    return len(line.split())


def remove_boilerplate(lines: list[str], rules: tuple[Rule, ...] | None = None) -> list[str]:
    """The lines that are article text, in order (stripped by `strip` rules)."""
    return [line for line in apply_rules(lines, rules) if line is not None]


def clean_blocks(blocks: list[list[str]], rules: tuple[Rule, ...] | None = None) -> list[str]:
    """Paragraphs (lists of lines) to clean paragraphs: the rules run over every line,
    a paragraph's surviving lines are joined with spaces, empty paragraphs go."""
    flat = [line for block in blocks for line in block]
    results = iter(apply_rules(flat, rules))
    paragraphs = []
    for block in blocks:
        kept = [line for line in (next(results) for _ in block) if line is not None]
        if kept:
            paragraphs.append(" ".join(kept))
    return paragraphs


def apply_rules(lines: list[str], rules: tuple[Rule, ...] | None = None) -> list[str | None]:
    """Each line, stripped by `strip` rules, or None where a rule drops it.

    A short line that repeats an earlier one (a caption shown twice, a teaser in two
    boxes) is dropped as well.
    """
    rules = default_rules() if rules is None else rules
    out: list[str | None] = []
    seen_short: set[str] = set()
    skip_following = 0
    follow_max = 0
    for line in lines:
        words = _words(line)
        if skip_following:
            if words <= follow_max:
                skip_following -= 1
                out.append(None)
                continue
            skip_following = 0
        dropped = False
        for rule in rules:
            if not rule.applies(line, words):
                continue
            if rule.action == "strip":
                line = rule.pattern.sub("", line).strip()
                words = _words(line)
                if not line:
                    dropped = True
                    break
                continue
            dropped = True
            if rule.action == "drop_following":
                skip_following, follow_max = rule.follow_lines, rule.follow_max_words
            break
        if not dropped and words <= DUPLICATE_MAX_WORDS:
            key = line.casefold()
            dropped = key in seen_short
            seen_short.add(key)
        out.append(None if dropped else line)
    return out
