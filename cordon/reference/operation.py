"""The reference operation: a seeded, deterministic epidemic-response operation.

Shaped like the after-action account in DOMAIN.md: 610 sworn and auxiliary police in five stations,
HQ units and one attached reinforcement unit; 15 lockdown zones each inside a controlled zone,
activated and lifted across 24 days; 9 isolation hotels; road checkpoints; about 1,000 sampling
points grouped into sampling grids; 17 camera points at zone perimeters; an HQ gate and a 24-hour
duty-leader post.

Plain Python with no Django import: the demo loader (cordon.operations) and the planner's
benchmarks (bench/reference.py) build the very same operation from it.

Calibration. Staffing demand is sized so that the people needed by the posts, under the default
rest rules and one post per person, leave a reserve of about 10% of the 610 (the planner's full
plan uses 548 people, leaving 62: 10.2%, bench/reference.py). Under those rules one
person can work at most 21 eight-hour shifts in 24 days (six in any seven days), so 610 people can
give at most about 12,800 person-times in all; the account's 10,000 (zones) plus 4,400 (sampling)
would need about 760 people working every permitted shift, with nothing left for hotels,
checkpoints or reserve. The real operation reached those figures by working people far beyond
these rest rules (one team: 380 hours in 16 days). The demo keeps the account's shape and the
ratio between zones and sampling, at the size the rules allow; `summary()` prints the figures.
"""

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from . import names

CENTRE = (36.617, 101.778)  # (lat, lon) of a provincial-capital city centre
KM_PER_DEG_LAT = 111.0

DEFAULT_START = date(2026, 11, 1)
DEFAULT_SEED = 20261101
DAYS = 24
TIMEZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class ShiftType:
    code: str
    name: str
    name_en: str
    start: time
    minutes: int


@dataclass(frozen=True)
class ShiftPattern:
    code: str
    name: str
    name_en: str
    shifts: tuple[ShiftType, ...]


@dataclass(frozen=True)
class Skill:
    code: str
    name: str
    name_en: str


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    kind: str  # sub_bureau, hq_unit, station, attached, shock_team, reserve, volunteer
    parent: str | None = None


@dataclass
class Person:
    staff_number: str
    name: str
    category: str  # sworn, auxiliary
    unit: str
    rank: str
    post_leader: bool
    duty_leader: bool
    skills: list[str]
    work_phone: str
    teams: list[str] = field(default_factory=list)


@dataclass
class Zone:
    code: str
    name: str
    kind: str  # lockdown, controlled
    station: str
    polygon: list[list[float]]  # GeoJSON ring of [lon, lat], closed
    activated_at: datetime  # naive local time of the operation's timezone
    lifted_at: datetime | None


@dataclass
class Site:
    code: str
    name: str
    kind: str  # checkpoint, cordon_gate, sampling_point, sampling_grid, isolation_hotel,
    #            camera_point, hq_gate, command_post
    lat: float
    lon: float
    station: str
    zone: str | None = None
    grid: str | None = None  # a sampling point's sampling grid


@dataclass
class Demand:
    """Headcount wanted on one shift type at one post on the dates [first, last] (inclusive)."""

    shift: str
    people: int
    leaders: int
    skills: dict[str, int]
    first: date
    last: date


@dataclass
class Post:
    code: str
    name: str
    site: str
    pattern: str
    bubble: str | None
    demand: list[Demand]


@dataclass
class ReferenceOperation:
    name: str
    kind: str
    timezone: str
    start: date
    days: int
    detected_at: datetime
    ended_at: datetime
    shift_patterns: list[ShiftPattern]
    skills: list[Skill]
    units: list[Unit]
    people: list[Person]
    zones: list[Zone]
    sites: list[Site]
    posts: list[Post]
    rules: dict

    def end_date(self) -> date:
        return self.start + timedelta(days=self.days - 1)


