"""``flask --app app api-token create|list|revoke``: tokens for integrations and staff."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlmodel import select

from carshare.cli_support import friendly_errors, require_migrated
from carshare.db import get_engine, session_scope
from carshare.models import ApiScope, ApiToken, StaffUser
from carshare.services.api_tokens import (
    TokenError,
    create_token,
    list_tokens,
    revoke_token,
    town_by_slug,
)

api_token_cli = AppGroup("api-token", help="Manage tokens of the JSON API.")


def _when(value) -> str:  # type: ignore[no-untyped-def]
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "-"


@api_token_cli.command("create")
@click.option("--town", "town_slug", required=True, help="The town's slug.")
@click.option("--name", required=True, help="What the token is for, e.g. 'prefecture sync'.")
@click.option("--scope", type=click.Choice([s.value for s in ApiScope]), default="read",
              show_default=True)
@click.option("--user", "username", default=None,
              help="The staff member the token acts as (default: an integration).")
@friendly_errors
def create(town_slug: str, name: str, scope: str, username: str | None) -> None:
    """Create a token and print it once; only its hash is kept."""
    require_migrated()
    with session_scope(get_engine()) as session:
        town = town_by_slug(session, town_slug)
        if town is None:
            raise click.ClickException(f"no town {town_slug!r}")
        owner = None
        if username is not None:
            owner = session.exec(select(StaffUser).where(StaffUser.username == username)).first()
            if owner is None or owner.town_id != town.id:
                raise click.ClickException(f"no staff member {username!r} in {town_slug!r}")
        try:
            new = create_token(session, town.id, name, ApiScope(scope), owner, None)
        except TokenError as error:
            raise click.ClickException(f"cannot create the token: {error.code}") from None
        click.echo(f"token {new.token.id} '{new.token.name}' ({scope}) for {town_slug}; "
                   "copy it now, it is not shown again:")
        click.echo(new.secret)


@api_token_cli.command("list")
@click.option("--town", "town_slug", required=True, help="The town's slug.")
@friendly_errors
def list_command(town_slug: str) -> None:
    """List a town's tokens (never their secrets)."""
    require_migrated()
    with session_scope(get_engine()) as session:
        town = town_by_slug(session, town_slug)
        if town is None:
            raise click.ClickException(f"no town {town_slug!r}")
        rows = list_tokens(session, town.id)
        if not rows:
            click.echo("no tokens")
        for t in rows:
            owner = session.get(StaffUser, t.staff_user_id).username if t.staff_user_id else "-"
            state = f"revoked {_when(t.revoked_at)}" if t.revoked_at else "active"
            click.echo(f"{t.id}\t{t.name}\t{t.prefix}…\t{t.scope.value}\tuser={owner}\t"
                       f"created {_when(t.created_at)}\tlast used {_when(t.last_used_at)}\t"
                       f"{state}")


@api_token_cli.command("revoke")
@click.argument("token_id", type=int)
@friendly_errors
def revoke(token_id: int) -> None:
    """Revoke a token by its id (it stops working at once)."""
    require_migrated()
    with session_scope(get_engine()) as session:
        token = session.get(ApiToken, token_id)
        if token is None:
            raise click.ClickException(f"no token {token_id}")
        revoke_token(session, token, None)
        click.echo(f"token {token_id} '{token.name}' revoked")
