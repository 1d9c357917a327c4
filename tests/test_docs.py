"""The README and docs/ match the code: every subcommand and notebook is in the README, every
extra is named, and the commands they document parse (and a few cheap ones run)."""

from __future__ import annotations

import re
import shlex
import tomllib

import pytest
from conftest import ROOT

from imidchem.cli import build_parser, main

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = {path.name: path.read_text(encoding="utf-8") for path in sorted((ROOT / "docs").glob("*.md"))}
NUMBERS = {1: "One", 2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six"}


def subcommands() -> list[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.choices and a.dest != "help")
    return list(action.choices)


def documented_commands(text: str) -> list[str]:
    """``imidchem ...`` commands of a Markdown text: in code spans of the command table and
    in the lines of bash blocks (placeholders in capitals are filled in by the test)."""
    commands = []
    for span in re.findall(r"`(imidchem(?: [^`]*)?)`", text):
        if len(span.split()) > 2:  # `imidchem report` in a sentence names the command
            commands.append(span)
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
        for line in block.replace("\\\n", " ").splitlines():  # continued lines joined
            line = line.split("#", 1)[0].strip()
            found = re.search(r"(?:^|\s|/)(imidchem\s[^|;&>]*)", line)
            if found and not line.startswith(("pip", "python3 -m venv")):
                commands.append(found.group(1).strip())
    return commands


PLACEHOLDERS = {
    "NAME_OR_SMILES": "apremilast",
    "NAME": "apremilast",
    "FILE.html": "out.html",
    "OUT.html": "out.html",
    "OUT.md": "out.md",
    "FILE.md": "out.md",
    "FILE": "library.csv",
    "INPUT": "library.csv",
    "OUTPUT": "hits.csv",
    "ID": "5fqd",
    "OUT.sdf": "pose.sdf",
    "C": "name",
    "L": "label",
    "V": "yes",
    "N": "2",
    "tcp://HOST:PORT": "tcp://localhost:8786",
    "text|json": "json",
}


def parseable(command: str) -> list[str] | None:
    """The arguments of a documented command with the placeholders filled in (None for a
    form that only lists alternatives, like ``imidchem / imidchem table``)."""
    if re.match(r"imidchem \S+ \.\.\.", command):  # `imidchem screen ... --neo`: a sketch
        return None
    words = shlex.split(command.replace("[", " ").replace("]", " ").replace("...", " "))
    if words[0] != "imidchem" or "/" in words[1:2]:
        return None
    args = []
    for word in words[1:]:
        if word in ("/", "|"):
            break
        args.append(PLACEHOLDERS.get(word, word))
    return args


def test_every_subcommand_is_in_the_readme_command_table():
    table = README.split("## Command line", 1)[1].split("\n\n", 2)[1]
    for name in subcommands():
        assert f"`imidchem {name}" in table, name


def test_every_notebook_is_in_the_readme_and_counted():
    notebooks = sorted(path.name for path in (ROOT / "notebooks").glob("*.ipynb"))
    for name in notebooks:
        assert f"`{name}`" in README, name
    assert f"{NUMBERS[len(notebooks)]} notebooks in `notebooks/`" in README


def test_every_extra_is_in_the_readme():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    listed = README.split("Optional extras:", 1)[1].split("\n\n", 1)[0]
    for name in extras:
        assert f"`{name}`" in listed, name


@pytest.mark.parametrize("where", ["README.md", *DOCS])
def test_documented_commands_parse(where):
    text = README if where == "README.md" else DOCS[where]
    parser = build_parser()
    checked = 0
    for command in documented_commands(text):
        args = parseable(command)
        if args is None:
            continue
        try:
            parser.parse_args(args)
        except SystemExit as stop:  # argparse refused it: the docs are out of date
            pytest.fail(f"{where}: `{command}` does not parse ({args}): exit {stop.code}")
        checked += 1
    assert checked or where not in ("README.md", "screen.md", "pocket.md")


def test_documented_cheap_commands_run(tmp_path, monkeypatch, capsys):
    """The README's commands that need no data of one's own, run as documented."""
    from imidchem.data.examples import example_path

    monkeypatch.chdir(tmp_path)
    assert main(["validate", "--example"]) == 0
    assert main(["table", "--format", "csv"]) == 0
    assert main(["patterns"]) == 0
    assert main(["explain", "apremilast", "--no-stats", "--no-pocket"]) == 0
    assert main(["report", "mine.html", "--input", str(example_path("library.csv"))]) == 0
    assert (tmp_path / "mine.html").exists()
    assert main(["explain", "lenalidomid"]) == 2
    assert "did you mean lenalidomide?" in capsys.readouterr().err
    for command in ("imidchem validate --example", "imidchem explain lenalidomid",
                    "imidchem report mine.html --input"):  # fmt: skip
        assert command in README, command


def test_no_developer_paths_as_user_instructions():
    """Paths only the developers have are labelled where they appear."""
    for name, text in {"README.md": README, **DOCS}.items():
        assert "/work/venv" not in text and "/work/shared" not in text, name
        if "../shared" in text and name != "README.md":
            assert "not shipped" in text or "developers" in text, name


@pytest.mark.parametrize("name", ["Evidence", "PocketFit"])
def test_help_lists_every_field(name):
    """``help(imidchem.Evidence)`` and ``help(imidchem.PocketFit)`` describe each field."""
    import dataclasses
    import pydoc

    import imidchem

    cls = getattr(imidchem, name)
    attributes = cls.__doc__.split("Attributes\n", 1)[1]
    hidden = {"pocket_structure", "statistics_fingerprints"}  # set by explain(), shown as pocket
    for field in dataclasses.fields(cls):
        if field.name not in hidden:
            assert re.search(rf"\b{field.name}\b", attributes), field.name
    text = pydoc.render_doc(cls, renderer=pydoc.plaintext)
    assert "Attributes" in text and len(text.splitlines()) > 40
