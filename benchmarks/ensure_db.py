"""Create the benchmark database named by a postgres:// URL if it does not exist yet (`make bench`)."""

import re
import sys
from pathlib import Path
from urllib.parse import urlparse

import psycopg2
from psycopg2 import sql

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "docs" / "postgresql-settings.sql"


def deploy_settings() -> list[tuple[str, str]]:
    """(name, value) of each `ALTER DATABASE :"db" SET name = value;` line of docs/postgresql-settings.sql."""
    found = []
    for line in SETTINGS_FILE.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r'ALTER DATABASE :"db" SET (\w+) = \'?([^\';]+)\'?;', line.strip())
        if match:
            found.append((match.group(1), match.group(2)))
    return found


def main(url: str) -> None:
    parts = urlparse(url)
    name = parts.path.lstrip("/")
    server = psycopg2.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
    )
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone():
            print(f"Cơ sở dữ liệu đo {name} đã có.")
        else:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Đã tạo cơ sở dữ liệu đo {name}.")
        # The settings docs/deploy.md gives operators, read from the same file they run with psql.
        for setting, value in deploy_settings():
            cursor.execute(
                sql.SQL("ALTER DATABASE {} SET {} = {}").format(
                    sql.Identifier(name), sql.Identifier(setting), sql.Literal(value)
                )
            )
    server.close()


if __name__ == "__main__":
    main(sys.argv[1])
