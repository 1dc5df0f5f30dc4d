"""Deterministic generator of realistic credit data in the interchange format
(docs/interchange/FORMAT.md); see seed/__init__.py for the API and the storylines.

The file is written cluster by cluster: a stand-alone firm with its people, an individual business,
an organisation, a family's firms, a business group, or a "story" around a joint-punishment listing.
A cluster refers only to itself and to the departments, which are all written first, so each
cluster's lines go out as soon as it is built and memory does not grow with the number of entities."""

from __future__ import annotations

from bisect import bisect
from collections.abc import Callable
from datetime import date
from typing import TextIO

from graph_api.seed import tables as T
from graph_api.seed.base import AC, PR, YEAR, Firm, Generator, Person, Plan, Stake, Tenure
from graph_api.seed.tables import City, District

_INDUSTRY_CUM = [sum(T.INDUSTRY_WEIGHTS[: i + 1]) for i in range(len(T.INDUSTRIES))]
_CITY_CUM = [sum(T.CITY_WEIGHTS[: i + 1]) for i in range(len(T.CITIES))]
_RURAL: list[tuple[City, District]] = [(c, d) for c in T.CITIES for d in c[7] if d[3]]
# the clusters after the first three of every file (see Clusters.cluster)
_SHOWCASE = ("coop", "social", "public", "rural", "partnership", "shop", "family")
# cluster kinds and their cumulative probabilities
_KINDS = (
    ("company", 0.42),
    ("shop", 0.76),
    ("coop", 0.785),
    ("social", 0.805),
    ("public", 0.82),
    ("rural", 0.835),
    ("partnership", 0.845),
    ("family", 0.905),
    ("group", 0.94),
    ("story", 0.948),
    ("company", 1.0),
)


