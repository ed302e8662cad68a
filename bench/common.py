"""Shared by the benchmarks."""

import os

# The seeded caseload the dashboard, export, reminder and growth benchmarks read.
BENCH_DATABASE = "asylum_bench"


def use_bench_settings(database: str = BENCH_DATABASE, **more) -> None:
    """The test settings on a benchmark database of its own (before Django is set up)."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}",
        CACHE_URL="redis://127.0.0.1:6379/2",
        **more,
    )


def verified_client(user):
    """A test client signed in as `user` with the second factor done, as after sign-in."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from accounts.models import AppDevice

    device = AppDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = AppDevice.objects.create(user=user, name="default", confirmed=True)
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def create_database(name: str) -> None:
    """A fresh, empty PostgreSQL database for a benchmark."""
    import psycopg2

    conn = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    conn.autocommit = True  # CREATE DATABASE cannot run in a transaction
    with conn.cursor() as cursor:
        cursor.execute("DROP DATABASE IF EXISTS " + name)
        cursor.execute("CREATE DATABASE " + name)
    conn.close()
