"""The primitives of the seed generator (graph_api/seed/generator.py): people, entities, roles, holdings,
records, listings and commitments, each written as one interchange line. The state kept between
clusters is bounded whatever the number of entities: per-department decision counters and
per-birth-date sequence counters (which make identifiers unique without remembering them), the last
few thousand people (acquaintances for later clusters) and small caches."""

from __future__ import annotations

import random
from bisect import bisect
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from operator import itemgetter
from typing import TextIO, TypeVar

from graph_api.seed import tables as T
from graph_api.seed.tables import City, District

# A person: (identity number, birth day as an ordinal, name, reference: '{"person": "…"}'). People are
# tuples, not objects: a file holds about 1.4 of them per entity and they are made in the hot loop.
Person = tuple[str, int, str, str]
Stake = tuple[str, int]  # (holder reference, basis points)
Tenure = tuple[Person, int, int | None]  # (holder, since, until)
# A joint-punishment listing planned for a firm: (first violation, last violation, listed since, until)
Plan = tuple[int, int, int, int | None]
_E = TypeVar("_E")

KINDS = ("department", "entity", "person", "role", "holding", "branch", "record", "listing", "commitment")
LR, AC, PR = "LEGAL_REPRESENTATIVE", "ACTUAL_CONTROLLER", "PRINCIPAL"
YEAR = 365
ADULT = 18 * YEAR + 5
RECENT = 4096
_KIND_KEY = itemgetter(slice(10, 12))  # '{"kind": "' is 10 characters; 2 more tell the kinds apart
_CAT_CUM = {
    k: ([c for c, _ in v], [sum(w for _, w in v[: i + 1]) for i in range(len(v))], sum(w for _, w in v))
    for k, v in T.CATEGORY_WEIGHTS.items()
}
_SEV_CUM = {k: ([sum(v[: i + 1]) for i in range(3)], sum(v)) for k, v in T.SEVERITY_WEIGHTS.items()}
_SEVERITIES = ("MINOR", "GENERAL", "SERIOUS")
_LIST_ABBR = {"JOINT_PUNISHMENT": "JP", "KEY_ATTENTION": "KA", "RED": "RED"}
_NEGATIVE = frozenset(T.NEGATIVE)


class Firm:
    __slots__ = ("city", "district", "est", "industry", "name", "profile", "ref", "regs", "uscc")

    def __init__(
        self,
        uscc: str,
        name: str,
        city: City,
        district: District,
        est: int,
        industry: str,
        profile: str,
        regs: tuple[str, ...],
    ) -> None:
        self.uscc, self.ref, self.name = uscc, '{"entity": "%s"}' % uscc, name
        self.city, self.district, self.est, self.industry, self.profile = city, district, est, industry, profile
        self.regs = regs  # the departments that regulate its trade


