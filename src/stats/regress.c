/* Scaling regression: ordinary least squares of y on x (callers pass log10 values for a
 * power law) with standard errors, R^2 and the slope's t test, plus Spearman's rank
 * correlation as the assumption-light companion.  No weighting, no robust fitting. */
#include "stats/internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_statistics_double.h>

/* Copies the complete pairs (both finite) into new arrays *vx, *vy of length *m. */
static enum wp_err complete_pairs(const double *x, const double *y, size_t n, double **vx,
                                  double **vy, size_t *m, size_t *missing)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += isfinite(x[i]) && isfinite(y[i]);
    *vx = *vy = NULL;
    *m = k;
    *missing = n - k;
    if (k == 0)
        return WP_OK;
    *vx = wp_stats_alloc(k);
    *vy = wp_stats_alloc(k);
    if (!*vx || !*vy)
        return WP_ERR_NOMEM;
    for (size_t i = 0, j = 0; i < n; i++) {
        if (isfinite(x[i]) && isfinite(y[i])) {
            (*vx)[j] = x[i];
            (*vy)[j] = y[i];
            j++;
        }
    }
    return WP_OK;
}

static bool is_constant(const double *v, size_t m)
{
    for (size_t i = 1; i < m; i++)
        if (v[i] != v[0])
            return false;
    return true;
}

/* Slope, intercept, their covariance, R^2 and the slope test; m >= 2, x not constant. */
static void least_squares(struct wp_fit *f, const double *x, const double *y, size_t m)
{
    double c0, c1, cov00, cov01, cov11, sse;
    if (gsl_fit_linear(x, 1, y, 1, m, &c0, &c1, &cov00, &cov01, &cov11, &sse) != GSL_SUCCESS
        || !isfinite(c0) || !isfinite(c1))
        return; /* leave NaN: GSL could not fit these values */
    f->intercept = c0;
    f->slope = c1;
    double sst = gsl_stats_tss(y, 1, m);
    if (sst > 0.0)
        f->r2 = 1.0 - sse / sst;
    if (m < 3)
        return; /* two points: the line is exact, its uncertainty undefined */
    /* GSL's covariances use s^2 = SSE / (n-2). */
    f->se_intercept = sqrt(cov00);
    f->se_slope = sqrt(cov11);
    f->cov_slope_intercept = cov01;
    f->resid_sd = sqrt(sse / (double)(m - 2));
    if (f->se_slope > 0.0)
        f->t_slope = f->slope / f->se_slope;
    else if (f->slope != 0.0)
        f->t_slope = copysign(INFINITY, f->slope); /* a perfect, non-flat fit */
    f->p_slope = wp_stats_t_p2(f->t_slope, f->df);
}

/* Up to this many pairs without ties, Spearman's p is exact: every one of the n!
 * orderings (362,880 at 9) is counted, as R's cor.test does by default for n <= 9.
 * Beyond, R takes AS 89's Edgeworth series (up to 1,290 pairs), which is closer than the t
 * approximation in the body of the distribution (10 pairs, S = 50: exact 0.0306, series
 * 0.0311, t 0.0251) but falls to 0 in the far tail, where strong scaling correlations
 * lie: for 10 pairs at rho >= 0.94 (S <= 10, exact p 2.1e-4), 20 pairs at rho >= 0.83.
 * A p of 0 for an ordering that happens once in 5,000 is not printed here: beyond 9 pairs
 * the t approximation is used, whose p is never 0 short of a perfect order. */
#define SPEARMAN_EXACT_MAX 9

/* The ranks 0..m-1 of v[0..m), m <= SPEARMAN_EXACT_MAX; false when two values tie. */
static bool untied_ranks(const double *v, size_t m, int *rank)
{
    size_t order[SPEARMAN_EXACT_MAX];
    for (size_t i = 0; i < m; i++) { /* insertion sort of the indices by value */
        size_t j = i;
        for (; j > 0 && v[order[j - 1]] > v[i]; j--)
            order[j] = order[j - 1];
        order[j] = i;
    }
    for (size_t k = 0; k < m; k++) {
        if (k + 1 < m && v[order[k]] == v[order[k + 1]])
            return false;
        rank[order[k]] = (int)k;
    }
    return true;
}

/* The exact two-sided p of Spearman's S = sum of squared rank differences, m <= 9 and no
 * ties: the share of the m! orderings with S at most the observed one (or at least, when
 * it lies above S's mean (m^3 - m) / 6), doubled and at most 1 -- R's cor.test(method =
 * "spearman") for n <= 9.  The orderings are visited by Heap's algorithm, S kept up to date
 * at each swap. */
