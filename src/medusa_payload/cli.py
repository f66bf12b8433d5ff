"""The ``medusa-payload`` command line (the ``cli`` extra: ``pip install -e '.[cli]'``).

    medusa-payload demo                       the whole flow, offline, in seconds
    medusa-payload worker                     run sync jobs (REDIS_URL, else in memory)
    medusa-payload reconcile [--dry-run]      compare both sides and repair drift
    medusa-payload watch                      enqueue changes Medusa does not announce
    medusa-payload queue stats                job counts
    medusa-payload webhooks serve             the webhook receiver on a local port

Exit codes: 0 success, 1 the operation failed (e.g. reconcile could not repair everything),
2 bad usage or configuration (a missing setting: the message names it).
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Annotated, Any

try:
    import typer
    from rich.console import Console, RenderableType
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn
    from rich.table import Table
    from rich.text import Text
except ImportError:  # pragma: no cover - exercised without the extra
    typer = None  # type: ignore[assignment]

from . import _cli_runtime as runtime
from ._cli_config import Need, check_config, worker_plan
from ._config import DEFAULT_WATCH_INTERVAL
from ._version import __version__
from .errors import ConfigurationError, MedusaPayloadError, QueueError

__all__ = ["main"]


# Every message goes out through `_say` / `_fail`: text is never read as rich markup (a
# message such as ``pip install 'medusa-payload[redis]'`` must keep its brackets) and is never
# wrapped into several lines.
def _say(text: RenderableType, *, stderr: bool = False) -> None:
    """Print one message as it is (no markup, no highlighting, no wrapping)."""
    Console(stderr=stderr).print(text, markup=False, highlight=False, soft_wrap=True)


def _fail(message: str, code: int) -> None:
    """Print ``error: <message>`` on stderr and exit with ``code``."""
    _say(Text.assemble(("error: ", "red"), message), stderr=True)
    raise typer.Exit(code)


def _check_config(*needs: Need) -> None:
    """Stop with one line and exit 2 when a setting the command needs is wrong."""
    try:
        check_config(*needs)
    except ConfigurationError as exc:
        _fail(str(exc), 2)


def _require_positive(*options: tuple[str, float | None]) -> None:
    """Stop with one line and exit 2 when a seconds option is zero, negative or not a number."""
    for option, value in options:
        if value is not None and not value > 0:
            _fail(f"{option} must be > 0 seconds, got {value:g}", 2)


if typer is not None:
    app = typer.Typer(
        name="medusa-payload",
        help="Medusa v2 + Payload CMS v3: sync worker, reconciliation, webhooks, demo.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    queue_app = typer.Typer(help="Inspect the job queue.", no_args_is_help=True)
    webhooks_app = typer.Typer(
        help="Receive webhooks from Medusa and Payload.", no_args_is_help=True
    )
    app.add_typer(queue_app, name="queue")
    app.add_typer(webhooks_app, name="webhooks")
    console = Console()

    QueueName = Annotated[
        str | None,
        typer.Option(
            "--queue",
            help="Queue name (env MEDUSA_PAYLOAD_QUEUE).",
            show_default="medusa-payload",
        ),
    ]
    Prefix = Annotated[
        str | None,
        typer.Option(
            "--prefix",
            help="Redis key prefix (env MEDUSA_PAYLOAD_QUEUE_PREFIX).",
            show_default="bull",
        ),
    ]

    def _version(value: bool) -> None:
        if value:
            _say(f"medusa-payload {__version__}")
            raise typer.Exit()

    @app.callback()
    def root(
        version: Annotated[
            bool,
            typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
        ] = False,
    ) -> None:
        """Medusa v2 + Payload CMS v3 sync tools."""

    @app.command()
    def demo() -> None:
        """Run the whole flow on in-memory Medusa, Payload and queue (no server, no network)."""
        from ._demo import run_demo

        result = asyncio.run(run_demo(_say))
        raise typer.Exit(0 if result.all_in_sync else 1)

    @app.command()
    def worker(
        concurrency: Annotated[
            int, typer.Option(min=1, help="Jobs at once.")
        ] = runtime.WORKER_CONCURRENCY,
        queue: QueueName = None,
        prefix: Prefix = None,
        handlers: Annotated[
            list[str] | None,
            typer.Option("--handlers", help="Extra handlers: module:mapping (repeatable)."),
        ] = None,
        audit: Annotated[bool, typer.Option(help="Write sync-jobs records to Payload.")] = True,
        lock_duration: Annotated[
            float | None,
            typer.Option(help="Lease seconds (the queue's policy).", show_default="30"),
        ] = None,
        stalled_interval: Annotated[float, typer.Option(help="Stalled-job check seconds.")] = 30.0,
        stop_timeout: Annotated[
            float,
            typer.Option(
                min=0, help="Seconds jobs in flight get after SIGTERM (then left to others)."
            ),
        ] = 10.0,
        until_idle: Annotated[
            bool,
            typer.Option(help="Stop once the queue is empty; exit 1 if any job failed."),
        ] = False,
        metrics_port: Annotated[
            int | None,
            typer.Option(
                min=1,
                max=65535,
                help="Serve Prometheus GET /metrics on this port ([metrics]).",
                show_default="off",
            ),
        ] = None,
    ) -> None:
        """Run sync jobs until SIGTERM/SIGINT (in-flight jobs finish first, up to --stop-timeout).

        Clients from MEDUSA_BACKEND_URL, MEDUSA_API_KEY, PAYLOAD_CMS_URL, PAYLOAD_API_KEY; the
        queue from REDIS_URL (in memory without it). Exit 1 when the queue does not answer
        within 5 s at the start (Redis down), or with --until-idle when a job failed.
        """
        _require_positive(
            ("--lock-duration", lock_duration), ("--stalled-interval", stalled_interval)
        )
        _check_config("medusa", "payload", "redis")
        for line in worker_plan():
            _say(line)
        try:
            code = asyncio.run(
                runtime.run_worker(
                    concurrency=concurrency,
                    queue_name=queue,
                    prefix=prefix,
                    handler_specs=handlers or [],
                    audit=audit,
                    lock_duration=lock_duration,
                    stalled_interval=stalled_interval,
                    stop_timeout=stop_timeout,
                    until_idle=until_idle,
                    metrics_port=metrics_port,
                    echo=_say,
                )
            )
        except ConfigurationError as exc:
            _fail(str(exc), 2)
        except QueueError as exc:
            _fail(str(exc), 1)
        raise typer.Exit(code)

    @app.command()
    def watch(
        every: Annotated[
            float, typer.Option(min=0.001, help="Seconds between polls.")
        ] = DEFAULT_WATCH_INTERVAL,
        threshold: Annotated[
            float | None,
            typer.Option(
                "--inventory-threshold",
                help="Enqueue inventory.low below this quantity.",
                show_default="none: no inventory.low jobs",
            ),
        ] = None,
        state_file: Annotated[
            str, typer.Option("--state-file", help="Where the watermarks are kept (JSON).")
        ] = ".medusa-payload-watch.json",
        once: Annotated[bool, typer.Option("--once", help="Poll once and exit.")] = False,
        queue: QueueName = None,
        prefix: Prefix = None,
    ) -> None:
        """Poll Medusa for changes it does not announce (inventory levels, variant batches,
        missed product.updated) and enqueue the jobs the webhooks would have started.

        The first run records where things stand; later runs (even after a restart) enqueue
        each change once. Clients from MEDUSA_BACKEND_URL and MEDUSA_API_KEY; the queue from
        REDIS_URL.
        """
        _check_config("medusa", "redis")
        try:
            code = asyncio.run(
                runtime.run_watch(
                    every=every,
                    inventory_threshold=threshold,
                    state_file=state_file,
                    once=once,
                    queue_name=queue,
                    prefix=prefix,
                    echo=_say,
                )
            )
        except ConfigurationError as exc:
            _fail(str(exc), 2)
        except ValueError as exc:
            _fail(str(exc), 2)
        raise typer.Exit(code)

    @app.command()
    def reconcile(
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="Report only; write nothing.")
        ] = False,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print the full report as JSON.")
        ] = False,
        scope: Annotated[str, typer.Option(help="Comma-separated: products,stores,pages.")] = (
            "products,stores,pages"
        ),
        page_size: Annotated[int, typer.Option(min=1, max=1000)] = 100,
    ) -> None:
        """Compare Medusa and Payload, classify every pair, repair what differs.

        Exit 1 when some repair failed.
        """
        from . import MedusaClient, PayloadClient
        from ._config import Settings
        from .sync import reconcile as run_reconcile

        parts = tuple(p.strip() for p in scope.split(",") if p.strip())
        unknown = set(parts) - {"products", "stores", "pages"}
        if unknown:
            _fail(f"unknown scope {sorted(unknown)}: use products, stores, pages", 2)
        _check_config("medusa", "payload")
        try:
            with MedusaClient.from_env() as medusa, PayloadClient.from_env() as payload:
                credentials = runtime.admin_credentials(Settings.from_env())
                if credentials is not None:  # a session token: Medusa checks it, no scrypt
                    medusa.auth.login(*credentials)
                if as_json:
                    report = run_reconcile(
                        medusa, payload, dry_run=dry_run, scope=parts, page_size=page_size
                    )
                else:
                    with Progress(
                        TextColumn("reconcile"),
                        BarColumn(),
                        TaskProgressColumn(),
                        console=console,
                        transient=True,
                    ) as bar:
                        task = bar.add_task("reconcile", total=100)
                        report = run_reconcile(
                            medusa,
                            payload,
                            dry_run=dry_run,
                            scope=parts,
                            page_size=page_size,
                            on_progress=lambda pct: bar.update(task, completed=pct),
                        )
        except ConfigurationError as exc:
            _fail(str(exc), 2)
        except MedusaPayloadError as exc:
            _fail(str(exc), 1)
        if as_json:
            print(report.to_json())
        else:
            _print_report(report)
        raise typer.Exit(1 if report.errors else 0)

    def _print_report(report: Any) -> None:
        table = Table(title=Text("reconcile" + (" (dry run)" if report.dry_run else "")))
        for column in (
            "products",
            "content docs",
            "in sync",
            "missing",
            "orphaned",
            "drifted",
            "conflicts",
            "unpaired",
            "errors",
            "reads",
            "writes",
        ):
            table.add_column(column, justify="right")
        table.add_row(
            *map(
                str,
                (
                    report.products,
                    report.contents,
                    report.in_sync,
                    report.missing,
                    report.orphaned,
                    report.drifted,
                    report.conflicts,
                    report.unpaired,
                    report.errors,
                    report.reads,
                    report.writes,
                ),
            )
        )
        _say(table)
        for item in report.items:
            state = (
                Text.assemble(("FAILED", "red"), f" {item.error}")
                if item.error
                else Text(
                    f"left alone: {item.note}"
                    if item.note
                    else "fixed"
                    if item.applied
                    else "would fix"
                )
            )
            label = item.product_id or item.key or item.content_id or ""
            line = f"  {item.status:<9} {item.kind:<8} {label} {','.join(item.fields)} -> "
            _say(Text.assemble(line, state))
        _say("all in sync" if report.all_in_sync else "repairs listed above")

    @queue_app.command("stats")
    def queue_stats(
        queue: QueueName = None,
        prefix: Prefix = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Job counts: waiting, active, completed, failed, delayed, total (REDIS_URL).

        Exit 1 when the queue does not answer within 5 s (Redis down).
        """
        _check_config("redis")
        name, key_prefix = runtime.queue_settings(queue, prefix)
        try:
            counts = asyncio.run(runtime.read_stats(name, key_prefix)).as_dict()
        except ConfigurationError as exc:
            _fail(str(exc), 2)
        except Exception as exc:
            _fail(f"cannot read the queue: {exc}", 1)
        if as_json:
            print(json.dumps(counts))
            return
        table = Table(title=Text(f"queue {name!r}"))
        for key in counts:
            table.add_column(key, justify="right")
        table.add_row(*map(str, counts.values()))
        _say(table)

    @webhooks_app.command("serve")
    def webhooks_serve(
        host: str = "127.0.0.1",
        port: Annotated[int, typer.Option(min=1, max=65535)] = 8080,
        queue: QueueName = None,
        prefix: Prefix = None,
        audit: Annotated[bool, typer.Option(help="Write webhook-logs records to Payload.")] = True,
        metrics: Annotated[
            bool, typer.Option(help="Serve Prometheus GET /metrics ([metrics] extra).")
        ] = False,
    ) -> None:
        """Serve POST /webhooks/medusa, POST /webhooks/payload and GET /queue/stats.

        Secrets from MEDUSA_WEBHOOK_SECRET / PAYLOAD_WEBHOOK_SECRET; the queue from REDIS_URL;
        the stats bearer token from MEDUSA_PAYLOAD_STATS_TOKEN. For development: put a
        production ASGI server in front for real traffic.
        """
        import uvicorn

        _check_config("redis", *(("payload",) if audit else ()))
        try:
            asgi = runtime.webhooks_app(
                queue_name=queue, prefix=prefix, audit=audit, metrics=metrics
            )
        except ConfigurationError as exc:
            _fail(str(exc), 2)
        uvicorn.run(asgi, host=host, port=port, log_level="info")


