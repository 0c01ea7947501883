"""`manage.py scan_identifiers`: output formats and exit codes 0, 1 and 2."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, stdin: str | bytes = "") -> subprocess.CompletedProcess[str]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    proc = subprocess.run(
        [sys.executable, "manage.py", "scan_identifiers", *args],
        cwd=ROOT,
        input=data,
        capture_output=True,
        timeout=60,
        check=False,
    )
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode(), proc.stderr.decode())


def test_clean_file_exits_0_and_prints_nothing(tmp_path: Path) -> None:
    path = tmp_path / "clean.txt"
    path.write_text("Child A (aged 7) told the DSL. Mum and the Social Worker met the CP Chair.\n")
    out = StringIO()
    call_command("scan_identifiers", str(path), stdout=out)
    assert out.getvalue() == ""


def test_findings_are_printed_with_position_and_advice_and_exit_1(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Child A is fine.\nMum (sharon) rang from 07700 900418.\n")
    out = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("scan_identifiers", str(path), stdout=out)
    assert exit_info.value.code == 1
    lines = out.getvalue().splitlines()
    assert lines == [
        f"{path}:2:6: name: 'sharon' looks like a person's name: use a role such as 'Child A', 'Mother' or 'Social Worker'",
        f"{path}:2:24: phone: '07700 900418' looks like a phone number: remove it",
    ]


def test_several_files_are_scanned_in_order(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("Nothing here about Child A.")
    b.write_text("Postcode RM9 6XT.")
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("scan_identifiers", str(a), str(b), stdout=out)
    assert out.getvalue().startswith(f"{b}:1:10: postcode:")


def test_stdin_is_read_when_no_file_is_given() -> None:
    result = run(stdin="Amelia Hartley was seen.\n")
    assert result.returncode == 1
    assert "'Amelia Hartley' looks like a person's name" in result.stdout
    assert run(stdin="Child A was seen.\n").returncode == 0


def test_jsonl_output_has_one_line_per_input_line_in_order() -> None:
    lines = [
        {"text": "Call 07700 900418", "id": 1},
        {"text": "Child A is 7"},
        {"text": "DOB 14/03/2015, Mrs Patel"},
    ]
    result = run("--jsonl", stdin="".join(json.dumps(obj) + "\n" for obj in lines))
    assert result.returncode == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert out == [
        {"findings": [{"kind": "phone", "start": 5, "end": 17, "text": "07700 900418"}]},
        {"findings": []},
        {
            "findings": [
                {"kind": "date", "start": 4, "end": 14, "text": "14/03/2015"},
                {"kind": "name", "start": 16, "end": 25, "text": "Mrs Patel"},
            ]
        },
    ]


def test_jsonl_with_nothing_found_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"text": "Child A is 7"}\n{"text": "The DSL rang the MASH"}\n')
    out = StringIO()
    call_command("scan_identifiers", "--jsonl", str(path), stdout=out)
    assert out.getvalue().splitlines() == ['{"findings": []}', '{"findings": []}']


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"text": "ok"}\nnot json\n', "in.jsonl:2: invalid JSON"),
        ('{"body": "no text key"}\n', 'in.jsonl:1: expected an object with a "text" string'),
        ('["text"]\n', 'in.jsonl:1: expected an object with a "text" string'),
        ('{"text": 42}\n', 'in.jsonl:1: expected an object with a "text" string'),
    ],
)
def test_bad_jsonl_is_exit_2_with_one_line_on_stderr(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(content)
    with pytest.raises(CommandError) as error:
        call_command("scan_identifiers", "--jsonl", str(path), stdout=StringIO())
    assert error.value.returncode == 2
    assert message in str(error.value)

    result = run("--jsonl", str(path))
    assert result.returncode == 2
    assert result.stdout == ""  # nothing half-done: no line for the good first record
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr


def test_unreadable_file_is_exit_2(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    result = run(str(missing))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"CommandError: cannot read {missing}: no such file or directory"]


def test_undecodable_input_is_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\xe9 notes".encode("latin-1"))
    result = run(str(path))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert run("--jsonl", stdin=b'{"text": "\xff"}\n').returncode == 2


# manage.py's main() in a fresh process, then what it left loaded.
STANDALONE = """
import runpy, sys
sys.argv = ["manage.py", "scan_identifiers", *sys.argv[1:]]
try:
    runpy.run_path("manage.py", run_name="__main__")
except SystemExit as exit:
    print("exit:", exit.code)
print("django:", "django" in sys.modules, "celery:", "celery" in sys.modules)
"""


def test_the_command_runs_without_django_for_files_and_jsonl(tmp_path: Path) -> None:
    # What makes it start at once (manage.py, anonymity/management/scan_cli.py).
    path = tmp_path / "notes.txt"
    path.write_text("Postcode RM9 6XT.\n")
    for args, stdin in (([], b"Child A told the DSL.\n"), ([str(path)], b""), (["--jsonl"], b'{"text": "hi"}\n')):
        proc = subprocess.run(
            [sys.executable, "-c", STANDALONE, *args], cwd=ROOT, input=stdin, capture_output=True, timeout=60,
            check=True,
        )
        assert proc.stdout.decode().splitlines()[-1] == "django: False celery: False"


CASES = [
    ([], "Mum (sharon) rang from 07700 900418.\n"),
    ([], "Child A told the DSL.\n"),
    (["--jsonl"], '{"text": "Call 07700 900418"}\n{"text": "Child A is 7"}\n'),
    (["--jsonl"], '{"text": "ok"}\nnot json\n'),
    (["--jsonl"], "\n"),
    (["FILE"], "Nothing here about Child A.\nDOB 14/03/2015, Mrs Patel\n"),
    (["FILE", "MISSING"], "Postcode RM9 6XT."),
    (["MISSING"], ""),
]


@pytest.mark.parametrize(("args", "text"), CASES)
def test_without_django_the_command_says_and_exits_exactly_as_through_django(
    tmp_path: Path, args: list[str], text: str
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(text)
    names = {"FILE": str(path), "MISSING": str(tmp_path / "missing.txt")}
    argv = [names.get(arg, arg) for arg in args]
    stdin = "" if "FILE" in args else text
    standalone = run(*argv, stdin=stdin)
    through_django = run("--no-color", *argv, stdin=stdin)  # an option of Django's: the Django path
    assert (standalone.returncode, standalone.stdout, standalone.stderr) == (
        through_django.returncode, through_django.stdout, through_django.stderr,
    )


def test_djangos_own_options_still_work() -> None:
    help_text = run("--help").stdout
    assert "--jsonl" in help_text and "--settings" in help_text
    proc = run("--settings=config.settings", "--traceback", stdin="Postcode RM9 6XT.")
    assert proc.returncode == 1
    assert proc.stdout.startswith("<stdin>:1:10: postcode:")
