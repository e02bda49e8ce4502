"""Import N beneficiary rows from one .xlsx: the portal's import against django-import-export's default
ModelResource on the same file. Reports rows per second (end to end: read, check, write) and peak memory.

    .venv/bin/python benchmarks/import_beneficiaries.py --rows 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/khuyencong_bench .venv/bin/python benchmarks/import_beneficiaries.py

Without DATABASE_URL it builds its own SQLite database in a temporary folder (migrations, the real
administrative map, reference data). Each contender runs in its own process on an emptied beneficiary
table, so peak memory (ru_maxrss) is that contender's own.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADERS = [
    "Tên cơ sở", "Loại hình", "Mã số thuế", "Xã/phường", "Tỉnh/thành phố", "Địa chỉ", "Người đại diện",
    "Điện thoại", "Ngành nghề", "Số lao động", "Phụ nữ làm chủ", "Dân tộc thiểu số",
]  # fmt: skip
TRADES = [
    "Đan lát mây tre",
    "Dệt chiếu",
    "Làm bánh pía",
    "Cơ khí nhỏ",
    "Chế biến thủy sản",
    "Làm nhang",
    "Gốm",
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi"]
GIVEN = ["Thị Lan", "Văn Hùng", "Thị Ánh", "Minh Đức", "Ngọc Hân", "Quốc Bảo", "Thị Ửng"]


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings.test")
    import django

    django.setup()


def prepare_database() -> None:
    """Migrate, load the administrative map and reference data (skipped when already there)."""
    from django.core.management import call_command

    from places.models import AdministrativeUnit

    call_command("migrate", verbosity=0)
    if not AdministrativeUnit.objects.exists():
        call_command("load_places", verbosity=0)
    call_command("loaddata", str(ROOT / "fixtures/reference/reference.json"), verbosity=0)


def officer():
    """A Cần Thơ officer (the import runs with a province scope, as in the portal)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from accounts.models import StaffProfile
    from accounts.roles import GROUP_NAMES, Role
    from places.models import AdministrativeUnit
    from programs.models import Agency

    province = AdministrativeUnit.objects.current().provinces().get(code="92")
    agency, _ = Agency.objects.get_or_create(
        name="Sở Công Thương thành phố Cần Thơ (đo hiệu năng)",
        defaults={"kind": Agency.Kind.SO_CONG_THUONG, "province": province},
    )
    user, _ = get_user_model().objects.get_or_create(username="do-hieu-nang")
    StaffProfile.objects.get_or_create(user=user, defaults={"agency": agency})
    user.groups.add(Group.objects.get_or_create(name=GROUP_NAMES[Role.OFFICER])[0])
    return get_user_model().objects.get(pk=user.pk)


def make_file(path: Path, rows: int, seed: int = 2026) -> None:
    """Rows like a province's real list: 90 % with a tax code, old and new place names, numbers as text."""
    from openpyxl import Workbook

    from beneficiaries.tax_code import make_check_digit
    from places.models import AdministrativeUnit

    rng = random.Random(seed)
    province = AdministrativeUnit.objects.current().provinces().get(code="92")
    new_names = [
        f"{u.full_name}, {province.full_name}"
        for u in AdministrativeUnit.objects.current().communes().filter(province=province)
    ]
    old_names = [
        f"{u.full_name}, {u.parent.full_name}"
        for u in AdministrativeUnit.objects.historic().communes().filter(current_province=province)
        .select_related("parent")[:300]
    ]  # fmt: skip
    from places.resolve import resolve_place

    # Only names that name one unit (a few names are shared by two units of one province).
    places = [n for n in new_names + old_names[:150] if resolve_place(n, province_hint=province) is not None]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Cơ sở CNNT")
    sheet.append(HEADERS)
    serial = 300_000_000
    for i in range(rows):
        tax_code = None
        if rng.random() < 0.9:
            while True:
                serial += 1
                try:
                    tax_code = f"{serial:09d}" + make_check_digit(f"{serial:09d}")
                    break
                except ValueError:
                    continue
        trade = rng.choice(TRADES)
        employees = rng.randint(1, 3000)
        sheet.append(
            [
                f"Cơ sở {trade.lower()} {rng.choice(FAMILY)} {rng.choice(GIVEN)} số {i + 1}",
                "Doanh nghiệp nhỏ và vừa" if tax_code else "Hộ kinh doanh",
                tax_code,
                rng.choice(places),
                "",
                f"Ấp {rng.randint(1, 12)}",
                f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}",
                f"0292 {rng.randint(1000000, 9999999)}",
                trade,
                f"{employees:,}".replace(",", ".") if rng.random() < 0.5 else employees,
                "Có" if rng.random() < 0.3 else "Không",
                "Có" if rng.random() < 0.05 else "Không",
            ]
        )
    workbook.save(path)


# --------------------------------------------------------------------------- contenders
def run_portal(path: Path, commit: bool = True) -> dict:
    from spreadsheets.engine import run_import

    actor = officer()
    started = time.perf_counter()
    report = run_import(kind="beneficiaries", source=str(path), actor=actor, commit=commit)
    elapsed = time.perf_counter() - started
    totals = report.totals
    return {
        "rows": totals.total,
        "seconds": elapsed,
        "new": totals.new,
        "updated": totals.updated,
        "unchanged": totals.unchanged,
        "rejected": totals.rejected,
        "committed": report.committed,
        "file_errors": report.file_errors,
    }


