"""The documentation tells the truth: every command has help, and the README's examples run as written.

Commands are discovered from the click group ``dedup.cli.main``, so a new command or option is covered
without touching this file. README examples are read from its fenced code blocks: shell lines that run
``dedup`` (through click's runner) or ``python -m dedup...`` (as a process) are run for real in a
temporary folder holding a copy of ``examples/``, and each must exit 0 (the README shows no example that
should fail); ``python`` blocks are run with ``exec`` in that folder. The examples in each command's own
help (its ``Examples:`` section) are run the same way. An example is skipped only when it needs a file
the user brings (``USER_FILES``); pytest lists each skip with its reason (``-rs``), and the pass count
says how many examples ran.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from dedup.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

# Files that examples name but the user supplies; an example naming one is skipped with this reason.
USER_FILES = {
    "news.jsonl": "your own corpus (README: the error example names news.jsonl as the user's file)",
    "original.txt": "your own text (README: `dedup compare A B` compares two files you give)",
    "copy.txt": "your own text (README: `dedup compare A B` compares two files you give)",
    "pairs.jsonl": "your own pairs (README: `--pairs` reads `{\"id\", \"a\", \"b\"}` lines you write)",
    "tortured.csv": "your own phrase list (README: `--phrases` adds your own list)",
    "retracted.txt": "your own ids file (README: `dedup index remove` drops the ids you list)",
    "archive/": "your own archive (`dedup index add --help`: the folder of articles you keep)",
    "2026-12-01.jsonl": "your own day's crawl, and a Redis server (`dedup index add --help`)",
    "today.jsonl": "your own day's crawl (`dedup scan --help`: scanned against your archive)",
}
# Names the README's Python example uses without defining them: the two texts a reader compares. A spun
# copy of a short news passage, written by hand (as in tests/test_cli.py): the case the example describes.
USER_VALUES = {
    "original": (
        "Government forces backed by heavy air power are advancing quickly toward a border town still held by "
        "the rebels. A day after taking full control of the city, the army is mounting an offensive to "
        "recapture the town. Reports suggest the fighters fled there from the other side of the border."
    ),
    "copy": (
        "Government forces supported by heavy air strength are progressing rapidly toward a frontier town still "
        "held by the rebels. A day after capturing complete control of the metropolis, the army is mounting an "
        "attack to retake the town. Reports recommend the fighters fled there from the other side of the border."
    ),
}


# ---- the commands -------------------------------------------------------------------------------------


def all_commands(command: click.Command = main, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The path of every command under ``command``, itself included: ``()``, ``("scan",)``, ..."""
    found = [path]
    if isinstance(command, click.Group):
        ctx = click.Context(command, info_name="dedup")
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            assert sub is not None, name
            found += all_commands(sub, (*path, name))
    return found


def resolve(path: tuple[str, ...]) -> tuple[click.Command, click.Context]:
    """The command at ``path`` and a context for it (options such as --help are added per context)."""
    command: click.Command = main
    ctx = click.Context(main, info_name="dedup")
    for name in path:
        assert isinstance(command, click.Group)
        sub = command.get_command(ctx, name)
        assert sub is not None, name
        command, ctx = sub, click.Context(sub, info_name=name, parent=ctx)
    return command, ctx


def flat(text: str) -> str:
    """Text with its line wrapping undone, so help as click wraps it compares with the docstring."""
    return " ".join(text.split())


COMMANDS = all_commands()


def test_commands_are_discovered() -> None:
    # The walk must reach the sub-commands, or the help test below would check the group alone.
    assert len(COMMANDS) > 1 and () in COMMANDS


@pytest.mark.parametrize("path", COMMANDS, ids=lambda path: " ".join(("dedup", *path)))
def test_help_has_usage_description_and_option_help(path: tuple[str, ...]) -> None:
    command, ctx = resolve(path)
    result = CliRunner().invoke(main, [*path, "--help"], prog_name="dedup")
    assert result.exit_code == 0, result.output
    usage = result.output.splitlines()[0]
    assert usage.startswith("Usage: " + " ".join(("dedup", *path)) + " "), usage
    description = (command.help or "").strip()
    assert description, "no description"
    assert flat(description.split("\n\n")[0]) in flat(result.output)
    for param in command.get_params(ctx):
        if isinstance(param, click.Option) and not param.hidden:
            assert (param.help or "").strip(), f"{param.opts[0]} has no help text"
            assert param.opts[0] in result.output
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            assert sub is not None and sub.get_short_help_str().strip(), f"{name} has no short help"


def _argument_cases() -> list[object]:
    cases: list[object] = []
    for path in COMMANDS:
        command, ctx = resolve(path)
        for param in command.get_params(ctx):
            if isinstance(param, click.Argument):
                name = param.human_readable_name
                cases.append(pytest.param(path, name, id=" ".join(("dedup", *path, name))))
    return cases


@pytest.mark.parametrize(("path", "name"), _argument_cases())
def test_the_description_names_each_argument(path: tuple[str, ...], name: str) -> None:
    # click gives arguments no help text of their own: the description is the only place to say what
    # INPUTS or A and B are, as `dedup scan --help` does ("Scan INPUTS (files, folders, or - ...)").
    command, _ = resolve(path)
    assert re.search(rf"\b{re.escape(name)}\b", command.help or ""), f"the description never names {name}"


# ---- the examples -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    """A command line from the documentation, and where it stands (for the test id and messages)."""

    where: str
    line: str

    @property
    def args(self) -> list[str]:
        """The arguments after the program: ``dedup`` or ``python -m dedup``."""
        words = shlex.split(self.line)
        return words[3:] if words[0].startswith("python") else words[1:]

    def __str__(self) -> str:
        return f"{self.where}: {self.line}"


