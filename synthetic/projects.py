"""The synthetic đề án and everything that hangs off them (budget lines, outputs, transitions, tracking)."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict

from projects.models import (
    Acceptance,
    Advance,
    BudgetLine,
    Disbursement,
    ProgressReport,
    Project,
    ProjectBeneficiary,
    ProjectOutput,
    ProjectTransition,
    SettlementLine,
)
from projects.models import ProjectStatus as S
from projects.models import WorkflowAction as A

from .bulk import BulkLoader
from .vocabulary import (
    ACCEPTED_OR_LATER,
    APPROVED_OR_LATER,
    CONTENT_TITLES,
    CONTENT_WEIGHTS,
    CONTRACTED_OR_LATER,
    CRAFTS,
    EXPENSE_ITEMS,
    MARK,
    OUTPUTS_BY_CONTENT,
    PATHS,
    PREFIX,
    SOURCE_NOTE,
    STARTED,
    _fold,
    _pick,
    _round_money,
    status_weights,
)


class ProjectMaker:
    """Generator's đề án part: mixed into synthetic.generator.Generator."""

    # ---- đề án and everything that hangs off them

    def _make_projects(self, loader: BulkLoader) -> None:
        rng = self.rng
        T = loader.table
        projects = T(
            Project,
            "id code title plan_id year province_id kind shape selection implementing_agency_id site_address "
            "start_date end_date status approval_decision_number approval_decision_date contract_number "
            "contract_date closure_number closure_date settlement_decision_number settlement_decision_date "
            "created_by_id created_at updated_at search_text is_demo source_note",
            explicit_id=True,
        )
        contents_t = T(Project.contents.through, "project_id activitycontent_id")
        sites_t = T(Project.sites.through, "project_id administrativeunit_id")
        lines_t = T(BudgetLine, "project_id source_id content_id expense_item amount order")
        links_t = T(
            ProjectBeneficiary,
            "project_id beneficiary_id support_amount counterpart_amount counterpart_committed",
        )
        outputs_t = T(ProjectOutput, "project_id indicator_id planned achieved")
        moves_t = T(
            ProjectTransition,
            "project_id action from_status to_status actor_id created_at comment decision_number decision_date",
        )
        reports_t = T(
            ProgressReport, "project_id month due_on submitted_at percent_complete summary reported_by_id"
        )
        advances_t = T(
            Advance,
            "id project_id source_id tranche amount status requested_by_id requested_at decided_by_id "
            "decided_at decision_date comment",
            explicit_id=True,
        )
        payments_t = T(
            Disbursement,
            "project_id source_id amount paid_on reference advance_id recorded_by_id recorded_at",
        )
        acceptances_t = T(
            Acceptance, "project_id minutes_number minutes_date conclusion note recorded_by_id recorded_at"
        )
        settlements_t = T(SettlementLine, "project_id source_id amount")

        src = self.sources
        content_pick = _pick(rng, CONTENT_WEIGHTS)
        province_pick = _pick(rng, {i: p.weight for i, p in enumerate(self.provinces)})
        years = list(self.years)
        # Recent years are busier than old ones.
        year_pick = _pick(rng, {y: 1 + 0.08 * (y - years[0]) for y in years})
        per_year = Counter(year_pick() for _ in range(self.scale.projects))
        status_pick = {y: _pick(rng, status_weights(self.scale.last_year - y)) for y in years}
        seq: Counter[tuple[int, str]] = Counter()
        plan_counts: Counter[int] = Counter()
        plan_planned: dict[int, Counter] = defaultdict(Counter)
        mark = _fold(MARK)
        day = datetime.timedelta(days=1)

        def stamp(d: datetime.date) -> str:
            return f"{d.isoformat()} {rng.randint(1, 9):02d}:{rng.randint(0, 59):02d}:00"

        for year in years:
            for _ in range(per_year[year]):
                p = self.provinces[province_pick()]
                kind = "kcqg" if rng.random() < 0.2 else "kcdp"
                plan_id = self.plan_ids[(p.unit.pk, year, kind)]
                status = status_pick[year]()
                pid = projects.take_id()
                seq[(year, p.unit.code)] += 1
                code = f"{PREFIX}{year}-{p.unit.code}-{seq[(year, p.unit.code)]:05d}"
                n_contents = 1 if rng.random() < 0.75 else (2 if rng.random() < 0.8 else 3)
                contents = []
                while len(contents) < n_contents:
                    c = content_pick()
                    if c not in contents:
                        contents.append(c)
                craft = CRAFTS[rng.randrange(len(CRAFTS))]
                pool = p.old_communes if year < 2025 else p.communes
                n_sites = 1 if rng.random() < 0.85 else rng.randint(2, 3)
                sites = {pool[rng.randrange(len(pool))] for _ in range(n_sites)}
                first_site = next(iter(sites))[1]
                lead = CONTENT_TITLES[contents[0]].format(craft=craft)
                title = f"{lead} tại {first_site} {MARK}"
                site_address = f"{first_site}, {p.unit.full_name}"
                # The folded parts are cached: fold(a b) == fold(a) fold(b) for trimmed, non-empty parts.
                folded_title = f"{_fold(lead)} tai {_fold(first_site)} {mark}"
                folded_site = f"{_fold(first_site)}, {_fold(p.unit.full_name)}"
                # Size: log-normal, so a few đề án are huge and most are small.
                size = min(20e9, max(30e6, rng.lognormvariate(19.6, 1.0)))  # median ≈ 325 triệu đồng
                n_lines = max(1, min(40, int(rng.expovariate(1 / 4.4)) + 1 + int(size / 2e9)))
                shape = "named" if rng.random() < 0.7 else ("group" if rng.random() < 0.67 else "pilot")

                # Dates along the path.
                created = datetime.date(year - 1, 9, 1) + day * rng.randrange(100)
                submitted = created + day * rng.randint(3, 20)
                appraised = submitted + day * rng.randint(3, 20)
                decided = appraised + day * rng.randint(5, 30)
                contracted = decided + day * rng.randint(7, 40)
                started = contracted + day * rng.randint(1, 10)
                end = datetime.date(year, 11, 10) + day * rng.randrange(45)
                accepted = end + day * rng.randint(0, 20)
                closed = max(accepted + day * 3, datetime.date(year + 1, 1, rng.randint(5, 22)))
                settled = closed + day * rng.randint(20, 120)
                adjusted = started + day * rng.randint(30, 120)
                stopped = started + day * rng.randint(30, 150)
                when = {
                    A.SUBMIT: submitted,
                    A.START_APPRAISAL: appraised,
                    A.APPROVE: decided,
                    A.REJECT: decided,
                    A.RETURN: decided,
                    A.WITHDRAW: appraised,
                    A.CONTRACT: contracted,
                    A.START: started,
                    A.REQUEST_ADJUSTMENT: adjusted,
                    A.STOP: stopped,
                    A.ACCEPT: accepted,
                    A.CLOSE: closed,
                    A.SETTLE: settled,
                }
                approved = status in APPROVED_OR_LATER
                is_contracted = status in CONTRACTED_OR_LATER
                n = seq[(year, p.unit.code)]
                projects.add(
                    pid,
                    code,
                    title,
                    plan_id,
                    year,
                    p.unit.pk,
                    kind,
                    shape,
                    "review" if rng.random() < 0.9 else "tender",
                    p.centre_id,
                    site_address,
                    started.isoformat() if is_contracted else None,
                    end.isoformat() if is_contracted else None,
                    status,
                    f"{n}/QĐ-SCT" if approved else "",
                    decided.isoformat() if approved else None,
                    f"{n}/HĐ-KC" if is_contracted else "",
                    contracted.isoformat() if is_contracted else None,
                    f"{n}/BBTL" if status in (S.CLOSED, S.SETTLED) else "",
                    closed.isoformat() if status in (S.CLOSED, S.SETTLED) else None,
                    f"{n}/QĐ-QT" if status == S.SETTLED else "",
                    settled.isoformat() if status == S.SETTLED else None,
                    p.officer_id,
                    stamp(created),
                    stamp(created),
                    f"{code} {folded_title} {folded_site}"[:800],
                    True,
                    SOURCE_NOTE,
                )  # fmt: skip
                plan_counts[plan_id] += 1
                for c in contents:
                    contents_t.add(pid, self.contents[c])
                for site_id, _name in sites:
                    sites_t.add(pid, site_id)

                # Budget lines: the state source of its kind, counterpart capital, sometimes other sources.
                by_source: Counter[int] = Counter()
                weights = [rng.random() + 0.2 for _ in range(n_lines)]
                total_w = sum(weights)
                for order, w in enumerate(weights, start=1):
                    r = rng.random()
                    source = src[kind] if r < 0.62 else (src["doi-ung"] if r < 0.95 else src["khac"])
                    c = contents[rng.randrange(len(contents))]
                    amount = _round_money(size * w / total_w)
                    items = EXPENSE_ITEMS[c]
                    lines_t.add(
                        pid, source, self.contents[c], items[rng.randrange(len(items))], amount, order
                    )
                    by_source[source] += amount
                state = by_source[src[kind]]
                if approved and status != S.STOPPED:
                    plan_planned[plan_id][src[kind]] += state

                # Beneficiaries.
                n_benef = {
                    "named": rng.randint(1, 3),
                    "group": rng.randint(3, 8),
                    "pilot": rng.randint(1, 2),
                }[shape]
                pool_b = p.beneficiaries
                chosen = {pool_b[rng.randrange(len(pool_b))] for _ in range(n_benef)} if pool_b else set()
                counterpart = by_source[src["doi-ung"]]
                for b in chosen:
                    links_t.add(
                        pid,
                        b,
                        state // len(chosen),
                        counterpart // len(chosen),
                        counterpart > 0 and rng.random() < 0.9,
                    )

                # Outputs of the first content (achieved once accepted).
                done = status in ACCEPTED_OR_LATER
                for indicator, low, high in OUTPUTS_BY_CONTENT[contents[0]][: rng.randint(1, 3)]:
                    if indicator in self.indicators:
                        planned = rng.randint(low, high)
                        achieved = int(planned * rng.uniform(0.85, 1.15)) if done else None
                        outputs_t.add(pid, self.indicators[indicator], planned, achieved)

                # Audit trail.
                path = PATHS[status]
                if status in (S.IN_PROGRESS, S.ACCEPTED, S.CLOSED, S.SETTLED) and rng.random() < 0.1:
                    i = 5
                    path = [
                        *path[:i],
                        (A.REQUEST_ADJUSTMENT, S.IN_PROGRESS, S.ADJUSTING),
                        (A.APPROVE_ADJUSTMENT, S.ADJUSTING, S.IN_PROGRESS),
                        *path[i:],
                    ]
                for action, old, new in path:
                    at = when.get(action) or adjusted + day * rng.randint(5, 20)
                    actor = (
                        p.leader_id if action in (A.APPROVE, A.REJECT, A.SETTLE, A.CLOSE) else p.officer_id
                    )
                    decision = f"{n}/QĐ-SCT" if action == A.APPROVE else ""
                    moves_t.add(
                        pid,
                        action,
                        old,
                        new,
                        actor,
                        stamp(at),
                        "",
                        decision,
                        at.isoformat() if decision else None,
                    )

                if status in STARTED:
                    month = started.replace(day=1)
                    last = min(end, stopped if status == S.STOPPED else end)
                    percent = 0
                    for _ in range(rng.randint(2, 5)):
                        if month > last:
                            break
                        percent = min(100, percent + rng.randint(10, 35))
                        due = month.replace(day=25)
                        reports_t.add(
                            pid,
                            month.isoformat(),
                            due.isoformat(),
                            stamp(due - day * rng.randint(-3, 6)),
                            percent,
                            f"Đã thực hiện {percent}% khối lượng {MARK}",
                            p.centre_user_id,
                        )
                        month = (month + day * 32).replace(day=1)

                if is_contracted and state > 0:
                    tranches = [(0.3, contracted + day * rng.randint(5, 20))]
                    if status in ACCEPTED_OR_LATER or (status in STARTED and rng.random() < 0.4):
                        tranches.append((0.4, started + day * rng.randint(60, 120)))
                    paid = 0
                    for tranche, (share, on) in enumerate(tranches, start=1):
                        aid = advances_t.take_id()
                        amount = _round_money(state * share)
                        pending = status == S.CONTRACTED and rng.random() < 0.5
                        advance_status = Advance.Status.REQUESTED if pending else Advance.Status.APPROVED
                        advances_t.add(
                            aid,
                            pid,
                            src[kind],
                            tranche,
                            amount,
                            advance_status,
                            p.centre_user_id,
                            stamp(on - day * 5),
                            None if pending else p.leader_id,
                            None if pending else stamp(on),
                            None if pending else on.isoformat(),
                            "",
                        )
                        if not pending:
                            paid += amount
                            pay_on = on + day * rng.randint(1, 10)
                            payments_t.add(
                                pid, src[kind], amount, pay_on.isoformat(), f"UNC-{aid}", aid, p.centre_user_id,
                                stamp(pay_on),
                            )  # fmt: skip
                    if status in (S.CLOSED, S.SETTLED) and state - paid > 0:
                        pay_on = closed - day * rng.randint(0, 4)
                        payments_t.add(
                            pid, src[kind], state - paid, pay_on.isoformat(), f"UNC-{pid}-TT", None,
                            p.centre_user_id, stamp(pay_on),
                        )  # fmt: skip
                if done:
                    acceptances_t.add(
                        pid, f"{n}/BB-NT", accepted.isoformat(), "passed" if rng.random() < 0.8 else "notes", "",
                        p.leader_id, stamp(accepted),
                    )  # fmt: skip
                if status == S.SETTLED:
                    for source, amount in by_source.items():
                        settlements_t.add(pid, source, _round_money(amount * rng.uniform(0.92, 1.0)))

        self._write_plans(loader, plan_counts, plan_planned)