static double spearman_exact_p(const int *rx, const int *ry, size_t m)
{
    long s_obs = 0;
    for (size_t i = 0; i < m; i++)
        s_obs += (long)(rx[i] - ry[i]) * (rx[i] - ry[i]);
    long mean = ((long)m * (long)m * (long)m - (long)m) / 6;
    int perm[SPEARMAN_EXACT_MAX], c[SPEARMAN_EXACT_MAX] = {0};
    for (size_t i = 0; i < m; i++)
        perm[i] = (int)i;
    long s = 0, total = 1, below = 1, above = s_obs == 0; /* the identity: S = 0 */
    for (size_t i = 1; i < m;) {
        if (c[i] < (int)i) {
            size_t a = i % 2 ? (size_t)c[i] : 0, b = i;
            long da = (long)a - perm[a], db = (long)b - perm[b];
            s -= da * da + db * db;
            int t = perm[a];
            perm[a] = perm[b];
            perm[b] = t;
            da = (long)a - perm[a];
            db = (long)b - perm[b];
            s += da * da + db * db;
            total++;
            below += s <= s_obs;
            above += s >= s_obs;
            c[i]++;
            i = 1;
        } else {
            c[i++] = 0;
        }
    }
    double p = 2.0 * (double)(s_obs <= mean ? below : above) / (double)total;
    return p < 1.0 ? p : 1.0;
}

/* Whether two of v[0..m) are equal; -1 when out of memory. */
static int has_ties(const double *v, size_t m)
{
    double *c = wp_stats_alloc(m);
    if (!c)
        return -1;
    memcpy(c, v, m * sizeof *c);
    gsl_sort(c, 1, m);
    int tie = 0;
    for (size_t i = 1; i < m && !tie; i++)
        tie = c[i] == c[i - 1];
    free(c);
    return tie;
}

/* Spearman's rho with its two-sided p: exact for 3 to SPEARMAN_EXACT_MAX pairs without
 * ties; else the t approximation, except for a perfect order without ties, whose p is
 * exactly 2 / n! (the t statistic is infinite there); m >= 2, neither variable constant. */
static enum wp_err spearman(struct wp_fit *f, const double *x, const double *y, size_t m)
{
    double *work = m > SIZE_MAX / 2 ? NULL : wp_stats_alloc(2 * m);
    if (!work)
        return WP_ERR_NOMEM;
    double rho = gsl_stats_spearman(x, 1, y, 1, m, work); /* ties get average ranks */
    free(work);
    if (!isfinite(rho))
        return WP_OK;
    rho = rho > 1.0 ? 1.0 : rho < -1.0 ? -1.0 : rho;
    f->spearman_rho = rho;
    if (m < 3)
        return WP_OK;
    int rx[SPEARMAN_EXACT_MAX], ry[SPEARMAN_EXACT_MAX];
    bool exact = m <= SPEARMAN_EXACT_MAX && untied_ranks(x, m, rx) && untied_ranks(y, m, ry);
    if (exact) {
        f->spearman_p = spearman_exact_p(rx, ry, m);
        return WP_OK;
    }
    if (fabs(rho) == 1.0) {
        int tx = has_ties(x, m), ty = tx ? tx : has_ties(y, m);
        if (tx < 0 || ty < 0)
            return WP_ERR_NOMEM;
        f->spearman_p = 0.0; /* ties: the t statistic is infinite */
        if (!tx && !ty)
            f->spearman_p = 2.0 * exp(-lgamma((double)m + 1.0));
        return WP_OK;
    }
    f->spearman_p = wp_stats_t_p2(rho * sqrt(f->df / (1.0 - rho * rho)), f->df);
    return WP_OK;
}

enum wp_err wp_stats_fit_linear(const double *x, const double *y, size_t n,
                                struct wp_fit *out)
{
    if (!out)
        return WP_ERR_USAGE;
    *out = (struct wp_fit){
        .slope = NAN, .intercept = NAN, .se_slope = NAN, .se_intercept = NAN,
        .cov_slope_intercept = NAN, .r2 = NAN, .resid_sd = NAN, .df = NAN,
        .t_slope = NAN, .p_slope = NAN, .spearman_rho = NAN, .spearman_p = NAN,
    };
    if ((!x || !y) && n > 0)
        return WP_ERR_USAGE;
    double *vx = NULL, *vy = NULL;
    size_t m;
    enum wp_err e = complete_pairs(x, y, n, &vx, &vy, &m, &out->n_missing);
    if (e == WP_OK)
        e = wp_stats_sized(m, &out->n, &out->is_small);
    if (e != WP_OK)
        goto out;
    if (m >= 2)
        out->df = (double)(m - 2);
    if (m < 2 || is_constant(vx, m))
        goto out; /* no line through one x value */
    least_squares(out, vx, vy, m);
    if (!is_constant(vy, m))
        e = spearman(out, vx, vy, m);
out:
    free(vy);
    free(vx);
    return e;
}

