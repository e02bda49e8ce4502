"""The private cluster and the database for the load and fault runs, and the accounts the simulated users log
in with. Nothing here touches the shared server except reading it with pg_dump (the national dataset)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg2

from loadtest.cluster import PrivateCluster

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DB_NAME = os.environ.get("LOADTEST_DB", "khuyencong_load")
PG_PORT = int(os.environ.get("LOADTEST_PG_PORT", "5420"))
PG_DIR = Path(os.environ.get("LOADTEST_PG_DIR", ROOT / "var" / "pg-load"))
# Where the national dataset is copied from (read only, pg_dump); empty: generate a small one instead.
SOURCE = os.environ.get("LOADTEST_SOURCE", "postgres://postgres@127.0.0.1:5432/khuyencong_bench")
# Provinces of the synthetic dataset whose staff log in too (besides the two demo provinces).
SYN_PROVINCES = int(os.environ.get("LOADTEST_PROVINCES", "4"))
PASSWORD = os.environ.get("DEMO_PASSWORD", "KhuyenCong@2025")


def say(text: str) -> None:
    print(text, flush=True)


def cluster() -> PrivateCluster:
    return PrivateCluster(PG_DIR, port=PG_PORT)


def manage(*args: str, env: dict) -> str:
    result = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} thất bại:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def query(dsn: str, sql: str, params=()) -> list[tuple]:
    connection = psycopg2.connect(dsn, connect_timeout=5)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        connection.commit()
        return rows
    finally:
        connection.close()


def _projects(dsn: str) -> int:
    try:
        return query(dsn, "SELECT count(*) FROM projects_project")[0][0]
    except psycopg2.Error:
        return 0


def database(pg: PrivateCluster, env: dict) -> str:
    """The national dataset in the private cluster (copied once), migrated, with the demo accounts."""
    dsn = pg.database_url(DB_NAME)
    if _projects(dsn) < 1000:
        pg.psql("postgres", f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        pg.psql("postgres", f'CREATE DATABASE "{DB_NAME}"')
        if SOURCE and _projects(SOURCE) >= 1000:
            say(f"• Chép bộ dữ liệu toàn quốc vào cụm riêng (pg_dump | pg_restore, cổng {pg.port})…")
            dump = subprocess.Popen(["pg_dump", "-Fc", "--dbname", SOURCE], stdout=subprocess.PIPE)
            subprocess.run(
                ["pg_restore", "--no-owner", "--dbname", dsn], stdin=dump.stdout, check=False,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            dump.wait()
        else:
            say("• Không có bộ dữ liệu toàn quốc để chép: sinh bộ nhỏ (generate_synthetic --scale small)…")
            manage("migrate", "--noinput", env=env)
            manage("bootstrap", "--no-demo", env=env)
            manage("generate_synthetic", "--scale", os.environ.get("LOADTEST_SCALE", "small"), env=env)
    pg.psql(DB_NAME, f'ALTER DATABASE "{DB_NAME}" SET jit = off')
    say(f"• Cơ sở dữ liệu {DB_NAME} (cụm riêng, cổng {pg.port}): migrate, tài khoản…")
    manage("migrate", "--noinput", env=env)
    manage("shell", "-c", "import os; from accounts.services import demo_accounts_ensure; "
           "demo_accounts_ensure(password=os.environ['DEMO_PASSWORD'])", env={**env, "DEMO_PASSWORD": PASSWORD})  # fmt: skip
    counts = query(dsn, "SELECT (SELECT count(*) FROM projects_project), (SELECT count(*) FROM "
                   "beneficiaries_beneficiary), (SELECT count(*) FROM projects_budgetline)")[0]  # fmt: skip
    return f"đề án {counts[0]:,}, cơ sở {counts[1]:,}, dòng dự toán {counts[2]:,}"


def accounts(pg: PrivateCluster, out: Path, env: dict) -> dict:
    """Demo accounts of Cần Thơ and Hải Phòng, the synthetic staff of a few more provinces (given the demo
    password here, in the private copy only), the Ministry; written to accounts.json for the users."""
    dsn = pg.database_url(DB_NAME)
    codes = [r[0] for r in query(dsn, "SELECT DISTINCT substring(username from '[0-9]+$') FROM auth_user "
                                      "WHERE username ~ '^syn-canbo-[0-9]+$' ORDER BY 1")]  # fmt: skip
    chosen = [c for c in codes if c not in ("92", "31")][:SYN_PROVINCES]
    roles = {"officer": "canbo", "appraiser": "thamdinh", "leader": "lanhdao", "centre": "trungtam"}
    result: dict = {r: [f"{p}.{place}" for place in ("cantho", "haiphong")] for r, p in roles.items()}
    province_codes = {f"lanhdao.{place}": [code] for place, code in (("cantho", "92"), ("haiphong", "31"))}
    synthetic = []
    for role, prefix in roles.items():
        for code in chosen:
            name = f"syn-{prefix}-{code}"
            result[role].append(name)
            synthetic.append(name)
            if role == "leader":
                province_codes[name] = [code]
    result["importer"] = ["canbo.cantho", "canbo.haiphong"]
    result["ministry"] = ["bo.congthuong"] + (["syn-bo"] if codes else [])
    synthetic += ["syn-bo"] if codes else []
    result["province_codes"] = province_codes
    if synthetic:
        hashed = manage("shell", "-c", "import os; from django.contrib.auth.hashers import make_password; "
                        "print(make_password(os.environ['DEMO_PASSWORD']))",
                        env={**env, "DEMO_PASSWORD": PASSWORD}).strip().splitlines()[-1]  # fmt: skip
        query(dsn, "UPDATE auth_user SET password = %s, is_active = true WHERE username = ANY(%s) RETURNING id",
              (hashed, synthetic))  # fmt: skip
    # Lock-outs left by an earlier run (a password not yet set) would answer 429 to the first logins.
    manage("axes_reset", env=env)
    (out / "accounts.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return result