SHIFT_PATTERNS = (
    ShiftPattern(
        "3x8",
        "三班倒 (3×8小时)",
        "3 × 8 h",
        (
            ShiftType("N", "夜班", "Night", time(0, 0), 480),
            ShiftType("D", "白班", "Day", time(8, 0), 480),
            ShiftType("E", "中班", "Evening", time(16, 0), 480),
        ),
    ),
    ShiftPattern(
        "2x12",
        "两班倒 (2×12小时)",
        "2 × 12 h",
        (
            ShiftType("D12", "白班12小时", "Day 12 h", time(8, 0), 720),
            ShiftType("N12", "夜班12小时", "Night 12 h", time(20, 0), 720),
        ),
    ),
    ShiftPattern(
        "24h",
        "上一休二 (24小时)",
        "24 h on, 48 h off",
        (ShiftType("H24", "24小时班", "24 h duty", time(8, 0), 1440),),
    ),
)

SKILLS = (
    Skill("duty_leader", "带班领导", "Duty leader"),
    Skill("first_aid", "急救", "First aid"),
    Skill("driver", "驾驶员", "Driver"),
    Skill("interpreter", "少数民族语言翻译", "Interpreter"),
    Skill("negotiator", "谈判处置", "Negotiator"),
)

# Default rest rules (DOMAIN.md): 11 h rest between shifts, at most 6 working days in a row,
# at most 48 h in any 7 days, one shift a day, one post per person for the operation.
DEFAULT_RULES = {
    "min_rest_minutes": 660,
    "max_shifts_per_day": 1,
    "max_consecutive_days": 6,
    "min_consecutive_days": None,
    "min_consecutive_days_off": None,
    "max_minutes_per_7_days": 2880,
    "forbidden_successions": [],
    "one_post_per_person": True,
}

STATIONS = (
    ("S1", "兴海路派出所"),
    ("S2", "彭家寨派出所"),
    ("S3", "桃李路派出所"),
    ("S4", "南川西路派出所"),
    ("S5", "海湖新区派出所"),
)
STATION_CODES = frozenset(code for code, _ in STATIONS)
HQ_UNITS = (
    ("SB-CMD", "指挥中心", 34),
    ("SB-SP", "特警大队", 62),
    ("SB-CI", "刑侦大队", 38),
    ("SB-PS", "治安管理大队", 36),
)
STATION_SIZE = 76  # 5 x 76 = 380
ATTACHED = ("RF", "市局特警支队增援分队", 60)  # 170 + 380 + 60 = 610

SWORN_SHARE = 0.46
LEADER_SHARE_OF_SWORN = 0.72
SKILL_SHARE = {"first_aid": 0.16, "driver": 0.22, "interpreter": 0.06, "negotiator": 0.04}
DUTY_LEADERS = 8

LOCKDOWN_GATES = 2  # cordon gates per lockdown zone, each a post
PEOPLE_PER_GATE = 2  # per shift, one of them a leader at lockdown gates
HOTELS = 9
CHECKPOINTS = 9  # sized with the rest so that a full plan leaves a reserve of about 10%
SAMPLING_GRIDS = 24
SAMPLING_POINTS = 1008  # 42 a grid
SAMPLING_PER_GRID = 3  # on the day shift, on mass-testing days
CAMERA_POINTS = 17


def generate(start: date = DEFAULT_START, seed: int = DEFAULT_SEED) -> ReferenceOperation:
    """Build the reference operation starting (detection) on `start`; the same seed, the same op."""
    rng = random.Random(seed)
    units = _units()
    people = _people(rng, units)
    zones, sites, posts = _places(rng, start)
    detected_at = datetime.combine(start, time(8, 0))
    ended_at = max(z.lifted_at for z in zones if z.lifted_at)
    return ReferenceOperation(
        name="示范分局疫情防控处置行动",
        kind="epidemic",
        timezone=TIMEZONE,
        start=start,
        days=DAYS,
        detected_at=detected_at,
        ended_at=ended_at,
        shift_patterns=list(SHIFT_PATTERNS),
        skills=list(SKILLS),
        units=units,
        people=people,
        zones=zones,
        sites=sites,
        posts=posts,
        rules=dict(DEFAULT_RULES),
    )


