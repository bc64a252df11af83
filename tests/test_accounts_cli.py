"""The operator's account commands on a new instance, as the README has a newcomer use them."""

from __future__ import annotations

import os
import subprocess

import launcher
import pytest

from support import CHEAP_PASSWORDS, create_postgres_database, drop_postgres_database


@pytest.fixture
def operator_env(tmp_path):
    """A new instance's settings (its own database on the engine the suite runs on)."""
    env = {"ZWITSCHER_DATA_DIR": str(tmp_path), **CHEAP_PASSWORDS}
    admin_url = os.environ.get("ZWITSCHER_TEST_DATABASE_URL")
    database_url = create_postgres_database(admin_url) if admin_url else None
    if database_url:
        env["ZWITSCHER_DATABASE_URL"] = database_url
    yield env
    if database_url:
        drop_postgres_database(database_url)


def zwitscher(env, *args: str, answers: str | None = None) -> subprocess.CompletedProcess:
    return launcher.run(list(args), env={**os.environ, **env}, input=answers)


def test_the_first_account_is_the_owner_and_the_password_is_asked_for_not_typed(operator_env):
    first = zwitscher(operator_env, "accounts", "create", "founder",
                      "--email", "founder@example.org",
                      answers="a long password\na long password\n")
    assert first.returncode == 0, first.stderr
    assert "role owner" in first.stdout and "a long password" not in first.stdout
    second = zwitscher(operator_env, "accounts", "create", "colleague",
                       "--email", "colleague@example.org", "--password", "another password")
    assert second.returncode == 0 and "role member" in second.stdout


def test_a_mistyped_repetition_or_an_unknown_person_changes_nothing(operator_env):
    mistyped = zwitscher(operator_env, "accounts", "create", "founder",
                         "--email", "founder@example.org",
                         answers="a long password\na lung password\n")
    assert mistyped.returncode != 0
    unknown = zwitscher(operator_env, "accounts", "set-password", "nobody",
                        answers="a long password\na long password\n")
    assert unknown.returncode == 1 and "No account @nobody" in unknown.stderr
    assert zwitscher(operator_env, "accounts", "send-reset", "nobody").returncode == 1
    created = zwitscher(operator_env, "accounts", "create", "founder",
                        "--email", "founder@example.org", "--password", "a long password")
    assert "role owner" in created.stdout
