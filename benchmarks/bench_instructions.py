"""Start-up in CPU instructions (issue 13): how many instructions bridge and a bare Textual app
(header, one label, footer) execute from the interpreter's start to their first paint, headless
at 160x45, counted by valgrind (`--tool=callgrind`), and their ratio.

    python benchmarks/bench_instructions.py            # sample, 50, 1000, 10000
    python benchmarks/bench_instructions.py 50 1000    # other sizes

Wall-clock ratios (`bench_start.py`) move by 10-20% from one run to the next on a shared
machine, which switches between a fast and a slow state; an instruction count does not depend
on the machine's state: two runs of the same code agree to a tenth of a percent (hash seed
fixed, Python's own allocator off, as valgrind needs). It is a complement to the wall-clock
figures, not a replacement: it counts no waiting (disk, terminal) and weighs every instruction
alike. Each count takes valgrind 20-60 s. Children run with bytecode caching on, as an
installed bridge does. A script, not a test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import MAKE_APP, ROOT, child_env, compile_bytecode, portfolio

SIZES = (50, 1_000, 10_000)

#: the app, stopped (os._exit) right after it hands its first frame with content to the
#: terminal: bridge once the board holds its cards (`_loaded`), the bare app at its first frame
CHILD = (
    """
import os, sys
DB = sys.argv[1]
from textual.app import App
_display = App._display
def display(self, screen, renderable):
    done = _display(self, screen, renderable)
    if renderable is not None and getattr(screen, "_loaded", DB == "-"):
        os._exit(0)
    return done
App._display = display
"""
    + MAKE_APP
    + """app.run(headless=True, size=(160, 45))
"""
)


def instructions(script: Path, db: str) -> int:
    """Instructions executed by one run of `script` on `db` ("-": the bare app)."""
    env = {**child_env(), "PYTHONHASHSEED": "0", "PYTHONMALLOC": "malloc"}
    done = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            str(script),
            db,
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=1800,
    )
    for line in done.stderr.splitlines():
        if "Collected :" in line:
            return int(line.split(":")[-1].strip())
    raise RuntimeError(f"valgrind gave no count: {done.stderr[-500:]}")


def main(argv: list[str]) -> None:
    if shutil.which("valgrind") is None:
        print("valgrind is not installed here: this benchmark counts instructions with it.")
        raise SystemExit(2)
    sizes = tuple(int(a) for a in argv) or SIZES
    compile_bytecode()
    folder = Path(tempfile.mkdtemp(prefix="bridge-bench-instructions-"))
    script = folder / "child.py"
    script.write_text(CHILD)
    dbs = [("sample.db", ROOT / "sample.db")] + [(f"{n:,}", portfolio(n)) for n in sizes]
    print("instructions from the interpreter's start to the first paint (valgrind, headless)")
    bare = instructions(script, "-")
    print(f"{'bare app':>10} | {bare / 1e6:8.1f} M")
    try:
        for label, src in dbs:
            copy = folder / "copy.db"  # the app may write (an upgrade); the cache never changes
            shutil.copyfile(src, copy)
            # opened once first, as a file someone works in has been: the first opening of
            # bytes bridge has not checked before also checks them whole (`store.checked`),
            # 50% more instructions at 50 initiatives, counted here only when that memory
            # happened to be cold
            subprocess.run(
                [sys.executable, "-m", "bridge_tui", "--db", str(copy), "list"],
                capture_output=True,
                env=child_env(),
                cwd=ROOT,
                check=True,
            )
            ours = instructions(script, str(copy))
            os.remove(copy)
            ratio = ours / bare
            print(f"{label:>10} | {ours / 1e6:8.1f} M | {ratio:.3f}x the bare app", flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