enum wp_err wp_stats_fit_predict(const struct wp_fit *fit, double x, double level,
                                 double *y, double *lo, double *hi)
{
    if (!fit || !y || !lo || !hi)
        return WP_ERR_USAGE;
    *y = *lo = *hi = NAN;
    if (!(level > 0.0 && level < 1.0) || !isfinite(x))
        return WP_ERR_USAGE;
    if (!isfinite(fit->slope) || !isfinite(fit->intercept))
        return WP_OK;
    *y = fit->intercept + fit->slope * x;
    if (!(fit->n >= 3) || !isfinite(fit->se_slope))
        return WP_OK;
    double cov00 = fit->se_intercept * fit->se_intercept;
    double cov11 = fit->se_slope * fit->se_slope;
    double est, se;
    if (gsl_fit_linear_est(x, fit->intercept, fit->slope, cov00, fit->cov_slope_intercept,
                           cov11, &est, &se) != GSL_SUCCESS)
        return WP_OK;
    double half = wp_stats_t_crit(level, fit->df) * se;
    *lo = est - half;
    *hi = est + half;
    return WP_OK;
}

/* ---- the slope within groups (a fixed group term) ---------------------------------- */

enum wp_err wp_stats_fit_within(const double *x, const double *y, const long long *group,
                                size_t n, struct wp_fit *out, size_t *n_groups)
{
    if (!out || !n_groups)
        return WP_ERR_USAGE;
    *n_groups = 0;
    *out = (struct wp_fit){
        .slope = NAN, .intercept = NAN, .se_slope = NAN, .se_intercept = NAN,
        .cov_slope_intercept = NAN, .r2 = NAN, .resid_sd = NAN, .df = NAN,
        .t_slope = NAN, .p_slope = NAN, .spearman_rho = NAN, .spearman_p = NAN,
    };
    if ((!x || !y || !group) && n > 0)
        return WP_ERR_USAGE;
    long long *ids = malloc((n ? n : 1) * sizeof *ids);
    size_t *g = malloc((n ? n : 1) * sizeof *g);
    double *sx = calloc(n ? n : 1, sizeof *sx), *sy = calloc(n ? n : 1, sizeof *sy);
    size_t *cnt = calloc(n ? n : 1, sizeof *cnt);
    enum wp_err e = WP_OK;
    if (!ids || !g || !sx || !sy || !cnt) {
        e = WP_ERR_NOMEM;
        goto out;
    }
    size_t k = 0, m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i])) {
            out->n_missing++;
            continue;
        }
        size_t j = 0;
        while (j < k && ids[j] != group[i])
            j++;
        if (j == k)
            ids[k++] = group[i];
        g[i] = j;
        sx[j] += x[i];
        sy[j] += y[i];
        cnt[j]++;
        m++;
    }
    *n_groups = k;
    out->n = m;
    out->is_small = m < k + 2;
    if (!m) {
        e = WP_ERR_EMPTY;
        goto out;
    }
    /* each group's means removed: what is left varies within groups only */
    double sxx = 0, sxy = 0, syy = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i]))
            continue;
        double dx = x[i] - sx[g[i]] / (double)cnt[g[i]], dy = y[i] - sy[g[i]] / (double)cnt[g[i]];
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
    }
    if (!(sxx > 0))
        goto out; /* x never varies within a group */
    out->slope = sxy / sxx;
    double gx = 0, gy = 0; /* grand means: the drawn line passes through them */
    for (size_t j = 0; j < k; j++) {
        gx += sx[j];
        gy += sy[j];
    }
    out->intercept = gy / (double)m - out->slope * (gx / (double)m);
    double sse = syy - out->slope * sxy;
    sse = sse > 0 ? sse : 0;
    if (syy > 0)
        out->r2 = 1.0 - sse / syy; /* within R^2 */
    if (m < k + 2)
        goto out;
    out->df = (double)(m - k - 1); /* one slope and k group means */
    out->resid_sd = sqrt(sse / out->df);
    out->se_slope = out->resid_sd / sqrt(sxx);
    if (out->se_slope > 0.0)
        out->t_slope = out->slope / out->se_slope;
    else if (out->slope != 0.0)
        out->t_slope = copysign(INFINITY, out->slope);
    out->p_slope = wp_stats_t_p2(out->t_slope, out->df);
out:
    free(ids);
    free(g);
    free(sx);
    free(sy);
    free(cnt);
    return e;
}