def _units() -> list[Unit]:
    units = [Unit("SB", "示范分局", "sub_bureau")]
    units += [Unit(code, name, "hq_unit", "SB") for code, name, _ in HQ_UNITS]
    units += [Unit(code, name, "station", "SB") for code, name in STATIONS]
    units.append(Unit(ATTACHED[0], ATTACHED[1], "attached", "SB"))
    units += [Unit(f"T{i:02d}", f"第{i}突击队", "shock_team", "SB") for i in range(1, 14)]
    units.append(Unit("T-RES", "预备队", "reserve", "SB"))
    units.append(Unit("T-VOL", "志愿服务队", "volunteer", "SB"))
    return units


def _people(rng: random.Random, units: list[Unit]) -> list[Person]:
    sizes = [(code, size) for code, _, size in HQ_UNITS]
    sizes += [(code, STATION_SIZE) for code, _ in STATIONS]
    sizes.append((ATTACHED[0], ATTACHED[2]))
    people: list[Person] = []
    used_names: set[str] = set()
    used_phones: set[str] = set()
    serial = 0
    for unit, size in sizes:
        sworn = round(size * SWORN_SHARE)
        for i in range(size):
            serial += 1
            is_sworn = i < sworn
            leader = is_sworn and rng.random() < LEADER_SHARE_OF_SWORN
            rank = _rank(rng, unit, is_sworn, leader, i)
            skills = sorted(s for s, share in SKILL_SHARE.items() if rng.random() < share)
            name = names.person_name(rng)
            while name in used_names:  # unique names keep the demo readable; real ops have twins
                name = names.person_name(rng)
            used_names.add(name)
            phone = _phone(rng)
            while phone in used_phones:
                phone = _phone(rng)
            used_phones.add(phone)
            people.append(
                Person(
                    staff_number=f"{'J' if is_sworn else 'F'}{serial:05d}",
                    name=name,
                    category="sworn" if is_sworn else "auxiliary",
                    unit=unit,
                    rank=rank,
                    post_leader=leader,
                    duty_leader=False,
                    skills=skills,
                    work_phone=phone,
                )
            )
    # Duty leaders (带班领导): the senior sworn officers of the command centre and the stations.
    seniors = [p for p in people if p.rank in ("副局长", "所长", "教导员", "大队长")]
    for p in seniors[:DUTY_LEADERS]:
        p.duty_leader = True
        p.post_leader = True
        p.skills = sorted({*p.skills, "duty_leader"})
    # Task teams: 13 shock teams drawn from the special police and the attached unit; a reserve;
    # the volunteer team from the auxiliaries of the stations.
    shock_pool = [p for p in people if p.unit in ("SB-SP", ATTACHED[0])]
    for i, p in enumerate(shock_pool[: 13 * 8]):
        p.teams.append(f"T{i % 13 + 1:02d}")
    for p in [p for p in people if p.unit == "SB-CI"][:20]:
        p.teams.append("T-RES")
    for p in [p for p in people if p.category == "auxiliary" and p.unit.startswith("S")][::12]:
        p.teams.append("T-VOL")
    return people


def _rank(rng: random.Random, unit: str, sworn: bool, leader: bool, index_in_unit: int) -> str:
    if not sworn:
        return "辅警"
    if index_in_unit < 2:
        head = "副局长" if unit == "SB-CMD" else "所长" if unit in STATION_CODES else "大队长"
        return head if index_in_unit == 0 else "教导员"
    if leader:
        return rng.choice(("一级警长", "二级警长", "三级警长", "四级警长"))
    return rng.choice(("一级警员", "二级警员"))


def _phone(rng: random.Random) -> str:
    return rng.choice(("139", "138", "137", "186", "189", "177")) + f"{rng.randrange(10**8):08d}"


# ---- places ---------------------------------------------------------------------------------


def _offset(lat: float, lon: float, north_km: float, east_km: float) -> tuple[float, float]:
    km_per_deg_lon = KM_PER_DEG_LAT * math.cos(math.radians(lat))
    return lat + north_km / KM_PER_DEG_LAT, lon + east_km / km_per_deg_lon


def _polygon(rng: random.Random, lat: float, lon: float, radius_km: float) -> list[list[float]]:
    """An irregular closed ring of 7-9 vertices around (lat, lon), GeoJSON [lon, lat] order."""
    n = rng.randint(7, 9)
    ring = []
    for k in range(n):
        angle = 2 * math.pi * k / n + rng.uniform(-0.2, 0.2)
        r = radius_km * rng.uniform(0.75, 1.15)
        plat, plon = _offset(lat, lon, r * math.sin(angle), r * math.cos(angle))
        ring.append([round(plon, 6), round(plat, 6)])
    ring.append(list(ring[0]))
    return ring