class Generator:
    def __init__(self, out: TextIO, entities: int, seed: int, as_of: date):
        self.out, self.left, self.r = out, entities, random.Random(seed)
        self.rnd = self.r.random
        self.index = 0  # entities created; the organisation code is derived from it
        self.passports = 0
        self.as_of = as_of.toordinal()
        self.base = date(1950, 1, 1).toordinal()
        self.iso = [date.fromordinal(o).isoformat() for o in range(self.base, self.as_of + 1)]
        self.birth0, self.birth1 = date(1955, 1, 1).toordinal(), date(2000, 12, 31).toordinal()
        self.births = [0] * (2 * (self.birth1 - self.birth0 + 1))  # per (birth day, sex): people so far
        self.yyyymmdd = [self.d(o).replace("-", "") for o in range(self.birth0, self.birth1 + 1)]
        self.counters: dict[tuple[str, ...], int] = {}
        self.lines: list[str] = []  # the current cluster's lines
        self.kinds: Counter[str] = Counter()  # lines written, by the 2 letters after '{"kind": "'
        # (category, regulators) -> (the preferred departments, every department that fits)
        self.dept_cache: dict[tuple[str, tuple[str, ...]], tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self.record_cache: dict[tuple[str, str, str], tuple[str, str]] = {}
        self.summary = ""  # of the last record written
        self.recent: list[Person] = []  # the last RECENT people created: acquaintances for later clusters
        self.recent_n = 0

    # --- output ----------------------------------------------------------------------------------
    # Lines are formatted directly (about ten times faster than json.dumps here): every string that
    # goes into them comes from graph_api/seed/tables.py, digits or dates, none needs escaping, and the tests
    # parse and schema-check every line.
    def flush(self) -> None:
        """Write the cluster's lines and count them by kind (in C: Counter.update over a map)."""
        lines = self.lines
        if lines:
            self.kinds.update(map(_KIND_KEY, lines))
            lines.append("")
            self.out.write("\n".join(lines))
            lines.clear()

    def counts(self) -> dict[str, int]:
        return {kind: self.kinds[kind[:2]] for kind in KINDS}

    def d(self, o: int) -> str:
        return self.iso[o - self.base]

    def next_no(self, key: tuple[str, ...]) -> int:
        """The next number in a department's series for a year (decision numbers, ids). A file holds
        a sample of each series, so it starts somewhere in the year rather than at 1."""
        n = self.counters.get(key)
        n = self.between(1, 150) if n is None else n + 1
        self.counters[key] = n
        return n

    # random.Random's own choice() and randint() cost several times more than this
    def between(self, lo: int, hi: int) -> int:
        """Uniform in [lo, hi]."""
        return lo + int(self.rnd() * (hi - lo + 1))

    def pick(self, seq: Sequence[_E]) -> _E:
        return seq[int(self.rnd() * len(seq))]

    # --- people ----------------------------------------------------------------------------------
    def person(self, city: City, latest: int, male: bool | None = None, *, records: bool = True) -> Person:
        """A new person born no later than `latest` (an ordinal), with a unique identity number:
        (birth day, sex, per-day counter) never repeats, the region is free."""
        rnd = self.rnd
        birth0, births = self.birth0, self.births
        day = int(rnd() * ((latest if latest < self.birth1 else self.birth1) - birth0 + 1))
        if male is None:
            male = rnd() < 0.64
        sex = 0 if male else 1
        while births[2 * day + sex] >= 499:  # that day is full for this sex: take an earlier one
            day = day - 1 if day > 0 else len(births) // 2 - 1
        n = births[2 * day + sex]
        births[2 * day + sex] = n + 1
        seq = 2 * ((n * 211 + day * 37) % 499) + 1 + sex
        born = birth0 + day
        districts = city[7] if rnd() < 0.75 else T.DISTRICTS
        district = districts[int(rnd() * len(districts))][0]
        pid = T.ric(district, self.yyyymmdd[day], seq)
        surnames = T.SURNAMES if rnd() < 0.99 else T.COMPOUND_SURNAMES
        chars = T.GIVEN_MALE if male else T.GIVEN_FEMALE
        k = len(chars)
        name = surnames[int(rnd() * len(surnames))] + chars[int(rnd() * k)]
        if rnd() < 0.7:
            name += chars[int(rnd() * k)]
        self.lines.append('{"kind": "person", "idNumber": "%s", "name": "%s"}' % (pid, name))
        p = (pid, born, name, '{"person": "%s"}' % pid)
        if self.recent_n < RECENT:
            self.recent.append(p)
        else:
            self.recent[self.recent_n % RECENT] = p
        self.recent_n += 1
        if records and rnd() < 0.025:
            self.person_records(p, city)
        return p

    def foreigner(self) -> Person:
        self.passports += 1
        pid = "%s%08d" % ("EGKMP"[self.passports % 5], (self.passports * 7_654_321 + 1_000_003) % 100_000_000)
        name = self.pick(T.FOREIGN_NAMES)
        self.lines.append('{"kind": "person", "idNumber": "%s", "name": "%s", "idType": "PASSPORT"}' % (pid, name))
        return (pid, self.birth0, name, '{"person": "%s"}' % pid)

    def known(self, city: City, since: int, exclude: tuple[str, ...] = (), q: float = 0.35) -> Person:
        """Someone adult on `since`, often a person already in the file (a partner, supervisor or
        investor in several unrelated firms), else a new person. `exclude`: person refs not to take."""
        if self.recent and self.rnd() < q:
            p = self.recent[int(self.rnd() * len(self.recent))]
            if p[1] <= since - ADULT and p[3] not in exclude:
                return p
        return self.person(city, since - 22 * YEAR)

    def staff(
        self, city: City, since: int, pool: list[Person] | None, exclude: tuple[Person, ...] = (), reuse: float = 0.5
    ) -> Person:
        """Someone adult on `since`: from the cluster's pool when possible, else a new person."""
        r = self.r
        if pool and r.random() < reuse:
            p = self.pick(pool)
            if p[1] <= since - ADULT and p not in exclude:
                return p
        p = self.person(city, since - 22 * YEAR)
        if pool is not None:
            pool.append(p)
        return p

    def role(self, p: Person, f: Firm, role: str, since: int, until: int | None = None) -> None:
        iso, base = self.iso, self.base
        end = "" if until is None else ', "until": "%s"' % iso[until - base]
        self.lines.append(
            '{"kind": "role", "person": "%s", "entity": "%s", "role": "%s", "since": "%s"%s}'
            % (p[0], f.uscc, role, iso[since - base], end)
        )

    def chain(
        self,
        f: Firm,
        first: Person,
        since: int,
        changes: list[int],
        pool: list[Person] | None,
        role: str = LR,
        successors: dict[int, Person] | None = None,
    ) -> list[Tenure]:
        """A succession of holders of `role` (one at a time): each change ends the old tenure
        (until = that day) and starts the new one on the same day."""
        tenures: list[Tenure] = []
        cur, start = first, since
        for t in sorted(set(changes)):
            if not since < t <= self.as_of:
                continue
            nxt = (successors or {}).get(t) or self.staff(f.city, t, pool, exclude=(cur,))
            if nxt is cur:
                continue
            tenures.append((cur, start, t))
            cur, start = nxt, t
        tenures.append((cur, start, None))
        for p, a, b in tenures:
            self.role(p, f, role, a, b)
        return tenures

    # --- entities --------------------------------------------------------------------------------
    def firm(
        self,
        form: str,
        prefix: str,
        city: City,
        district: District,
        est: int,
        name: str,
        industry: str,
        capital: int | None,
        profile: str = "company",
        status: str | None = None,
    ) -> Firm:
        r = self.r
        modern = est >= 735964 and prefix[0] == "9"  # 2016-01-01: "MA" codes
        uscc = T.uscc(prefix, district[0], self.index, modern)
        self.index += 1
        self.left -= 1
        if status is None:
            x = r.random()
            status = "ACTIVE" if x < 0.9 else "DEREGISTERED" if x < 0.95 else "REVOKED" if x < 0.98 else "SUSPENDED"
        room = (
            ""
            if r.random() < 0.6
            else "%d楼%d室" % (1 + int(r.random() * 28), 101 + int(r.random() * 20) * 100 + int(r.random() * 20))
        )
        roads = T.ROADS
        address = "%s%s%s%s%d号%s" % (
            city[3],
            city[1],
            district[1],
            roads[int(r.random() * len(roads))],
            1 + int(r.random() * 999),
            room,
        )
        self.lines.append(
            '{"kind": "entity", "uscc": "%s", "name": "%s", "form": "%s", "status": "%s", "region": "%s", '
            '"industry": "%s", "established": "%s"%s, "address": "%s"}'
            % (
                uscc,
                name,
                form,
                status,
                district[0],
                industry,
                self.iso[est - self.base],
                "" if capital is None else ', "registeredCapital": %d' % capital,
                address,
            )
        )
        regs = T.REGULATORS.get(industry, ("SCJG",)) if form != "SOCIAL_ORGANIZATION" else ("MZJ",)
        return Firm(uscc, name, city, district, est, industry, profile, regs)

    def holdings(
        self,
        f: Firm,
        owners: list[Stake],
        since: int,
        event: float = 0.08,
        newcomer: Stake | None = None,
        at: int | None = None,
    ) -> None:
        """owners: [(holder ref, basis points)] from `since`. With probability `event` (or when a
        newcomer is given) the stakes change on one day: a transfer to a new person, or a capital
        increase diluting everyone. Old stakes end that day and new ones start, so the total never
        exceeds 100% on any date."""
        r = self.r
        lo, hi = since + 180, self.as_of - 30
        if newcomer is None and (r.random() >= event or lo > hi):
            for ref, bp in owners:
                self.stake(ref, f, bp, since, None)
            return
        t = at if at is not None else self.between(lo, hi)
        after: list[Stake] = []
        if newcomer is not None:  # capital increase
            for ref, bp in owners:
                after.append((ref, bp * (10000 - newcomer[1]) // 10000))
            after.append(newcomer)
        else:  # transfer, whole or part, to a new person
            j = r.randrange(len(owners))
            buyer = self.known(f.city, t, tuple(ref for ref, _ in owners))[3]
            for i, (ref, bp) in enumerate(owners):
                if i != j:
                    after.append((ref, bp))
                else:
                    part = bp if r.random() < 0.6 or bp < 200 else bp // 200 * 100
                    if part < bp:
                        after.append((ref, bp - part))
                    after.append((buyer, part))
        for ref, bp in owners:
            self.stake(ref, f, bp, since, t)
        for ref, bp in after:
            if bp > 0:
                self.stake(ref, f, bp, t, None)

    def stake(self, ref: str, f: Firm, bp: int, since: int, until: int | None) -> None:
        iso, base = self.iso, self.base
        end = "" if until is None else ', "until": "%s"' % iso[until - base]
        self.lines.append(
            '{"kind": "holding", "holder": %s, "entity": "%s", "ratio": %r, "since": "%s"%s}'
            % (ref, f.uscc, bp / 10000, iso[since - base], end)
        )

    # --- departments -----------------------------------------------------------------------------
    def departments(self) -> None:
        for city in T.CITIES:
            for kind, suffix, _ in T.DEPT_KINDS:
                self.lines.append(
                    '{"kind": "department", "code": "%s-%s", "name": "%s", "region": "%s"}'
                    % (city[0], kind, T.department_name(city, kind, suffix), city[0])
                )
        self.flush()

    # --- records ---------------------------------------------------------------------------------
    def pick_dept(self, cat: str, f: Firm) -> str:
        key = (cat, f.regs)
        opts = self.dept_cache.get(key)
        if opts is None:
            avail: Mapping[str, object] = T.PENALTY_TEXTS if cat == "PENALTY" else T.TEXTS[cat]
            pref = tuple(k for k in f.regs if k in avail)
            every = pref + tuple(k for k in (("SCJG", "SWJ", "RSJ") if cat == "PENALTY" else avail) if k not in pref)
            opts = self.dept_cache[key] = (pref, every)
        pref, every = opts
        return self.pick(pref) if pref and self.r.random() < 0.75 else self.pick(every)

    def record(
        self,
        subj: str,
        city: City,
        cat: str,
        dept: str,
        day: int,
        sev: str | None = None,
        summary: str | None = None,
        disclosure: str | None = None,
    ) -> str:
        r = self.r
        iso, base = self.iso, self.base
        decided = iso[day - base]
        year = decided[:4]
        key = (city[0], dept, cat)
        code, number = self.record_cache.get(key) or self.record_strings(key, city)
        n = self.next_no((code, year))
        rid = "%s-%s-%06d" % (code, year, n)
        if cat in _NEGATIVE:
            if sev is None:
                cum, total = _SEV_CUM[cat]
                sev = _SEVERITIES[bisect(cum, r.random() * total)]
            severity = ', "severity": "%s"' % sev
        else:
            severity = ""
        if number:
            number = number % (year, n)
        if disclosure is None:
            x = r.random()
            if subj[2] == "p":  # a person
                disclosure = "PUBLIC" if x < 0.5 else "SHARED" if x < 0.8 else "RESTRICTED"
            else:
                disclosure = "PUBLIC" if x < 0.86 else "SHARED" if x < 0.96 else "RESTRICTED"
        if disclosure != "RESTRICTED":  # restricted records are shared on request, never published
            published = ', "publishedOn": "%s"' % iso[min(day + int(r.random() * 10), self.as_of) - base]
        else:
            published = ""
        if summary is None:
            if cat == "PENALTY":
                texts = T.PENALTY_TEXTS[dept][_SEVERITIES.index(sev)]
            else:
                texts = T.TEXTS[cat].get(dept) or T.TEXTS[cat][""]
            summary = texts[int(r.random() * len(texts))]
        self.summary = summary
        self.lines.append(
            '{"kind": "record", "id": "%s", "subject": %s, "category": "%s"%s, "department": "%s"%s, '
            '"decidedOn": "%s"%s, "summary": "%s", "disclosure": "%s"}'
            % (rid, subj, cat, severity, code, number, decided, published, summary, disclosure)
        )
        return rid

    def record_strings(self, key: tuple[str, str, str], city: City) -> tuple[str, str]:
        """The department code and the decision-number pattern for (city, department, category)."""
        _, dept, cat = key
        if dept == "ZJFY":
            case = "执" if cat == "JUDGMENT_DEFAULT" else "民终"  # enforcement / civil appeal case numbers
            number = ', "decisionNo": "（%%s）%s%s%%d号"' % (T.court_code(city), case)
        elif cat in T.TYPE_CHAR:
            number = ', "decisionNo": "%s%s%s%s〔%%s〕%%d号"' % (city[4], city[2], T.DEPT_ABBR[dept], T.TYPE_CHAR[cat])
        else:
            number = ""
        value = self.record_cache[key] = (city[0] + "-" + dept, number)
        return value

    def records(self, f: Firm, mean: float) -> None:
        """Ordinary records of a firm: licences, inspections, penalties … since it was established
        (and at most twelve years back: the credit system's memory)."""
        r = self.r
        n = min(int(r.expovariate(1.0 / mean) + 0.5), 12)
        if not n:
            return
        cats, cum, total = _CAT_CUM[f.profile]
        lo = max(f.est, self.as_of - 12 * YEAR)
        for _ in range(n):
            cat = cats[bisect(cum, r.random() * total)]
            dept = self.pick_dept(cat, f)
            day = self.between(lo, self.as_of)
            self.record(f.ref, f.city, cat, dept, day)
            if cat == "LICENSE" and r.random() < 0.12:  # granted on an approval-substitution commitment
                self.approval(f, dept, day, self.summary)

    def person_records(self, p: Person, city: City) -> None:
        r = self.r
        lo = max(p[1] + ADULT, self.as_of - 10 * YEAR)
        if lo > self.as_of:
            return
        cats, cum, total = _CAT_CUM["person"]
        cat = cats[bisect(cum, r.random() * total)]
        day = self.between(lo, self.as_of)
        sev: str | None = None
        if cat == "JUDGMENT_DEFAULT":
            sev = "SERIOUS" if r.random() < 0.7 else "GENERAL"
        elif cat == "PENALTY":
            sev = "MINOR" if r.random() < 0.6 else "GENERAL"
        listed = sev == "SERIOUS" and r.random() < 0.3 and day + 30 <= self.as_of
        rid = self.record(
            p[3], city, cat, T.PERSON_DEPTS[cat], day, sev, T.PERSON_TEXTS[cat], "PUBLIC" if listed else None
        )
        if listed:  # a court's list of dishonest judgment debtors names people too
            self.listing(p[3], city, "JOINT_PUNISHMENT", "ZJFY", [rid], day + self.between(7, 30))

    # --- listings and commitments ----------------------------------------------------------------
    def listing(
        self,
        subj: str,
        city: City,
        lst: str,
        dept: str,
        basis: list[str],
        since: int,
        until: int | None = None,
        measures: tuple[str, ...] | None = None,
    ) -> str:
        code = city[0] + "-" + dept
        year = self.iso[since - self.base][:4]
        lid = "%s-%s-%s-%04d" % (code, _LIST_ABBR[lst], year, self.next_no((code, lst, year)))
        self.lines.append(
            '{"kind": "listing", "id": "%s", "subject": %s, "list": "%s", "department": "%s", '
            '"basis": [%s], "since": "%s"%s%s}'
            % (
                lid,
                subj,
                lst,
                code,
                ", ".join('"%s"' % b for b in basis),
                self.d(since),
                "" if until is None else ', "until": "%s"' % self.d(until),
                ', "measures": [%s]' % ", ".join('"%s"' % m for m in measures) if measures else "",
            )
        )
        return lid

    def commitment(
        self, f: Firm, ctype: str, dept: str, made: int, matter: str, due: int | None = None, status: str = "PENDING"
    ) -> None:
        code = f.city[0] + "-" + dept
        year = self.iso[made - self.base][:4]
        self.lines.append(
            '{"kind": "commitment", "id": "%s-CN-%s-%05d", "entity": "%s", "type": "%s", '
            '"matter": "%s", "department": "%s", "madeOn": "%s"%s, "status": "%s"}'
            % (
                code,
                year,
                self.next_no((code, "CN", year)),
                f.uscc,
                ctype,
                matter,
                code,
                self.d(made),
                "" if due is None else ', "dueOn": "%s"' % self.d(due),
                status,
            )
        )

    def approval(self, f: Firm, dept: str, day: int, licence: str, breach: bool = False) -> None:
        """告知承诺: the licence is granted on a promise to meet its conditions by a due date. A
        breach found before the due date becomes a negative record of the same department."""
        r = self.r
        made = max(f.est, day - self.between(0, 10))
        due = made + self.between(90, 365)
        if due > self.as_of:
            self.commitment(f, "APPROVAL_SUBSTITUTION", dept, made, licence + "告知承诺")
            return
        status = "BREACHED" if r.random() < 0.12 or breach else "FULFILLED"
        self.commitment(f, "APPROVAL_SUBSTITUTION", dept, made, licence + "告知承诺", due, status)
        if status == "BREACHED":
            self.record(f.ref, f.city, "COMMITMENT_BREACH", dept, self.between(made + 30, due))

    def other_commitments(self, f: Firm, rate: float, ctype: str | None = None) -> None:
        r = self.r
        if r.random() >= rate:
            return
        made = self.between(max(f.est, self.as_of - 5 * YEAR), self.as_of)
        if ctype == "VOLUNTARY" or (ctype is None and r.random() < 0.6):
            due: int | None = made + YEAR
            status = "FULFILLED"
            if made + YEAR > self.as_of:  # not due yet
                due, status = None, "PENDING"
            self.commitment(
                f,
                "VOLUNTARY",
                self.pick(("SCJG", "FGW")),
                made,
                "主动信用承诺：守法诚信经营、接受社会监督",
                due,
                status,
            )
        else:
            word = next((i[1][0] for i in T.INDUSTRIES if i[0] == f.industry), "")
            self.commitment(f, "INDUSTRY_SELF_DISCIPLINE", f.regs[0], made, f"{word}行业自律公约承诺", None, "PENDING")

    # --- fates: the three lists ------------------------------------------------------------------
    def plan_jp(self, est: int) -> Plan | None:
        """(first violation, last violation, listed since, until) for a joint-punishment listing, or
        None when the firm is too young for one."""
        r = self.r
        lo, hi = max(est + 60, self.as_of - 7 * YEAR), self.as_of - 200
        if lo > hi:
            return None
        d1 = self.between(lo, hi)
        d2 = min(d1 + self.between(10, 200), hi) if r.random() < 0.4 else d1
        since = d2 + self.between(20, 150)
        until = since + self.between(365, 1095) if r.random() < 0.25 else None
        return d1, d2, since, until if until is not None and until <= self.as_of else None

    def joint_punishment(self, f: Firm, plan: Plan) -> str:
        """The SERIOUS records and the listing that stands on them; sometimes an interview after it
        and a credit-repair commitment before a listing's end."""
        r = self.r
        d1, d2, since, until = plan
        x = r.random()
        if x < 0.35:
            cats, dept = ("JUDGMENT_DEFAULT", "JUDGMENT_DEFAULT"), "ZJFY"
        elif x < 0.5:
            cats, dept = ("PENALTY", "PENALTY"), "SWJ"
        else:
            cats, dept = ("PENALTY", self.pick(("PENALTY", "COERCIVE_MEASURE"))), self.pick_dept("PENALTY", f)
        if dept not in T.TEXTS["COERCIVE_MEASURE"]:
            cats = (cats[0], cats[0])
        basis = [self.record(f.ref, f.city, cats[0], dept, d1, "SERIOUS", disclosure="PUBLIC")]
        if d2 != d1:
            basis.append(self.record(f.ref, f.city, cats[1], dept, d2, "SERIOUS", disclosure="PUBLIC"))
        measures = self.pick(T.JP_MEASURES) if r.random() < 0.2 else None
        lid = self.listing(f.ref, f.city, "JOINT_PUNISHMENT", dept, basis, since, until, measures)
        if dept != "ZJFY" and r.random() < 0.5 and since + 20 <= self.as_of:
            self.record(f.ref, f.city, "INTERVIEW", dept, self.between(since + 20, min(since + 120, self.as_of)))
        if until is not None and r.random() < 0.7:
            self.commitment(
                f,
                "CREDIT_REPAIR",
                dept,
                self.between(max(since + 1, until - 120), until - 1),
                "信用修复承诺：已履行法定义务、纠正失信行为",
                until,
                "FULFILLED",
            )
        return lid

    def key_attention(self, f: Firm, repaired: bool = False) -> int | None:
        """GENERAL penalties, then the key-attention list; sometimes ended by a credit repair (always
        when `repaired`: then it ends at least 275 days before as_of). Returns the end, if any."""
        r = self.r
        lo, hi = max(f.est + 30, self.as_of - 6 * YEAR), self.as_of - (3 * YEAR if repaired else 100)
        if lo > hi:
            return None
        dept = self.pick_dept("PENALTY", f)
        days = sorted(self.between(lo, hi) for _ in range(1 if r.random() < 0.6 else 2))
        basis = [self.record(f.ref, f.city, "PENALTY", dept, d, "GENERAL", disclosure="PUBLIC") for d in days]
        since = days[-1] + self.between(10, 90)
        until = since + self.between(180, 730) if r.random() < 0.4 or repaired else None
        until = until if until is not None and until <= self.as_of else self.as_of if repaired else None
        self.listing(f.ref, f.city, "KEY_ATTENTION", dept, basis, since, until)
        if until is not None and (r.random() < 0.5 or repaired):
            self.commitment(
                f,
                "CREDIT_REPAIR",
                dept,
                self.between(since + 1, until - 1),
                "信用修复承诺：按期整改并接受回访检查",
                until,
                "FULFILLED",
            )
        return until

    def red(self, f: Firm) -> None:
        r = self.r
        lo, hi = max(f.est + 180, self.as_of - 5 * YEAR), self.as_of - 60
        if lo > hi:
            return
        cat = self.pick(("HONOR", "REWARD"))
        dept = self.pick(tuple(T.TEXTS[cat]))
        days = sorted(self.between(lo, hi) for _ in range(1 if r.random() < 0.7 else 2))
        basis = [self.record(f.ref, f.city, cat, dept, d, disclosure="PUBLIC") for d in days]
        since = days[-1] + self.between(15, 60)
        until = since + self.between(365, 1095) if r.random() < 0.3 else None
        until = until if until is not None and until <= self.as_of else None
        self.listing(f.ref, f.city, "RED", dept, basis, since, until)
