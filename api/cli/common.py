"""Helpers shared by the command modules: opening the graph, progress display, output."""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import click

from graph.errors import StoreLocked
from graph.kg import KnowledgeGraph
from graph.settings import Settings

PROGRESS_AFTER_SECONDS = 2.0


def settings_from(ctx: click.Context) -> Settings:
    store = ctx.find_root().obj.get("store") if ctx.find_root().obj else None
    return Settings(store=store) if store else Settings()  # a directory or a remote store's URL


def open_kg(ctx: click.Context, **kwargs) -> KnowledgeGraph:
    """Open the knowledge graph of the CLI's --store; closed when the command ends.

    A store held by a running server is refused in one line that says what to do."""
    settings = settings_from(ctx)
    try:
        kg = KnowledgeGraph.open(settings, **kwargs)
    except StoreLocked as exc:
        if exc.code == "store_restoring":  # already says who and what to do
            raise
        raise StoreLocked(locked_message(settings.store_path())) from None  # only an embedded store locks
    ctx.call_on_close(kg.close)
    return kg


def store_holder(store: Path) -> tuple[int, list[str]] | None:
    """The process holding the store's lock (pid, command line), from Linux's /proc/locks;
    None when that cannot be told (another system, or the lock is gone)."""
    try:
        inode = (store / "LOCK").stat().st_ino
        for line in Path("/proc/locks").read_text().splitlines():
            fields = line.split()
            if len(fields) > 5 and fields[5].endswith(f":{inode}"):
                pid = int(fields[4])
                return pid, Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")[:-1]
    except (OSError, ValueError):
        return None
    return None


def locked_message(store: Path) -> str:
    """One line: who holds ``store`` and what to do (README: 'While the server runs')."""
    holder = store_holder(store)
    who = "another process (a running `regiokg serve`?)"
    if holder:
        pid, args = holder
        if "serve" in args:
            option = {a: args[i + 1] for i, a in enumerate(args[:-1]) if a in ("--host", "--port")}
            who = (f"the server `regiokg serve` (pid {pid}, "
                   f"http://{option.get('--host', '127.0.0.1')}:{option.get('--port', '8000')})")
        else:
            who = f"process {pid} ({' '.join(args)[:80]})"
    return (f"the store {store} is held by {who}: stop it (Ctrl-C), run this command, then start it again; "
            "or, while it runs, query it at /sparql and write through it with REGIOKG_TOKEN "
            "(README: 'While the server runs')")


@contextlib.contextmanager
def progress(description: str) -> Iterator[None]:
    """Show a spinner with elapsed time on stderr if the work takes longer than ~2 s."""
    if not sys.stderr.isatty():
        yield
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    done = threading.Event()
    started = time.monotonic()

    def show() -> None:
        if done.wait(PROGRESS_AFTER_SECONDS):
            return
        with Progress(SpinnerColumn(), TextColumn(description), TimeElapsedColumn(),
                      console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task(description, total=None)
            while not done.wait(0.1):
                bar.update(task, completed=time.monotonic() - started)

    thread = threading.Thread(target=show, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
