"""Check the simulated users' write ledger against the database.

Each write was logged with its marker before it was sent, then with its outcome. Afterwards:
- acknowledged (the portal redirected to the result) ⇒ present exactly `count` times (1 row, or every row of
  an imported workbook) and with its audit row (the audit log's entry, or the workflow's transition row);
- refused (the form came back with its errors) ⇒ absent;
- unknown (503 page, dropped connection, killed worker) ⇒ all or nothing: 0 or `count`, never in part, never
  twice.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import psycopg2

MARK = re.compile(r"LT[0-9a-f]{12}")

# Where each kind of write leaves its marker: (table, column).
WHERE: dict[str, tuple[str, str]] = {
    "đề án: lập": ("projects_project", "title"),
    # An edit's marker is overwritten by the next edit: counted where the audit log records the new value.
    "đề án: sửa": ("auditlog_logentry", "changes"),
    "cơ sở: ghi mới": ("beneficiaries_beneficiary", "name"),
    "đề án: ghi chú": ("projects_projectnote", "text"),
    "đề án: nộp": ("projects_projecttransition", "comment"),
    "đề án: đưa ra thẩm định": ("projects_projecttransition", "comment"),
    # One sheet per appraiser and đề án, one report per month: a later one overwrites the row, so these are
    # counted where the audit log records the value set.
    "thẩm định: phiếu": ("auditlog_logentry", "changes"),
    "lãnh đạo: phê duyệt": ("projects_projecttransition", "comment"),
    "trung tâm: hợp đồng": ("projects_projecttransition", "comment"),
    "trung tâm: báo cáo tiến độ": ("auditlog_logentry", "changes"),
    "trung tâm: tạm ứng": ("projects_advance", "comment"),
    "trung tâm: thanh toán": ("projects_disbursement", "reference"),
    "nhập: xác nhận": ("beneficiaries_beneficiary", "name"),
}
# Where the audit rows are: the audit log (field values as JSON) and the workflow's own transition table.
AUDIT = [("auditlog_logentry", "changes"), ("projects_projecttransition", "comment")]


def read(path: Path) -> dict[str, dict]:
    writes: dict[str, dict] = {}
    if not path.exists():
        return writes
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        entry = writes.setdefault(record["marker"], {"kind": record["kind"], "count": record.get("count", 1)})
        if record["phase"] == "outcome":
            entry["outcome"] = record["outcome"]
            entry["status"] = record.get("status")
    for entry in writes.values():
        entry.setdefault("outcome", "unknown")  # sent, and the user never saw an answer
    return writes


def _new_values(changes) -> str:
    """The values an audit entry set (its JSON holds [old, new] per field): a marker overwritten later still
    appears as the *old* value of the next entry, which must not count as a second write."""
    data = json.loads(changes) if isinstance(changes, str) else (changes or {})
    parts = []
    for value in data.values():
        parts.append(str(value[1] if isinstance(value, list) and len(value) == 2 else value))
    return " ".join(parts)


def _found(cursor, places) -> dict[tuple[str, str], Counter]:
    """How many rows of each (table, column) place carry each marker (one scan per place)."""
    seen: dict[tuple[str, str], Counter] = {}
    for table, column in sorted(set(places)):
        counter = seen[(table, column)] = Counter()
        cursor.execute(f"SELECT {column} FROM {table} WHERE {column}::text LIKE %s", ["%LT%"])  # noqa: S608
        for (value,) in cursor.fetchall():
            text = _new_values(value) if table == "auditlog_logentry" else (value or "")
            for mark in set(MARK.findall(text)):
                counter[mark] += 1
    return seen


def check(path: Path, dsn: str) -> dict:
    """Per kind: acknowledged/refused/unknown, and the violations (lost, doubled, partial, refused-but-kept,
    without audit row)."""
    writes = read(path)
    connection = psycopg2.connect(dsn)
    try:
        with connection.cursor() as cursor:
            found = _found(cursor, WHERE.values())
            audit_places = _found(cursor, AUDIT)
    finally:
        connection.close()
    kinds: dict[str, Counter] = defaultdict(Counter)
    problems: list[str] = []
    for mark, entry in writes.items():
        kind, outcome, count = entry["kind"], entry["outcome"], entry["count"]
        present = found.get(WHERE[kind], Counter()).get(mark, 0)
        audited = sum(c.get(mark, 0) for c in audit_places.values())
        tally = kinds[kind]
        tally[outcome] += 1
        if outcome == "ack":
            if present == 0:
                tally["lost"] += 1
                problems.append(f"{kind} {mark}: xác nhận nhưng không có trong cơ sở dữ liệu")
            elif present > count:
                tally["duplicate"] += 1
                problems.append(f"{kind} {mark}: {present} lần (chờ {count})")
            elif present < count:
                tally["partial"] += 1
                problems.append(f"{kind} {mark}: chỉ {present}/{count} dòng")
            if present and not audited:
                tally["no_audit"] += 1
        elif outcome == "refused":
            if present:
                tally["refused_kept"] += 1
                problems.append(f"{kind} {mark}: bị từ chối nhưng vẫn ghi")
        else:
            if present > count:
                tally["duplicate"] += 1
                problems.append(f"{kind} {mark}: {present} lần (không rõ kết quả)")
            elif 0 < present < count:
                tally["partial"] += 1
                problems.append(f"{kind} {mark}: ghi dở {present}/{count}")
            elif present:
                tally["unknown_kept"] += 1
    totals = Counter()
    for tally in kinds.values():
        totals.update(tally)
    return {
        "kinds": {k: dict(v) for k, v in sorted(kinds.items())},
        "totals": dict(totals),
        "problems": problems,
    }


def table(result: dict) -> list[str]:
    lines = [
        "| loại ghi | xác nhận | từ chối | không rõ | mất | trùng | ghi dở | từ chối mà vẫn ghi | thiếu dòng nhật ký |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, t in result["kinds"].items():
        lines.append(
            f"| {kind} | {t.get('ack', 0)} | {t.get('refused', 0)} | {t.get('unknown', 0)} | {t.get('lost', 0)} | "
            f"{t.get('duplicate', 0)} | {t.get('partial', 0)} | {t.get('refused_kept', 0)} | {t.get('no_audit', 0)} |"
        )
    return lines
