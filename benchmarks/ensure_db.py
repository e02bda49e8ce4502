"""Create the benchmark database named by a postgres:// URL if it does not exist yet (`make bench`)."""

import sys
from urllib.parse import urlparse

import psycopg2
from psycopg2 import sql


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
        # The planner settings of docs/performance.md ("Máy chủ PostgreSQL"), per database so that nothing
        # else on the server changes: no JIT for web requests, SSD page costs, the memory the OS caches.
        for setting, value in (
            ("jit", "off"),
            ("random_page_cost", "1.1"),
            ("effective_cache_size", "12GB"),
            ("work_mem", "32MB"),
        ):
            cursor.execute(
                sql.SQL("ALTER DATABASE {} SET {} = {}").format(
                    sql.Identifier(name), sql.Identifier(setting), sql.Literal(value)
                )
            )
    server.close()


if __name__ == "__main__":
    main(sys.argv[1])