def main() -> None:
    """Entry point of ``medusa-payload``."""
    if typer is None:
        if sys.argv[1:2] == ["demo"]:
            from ._demo import run_demo

            result = asyncio.run(run_demo())
            sys.exit(0 if result.all_in_sync else 1)
        sys.stderr.write(
            "the medusa-payload command line needs the cli extra: "
            "pip install -e '.[cli]' in a checkout (the demo runs without it)\n"
        )
        sys.exit(2)
    sys.exit(_run_app())


def _run_app() -> int:
    """Run the command line; a mistyped command or option value is one line and exit 2 (not
    the framed usage box), as configuration errors are."""
    try:
        result = app(standalone_mode=False)
    except typer.Abort:
        _say("aborted", stderr=True)
        return 1
    except Exception as exc:
        # click's (or typer's vendored click's) ClickException family, matched by what it has
        # rather than by a class whose home moved between typer versions
        code, message = getattr(exc, "exit_code", None), getattr(exc, "format_message", None)
        if not isinstance(code, int) or not callable(message):
            raise
        if type(exc).__name__ == "NoArgsIsHelpError":
            exc.show()  # type: ignore[attr-defined]  # a bare group shows its help, as before
            return code
        ctx = getattr(exc, "ctx", None)
        hint = f" (see {ctx.command_path} --help)" if ctx is not None else ""
        _say(Text.assemble(("error: ", "red"), f"{message()}{hint}"), stderr=True)
        return code
    return result if isinstance(result, int) else 0
