"""The one error the planner raises on bad input."""


class ScenarioError(ValueError):
    """A scenario (or a plan given with it) that cannot be planned.

    `problems` is a list of `(json_path, message)` tuples, json_path like
    `$.posts[3].demand[0].leaders`; `str(error)` lists them one per line.
    """

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = list(problems)
        super().__init__("\n".join(f"{path}: {message}" for path, message in self.problems))


def json_path(parts) -> str:
    """`$.a[0].b` from the path elements ("a", 0, "b")."""
    text = "$"
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text
