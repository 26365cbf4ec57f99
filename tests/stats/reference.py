#!/usr/bin/env python3
"""Independent reference values for tests/stats/test_*.c.

Run `python3 tests/stats/reference.py` to print every literal the C tests compare
against.  Nothing here uses GSL: sums and variances are exact (fractions), quantiles follow
the Hyndman & Fan type 7 definition written out (and statistics.quantiles(method=
'inclusive'), which is the same estimator), Student t tail probabilities and quantiles come
from mpmath (regularized incomplete beta, cross-checked by numerical integration of the t
density), and the bootstrap is re-implemented on CPython's own Mersenne Twister with
GSL's seeding (init_genrand) and GSL's gsl_rng_uniform_int rejection rule.

Needs only the standard library and mpmath.
"""
import math
import random
import statistics
from fractions import Fraction as F

import mpmath

mpmath.mp.dps = 40


def show(name, v):
    print(f"{name:40s} {float(v)!r}")


# ---- helpers ------------------------------------------------------------------------

def mean(xs):
    return sum(F(x) for x in xs) / len(xs)


def var(xs):  # sample variance, n-1
    m = mean(xs)
    return sum((F(x) - m) ** 2 for x in xs) / (len(xs) - 1)


def sqrt(q):
    return mpmath.sqrt(mpmath.mpf(q.numerator) / q.denominator) if isinstance(q, F) else mpmath.sqrt(q)


def q7(xs, p):  # Hyndman & Fan type 7
    s = sorted(F(x) for x in xs)
    h = F(p) * (len(s) - 1)
    lo = math.floor(h)
    if lo == len(s) - 1:
        return s[lo]
    return s[lo] + (h - lo) * (s[lo + 1] - s[lo])


def t_sf2(t, df):  # two-sided p = P(|T| > |t|) = I_{df/(df+t^2)}(df/2, 1/2)
    t, df = mpmath.mpf(t), mpmath.mpf(df)
    return mpmath.betainc(df / 2, mpmath.mpf(1) / 2, 0, df / (df + t * t), regularized=True)


def t_sf2_quad(t, df):  # the same by integrating the density, as a cross-check
    t, df = abs(mpmath.mpf(t)), mpmath.mpf(df)
    c = mpmath.gamma((df + 1) / 2) / (mpmath.sqrt(df * mpmath.pi) * mpmath.gamma(df / 2))
    dens = lambda u: c * (1 + u * u / df) ** (-(df + 1) / 2)
    return 2 * mpmath.quad(dens, [t, mpmath.inf])


def t_quantile(p, df):  # P(T <= q) = p, p > 1/2
    target = 2 * (1 - mpmath.mpf(p))
    lo, hi = mpmath.mpf(0), mpmath.mpf(1000)
    for _ in range(200):  # bisection: slow, but nothing to tune
        mid = (lo + hi) / 2
        if t_sf2(mid, df) > target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def check_p(t, df):
    a, b = t_sf2(t, df), t_sf2_quad(t, df)
    assert abs(a - b) <= 1e-20 * max(1, abs(a)), (a, b)
    return a


# ---- GSL's mt19937 and gsl_rng_uniform_int -----------------------------------------

def gsl_mt19937(seed):
    if seed == 0:
        seed = 4357
    mt = [seed & 0xFFFFFFFF]
    for i in range(1, 624):
        mt.append((1812433253 * (mt[-1] ^ (mt[-1] >> 30)) + i) & 0xFFFFFFFF)
    r = random.Random()
    r.setstate((3, tuple(mt) + (624,), None))
    return r


def uniform_int(r, n):
    scale = 0xFFFFFFFF // n
    while True:
        k = r.getrandbits(32) // scale
        if k < n:
            return k


def resample_mean(r, xs):  # plain left-to-right double sum, then / n, as in sample.c
    s = 0.0
    for _ in range(len(xs)):
        s += xs[uniform_int(r, len(xs))]
    return s / len(xs)


