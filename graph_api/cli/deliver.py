"""`graph-api deliver webhooks`: the webhook dispatcher (services/webhooks_delivery.py) as a process of its
own, beside or instead of the one in the API's lifespan (setting webhooks_enabled). Any number may run at
once: each webhook's lease lets one of them at a time deliver it. --once makes one pass and exits."""

from __future__ import annotations

import asyncio
import signal

import typer

from graph_api.api.graphql.webhooks import alert_body
from graph_api.cli.common import connect, err
from graph_api.ops.logging_setup import configure_logging
from graph_api.services.unit_of_work import Store
from graph_api.services.webhooks_delivery import Config, Dispatcher
from graph_api.settings import get_settings
from graph_api.store.db import async_driver

deliver_app = typer.Typer(no_args_is_help=True, help="Deliveries from the alert outbox.")


@deliver_app.command("webhooks")
def webhooks_command(
    once: bool = typer.Option(False, "--once", help="One pass over the webhooks, then exit."),
) -> None:
    """Deliver the departments' alerts to their webhooks until stopped (SIGTERM or Ctrl-C)."""
    settings = get_settings()
    configure_logging(settings.log_level)
    connect(settings).close()  # exit 3 with a hint when the database is not reachable

    async def main() -> int:
        driver = async_driver(settings)
        try:
            async with Dispatcher(
                Store(driver, settings.neo4j_database), Config.from_settings(settings), alert_body
            ) as d:
                if once:
                    return await d.run_pass()
                stop = asyncio.Event()
                loop = asyncio.get_running_loop()
                for sig in (signal.SIGTERM, signal.SIGINT):
                    loop.add_signal_handler(sig, stop.set)
                await d.run(stop)
                return 0
        finally:
            await driver.close()

    attempted = asyncio.run(main())
    if once:
        err.print(f"{attempted} delivery attempts")
