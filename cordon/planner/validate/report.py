"""What the validator reports: each violation, and the objective and shortfall it recomputed."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Violation:
    """One broken hard rule (or one false claim of the plan), naming who and where."""

    rule: str
    message: str
    person: str | None = None
    post: str | None = None
    date: str | None = None
    shift: str | None = None


@dataclass
class CheckReport:
    """What `check()` found: violations, and the objective and shortfall recomputed."""

    violations: list[Violation] = field(default_factory=list)
    objective: dict = field(default_factory=dict)
    shortfall: list[dict] = field(default_factory=list)
    reserve: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations

    def format(self, *, shortfall_lines: int = 30) -> str:
        """The text `cordon plan --check` prints: violations by rule, objective, shortfall."""
        lines = []
        if self.ok:
            lines.append("Hard rules: no violation.")
        else:
            lines.append(f"Hard rules: {len(self.violations)} violation(s).")
            by_rule = defaultdict(list)
            for violation in self.violations:
                by_rule[violation.rule].append(violation)
            for rule, found in by_rule.items():
                lines.append(f"  {rule} ({len(found)}):")
                lines.extend(f"    {violation.message}" for violation in found)
        lines.append("Objective (recomputed):")
        width = max(len(key) for key in self.objective) if self.objective else 0
        for key, value in self.objective.items():
            lines.append(f"  {key:<{width}}  {format_number(value):>10}")
        lines.append(f"Shortfall (recomputed): {shortfall_summary(self.shortfall)}")
        for entry in self.shortfall[:shortfall_lines]:
            lines.append(f"  {shortfall_line(entry)}")
        if len(self.shortfall) > shortfall_lines:
            lines.append(f"  ... and {len(self.shortfall) - shortfall_lines} more")
        return "\n".join(lines)


def violation(rule: str, text: str, **where) -> Violation:
    return Violation(rule=rule, message=f"{rule}: {text}", **where)


def where_of(item: dict) -> dict:
    return {key: item.get(key) for key in ("person", "post", "date", "shift")}


def shortfall_amounts(entry: dict) -> tuple:
    skills = {k: v for k, v in (entry.get("skills") or {}).items() if v}
    return (entry.get("people") or 0, entry.get("leaders") or 0, skills)


def format_number(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def describe_amounts(entry: dict) -> str:
    people, leaders, skills = shortfall_amounts(entry)
    parts = [_count(people, "person", "people"), _count(leaders, "leader", "leaders")]
    parts += [f"{need} {skill}" for skill, need in sorted(skills.items())]
    return ", ".join(part for part in parts if part) or "nothing"


def _count(number: int, one: str, many: str) -> str:
    return "" if not number else f"{number} {one if number == 1 else many}"


def shortfall_line(entry: dict) -> str:
    return f"{entry['date']} {entry['post']} {entry['shift']}: {describe_amounts(entry)}"


def shortfall_summary(shortfall: list[dict]) -> str:
    if not shortfall:
        return "none; every demand is covered."
    people = sum(entry["people"] for entry in shortfall)
    leaders = sum(entry["leaders"] for entry in shortfall)
    skills = Counter()
    for entry in shortfall:
        skills.update(entry["skills"])
    missing = describe_amounts({"people": people, "leaders": leaders, "skills": skills})
    return f"{len(shortfall)} post-shift(s) short of {missing}"