def q7_float(sorted_vals, p):  # gsl_stats_quantile_from_sorted_data in double
    n = len(sorted_vals)
    index = p * (n - 1)
    lhs = int(index)
    delta = index - lhs
    if lhs == n - 1:
        return sorted_vals[lhs]
    return (1 - delta) * sorted_vals[lhs] + delta * sorted_vals[lhs + 1]


def boot_ci(reps, level):
    reps.sort()
    return q7_float(reps, (1.0 - level) / 2.0), q7_float(reps, (1.0 + level) / 2.0)


# ---- describe -----------------------------------------------------------------------

def describe():
    print("== describe: D1 = 2.5 1.0 4.0 3.5 10.0 7.25 0.5 6.0")
    d1 = [2.5, 1.0, 4.0, 3.5, 10.0, 7.25, 0.5, 6.0]
    show("mean", mean(d1))
    show("sd", sqrt(var(d1)))
    show("se", sqrt(var(d1) / len(d1)))
    for p in (0.1, 0.25, 0.5, 0.75, 0.9):
        show(f"q7({p})", q7(d1, p))
    sq = statistics.quantiles(d1, n=4, method="inclusive")
    assert [F(x) for x in sq] == [q7(d1, 0.25), q7(d1, 0.5), q7(d1, 0.75)]
    ln = [mpmath.log(x) for x in d1]
    mln = sum(ln) / len(ln)
    sdln = mpmath.sqrt(sum((v - mln) ** 2 for v in ln) / (len(ln) - 1))
    show("geo_mean", mpmath.exp(mln))
    show("geo_sd", mpmath.exp(sdln))
    assert abs(statistics.geometric_mean(d1) - float(mpmath.exp(mln))) < 1e-12
    print("== describe: 1 2 3 4 (n-1 sd) ->", float(sqrt(var([1, 2, 3, 4]))),
          "population:", math.sqrt(1.25))


# ---- ci -----------------------------------------------------------------------------

D3 = [9.8, 10.2, 10.4, 9.9, 10.0, 10.1, 9.7, 10.3, 10.6, 9.5]


def ci():
    print("== t quantiles (table values)")
    for df in (1, 2, 4, 9, 29):
        show(f"t_0.975,{df}", t_quantile(0.975, df))
    show("t_0.95,9", t_quantile(0.95, 9))
    show("t_0.995,9", t_quantile(0.995, 9))
    print("== ci: D3 =", D3)
    m, s = mean(D3), sqrt(var(D3))
    half = t_quantile(0.975, 9) * s / mpmath.sqrt(10)
    show("mean", m)
    show("t95 lo", mpmath.mpf(m.numerator) / m.denominator - half)
    show("t95 hi", mpmath.mpf(m.numerator) / m.denominator + half)
    half90 = t_quantile(0.95, 9) * s / mpmath.sqrt(10)
    show("t90 lo", mpmath.mpf(m.numerator) / m.denominator - half90)
    print("== bootstrap of D3, seed 42, R = 10000, level 0.95")
    r = gsl_mt19937(42)
    lo, hi = boot_ci([resample_mean(r, D3) for _ in range(10000)], 0.95)
    show("boot lo", lo)
    show("boot hi", hi)
    print("== bootstrap of D3, seed 7, R = 999, level 0.90")
    r = gsl_mt19937(7)
    lo, hi = boot_ci([resample_mean(r, D3) for _ in range(999)], 0.90)
    show("boot lo", lo)
    show("boot hi", hi)


# ---- compare ------------------------------------------------------------------------

WA = [12.1, 14.3, 13.8, 15.2, 11.9, 13.4]
WB = [10.2, 11.1, 9.8, 12.5, 10.9, 11.7, 10.4, 9.9]
LA = [0.019011, 0.01917, 0.017817, 0.016831, 0.023001]
LB = [0.002146, 0.003956, 0.006121, 0.002704, 0.001313, 0.001944]


