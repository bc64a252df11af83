"""The `zwitscher` command: serve, worker, migrate, backup and restore, and account
administration."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import logging
import os
import secrets
import signal
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import orjson
import typer
import uvicorn

from zwitscher.backup.archive import BackupError
from zwitscher.backup.back_up import archive_path, back_up
from zwitscher.backup.restore import restore as restore_backup
from zwitscher.db.engine import Database
from zwitscher.db.migrate import upgrade, upgrade_sync
from zwitscher.db.uow import UnitsOfWork
from zwitscher.domain.directory_csv import read_directory_csv, write_directory_csv
from zwitscher.domain.errors import DomainError, NotFound, TemporaryFailure
from zwitscher.domain.roles import COMMAND_LINE, Role
from zwitscher.jobs.handlers import AT_ONCE, DELIVERIES, HANDLERS
from zwitscher.jobs.runner import JobRunner
from zwitscher.mail.messages import BadAddress, compose, new_message_id, recipient
from zwitscher.mail.transport import Undeliverable, transport_for
from zwitscher.services.approve_account import approve_account
from zwitscher.services.change_role import change_role
from zwitscher.services.configure_instance import keep_instance_current
from zwitscher.services.create_brand import create_brand
from zwitscher.services.export_directory import export_directory
from zwitscher.services.grant_brand import grant_brand
from zwitscher.services.import_directory import import_directory
from zwitscher.services.name_instance import name_instance
from zwitscher.services.oauth import issue_directory_token
from zwitscher.services.read_image import EMOJI_MAX_BYTES, read_emoji_image
from zwitscher.services.register_account import NewAccount, create_account
from zwitscher.services.send_password_link import person_named, send_reset
from zwitscher.services.set_password import set_password
from zwitscher.services.set_up_instance import instance_needs_setup
from zwitscher.services.two_factor import disable_two_factor
from zwitscher.services.write_announcement import AnnouncementDraft, create_announcement
from zwitscher.services.write_custom_emoji import (
    EmojiSettings,
    add_custom_emoji,
    all_custom_emojis,
    custom_emoji_id,
    remove_custom_emoji,
)
from zwitscher.settings import load_settings
from zwitscher.streaming.broker import (
    create_broker,
    publish_before_the_broker,
    watch_stale_caches,
)
from zwitscher.timelines.feed_stores import close_feed_store, create_feed_store

app = typer.Typer(help="Zwitscher: self-hosted microblogging for organisations.",
                  no_args_is_help=True)
accounts_app = typer.Typer(help="Manage accounts.", no_args_is_help=True)
invites_app = typer.Typer(help="Manage invites (for the `invite` registration mode).",
                          no_args_is_help=True)
app.add_typer(accounts_app, name="accounts")
groups_app = typer.Typer(help="Import and export groups and their people (CSV).",
                         no_args_is_help=True)
app.add_typer(invites_app, name="invites")
app.add_typer(groups_app, name="groups")
scim_app = typer.Typer(help="Provisioning by a company directory (SCIM 2.0).",
                       no_args_is_help=True)
app.add_typer(scim_app, name="scim")
brands_app = typer.Typer(help="Brand accounts that several communicators post as.",
                         no_args_is_help=True)
app.add_typer(brands_app, name="brands")
announcements_app = typer.Typer(help="Notices from the organisation to everyone signed in.",
                                no_args_is_help=True)
app.add_typer(announcements_app, name="announcements")
emojis_app = typer.Typer(help="Custom emojis, used in text as :shortcode:.",
                         no_args_is_help=True)
app.add_typer(emojis_app, name="emojis")
mail_app = typer.Typer(help="Outgoing e-mail (ZWITSCHER_SMTP_URL, ZWITSCHER_MAIL_FROM).",
                       no_args_is_help=True)
app.add_typer(mail_app, name="mail")


@app.command()
def serve(host: str = typer.Option("127.0.0.1", help="Address to listen on."),
          port: int = typer.Option(8000, help="Port to listen on."),
          workers: int = typer.Option(1, help="Web processes (needs PostgreSQL and Redis "
                                               "when more than one).")) -> None:
    """Run the server (applies migrations first)."""
    settings = load_settings()
    if "ZWITSCHER_BASE_URL" not in os.environ:
        os.environ["ZWITSCHER_BASE_URL"] = f"http://{host}:{port}"
    if workers > 1 and (settings.is_sqlite or not settings.redis_url):
        typer.echo("Several web processes need ZWITSCHER_DATABASE_URL (PostgreSQL) and "
                   "ZWITSCHER_REDIS_URL.", err=True)
        raise typer.Exit(2)
    upgrade_sync(settings)
    engine = f"SQLite in {settings.data_dir}" if settings.is_sqlite else "PostgreSQL"
    typer.echo(f"Zwitscher on http://{host}:{port} ({engine})")
    if not settings.smtp_url:
        typer.echo(f"E-mail: no ZWITSCHER_SMTP_URL set, messages are written to "
                   f"{settings.mail_path} (one .eml file each)")
    uvicorn.run("zwitscher.asgi:app", host=host, port=port, workers=workers,
                log_config=_log_config(),
                proxy_headers=True, forwarded_allow_ips=settings.trusted_proxies,
                log_level="info", ws_max_size=64 * 1024,
                # Open streams never end by themselves; give them a moment, then stop.
                timeout_graceful_shutdown=3,
                # A web process answers uvicorn's health check only once it has imported this
                # module (2.3 s of CPU): on a busy host that took 8-16 s, and with uvicorn's
                # 5 s every process was killed and started again, for ever.
                timeout_worker_healthcheck=60)


def _log_config() -> dict:
    """uvicorn's logging, and ours at INFO beside it (where e-mail went, jobs retried)."""
    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["loggers"]["zwitscher"] = {"handlers": ["default"], "level": "INFO",
                                      "propagate": False}
    return config