def _station_point(rng: random.Random, station_index: int, lo_km: float, hi_km: float):
    """A point in the sector of the city that a station covers (five sectors of 72 degrees)."""
    angle = math.radians(72 * station_index + rng.uniform(8, 64))
    r = rng.uniform(lo_km, hi_km)
    return _offset(*CENTRE, r * math.sin(angle), r * math.cos(angle))


def _overlap_dates(start: date, shift: ShiftType, begin: datetime, end: datetime):
    """First and last date whose `shift` overlaps [begin, end), or None when none does."""
    first = last = None
    for d in range(DAYS):
        day = start + timedelta(days=d)
        s = datetime.combine(day, shift.start)
        e = s + timedelta(minutes=shift.minutes)
        if s < end and e > begin:
            first = first or day
            last = day
    return (first, last) if first else None


def _round_the_clock(
    start: date, begin: datetime, end: datetime, people: int, leaders: int, skills=None
) -> list[Demand]:
    demand = []
    for shift in SHIFT_PATTERNS[0].shifts:
        span = _overlap_dates(start, shift, begin, end)
        if span:
            demand.append(Demand(shift.code, people, leaders, dict(skills or {}), *span))
    return demand


def _places(rng: random.Random, start: date):
    day0 = datetime.combine(start, time(0, 0))
    op_end = datetime.combine(start + timedelta(days=DAYS), time(0, 0))
    zones: list[Zone] = []
    sites: list[Site] = []
    posts: list[Post] = []

    # HQ: command post with the 24-hour duty leader, and the staff gate.
    hq_lat, hq_lon = _offset(*CENTRE, 0.3, -0.2)
    sites.append(Site("HQ", "分局指挥部", "command_post", hq_lat, hq_lon, "SB"))
    glat, glon = _offset(hq_lat, hq_lon, -0.05, 0.04)
    sites.append(Site("HQ-GATE", "分局指挥部大门", "hq_gate", glat, glon, "SB"))
    detected = day0 + timedelta(hours=8)
    posts.append(
        Post(
            "HQ-DL",
            "24小时带班领导",
            "HQ",
            "3x8",
            None,
            _round_the_clock(start, detected, op_end, 1, 1, {"duty_leader": 1}),
        )
    )
    posts.append(
        Post(
            "HQ-GATE",
            "指挥部大门测温验码岗",
            "HQ-GATE",
            "3x8",
            "HQ",
            _round_the_clock(start, detected, op_end, 2, 1),
        )
    )

    # Fifteen outbreak clusters, three per station: a lockdown zone inside a controlled zone.
    # Activations follow the outbreak's first ten days; lockdowns last 14-20 days, the last one
    # lifted on the evening of the 24th day; controlled zones lift up to three days earlier.
    activation_days = [0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 6, 7]
    lockdown_lengths = [rng.randint(15, 18) for _ in activation_days]
    last = max(range(15), key=lambda i: activation_days[i] + lockdown_lengths[i])
    camera_left = CAMERA_POINTS
    for i in range(15):
        station_index = i % 5
        station = STATIONS[station_index][0]
        clat, clon = _station_point(rng, station_index, 0.9, 4.2)
        compound = names.compound_name(rng)
        act = day0 + timedelta(days=activation_days[i], hours=rng.choice((9, 11, 14, 19, 22)))
        if i == last:
            lift = datetime.combine(start + timedelta(days=DAYS - 1), time(18, 0))
        else:
            lift_day = min(activation_days[i] + lockdown_lengths[i], DAYS - 2)
            lift = day0 + timedelta(days=lift_day, hours=rng.choice((10, 12, 16)))
        controlled_lift = lift - timedelta(days=rng.randint(0, 3), hours=rng.choice((0, 2)))
        lz = f"L{i + 1:02d}"
        cz = f"C{i + 1:02d}"
        zones.append(
            Zone(
                lz,
                f"{compound}封控区",
                "lockdown",
                station,
                _polygon(rng, clat, clon, 0.16),
                act,
                lift,
            )
        )
        zones.append(
            Zone(
                cz,
                f"{compound}周边管控区",
                "controlled",
                station,
                _polygon(rng, clat, clon, 0.55),
                act,
                controlled_lift,
            )
        )
        for g in range(LOCKDOWN_GATES):
            angle = math.pi * g + rng.uniform(-0.5, 0.5)
            glat, glon = _offset(clat, clon, 0.15 * math.sin(angle), 0.15 * math.cos(angle))
            code = f"{lz}-G{g + 1}"
            sites.append(
                Site(
                    code,
                    f"{compound}封控区{g + 1}号卡口",
                    "cordon_gate",
                    glat,
                    glon,
                    station,
                    zone=lz,
                )
            )
            posts.append(
                Post(
                    code,
                    f"{compound}封控区{g + 1}号卡口值守",
                    code,
                    "3x8",
                    lz,
                    _round_the_clock(start, act, lift, PEOPLE_PER_GATE, 1),
                )
            )
        angle = rng.uniform(0, 2 * math.pi)
        glat, glon = _offset(clat, clon, 0.5 * math.sin(angle), 0.5 * math.cos(angle))
        code = f"{cz}-G1"
        sites.append(
            Site(code, f"{compound}管控区卡口", "cordon_gate", glat, glon, station, zone=cz)
        )
        posts.append(
            Post(
                code,
                f"{compound}管控区卡口值守",
                code,
                "3x8",
                cz,
                _round_the_clock(start, act, controlled_lift, PEOPLE_PER_GATE, 0),
            )
        )
        # Video points added at the lockdown perimeter (立面加强视频监控): 17 across the zones.
        for _ in range(2 if camera_left > 15 - i else 1):
            if camera_left == 0:
                break
            camera_left -= 1
            vlat, vlon = _offset(clat, clon, rng.uniform(-0.16, 0.16), rng.uniform(-0.16, 0.16))
            sites.append(
                Site(
                    f"V{CAMERA_POINTS - camera_left:02d}",
                    f"{compound}立面监控点",
                    "camera_point",
                    vlat,
                    vlon,
                    station,
                    zone=lz,
                )
            )

    # Isolation hotels: six open on the first day, three more by the seventh; all run to the end.
    for h in range(HOTELS):
        station_index = h % 5
        station = STATIONS[station_index][0]
        hlat, hlon = _station_point(rng, station_index, 0.5, 3.0)
        opened = detected + timedelta(hours=6) if h < 6 else day0 + timedelta(days=h - 3, hours=9)
        code = f"H{h + 1:02d}"
        hotel = names.HOTEL_WORDS[h] + rng.choice(("酒店", "宾馆", "大酒店"))
        sites.append(Site(code, f"{hotel}(隔离酒店)", "isolation_hotel", hlat, hlon, station))
        skills = {"first_aid": 1}
        posts.append(
            Post(
                code,
                f"{hotel}隔离点安保",
                code,
                "3x8",
                code,
                _hotel_demand(start, opened, op_end, skills),
            )
        )

    # Road checkpoints on the ways into the district, round the clock for the whole operation.
    for c in range(CHECKPOINTS):
        station_index = c % 5
        station = STATIONS[station_index][0]
        klat, klon = _station_point(rng, station_index, 4.5, 6.0)
        code = f"K{c + 1:02d}"
        road = names.street_name(rng)
        sites.append(Site(code, f"{road}防疫检查站", "checkpoint", klat, klon, station))
        demand = _round_the_clock(start, detected, op_end, 2, 1)
        for d in demand:
            if d.shift == "D":
                d.skills = {"driver": 1}
        posts.append(Post(code, f"{road}检查站查控", code, "3x8", None, demand))

    # Mass testing: sampling points in grids; one order-keeping post per grid, on the day shift,
    # on the mass-testing days (the 2nd to the 22nd).
    testing_first = start + timedelta(days=1)
    testing_last = start + timedelta(days=21)
    per_grid = SAMPLING_POINTS // SAMPLING_GRIDS
    for g in range(SAMPLING_GRIDS):
        station_index = g % 5
        station = STATIONS[station_index][0]
        glat, glon = _station_point(rng, station_index, 0.4, 4.8)
        grid = f"G{g + 1:02d}"
        street = names.street_name(rng)
        sites.append(Site(grid, f"{street}核酸采样网格", "sampling_grid", glat, glon, station))
        for p in range(per_grid):
            plat, plon = _offset(glat, glon, rng.uniform(-0.6, 0.6), rng.uniform(-0.6, 0.6))
            sites.append(
                Site(
                    f"{grid}-P{p + 1:02d}",
                    f"{street}采样点{p + 1}",
                    "sampling_point",
                    plat,
                    plon,
                    station,
                    grid=grid,
                )
            )
        skills = {"interpreter": 1} if g % 6 == 0 else {}
        posts.append(
            Post(
                grid,
                f"{street}采样网格秩序维护",
                grid,
                "3x8",
                None,
                [Demand("D", SAMPLING_PER_GRID, 0, skills, testing_first, testing_last)],
            )
        )
    return zones, sites, posts


