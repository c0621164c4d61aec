# Independent recomputation of metrics.json from records.json, written
# straight from the definitions on the methods page, brute force (every
# agreement on every day, every pair of codes by itertools), sharing no code
# with the Go package.
# It produced expected.json, which TestComputeMatchesIndependentRecomputation
# compares with Compute to 1e-9. as_of is taken from the data.
import json, sys, math, datetime as dt
from collections import defaultdict, Counter
from itertools import combinations

# Every enumerated value is reported, with 0 when unused (the keys are the
# canonical values; a value nobody used counts 0).
EVENT_TYPES = ["meeting", "bilateral", "correspondence", "draft", "briefing", "signing", "workshop", "other"]
REASONS = ["already_available", "precedent", "primary_legislation", "timescale", "funding", "unclear", "policy", "joined_up", "other"]

def D(s): return dt.date.fromisoformat(s) if s else None

def q7(xs, p):
    xs = sorted(xs); n = len(xs)
    if n == 0: return None
    h = (n - 1) * p; lo = math.floor(h)
    if lo + 1 >= n: return float(xs[-1])
    return xs[lo] + (h - lo) * (xs[lo + 1] - xs[lo])

def stats(xs):
    if not xs: return {"n": 0, "median": None, "mean": None, "p25": None, "p75": None, "min": None, "max": None}
    return {"n": len(xs), "median": q7(xs, .5), "mean": sum(xs) / len(xs), "p25": q7(xs, .25), "p75": q7(xs, .75), "min": min(xs), "max": max(xs)}