def welch_ref(a, b):
    qa, qb = var(a) / len(a), var(b) / len(b)
    diff = mean(a) - mean(b)
    se = sqrt(qa + qb)
    t = (mpmath.mpf(diff.numerator) / diff.denominator) / se
    df = (qa + qb) ** 2 / (qa ** 2 / (len(a) - 1) + qb ** 2 / (len(b) - 1))
    return diff, se, t, df, check_p(t, mpmath.mpf(df.numerator) / df.denominator)


def welch_log_ref(a, b):
    la = [mpmath.log10(mpmath.mpf(str(x))) for x in a]
    lb = [mpmath.log10(mpmath.mpf(str(x))) for x in b]
    ma, mb = sum(la) / len(la), sum(lb) / len(lb)
    va = sum((v - ma) ** 2 for v in la) / (len(la) - 1)
    vb = sum((v - mb) ** 2 for v in lb) / (len(lb) - 1)
    qa, qb = va / len(la), vb / len(lb)
    t = (ma - mb) / mpmath.sqrt(qa + qb)
    df = (qa + qb) ** 2 / (qa ** 2 / (len(la) - 1) + qb ** 2 / (len(lb) - 1))
    return ma, mb, ma - mb, t, df, check_p(t, df), mpmath.power(10, ma - mb)


def compare():
    print("== welch raw: A =", WA, "B =", WB)
    diff, se, t, df, p = welch_ref(WA, WB)
    for k, v in (("diff", diff), ("se", se), ("t", t), ("df", df), ("p", p)):
        show(k, v)
    show("var_a", var(WA))
    show("var_b", var(WB))
    print("== welch log10: A =", LA, "B =", LB)
    ma, mb, d, t, df, p, ratio = welch_log_ref(LA, LB)
    for k, v in (("mean_a", ma), ("mean_b", mb), ("diff", d), ("t", t), ("df", df),
                 ("p", p), ("ratio 10^diff", ratio)):
        show(k, v)
    print("== ratio of means A/B, bootstrap seed 42, R = 10000, level 0.95")
    show("ratio", mean(WA) / mean(WB))
    r = gsl_mt19937(42)
    reps = []
    for _ in range(10000):
        ma_ = resample_mean(r, WA)
        mb_ = resample_mean(r, WB)
        reps.append(ma_ / mb_)
    lo, hi = boot_ci(reps, 0.95)
    show("boot lo", lo)
    show("boot hi", hi)


# ---- regress ------------------------------------------------------------------------

RX = [8.1, 8.5, 9.0, 9.4, 9.85, 10.2, 10.85]
RY = [-3.1, -2.9, -2.2, -2.35, -1.8, -1.2, -0.95]
SX = [1, 2, 2, 3, 4, 5, 6, 7]
SY = [2, 1, 4, 3, 3, 6, 8, 7]


def ols(xs, ys):
    xs, ys = [F(x) for x in xs], [F(y) for y in ys]
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    syy = sum((y - my) ** 2 for y in ys)
    b = sxy / sxx
    a = my - b * mx
    sse = sum((y - a - b * x) ** 2 for x, y in zip(xs, ys))
    s2 = sse / (n - 2)
    return dict(n=n, mx=mx, sxx=sxx, slope=b, intercept=a, s2=s2, sse=sse,
                se_slope=sqrt(s2 / sxx), se_int=sqrt(s2 * (F(1, n) + mx * mx / sxx)),
                cov=-mx * s2 / sxx, r2=1 - sse / syy, resid_sd=sqrt(s2))


def avg_ranks(v):
    order = sorted(range(len(v)), key=lambda i: v[i])
    ranks = [F(0)] * len(v)
    i = 0
    while i < len(v):
        j = i
        while j + 1 < len(v) and v[order[j + 1]] == v[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = F(i + j + 2, 2)
        i = j + 1
    return ranks


def spearman_ref(xs, ys):
    rx, ry = avg_ranks(xs), avg_ranks(ys)
    n = len(xs)
    mx, my = sum(rx) / n, sum(ry) / n
    num = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    den2 = sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry)
    rho = mpmath.mpf(num.numerator) / num.denominator / sqrt(den2)
    t = rho * mpmath.sqrt((n - 2) / (1 - rho * rho))
    return rho, check_p(t, n - 2)