@app.command()
def worker() -> None:
    """Run background jobs (fan-out, notifications) in this process until stopped."""
    logging.basicConfig(level=logging.INFO)
    asyncio.run(_work())


async def _work() -> None:
    settings = load_settings()
    await upgrade(settings)
    database = Database(settings)
    uows = UnitsOfWork(database, publisher=publish_before_the_broker, on_jobs_enqueued=lambda: None)
    async with uows.write() as uow:
        namespace = await name_instance(uow)
    broker = create_broker(settings.redis_url, namespace=namespace)
    await broker.start()
    uows.publisher = broker.publish
    # Scaled out, the fan-out here writes the feeds the web processes read from Redis.
    feeds = create_feed_store(settings.model_copy(update={"run_jobs_in_process": False}),
                              namespace=namespace)
    if feeds is not None:
        uows.on_feed_changes = feeds.apply
        uows.feeds_outlive_process = feeds.outlives_process
    uows.caches.share(settings, namespace=namespace)
    uows.throttle.share(settings.redis_url, namespace=namespace)
    stale_caches = await watch_stale_caches(broker, uows.caches)
    instance_settings = await keep_instance_current(uows, settings)
    runner = JobRunner(uows, handlers=HANDLERS, deliveries=DELIVERIES, at_once=AT_ONCE,
                       poll_interval=0.2)
    # Jobs that jobs enqueue run at once, not at the next poll.
    uows.on_jobs_enqueued = runner.wake
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    runner.start()
    typer.echo("Zwitscher worker running", err=True)
    await stop.wait()
    typer.echo("Zwitscher worker stopping: finishing the job at hand", err=True)
    await runner.stop()
    stale_caches.cancel()
    instance_settings.cancel()
    await broker.stop()
    await close_feed_store(feeds)
    await uows.caches.close()
    await database.dispose()