class Clusters(Generator):
    def cluster(self, n: int) -> None:
        if n == 0:
            self.story(s1=True, s2=False, phoenix="new")
        elif n == 1:
            self.story(s1=False, s2=True, phoenix="takeover")
        elif n == 2:
            self.group(showcase=True)
        elif n < 3 + len(_SHOWCASE):  # then one of each other kind, so that every file has every form
            kind = _SHOWCASE[n - 3]
            if kind == "coop":
                self.coop(red=True)
            else:
                self.builder(kind)()
        else:
            x = self.r.random()
            self.builder(next(k for k, p in _KINDS if x < p))()

    def builder(self, name: str) -> Callable[[], object]:
        """The method that builds a cluster of that kind (company, shop …): each takes no argument."""
        method: Callable[[], object] = getattr(self, name)
        return method

    # --- helpers ---------------------------------------------------------------------------------
    def place(self, city: City | None = None) -> tuple[City, District]:
        if city is None:
            city = T.CITIES[bisect(_CITY_CUM, self.r.random() * _CITY_CUM[-1])]
        return city, self.pick(city[7])

    def est_date(self, lo: int = 728659, hi: int | None = None) -> int:  # 1996-01-01
        """An establishment date in [lo, hi], more often recent (registrations keep growing)."""
        hi = self.as_of - 30 if hi is None else hi
        lo = min(lo, hi - 2 * YEAR)  # an early --as-of
        return hi - int((hi - lo) * self.r.random() ** 1.4)

    def brand(self) -> str:
        b = T.BRAND
        r = self.r
        return b[int(r.random() * len(b))] + b[int(r.random() * len(b))]

    def capital(self, steps: tuple[int, ...]) -> int:
        return self.pick(steps) * 10000

    def fate(self, f: Firm, jp: float, ka: float, red: float) -> None:
        x = self.r.random()
        if x < jp:
            plan = self.plan_jp(f.est)
            if plan:
                self.joint_punishment(f, plan)
        elif x < jp + ka:
            self.key_attention(f)
        elif x < jp + ka + red:
            self.red(f)

    # --- companies -------------------------------------------------------------------------------
    def company(
        self,
        city: City | None = None,
        est: int | None = None,
        lead: Person | None = None,
        brand: str | None = None,
        owners: list[Stake] | None = None,
        jp: bool = False,
        s1: bool = False,
        s2: bool = False,
        status: str | None = None,
        officers: tuple[tuple[Person, str], ...] = (),
        successor: tuple[int, Person] | None = None,
        auto_fate: bool = True,
        ac: Person | None = None,
        quiet: bool = False,
    ) -> tuple[Firm, Person, list[Tenure], Plan | None]:
        """A limited company: founder (legal representative, main shareholder), partners, officers,
        holdings, records, a fate. Returns (firm, founder, legal-representative tenures, JP plan)."""
        r = self.r
        city, district = self.place(city)
        est = self.est_date() if est is None else est
        ind = T.INDUSTRIES[bisect(_INDUSTRY_CUM, r.random() * _INDUSTRY_CUM[-1])]
        word, brand = self.pick(ind[1]), brand or self.brand()
        suffix = self.pick(T.COMPANY_SUFFIX)
        prefix = city[1][:-1] if r.random() < 0.75 else city[1] + district[1] if r.random() < 0.6 else ""
        name = f"{brand}（{city[1][:-1]}）{word}{suffix}" if not prefix else f"{prefix}{brand}{word}{suffix}"
        f = self.firm(
            "COMPANY",
            "91",
            city,
            district,
            est,
            name,
            ind[0],
            self.capital((10, 30, 50, 100, 100, 200, 300, 500, 1000, 2000, 5000)),
            "company",
            status,
        )
        lead = lead or self.person(city, est - 22 * YEAR)
        partner: Person | None = None
        if owners is None:
            x = r.random()
            if x < 0.58:
                owners = [(lead[3], 10000)]
            else:
                partner = self.known(city, est, (lead[3], *(p[3] for p, _ in officers), ac[3] if ac else ""))
                bp = self.between(51, 90) * 100
                owners = [(lead[3], bp), (partner[3], 10000 - bp)]
                if x > 0.94 and bp < 9000:
                    third = self.known(city, est, (lead[3], partner[3]))[3]
                    owners = [(lead[3], bp), (partner[3], (9900 - bp) // 200 * 100), (third, 0)]
                    owners[2] = (third, 10000 - owners[0][1] - owners[1][1])
        plan = self.plan_jp(est) if jp else None
        changes: list[int] = []
        successors: dict[int, Person] = {}
        if plan:
            d1, _, since, _ = plan
            if s1:
                changes.append(self.between(d1 + 1, since - 1))
            if s2:
                changes.append(self.between(since + 1, self.as_of))
        if successor:
            changes.append(successor[0])
            successors[successor[0]] = successor[1]
        if r.random() < 0.06 and not quiet and est + 210 < self.as_of:
            changes.append(self.between(est + 180, self.as_of - 30))
        first = lead if r.random() < 0.9 or quiet or successor else self.person(city, est - 22 * YEAR)
        tenures = self.chain(f, first, est, changes, None, successors=successors)
        if r.random() < 0.3 or jp:  # declared actual controller; always for a listed firm
            self.role(ac or lead, f, AC, est)
        if r.random() < 0.35:
            self.role(first, f, "MANAGER", est)  # 执行董事兼总经理: the same person
        if r.random() < 0.3:
            self.role(first, f, "DIRECTOR", est)
        if r.random() < (0.75 if partner else 0.2):
            self.role(
                partner or self.known(city, est, (lead[3], first[3], *(p[3] for p, _ in officers))),
                f,
                "SUPERVISOR",
                est,
            )
        for p, role in officers:
            self.role(p, f, role, est)
        if successor:  # the new legal representative buys the firm the same day
            t, buyer = successor
            bp = self.between(6, 10) * 1000
            for ref, b in owners:
                self.stake(ref, f, b, est, t)
            self.stake(buyer[3], f, bp, t, None)
            if bp < 10000:
                self.stake(owners[0][0], f, 10000 - bp, t, None)
        else:
            self.holdings(f, owners, est, 0 if quiet else 0.08)
        self.records(f, 1.5)
        if plan:
            self.joint_punishment(f, plan)
        elif auto_fate:
            self.fate(f, 0.008, 0.022, 0.018)
        self.other_commitments(f, 0.025)
        if r.random() < 0.03 and self.left > 0:
            self.branch(f, None)
        return f, lead, tenures, plan

    def branch(self, parent: Firm, pool: list[Person] | None) -> None:
        r = self.r
        if parent.est + 90 > self.as_of - 30 or self.left <= 0:
            return
        city, district = self.place(parent.city if r.random() < 0.7 else None)
        where = district[2] if city is parent.city else city[1][:-1]
        est = self.between(parent.est + 90, self.as_of - 30)
        f = self.firm("COMPANY", "91", city, district, est, f"{parent.name}{where}分公司", parent.industry, None)
        self.lines.append('{"kind": "branch", "entity": "%s", "parent": "%s"}' % (f.uscc, parent.uscc))
        self.chain(f, self.staff(city, est, pool), est, [], pool, role=PR)
        self.records(f, 0.8)

    # --- other forms -----------------------------------------------------------------------------
    def shop(self) -> None:
        r = self.r
        city, district = self.place()
        est = self.est_date()
        ind, words = self.pick(T.SHOPS)
        op = self.person(city, est - 20 * YEAR)
        x = r.random()
        brand = self.brand() if x < 0.65 else op[2][0] + "记" if x < 0.85 else "老" + op[2][0] + "家"
        name = f"{city[1]}{district[1]}{brand}{self.pick(words)}"
        f = self.firm(
            "INDIVIDUAL_BUSINESS", "92", city, district, est, name, ind, self.capital((1, 2, 3, 5, 10, 20, 50)), "shop"
        )
        changes = [self.between(est + 180, self.as_of)] if r.random() < 0.04 and est + 180 < self.as_of else []
        self.chain(f, op, est, changes, None, role=PR)
        self.records(f, 1.3)
        self.fate(f, 0.002, 0.012, 0.01)

    def org(
        self,
        form: str,
        prefix: str,
        name: str,
        industry: str,
        est: int,
        capital: int | None,
        city: City,
        district: District,
        officers: tuple[str, ...] = ("SUPERVISOR",),
        mean: float = 1.0,
        changes: float = 0.1,
    ) -> tuple[Firm, Person]:
        r = self.r
        f = self.firm(form, prefix, city, district, est, name, industry, capital, "org")
        head = self.person(city, est - 25 * YEAR)
        ch = [self.between(est + 365, self.as_of)] if r.random() < changes and est + 365 < self.as_of else []
        self.chain(f, head, est, ch, None)
        for role in officers:
            if r.random() < 0.4:
                self.role(self.known(city, est, (head[3],), 0.3), f, role, est)
        self.records(f, mean + 0.3)
        self.fate(f, 0.002, 0.005, 0.03)
        return f, head

    def coop(self, red: bool = False) -> None:
        """A farmers' cooperative; `red`: an honoured one on the red list (the showcase)."""
        city, district = self.pick(_RURAL)
        ind, product = self.pick(T.COOP_PRODUCTS)
        est = self.est_date(lo=733041, hi=self.as_of - (2 * YEAR if red else 30))  # 2007-12-01: cooperatives law
        name = f"{city[1]}{district[1]}{self.brand()}{product}专业合作社"
        f, head = self.org(
            "FARMERS_COOPERATIVE", "93", name, ind, est, self.capital((50, 100, 200, 500)), city, district
        )
        if red:
            self.red(f)
        members = [head[3]]
        for _ in range(self.between(1, 3)):
            members.append(self.known(city, est, tuple(members), 0.2)[3])
        share = [self.between(1, 6) for _ in members]
        bps = [s * 10000 // sum(share) for s in share]
        self.holdings(f, list(zip(members, bps, strict=True)), est, event=0.05)

    def social(self) -> None:
        r = self.r
        city, district = self.place()
        digit, industry, template = self.pick(T.SOCIAL_ORGS)
        word = T.INDUSTRIES[bisect(_INDUSTRY_CUM, r.random() * _INDUSTRY_CUM[-1])][1][0]
        name = template.format(c=city[1], d=city[1] + district[1], b=self.brand(), w=word, p=city[5])
        capital = self.capital({"1": (3, 5, 10), "2": (10, 30, 50), "3": (200, 400, 800)}[digit])
        self.org(
            "SOCIAL_ORGANIZATION",
            "5" + digit,
            name,
            industry,
            self.est_date(),
            capital,
            city,
            district,
            ("MANAGER", "SUPERVISOR"),
            1.2,
        )

    def public(self) -> None:
        city, district = self.place()
        industry, template = self.pick(T.PUBLIC_INSTITUTIONS)
        name = template.format(c=city[1], d=city[1] + district[1], n=self.pick(T.NUMERALS))
        self.org(
            "PUBLIC_INSTITUTION",
            "12",
            name,
            industry,
            self.est_date(hi=self.as_of - 3 * YEAR),
            self.capital((50, 100, 500, 1000)),
            city,
            district,
            ("DIRECTOR",),
            1.3,
            0.3,
        )

    def rural(self) -> None:
        r = self.r
        city, district = self.pick(_RURAL)
        town = self.pick(T.PLACES) + self.pick(("镇", "街道"))
        if r.random() < 0.8:
            prefix, name = "N2", f"{city[1]}{district[1]}{town}{self.pick(T.PLACES)}村股份经济合作社"
        else:
            prefix, name = "N3", f"{city[1]}{district[1]}{town}经济联合总社"
        hi = min(738520, self.as_of - 30)  # 2017-06-01 .. 2022-12-31: the registration drive
        est = self.between(min(736481, hi - 2 * YEAR), hi)
        self.org("RURAL_COLLECTIVE", prefix, name, "A05", est, None, city, district, ("SUPERVISOR",), 0.5)

    def partnership(
        self,
        city: City | None = None,
        est: int | None = None,
        gp: Person | None = None,
        pool: list[Person] | None = None,
        brand: str | None = None,
    ) -> Firm:
        """An investment or employee-shareholding partnership: the general partner's representative is
        its principal (执行事务合伙人委派代表); limited partners hold the rest."""
        city, district = self.place(city)
        est = self.est_date() if est is None else est
        industry, words = self.pick(T.PARTNERSHIP_WORDS)
        name = f"{city[1][:-1]}{brand or self.brand()}{words}"
        f = self.firm(
            "PARTNERSHIP",
            "91",
            city,
            district,
            est,
            name,
            industry,
            self.capital((100, 300, 500, 1000, 5000)),
            "company",
        )
        gp = gp or self.person(city, est - 25 * YEAR)
        self.role(gp, f, PR, est)
        partners = [gp]
        for _ in range(self.between(1, 4)):
            p = self.staff(city, est, pool, exclude=tuple(partners), reuse=0.7)
            if p not in partners:
                partners.append(p)
        gp_bp = self.between(1, 10) * 100
        rest = [self.between(1, 5) for _ in partners[1:]]
        owners = [(gp[3], gp_bp)] + [
            (p[3], (10000 - gp_bp) * s // sum(rest)) for p, s in zip(partners[1:], rest, strict=True)
        ]
        self.holdings(f, owners, est, event=0.05)
        self.records(f, 0.7)
        return f

    # --- multi-firm clusters ---------------------------------------------------------------------
    def family(self) -> None:
        """A couple with two or three firms: one is legal representative where the other is director
        or supervisor, and the other way round."""
        r = self.r
        city, _ = self.place()
        est0 = self.est_date(lo=730120, hi=self.as_of - 2 * YEAR)  # 2000-01-01
        p = self.person(city, est0 - 25 * YEAR, True)
        s = self.person(city, est0 - 25 * YEAR, False)
        self.company(city, est0, p, officers=((s, "SUPERVISOR"),))
        brand = self.brand()
        for _ in range(min(self.left, self.between(1, 2))):
            est = self.between(est0 + 200, self.as_of - 30)
            bp = self.between(5, 9) * 1000
            if self.left <= 0:
                break
            self.company(
                city if r.random() < 0.8 else None,
                est,
                s,
                brand,
                [(s[3], 10000 - bp), (p[3], bp)],
                officers=((p, self.pick(("DIRECTOR", "DIRECTOR", "MANAGER"))),),
                ac=p,
            )

    def group(self, showcase: bool = False) -> None:
        """A business group: a person controls a holding company (60-100%), which owns subsidiaries
        (51-100%) that own their own subsidiaries; minority stakes of family, managers, sister
        companies, outsiders and foreign investors; an employee-shareholding platform diluting the
        holding company; acquisitions; associates held below 50%; branches. The showcase group (the
        third cluster of every file) has the chairman as legal representative and a listed holding
        company, so that every file has "owned by a listed entity" and "director here, legal
        representative there"."""
        r = self.r
        size = min(self.left, (6 if showcase else 4) + min(int(r.expovariate(1 / 5)), 26))
        city, district = self.place()
        est0 = self.est_date(lo=729390, hi=self.as_of - 6 * YEAR)  # 1998-01-01
        c = self.person(city, est0 - 28 * YEAR, r.random() < 0.85)
        s = self.person(city, est0 - 25 * YEAR)
        pool: list[Person] = []
        brand = self.brand()
        h = self.firm(
            "COMPANY",
            "91",
            city,
            district,
            est0,
            f"{city[5]}{brand}{self.pick(T.GROUP_SUFFIX)}",
            "L72",
            self.capital((5000, 10000, 20000, 50000, 100000)),
            "company",
            "ACTIVE",
        )
        bp = self.pick((10000, self.between(60, 99) * 100))
        owners = [(c[3], bp)] + ([(s[3], 10000 - bp)] if bp < 10000 else [])
        first = c if showcase or r.random() < 0.8 else self.staff(city, est0, pool, reuse=0)
        changes = [self.between(est0 + 365, self.as_of - 30)] if r.random() < 0.1 else []
        self.chain(h, first, est0, changes, pool)
        self.role(c, h, AC, est0)
        if first is not c:
            self.role(c, h, "DIRECTOR", est0)
        self.role(s, h, "DIRECTOR", est0)
        self.role(self.staff(city, est0, pool, exclude=(c, s, first)), h, "SUPERVISOR", est0)
        size -= 1
        if size >= 5 and r.random() < 0.4 and est0 + 3 * YEAR < self.as_of - 400:
            t = self.between(est0 + 3 * YEAR, self.as_of - 400)
            platform = self.partnership(city, t, c, pool, brand)
            stake = self.between(5, 15) * 100
            self.holdings(h, owners, est0, newcomer=(platform.ref, stake), at=t + self.between(30, 200))
            size -= 1
        else:
            self.holdings(h, owners, est0, event=0.1)
        self.records(h, 2.0)
        if showcase:  # key attention for general violations, repaired; later the joint-punishment list
            repaired = self.key_attention(h, repaired=True)
            plan = None if repaired is None else self.plan_jp(repaired)  # after the repair, and still in force
            if plan is None:  # founded six years before as_of, the holding company always has room for both
                raise RuntimeError("the showcase group's holding company has no room for its repair and listing")
            d1, d2, since, _ = plan
            self.joint_punishment(h, (d1, d2, since, None))
        else:
            self.fate(h, 0.008, 0.02, 0.04)
        self.other_commitments(h, 1.0 if showcase else 0.3, "VOLUNTARY" if showcase else None)
        if showcase:  # a licence on an approval-substitution commitment, breached; a self-discipline pledge
            day = self.between(max(est0, self.as_of - 5 * YEAR), self.as_of - 400)
            self.record(h.ref, h.city, "LICENSE", "SCJG", day)
            self.approval(h, "SCJG", day, self.summary, breach=True)
            self.other_commitments(h, 1.0, "INDUSTRY_SELF_DISCIPLINE")
        members = [h]
        for i in range(size):
            if self.left <= 0:
                break
            x = r.random()
            if showcase and i < 2:  # the showcase starts with a chain: h → subsidiary → its subsidiary
                members.append(
                    self.subsidiary(
                        members[-1], members, c, s, pool, brand, i == 0, self.as_of - 3 * YEAR if i == 0 else None
                    )
                )
            elif x < 0.1 and i:
                self.branch(self.pick(members), pool)
            elif x < 0.2 and i:
                self.associate(self.pick(members), c)
            else:
                parents = [m for m in members if m.est < self.as_of - 400]  # h always is
                members.append(self.subsidiary(self.pick(parents) if i else h, members, c, s, pool, brand, i == 0))

    def subsidiary(
        self,
        parent: Firm,
        members: list[Firm],
        c: Person,
        s: Person,
        pool: list[Person],
        brand: str,
        first: bool,
        latest: int | None = None,
    ) -> Firm:
        r = self.r
        city, district = self.place(parent.city if r.random() < 0.7 else None)
        latest = self.as_of - 60 if latest is None else latest
        acquired = r.random() < 0.15 and parent.est + 400 < latest
        if acquired:  # an existing firm bought by the group: the founder sells and steps down
            t = self.between(parent.est + 400, latest)
            est = self.between(min(max(729390, t - 10 * YEAR), t - 365), t - 365)
        else:
            t = est = self.between(parent.est + 60, latest)
        ind = T.INDUSTRIES[bisect(_INDUSTRY_CUM, r.random() * _INDUSTRY_CUM[-1])]
        name = f"{city[1][:-1]}{brand}{self.pick(ind[1])}{self.pick(T.COMPANY_SUFFIX)}"
        f = self.firm("COMPANY", "91", city, district, est, name, ind[0], self.capital((100, 500, 1000, 3000, 5000)))
        manager = self.staff(city, t, pool, exclude=(c, s))
        if acquired:
            founder = self.person(city, est - 22 * YEAR)
            self.chain(f, founder, est, [t], pool, successors={t: manager})
            self.stake(founder[3], f, 10000, est, t)
            bp = self.pick((10000, self.between(51, 90) * 100))
            self.stake(parent.ref, f, bp, t, None)
            if bp < 10000:
                self.stake(founder[3], f, 10000 - bp, t, None)
        else:
            changes = [self.between(est + 180, self.as_of - 30)] if r.random() < 0.1 and est + 210 < self.as_of else []
            self.chain(f, manager, est, changes, pool)
            bp = self.pick((10000, 10000, self.between(51, 95) * 100))
            owners = [(parent.ref, bp)]
            if bp < 10000:
                x = r.random()
                if x < 0.04:
                    minority = self.foreigner()[3]
                elif x < 0.3 and len(members) > 1:  # a sister company, existing by then
                    minority = self.pick([m for m in members if m is not parent and m.est <= est] or [parent]).ref
                elif x < 0.55:
                    minority = manager[3]
                else:
                    minority = self.known(city, est, (manager[3], c[3], s[3]))[3]
                if minority == parent.ref:
                    owners = [(parent.ref, 10000)]
                else:
                    owners.append((minority, 10000 - bp))
            self.holdings(f, owners, est, event=0.05)
        if first or r.random() < 0.5:
            self.role(c, f, "DIRECTOR", t)
        if r.random() < 0.5:
            self.role(c, f, AC, t)
        if r.random() < 0.5:
            self.role(self.staff(city, t, pool, exclude=(c, manager)), f, "SUPERVISOR", t)
        self.records(f, 1.6)
        self.fate(f, 0.008, 0.022, 0.02)
        self.other_commitments(f, 0.03)
        return f

    def associate(self, holder: Firm, c: Person) -> None:
        """A firm in which the group holds a minority (20-45%): owned, but not controlled."""
        r = self.r
        if holder.est + 60 > self.as_of - 60:
            return
        city, _ = self.place(holder.city if r.random() < 0.6 else None)
        est = self.between(holder.est + 60, self.as_of - 60)
        bp = self.between(20, 45) * 100
        outsider = self.person(city, est - 22 * YEAR)
        officers = ((c, "DIRECTOR"),) if r.random() < 0.5 else ()
        self.company(city, est, outsider, owners=[(outsider[3], 10000 - bp), (holder.ref, bp)], officers=officers)

    def story(self, s1: bool | None = None, s2: bool | None = None, phoenix: str | None = "random") -> None:
        """A firm put on the joint-punishment list, with the storylines linkage questions are about:
        the legal representative replaced between the violation and the listing (s1), a new one
        appointed after it (s2), and a bound person reappearing after the listing (phoenix): as
        founder and legal representative of a new firm ("new", often in another city) or by taking
        over an existing one ("takeover")."""
        r = self.r
        s1 = r.random() < 0.5 if s1 is None else s1
        s2 = r.random() < 0.35 if s2 is None else s2
        if phoenix == "random":
            phoenix = self.pick((None, "new", "new", "takeover"))
        status = self.pick(("ACTIVE", "REVOKED", "DEREGISTERED")) if phoenix else "ACTIVE"
        city, _ = self.place()
        est = self.est_date(hi=self.as_of - 3 * YEAR)
        _, lead, tenures, plan = self.company(city, est, jp=True, s1=s1, s2=s2, status=status)
        if not plan or not phoenix or self.left <= 0:
            return
        since = plan[2]
        bound = [p for p, a, b in tenures if a <= since and (b is None or b > plan[0])]
        who = bound[0] if r.random() < 0.7 else lead
        t = self.between(since + 30, self.as_of - 5)
        other = city if r.random() < 0.4 else None
        if phoenix == "new":
            brand = self.brand() if r.random() < 0.6 else None
            self.company(other, t, who, brand, auto_fate=False, quiet=True)
        else:
            founded = self.between(min(max(728659, since - 8 * YEAR), since - 30), since - 30)
            self.company(other, founded, successor=(t, who), auto_fate=False, quiet=True)


def generate(out: TextIO, entities: int, seed: int, as_of: date = date(2026, 6, 30)) -> dict[str, int]:
    """Write `entities` entity lines with their people, roles, holdings, branches, records, listings
    and commitments (and all departments first) to `out`; return the number of lines per kind."""
    if entities < 0:
        raise ValueError("entities must be >= 0")
    if as_of < date(2001, 1, 1):
        raise ValueError("as_of must be 2001-01-01 or later: firms are established from 1996 on")
    g = Clusters(out, entities, seed, as_of)
    g.departments()
    n = 0
    while g.left > 0:
        g.cluster(n)
        g.flush()
        n += 1
    return g.counts()