def fenced_blocks(markdown: str) -> list[tuple[int, str, str]]:
    """``(first line number, language, body)`` of every fenced code block."""
    blocks = []
    for match in re.finditer(r"^```(\w*)\n(.*?)^```", markdown, flags=re.M | re.S):
        blocks.append((markdown.count("\n", 0, match.start(2)) + 1, match.group(1), match.group(2)))
    return blocks


def dedup_segments(line: str) -> list[str]:
    """The parts of a shell line that run dedup: ``pip install . && dedup scan x`` gives ``dedup scan x``."""
    parts = re.split(r"\s*(?:&&|\|\||;)\s*", line.strip())
    return [p for p in parts if re.match(r"(dedup|python3? -m dedup(\.cli)?)\s", p)]


def is_synopsis(line: str) -> bool:
    """A usage synopsis (``dedup scan INPUT... [--json FILE|-]``, ``dedup compare A B``) is no example.

    It shows optional parts in brackets, repeats as ``...``, or placeholders in capitals (``OUT.jsonl``);
    a real command names real files, in lower case.
    """
    placeholder = re.compile(r"[A-Z][A-Z0-9_]*(\.\w+)?")
    return "[" in line or "..." in line or any(placeholder.fullmatch(word) for word in shlex.split(line))


def readme_lines() -> list[tuple[str, str]]:
    """``(where, line)`` of each line of the README's non-Python code blocks, continuations joined.

    A line ending in a backslash continues on the next (shell); an indented line opening with ``[``
    continues a synopsis.
    """
    found: list[tuple[str, str]] = []
    for start, language, body in fenced_blocks(README.read_text(encoding="utf-8")):
        if language == "python":
            continue
        pending, first = "", len(found)
        for offset, raw in enumerate(body.splitlines()):
            if len(found) > first and raw[:1].isspace() and raw.strip().startswith("[") and not pending:
                where, previous = found.pop()
                found.append((where, previous + " " + raw.strip()))
                continue
            pending += raw.rstrip("\\").strip() + " "
            if not raw.endswith("\\"):
                found.append((f"README.md:{start + offset}", pending.strip()))
                pending = ""
    return found


def readme_examples() -> list[Example]:
    return [Example(where, segment) for where, line in readme_lines() for segment in dedup_segments(line)
            if not is_synopsis(segment)]


def readme_synopses() -> list[Example]:
    return [Example(where, segment) for where, line in readme_lines() for segment in dedup_segments(line)
            if is_synopsis(segment)]


def help_examples() -> list[Example]:
    """The command lines of each command's ``Examples:`` section."""
    found = []
    for path in COMMANDS:
        command, _ = resolve(path)
        _, _, examples = (command.help or "").partition("Examples:")
        found += [Example(" ".join(("dedup", *path, "--help")), line.strip())
                  for line in examples.splitlines() if line.strip().startswith("dedup ")]
    return found


def python_examples() -> list[tuple[str, str]]:
    return [(f"README.md:{start}", body) for start, language, body in fenced_blocks(README.read_text("utf-8"))
            if language == "python"]


EXAMPLES = readme_examples() + help_examples()


def test_examples_are_found() -> None:
    # The extraction must find the quick start's scan, or the example test below would run nothing.
    assert readme_examples(), "no dedup command found in README.md's code blocks"
    assert help_examples(), "no example found in the commands' help"


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder holding a copy of ``examples/``, as a fresh checkout has it."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("example", EXAMPLES, ids=str)
def test_example_runs(example: Example, sandbox: Path) -> None:
    needed = [USER_FILES[word] for word in example.args if word in USER_FILES]
    if needed:
        pytest.skip(f"{example}: needs {needed[0]}")
    if "archive.db" in example.args and example.args[:2] != ["index", "add"]:
        # The README's archive lines go in order: the index they use is the one its first line builds.
        built = CliRunner().invoke(main, ["index", "add", "examples/seeds", "--index", "archive.db", "-q"])
        assert built.exit_code == 0, built.output
    words = shlex.split(example.line)
    if words[0].startswith("python"):
        # `python -m MODULE` runs for real: that the module can be run is part of what the line claims.
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, *words[1:]], cwd=sandbox, env=env, capture_output=True,
                              text=True, timeout=600, check=False)
        exit_code, output = done.returncode, done.stdout + done.stderr
    else:
        result = CliRunner().invoke(main, example.args, prog_name="dedup")
        exit_code, output = result.exit_code, result.output
    assert exit_code == 0, f"{example}\n{output}"
    assert "Error" not in output


@pytest.mark.parametrize(("where", "code"), python_examples(), ids=[w for w, _ in python_examples()])
def test_python_example_runs(where: str, code: str, sandbox: Path) -> None:
    namespace: dict[str, object] = dict(USER_VALUES)
    exec(compile(code, where, "exec"), namespace)


@pytest.mark.parametrize("synopsis", readme_synopses(), ids=str)
def test_readme_synopsis_names_only_real_options(synopsis: Example) -> None:
    # A synopsis is not run; each option it names must be an option of that command.
    path: list[str] = []
    command: click.Command = main
    for word in synopsis.args:
        if not isinstance(command, click.Group) or word.startswith("-"):
            break
        sub = command.get_command(click.Context(command), word)
        assert sub is not None, f"{synopsis}: no command {word!r}"
        command = sub
        path.append(word)
    _, ctx = resolve(tuple(path))
    known = {opt for param in command.get_params(ctx) for opt in (*param.opts, *param.secondary_opts)}
    named = re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", synopsis.line)
    assert named, synopsis
    assert [opt for opt in named if opt not in known] == [], synopsis