def compute(rec, capacity):
    A, F, E, C = rec["Agreements"], rec["Freedoms"], rec["Events"], rec["Codings"]
    dates = [D(a[k]) for a in A for k in ("Started", "Signed", "Withdrawn") if a[k]] + [D(e["Date"]) for e in E] + [D(f["Decided"]) for f in F if f["Decided"]]
    asof = max(dates)
    out = {"as_of": asof.isoformat()}
    st = lambda a: "signed" if a["Signed"] else ("withdrawn" if a["Withdrawn"] else "in_negotiation")
    c = Counter(st(a) for a in A)
    out["agreements"] = {"total": len(A), "signed": c["signed"], "in_negotiation": c["in_negotiation"], "withdrawn": c["withdrawn"]}
    dur = [(D(a["Signed"]) - D(a["Started"])).days for a in A if a["Signed"]]
    t = stats(dur)
    # KM, written as the textbook product over distinct event times
    times = []
    for a in A:
        s = D(a["Started"])
        if a["Signed"]: times.append(((D(a["Signed"]) - s).days, 1))
        elif a["Withdrawn"]: times.append(((D(a["Withdrawn"]) - s).days, 0))
        else: times.append((max(0, (asof - s).days), 0))
    S, km = 1.0, None
    for u in sorted(set(x for x, e in times if e)):
        n = sum(1 for x, _ in times if x >= u); d = sum(1 for x, e in times if x == u and e)
        S *= 1 - d / n
        if S <= 0.5 + 1e-12 and km is None: km = u
    t["km_median"] = km
    tr = defaultdict(list)
    for a in A:
        k = a["Tranche"] or "none"  # a blank tranche counts under "none"
        tr[k]
        if a["Signed"]: tr[k].append((D(a["Signed"]) - D(a["Started"])).days)
    t["by_tranche"] = {k: stats(v) for k, v in tr.items()}
    out["time_to_agreement_days"] = t
    # concurrency: scan every day, every agreement
    first = min(D(a["Started"]) for a in A)
    peak, pdate, over = 0, None, 0
    d = first
    while d <= asof:
        n = 0
        for a in A:
            end = D(a["Signed"]) or D(a["Withdrawn"]) or asof + dt.timedelta(days=1)
            if D(a["Started"]) <= d < end: n += 1
        if n > peak: peak, pdate = n, d.isoformat()
        if n > capacity: over += 1
        d += dt.timedelta(days=1)
    out["concurrency"] = {"capacity": capacity, "peak": peak, "peak_first_date": pdate, "days_over_capacity": over}
    mm = Counter(e["Date"][:7] for e in E if e["Type"] == "meeting")
    ms = sorted(mm)
    months = {}
    if ms:
        y, m = map(int, ms[0].split("-"))
        while f"{y:04d}-{m:02d}" <= ms[-1]:
            months[f"{y:04d}-{m:02d}"] = mm.get(f"{y:04d}-{m:02d}", 0)
            m += 1
            if m == 13: y, m = y + 1, 1
    peakm = None
    if months:
        best = max(months.values()); peakm = min(k for k, v in months.items() if v == best)
    sil = []
    for a in A:
        s = D(a["Started"]); e = D(a["Signed"]) or D(a["Withdrawn"]) or asof
        ds = sorted([s, e] + [D(x["Date"]) for x in E if x["Agreement"] == a["ID"] and s <= D(x["Date"]) <= e])
        sil.append(max([(ds[i + 1] - ds[i]).days for i in range(len(ds) - 1)] + [0]))
    out["events"] = {"total": len(E), "by_type": {**{t: 0 for t in EVENT_TYPES}, **Counter(e["Type"] for e in E)}, "meetings_by_month": months,
                     "peak_meeting_month": peakm, "longest_silence_days": {"median": q7(sil, .5), "max": max(sil) if sil else None}}
    oc = lambda fs: {"requested": len(fs), **{o: sum(1 for f in fs if f["Outcome"] == o) for o in ("granted", "partly_granted", "not_granted", "deferred")}}
    fr = oc(F)
    fr["granted_rate"] = (fr["granted"] + fr["partly_granted"]) / fr["requested"] if F else None
    fr["by_department"] = {d: oc([f for f in F if f["Department"] == d]) for d in set(f["Department"] for f in F)}
    fr["reasons"] = {**{r: 0 for r in REASONS}, **Counter(f["Reason"] for f in F if f["Reason"])}
    fr["refusal_reasons"] = {**{r: 0 for r in REASONS}, **Counter(f["Reason"] or "other" for f in F if f["Outcome"] == "not_granted")}
    fr["refusal_reasons_share"] = {r: n / fr["not_granted"] for r, n in fr["refusal_reasons"].items()} if fr["not_granted"] else {}
    out["freedoms"] = fr
    iv = {}
    for c in C:
        iv.setdefault(c["Interview"], (c["Group"], str(c["Wave"]), set()))[2].add(c["Code"])
    N = len(iv)
    groups = Counter(g for g, w, s in iv.values()); waves = Counter(w for g, w, s in iv.values())
    codes = {}
    for code in set(c["Code"] for c in C):
        has = [(g, w) for g, w, s in iv.values() if code in s]
        codes[code] = {"interviews": len(has), "share": len(has) / N,
                       "by_group": {g: {"interviews": sum(1 for x in has if x[0] == g), "share": sum(1 for x in has if x[0] == g) / n} for g, n in groups.items()},
                       "by_wave": {w: {"interviews": sum(1 for x in has if x[1] == w), "share": sum(1 for x in has if x[1] == w) / n} for w, n in waves.items()}}
    pc = Counter(p for g, w, s in iv.values() for p in combinations(sorted(s), 2))
    co = sorted(({"a": a, "b": b, "interviews": n} for (a, b), n in pc.items()), key=lambda p: (-p["interviews"], p["a"], p["b"]))
    out["codings"] = {"interviews": N, "interviews_by_group": dict(groups), "interviews_by_wave": dict(waves), "codes": codes, "cooccurrence": co}
    cv = None
    if len(dur) >= 2:
        mu = sum(dur) / len(dur); sd = math.sqrt(sum((x - mu) ** 2 for x in dur) / (len(dur) - 1))
        cv = sd / mu if mu else None
    auth = defaultdict(lambda: [0, 0])
    byid = {a["ID"]: a["Authority"] for a in A}
    for f in F:
        r = auth[byid[f["Agreement"]]]; r[0] += 1; r[1] += f["Outcome"] in ("granted", "partly_granted")
    rates = [g / n for n, g in auth.values()]
    out["equity"] = {"time_to_agreement_cv": cv, "granted_rate_min": min(rates) if rates else None, "granted_rate_max": max(rates) if rates else None}
    # By a column of the agreement: every value of an agreement is a key
    # ("none" for blank), the stats over its signed agreements.
    key = lambda v: v if v else "none"
    def by(col):
        return {k: stats([(D(a["Signed"]) - D(a["Started"])).days for a in A if key(a[col]) == k and a["Signed"]])
                for k in set(key(a[col]) for a in A)}
    out["equity"]["time_to_agreement_by_authority_type"] = by("AuthorityType")
    out["equity"]["time_to_agreement_by_region"] = by("Region")
    agr = {a["ID"]: a for a in A}
    fk = {}
    for k in set(key(a["AuthorityType"]) for a in A):
        c = oc([f for f in F if key(agr[f["Agreement"]]["AuthorityType"]) == k])
        c["granted_rate"] = (c["granted"] + c["partly_granted"]) / c["requested"] if c["requested"] else None
        fk[k] = c
    out["equity"]["freedoms_by_authority_type"] = fk
    # decisions: days from the agreement's start to each dated decision
    out["decisions"] = {"decision_days": stats([(D(f["Decided"]) - D(agr[f["Agreement"]]["Started"])).days for f in F if f["Decided"]]),
                        "undated": sum(1 for f in F if not f["Decided"])}
    # effort: hours summed every way, straight from the events that give them
    H = [e for e in E if e["Hours"] is not None]
    per = [sum(e["Hours"] for e in H if e["Agreement"] == a["ID"]) for a in A if any(e["Agreement"] == a["ID"] for e in H)]
    out["effort"] = {"hours_total": sum(e["Hours"] for e in H), "events_with_hours": len(H),
                     "by_department": {d: sum(e["Hours"] for e in H if key(e["Department"]) == d) for d in set(key(e["Department"]) for e in H)},
                     "by_type": {t: sum(e["Hours"] for e in H if e["Type"] == t) for t in EVENT_TYPES},
                     "per_agreement": stats(per)}
    ef = out["effort"]
    for split in ("by_department", "by_type"):
        ef["share_" + split] = {k: h / ef["hours_total"] for k, h in ef[split].items()} if ef["hours_total"] > 0 else {}
    tg = [a["Targets"] for a in A if a["Targets"] is not None]
    out["targets"] = {"total": sum(tg), "per_agreement": stats(tg), "not_given": len(A) - len(tg)}
    money = lambda col: {"total": sum(a[col] for a in A if a[col] is not None), "per_agreement": stats([a[col] for a in A if a[col] is not None])}
    out["grants"] = {"pump_priming_gbp": money("PumpPriming"), "reward_grant_gbp": money("RewardGrant")}
    return out

if __name__ == "__main__":
    # usage: python3 recompute.py records.json CAPACITY > expected.json
    rec = json.load(open(sys.argv[1]))
    json.dump(compute(rec, int(sys.argv[2])), sys.stdout, indent=1, sort_keys=True)
    print()