def _hotel_demand(start, opened, end, skills) -> list[Demand]:
    demand = _round_the_clock(start, opened, end, 2, 1)
    for d in demand:
        if d.shift == "D":
            d.skills = dict(skills)
    return demand


# ---- scenario -------------------------------------------------------------------------------


def to_scenario(op: ReferenceOperation, *, name: str | None = None) -> dict:
    """The operation as a `cordon.scenario/1` over its whole horizon with 3 x 8 h shifts."""
    pattern = op.shift_patterns[0]
    post_unit = {s.code: s.station for s in op.sites}
    return {
        "format": "cordon.scenario/1",
        "name": name or "reference-operation",
        "timezone": op.timezone,
        "start": op.start.isoformat(),
        "days": op.days,
        "shift_types": [
            {"id": s.code, "start": s.start.strftime("%H:%M"), "minutes": s.minutes}
            for s in pattern.shifts
        ],
        "rules": dict(op.rules),
        "people": [
            {
                "id": p.staff_number,
                "name": p.name,
                "unit": p.unit,
                "leader": p.post_leader,
                "skills": list(p.skills),
            }
            for p in op.people
        ],
        "posts": [
            {
                "id": post.code,
                "name": post.name,
                "unit": post_unit[post.site],
                "bubble": post.bubble,
                "demand": [
                    {
                        "shift": d.shift,
                        "people": d.people,
                        "leaders": d.leaders,
                        "skills": dict(d.skills),
                        "from": d.first.isoformat(),
                        "to": d.last.isoformat(),
                    }
                    for d in post.demand
                ],
            }
            for post in op.posts
        ],
    }