def run_default(path: Path, limit: int | None) -> dict:
    """django-import-export's default ModelResource, fed by its own XLSX reader on the same file.

    The default resource reads model field names and foreign keys as ids, so the Vietnamese headers are
    renamed and the kind and place names looked up (a dictionary pass, included in the time).
    """
    import tablib
    from import_export.formats.base_formats import XLSX
    from import_export.resources import ModelResource

    from beneficiaries.models import Beneficiary, BeneficiaryKind
    from places.models import AdministrativeUnit
    from places.resolve import resolve_place

    class DefaultBeneficiaryResource(ModelResource):
        class Meta:
            model = Beneficiary

    started = time.perf_counter()
    dataset = XLSX().create_dataset(path.read_bytes())
    if limit:
        dataset = tablib.Dataset(*dataset[:limit], headers=dataset.headers)
    kinds = {k.name: k.pk for k in BeneficiaryKind.objects.all()}
    province = AdministrativeUnit.objects.current().provinces().get(code="92")
    units: dict[str, int] = {}
    fields = ["name", "kind", "tax_code", "unit_at_time", "province", "address", "representative", "phone",
              "industry", "employees", "women_owned", "ethnic_minority"]  # fmt: skip
    data = tablib.Dataset(headers=fields)
    for row in dataset:
        place = row[3]
        if place not in units:
            units[place] = resolve_place(place, province_hint=province).pk
        employees = row[9]
        data.append(
            [
                row[0], kinds[row[1]], row[2], units[place], province.pk, row[5], row[6], row[7], row[8],
                int(str(employees).replace(".", "")), row[10] == "Có", row[11] == "Có",
            ]
        )  # fmt: skip
    result = DefaultBeneficiaryResource().import_data(data, dry_run=False, use_transactions=True)
    elapsed = time.perf_counter() - started
    return {
        "rows": len(data),
        "seconds": elapsed,
        "new": result.totals["new"],
        "errors": len(result.row_errors()) + len(result.invalid_rows) + len(result.base_errors),
    }


def child(args) -> None:
    setup_django()
    from beneficiaries.models import Beneficiary

    Beneficiary.objects.all().delete()
    if args.contender == "portal":
        outcome = run_portal(Path(args.file))
        # A second run of the same file: every row matched by tax code or name + commune, all unchanged.
        outcome["again"] = run_portal(Path(args.file), commit=False)
    else:
        outcome = run_default(Path(args.file), args.default_rows)
    outcome["written"] = Beneficiary.objects.count()
    outcome["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(outcome))


def spawn(contender: str, file: Path, env: dict, default_rows: int | None) -> dict:
    command = [sys.executable, __file__, "--child", contender, "--file", str(file)]
    if default_rows:
        command += ["--default-rows", str(default_rows)]
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    for line in output.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT ") :])
    raise SystemExit(f"{contender} failed:\n{output.stdout[-3000:]}\n{output.stderr[-3000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--default-rows", type=int, default=None,
        help="run the default resource on only the first N rows of the file (it is slow); default: all rows",
    )  # fmt: skip
    parser.add_argument("--child", choices=["portal", "default"], dest="contender")
    parser.add_argument("--file")
    args = parser.parse_args()
    if args.contender:
        child(args)
        return

    workdir = Path(tempfile.mkdtemp(prefix="bench-import-"))
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    env["DJANGO_SETTINGS_MODULE"] = "khuyencong.settings.test"
    env["KHUYENCONG_IMPORT_MAX_ROWS"] = str(max(args.rows, 200_000))
    os.environ.update(env)
    setup_django()
    from django.db import connection

    print(f"Cơ sở dữ liệu: {connection.vendor} ({env['DATABASE_URL'].split('@')[-1]})")
    started = time.perf_counter()
    prepare_database()
    print(f"Chuẩn bị cơ sở dữ liệu: {time.perf_counter() - started:.1f} s")
    path = workdir / f"co-so-{args.rows}.xlsx"
    started = time.perf_counter()
    make_file(path, args.rows)
    print(
        f"Tạo tệp {path.name}: {args.rows:,} dòng, {path.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - started:.1f} s"
    )
    connection.close()

    portal = spawn("portal", path, env, None)
    default = spawn("default", path, env, args.default_rows)
    portal_rate = portal["rows"] / portal["seconds"]
    default_rate = default["rows"] / default["seconds"]
    again = portal["again"]
    print()
    print(f"{'':34}{'dòng':>10}{'giây':>10}{'dòng/giây':>12}{'bộ nhớ đỉnh':>14}")
    print(
        f"{'Nhập của cổng (ghi thật)':34}{portal['rows']:>10,}{portal['seconds']:>10.1f}{portal_rate:>12,.0f}"
        f"{portal['peak_mb']:>11.0f} MB"
    )
    print(
        f"{'Nhập lại cùng tệp (xem trước)':34}{again['rows']:>10,}{again['seconds']:>10.1f}"
        f"{again['rows'] / again['seconds']:>12,.0f}{'':>14}"
    )
    print(
        f"{'ModelResource mặc định':34}{default['rows']:>10,}{default['seconds']:>10.1f}{default_rate:>12,.0f}"
        f"{default['peak_mb']:>11.0f} MB"
    )
    print()
    print(
        f"Cổng: {portal['new']:,} mới, ghi {portal['written']:,} dòng, từ chối {portal['rejected']:,}; "
        f"nhập lại: {again['unchanged']:,} không đổi, {again['new']:,} mới, {again['updated']:,} cập nhật."
    )
    print(f"Mặc định: ghi {default['written']:,} dòng, {default['errors']} lỗi.")
    print(f"Nhanh gấp {portal_rate / default_rate:.1f} lần ModelResource mặc định.")


if __name__ == "__main__":
    main()