@mail_app.command("test")
def mail_test(address: str, language: str = typer.Option("en", help="en or de.")) -> None:
    """Send a test message to ADDRESS now (not through the job queue), to check the settings:
    a refusal or an unreachable server is shown here."""
    settings = load_settings()
    try:
        message = compose(settings, kind="test", to=recipient(address), language=language,
                          values={}, message_id=new_message_id(settings))
        transport = transport_for(settings)
        asyncio.run(transport.send(message))
    except (BadAddress, TemporaryFailure, Undeliverable, ValueError) as exc:
        typer.echo(f"Not sent: {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"Sent a test message to {address} via {transport.describe()}.")


@app.command()
def migrate() -> None:
    """Apply database migrations."""
    upgrade_sync(load_settings())
    typer.echo("Database is up to date.")


@app.command()
def backup(destination: Path | None = typer.Argument(
        None, help="The archive to write (.tar.gz, .tgz or .tar), or a folder to write a "
                   "dated one in (default: here).")) -> None:
    """Back up the database and the media files into one archive while the server runs
    (see docs/backup.md)."""
    with _backup_errors():
        done = back_up(load_settings(), archive_path(destination))
    counts = done.manifest.counts
    typer.echo(f"Backed up to {done.archive} ({done.manifest.engine}, schema revision "
               f"{done.manifest.schema_revision}): {counts['accounts']} accounts, "
               f"{counts['statuses']} statuses, {counts['follows']} follows, "
               f"{done.media_files} media files; {done.archive.stat().st_size} bytes.")


@app.command()
def restore(archive: Path = typer.Argument(..., exists=True, dir_okay=False,
                                           help="An archive made by `zwitscher backup`."),
            force: bool = typer.Option(False, help="Replace a data directory or database "
                                                   "that is not empty.")) -> None:
    """Restore a backup into an empty data directory (SQLite) or database (PostgreSQL); stop
    the server first (see docs/backup.md)."""
    with _backup_errors():
        done = restore_backup(load_settings(), archive, force=force)
    manifest = done.manifest
    typer.echo(f"Restored {archive} (made {manifest.created_at} by Zwitscher "
               f"{manifest.zwitscher_version}, schema revision {manifest.schema_revision}) "
               f"into {done.target}.")
    for aside in done.set_aside:
        typer.echo(f"What was there before is now in {aside}: delete it once the restored "
                   "instance is checked.")
    if done.cached_state:
        typer.echo(done.cached_state)
    typer.echo("Start the server: it applies newer migrations, if any, first.")


@contextlib.contextmanager
def _backup_errors() -> Iterator[None]:
    """A backup or restore that cannot go on says why, without a traceback."""
    try:
        yield
    except (BackupError, OSError) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc


async def _with_uow(action):
    settings = load_settings()
    await upgrade(settings)
    database = Database(settings)
    broker = None
    try:
        uows = UnitsOfWork(database, publisher=_discard, on_jobs_enqueued=lambda: None)
        if settings.redis_url:
            # Scaled out, what a command changes reaches the running processes at once (a
            # revoked token, a changed role). The embedded default has no channel between
            # processes: its server notices within ZWITSCHER_VIEWER_CACHE_SECONDS.
            async with uows.write() as uow:
                namespace = await name_instance(uow)
            broker = create_broker(settings.redis_url, namespace=namespace)
            await broker.start()
            uows.publisher = broker.publish
        async with uows.write() as uow:
            return await action(uow)
    finally:
        if broker is not None:
            await broker.stop()
        await database.dispose()


async def _discard(_messages: list[tuple[str, bytes]]) -> None:
    return None


@accounts_app.command("create")
def accounts_create(username: str,
                    email: str = typer.Option(..., help="E-mail address (used to sign in)."),
                    password: str = typer.Option(
                        None, help="Password (8 to 72 characters); asked for when not given, "
                                   "which keeps it out of the shell's history."),
                    role: str = typer.Option(
                        None, help="owner, admin, moderator, communicator, member or guest "
                                   "(default: owner on an instance with no accounts yet, "
                                   "else member)."),
                    display_name: str = typer.Option("", help="Name shown on posts.")) -> None:
    """Create an account that can sign in at once."""
    if password is None:
        password = _ask_password()

    async def action(uow):
        chosen = role or (Role.OWNER.value if await instance_needs_setup(uow)
                          else Role.MEMBER.value)
        new = NewAccount(username=username, email=email, password=password,
                         display_name=display_name)
        return chosen, await create_account(uow, new, role=chosen)

    chosen, created = _run_or_exit(action)
    typer.echo(f"Created @{username} (account id {created.account_id}, role {chosen}).")


@accounts_app.command("set-password")
def accounts_set_password(username: str) -> None:
    """Set a person's password (asked for, never an argument); signs them out everywhere."""
    password = _ask_password()
    _run_or_exit(lambda uow: set_password(uow, actor=COMMAND_LINE, username=username,
                                          password=password))
    typer.echo(f"The password of @{username} is set; they were signed out everywhere.")


@accounts_app.command("send-reset")
def accounts_send_reset(username: str) -> None:
    """E-mail a person a link to choose a new password (valid for one hour)."""
    address = _run_or_exit(lambda uow: send_reset(uow, actor=COMMAND_LINE, username=username))
    typer.echo(f"A password reset link for @{username} is on its way to {address}.")


@accounts_app.command("disable-two-factor")
def accounts_disable_two_factor(username: str) -> None:
    """Turn off a person's second factor (they lost their phone and their recovery codes);
    they sign in with their password alone and may turn it on again."""

    async def disable(uow):
        _, user = await person_named(uow, username)
        await disable_two_factor(uow, actor=COMMAND_LINE, user=user, password=None)

    _run_or_exit(disable)
    typer.echo(f"Two-factor authentication of @{username} is off.")


def _ask_password() -> str:
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


def _run_or_exit(action):
    try:
        return asyncio.run(_with_uow(action))
    except DomainError as exc:
        typer.echo(exc.message, err=True)
        raise typer.Exit(1) from exc


@accounts_app.command("approve")
def accounts_approve(username: str) -> None:
    """Approve a pending sign-up so the person can sign in."""
    async def approve(uow) -> None:
        account, _user = await person_named(uow, username)
        await approve_account(uow, actor=COMMAND_LINE, account_id=account.id)

    _run_or_exit(approve)
    typer.echo(f"Approved @{username}.")


@accounts_app.command("role")
def accounts_role(username: str, role: str = typer.Argument(
        ..., help="owner, admin, moderator, communicator, member or guest.")) -> None:
    """Give a person another role (recorded in the audit log as done from the command line)."""

    async def action(uow):
        account = await uow.accounts.by_username(username)
        if account is None:
            raise NotFound(f"No account @{username}")
        return await change_role(uow, actor=COMMAND_LINE, account_id=account.id, role=role)

    try:
        changed = asyncio.run(_with_uow(action))
    except DomainError as exc:
        typer.echo(exc.message, err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"@{username} is now {changed.value}.")


@brands_app.command("create")
def brands_create(username: str, display_name: str = typer.Option(
        "", help="Name shown on posts, e.g. \"Press office\".")) -> None:
    """Create a brand account (such as @press) that communicators post as."""
    try:
        brand = asyncio.run(_with_uow(lambda uow: create_brand(
            uow, actor=COMMAND_LINE, username=username, display_name=display_name)))
    except DomainError as exc:
        typer.echo(exc.message, err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"Created brand account @{brand.username} (account id {brand.id}).")


@brands_app.command("grant")
def brands_grant(brand: str, author: str, needs_approval: bool = typer.Option(
        False, help="Their posts wait for another author's approval.")) -> None:
    """Let a communicator (AUTHOR, a username) post as BRAND."""

    async def action(uow):
        found = {name: await uow.accounts.by_username(name) for name in (brand, author)}
        missing = [name for name, row in found.items() if row is None]
        if missing:
            raise NotFound(f"No account @{missing[0]}")
        await grant_brand(uow, actor=COMMAND_LINE, brand_id=found[brand].id,
                          author_id=found[author].id, needs_approval=needs_approval)

    try:
        asyncio.run(_with_uow(action))
    except DomainError as exc:
        typer.echo(exc.message, err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"@{author} may now post as @{brand}.")


@announcements_app.command("create")
def announcements_create(
        text: str = typer.Argument(..., help="The announcement (links, @mentions and "
                                             "#hashtags work as in posts)."),
        starts_at: datetime | None = typer.Option(None, help="When it begins (UTC unless "
                                                             "a zone is given); default: now."),
        ends_at: datetime | None = typer.Option(None, help="When it ends; default: never.")
) -> None:
    """Publish an announcement to everyone (recorded in the audit log as done from the
    command line). Open apps show it when it begins."""
    draft = AnnouncementDraft(text=text, starts_at=_utc(starts_at), ends_at=_utc(ends_at))
    try:
        created = asyncio.run(_with_uow(lambda uow: create_announcement(
            uow, actor=COMMAND_LINE, draft=draft)))
    except DomainError as exc:
        typer.echo(exc.message, err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"Published announcement {created.id}.")


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@emojis_app.command("add")
def emojis_add(shortcode: str,
               file: Path = typer.Argument(..., exists=True, dir_okay=False,
                                           help="A PNG, GIF, WebP or JPEG image (at most "
                                                f"{EMOJI_MAX_BYTES // 1024} KiB)."),
               category: str | None = typer.Option(None, help="Where pickers list it."),
               hidden: bool = typer.Option(False, help="Leave it out of pickers (it still "
                                                       "works when typed).")) -> None:
    """Add a custom emoji (recorded in the audit log as done from the command line)."""
    settings = EmojiSettings(category=category, visible_in_picker=not hidden)
    with file.open("rb") as handle:
        data = handle.read(EMOJI_MAX_BYTES + 1)
    with _refusals():
        # Decoded before the transaction begins: on SQLite the server waits for its end.
        image = asyncio.run(read_emoji_image(load_settings(), data))
        added = asyncio.run(_with_uow(lambda uow: add_custom_emoji(
            uow, actor=COMMAND_LINE, shortcode=shortcode, image=image, settings=settings)))
    typer.echo(f"Added :{added.shortcode}: (id {added.id}).")


@emojis_app.command("list")
def emojis_list() -> None:
    """List every custom emoji, disabled ones too: shortcode, category, state."""
    rows = asyncio.run(_with_uow(lambda uow: all_custom_emojis(uow, actor=COMMAND_LINE)))
    for row in rows:
        state = "disabled" if row.disabled else (
            "enabled" if row.visible_in_picker else "enabled, not in pickers")
        typer.echo(f":{row.shortcode}:\t{row.category or '-'}\t{state}")


@emojis_app.command("remove")
def emojis_remove(shortcode: str) -> None:
    """Remove a custom emoji; text that used it shows the :shortcode: as typed."""

    async def action(uow):
        await remove_custom_emoji(uow, actor=COMMAND_LINE,
                                  emoji_id=await custom_emoji_id(uow, shortcode))

    with _refusals():
        asyncio.run(_with_uow(action))
    typer.echo(f"Removed :{shortcode}:.")


@contextlib.contextmanager
def _refusals() -> Iterator[None]:
    """A refusal is the operator's message and exit status 1, not a traceback."""
    try:
        yield
    except DomainError as exc:
        typer.echo(exc.message, err=True)
        raise typer.Exit(1) from exc


@invites_app.command("create")
def invites_create(max_uses: int = typer.Option(1, help="How often the invite may be used "
                                                         "(0: unlimited).")) -> None:
    """Create an invite code for sign-up in the `invite` registration mode."""
    code = secrets.token_urlsafe(9)

    async def action(uow):
        await uow.accounts.create_invite(code=code, created_by_id=None,
                                         max_uses=max_uses or None)

    asyncio.run(_with_uow(action))
    typer.echo(code)


@groups_app.command("import")
def groups_import(file: Path = typer.Argument(..., exists=True, dir_okay=False,
                                              help="The CSV file (see docs/directory.md)."),
                  dry_run: bool = typer.Option(False, help="Report what would change and "
                                                           "change nothing."),
                  sync_memberships: bool = typer.Option(
                      False, help="Also take the people in the file out of groups the file "
                                  "does not list for them."),
                  welcome: bool = typer.Option(
                      True, help="E-mail each new person a link to choose a password (without: "
                                 "they ask for one with \"Forgot your password?\").")) -> None:
    """Import people, groups and memberships: all rows or, if any is malformed, none."""
    rows = read_directory_csv(file.read_bytes())
    report = asyncio.run(_with_uow(lambda uow: import_directory(
        uow, actor=COMMAND_LINE, rows=rows, dry_run=dry_run,
        sync_memberships=sync_memberships, welcome=welcome)))
    typer.echo(orjson.dumps(report.as_json(), option=orjson.OPT_INDENT_2).decode())
    if report.errors:
        typer.echo(f"{len(report.errors)} problem(s); nothing was imported.", err=True)
        raise typer.Exit(1)


@groups_app.command("export")
def groups_export(file: Path | None = typer.Argument(None, dir_okay=False,
                                                     help="Where to write (default: stdout).")
                  ) -> None:
    """Export groups and people in the import's CSV format."""
    rows = asyncio.run(_with_uow(lambda uow: export_directory(uow, actor=COMMAND_LINE)))
    text = write_directory_csv(rows)
    if file is None:
        sys.stdout.write(text)
    else:
        file.write_text(text, encoding="utf-8")


@scim_app.command("token")
def scim_token(name: str = typer.Option("directory", help="Which directory this is for "
                                                          "(shown in the audit log).")) -> None:
    """Issue the bearer token a company directory uses at /scim/v2 (printed once)."""

    typer.echo(asyncio.run(_with_uow(
        lambda uow: issue_directory_token(uow, actor=COMMAND_LINE, name=name))))


if __name__ == "__main__":
    app()