def demand_person_times(op: ReferenceOperation) -> dict[str, int]:
    """Person-times that a plan covering every demand would put on each kind of place."""
    site_kind = {s.code: s.kind for s in op.sites}
    zone_kind = {z.code: z.kind for z in op.zones}
    site_zone = {s.code: s.zone for s in op.sites}
    totals: dict[str, int] = {}
    for post in op.posts:
        zone = site_zone[post.site]
        kind = zone_kind[zone] if zone else site_kind[post.site]
        n = sum(d.people * ((d.last - d.first).days + 1) for d in post.demand)
        totals[kind] = totals.get(kind, 0) + n
    return totals


def summary(op: ReferenceOperation) -> str:
    """Figures of the operation in a few lines, for the demo command and the benchmarks."""
    kinds: dict[str, int] = {}
    for s in op.sites:
        kinds[s.kind] = kinds.get(s.kind, 0) + 1
    pt = demand_person_times(op)
    zones = pt.get("lockdown", 0) + pt.get("controlled", 0)
    lines = [
        f"{op.name}: {op.start} + {op.days} days, {len(op.people)} people "
        f"({sum(p.category == 'sworn' for p in op.people)} sworn), {len(op.units)} units",
        f"zones: {sum(z.kind == 'lockdown' for z in op.zones)} lockdown, "
        f"{sum(z.kind == 'controlled' for z in op.zones)} controlled; sites: "
        + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())),
        f"posts: {len(op.posts)}; demand person-times: zones {zones}, sampling "
        f"{pt.get('sampling_grid', 0)}, all {sum(pt.values())}",
    ]
    return "\n".join(lines)