def regress():
    print("== OLS on RX, RY")
    f = ols(RX, RY)
    for k in ("slope", "intercept", "se_slope", "se_int", "cov", "r2", "resid_sd"):
        show(k, f[k])
    t = (mpmath.mpf(f["slope"].numerator) / f["slope"].denominator) / f["se_slope"]
    show("t_slope", t)
    show("p_slope", check_p(t, f["n"] - 2))
    rho, p = spearman_ref(RX, RY)
    show("spearman rho", rho)
    show("spearman p", p)
    print("== Spearman with ties: SX, SY")
    rho, p = spearman_ref(SX, SY)
    show("rho", rho)
    show("p", p)
    print("== predict on RX, RY at x = 9.5, level 0.95")
    x0 = F("9.5")
    y0 = f["intercept"] + f["slope"] * x0
    se = sqrt(f["s2"] * (F(1, f["n"]) + (x0 - f["mx"]) ** 2 / f["sxx"]))
    half = t_quantile(0.975, f["n"] - 2) * se
    show("y", y0)
    show("lo", mpmath.mpf(y0.numerator) / y0.denominator - half)
    show("hi", mpmath.mpf(y0.numerator) / y0.denominator + half)


# ---- whatif, equiv, parity -----------------------------------------------------------

def misc():
    print("== parity: (51,686 + 7,571) kWh / 1.0e-4 kWh")
    show("inferences", F(51686 + 7571) / F("1e-4"))
    print("== emissions: 1 kWh (3.6e6 J) at 369.473 g/kWh, PUE 1.2")
    show("g", F(3600000) / 3600000 * F("1.2") * F("369.473"))
    print("== equivalents of 1 kWh and 1000 g")
    show("smartphone charges", 1 / F("0.019"))
    show("LED hours", F(3600000) / 36000)
    show("car km", F(1000) / (F(404) / F("1.609344")))

# ---- cluster: t over unit means, Holm -------------------------------------------------

def cluster():
    # the design of test_cluster.c: unit 1 = experiments {1,2,3}, {4,6}; unit 2 = {10};
    # unit 3 = {2,2}, {8}; unit 4 = {0.5,1.5}.  Unit means: each experiment's mean of its
    # runs, then the mean over the unit's experiments.
    units = [[[1, 2, 3], [4, 6]], [[10]], [[2, 2], [8]], [["0.5", "1.5"]]]
    m = [sum(mean(e) for e in u) / len(u) for u in units]
    print("== cluster t over unit means", [str(x) for x in m])
    mu, se = mean(m), sqrt(var(m) / len(m))
    for level in ("0.95", "0.90"):
        t = t_quantile((1 + float(level)) / 2, len(m) - 1)
        show(f"lo {level}", mpmath.mpf(mu.numerator) / mu.denominator - t * se)
        show(f"hi {level}", mpmath.mpf(mu.numerator) / mu.denominator + t * se)
    print("== Holm by hand: sorted p times (m - rank), running max, capped at 1")
    for ps in ([F("0.01"), F("0.04"), F("0.03"), F("0.005")], [F("0.6"), F("0.7")]):
        order = sorted(range(len(ps)), key=lambda i: ps[i])
        adj, run = [None] * len(ps), F(0)
        for j, i in enumerate(order):
            run = max(run, ps[i] * (len(ps) - j))
            adj[i] = min(run, F(1))
        print("  ", [str(p) for p in ps], "->", [str(a) for a in adj])


if __name__ == "__main__":
    describe()
    ci()
    compare()
    regress()
    misc()
    cluster()
