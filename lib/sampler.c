/* The dt sampler (docs/algorithm.md): scalar, normal, log-normal and gamma time
 * steps parameterised by their mean mu and sd sigma, clamped (never
 * redrawn) into [dt_min, dt_max]. GSL supplies the variates. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "common.h"

struct htsep_sampler {
    htsep_dt_dist dist;
    double mu, sigma;
    double dt_min, dt_max;
    /* Parameters of the underlying GSL distribution. */
    double p1, p2;
    gsl_rng *rng;
};

static const char *const dist_names[] = {"scalar", "normal", "lognormal",
                                         "gamma"};

static int valid_dist(htsep_dt_dist dist)
{
    return dist >= HTSEP_DT_SCALAR && dist <= HTSEP_DT_GAMMA;
}

/* Maps mean and sd onto each distribution's own parameters. */
static void set_parameters(htsep_sampler *s)
{
    double v = s->sigma * s->sigma;

    switch (s->dist) {
    case HTSEP_DT_LOGNORMAL: {
        double s2 = log1p(v / (s->mu * s->mu));

        s->p1 = log(s->mu) - s2 / 2.0; /* m */
        s->p2 = sqrt(s2);              /* s */
        break;
    }
    case HTSEP_DT_GAMMA:
        s->p1 = s->mu * s->mu / v; /* shape k */
        s->p2 = v / s->mu;         /* scale theta */
        break;
    default:
        s->p1 = s->mu;
        s->p2 = s->sigma;
        break;
    }
}

HTSEP_API htsep_status htsep_sampler_create(htsep_sampler **out,
                                            htsep_dt_dist dist, double mu,
                                            double sigma)
{
    htsep_sampler *s;

    if (!out)
        return HTSEP_E_NULL;
    *out = NULL;
    if (!valid_dist(dist))
        return HTSEP_E_ENUM;
    if (!isfinite(mu) || mu <= 0.0 || !isfinite(sigma) || sigma < 0.0)
        return HTSEP_E_VALUE;
    if ((dist == HTSEP_DT_LOGNORMAL || dist == HTSEP_DT_GAMMA) &&
        sigma <= 0.0)
        return HTSEP_E_VALUE;

    s = calloc(1, sizeof *s);
    if (!s)
        return HTSEP_E_NOMEM;
    s->rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!s->rng) {
        free(s);
        return HTSEP_E_NOMEM;
    }
    s->dist = dist;
    s->mu = mu;
    s->sigma = sigma;
    s->dt_min = 1e-3;
    s->dt_max = 0.5;
    set_parameters(s);
    /* Extreme mean/sd pairs overflow the derived parameters into NaN or
     * infinity, and NaN draws would slip through the clamp. */
    if (!isfinite(s->p1) || !isfinite(s->p2) || s->p2 < 0.0 ||
        (dist == HTSEP_DT_GAMMA && !(s->p1 > 0.0 && s->p2 > 0.0))) {
        gsl_rng_free(s->rng);
        free(s);
        return HTSEP_E_VALUE;
    }
    gsl_rng_set(s->rng, htsep__stream_seed(0, HTSEP__STREAM_DT));
    *out = s;
    return HTSEP_OK;
}

HTSEP_API void htsep_sampler_free(htsep_sampler *s)
{
    if (!s)
        return;
    gsl_rng_free(s->rng);
    free(s);
}

HTSEP_API htsep_status htsep_sampler_set_bounds(htsep_sampler *s,
                                                double dt_min, double dt_max)
{
    if (!s)
        return HTSEP_E_NULL;
    if (!isfinite(dt_min) || !isfinite(dt_max) || dt_min <= 0.0 ||
        dt_max < dt_min)
        return HTSEP_E_VALUE;
    s->dt_min = dt_min;
    s->dt_max = dt_max;
    return HTSEP_OK;
}

HTSEP_API htsep_status htsep_sampler_seed(htsep_sampler *s, uint64_t seed)
{
    if (!s)
        return HTSEP_E_NULL;
    gsl_rng_set(s->rng, htsep__stream_seed(seed, HTSEP__STREAM_DT));
    return HTSEP_OK;
}

static double draw_one(htsep_sampler *s)
{
    switch (s->dist) {
    case HTSEP_DT_NORMAL:
        return s->p1 + gsl_ran_gaussian(s->rng, s->p2);
    case HTSEP_DT_LOGNORMAL:
        return gsl_ran_lognormal(s->rng, s->p1, s->p2);
    case HTSEP_DT_GAMMA:
        return gsl_ran_gamma(s->rng, s->p1, s->p2);
    default:
        return s->mu;
    }
}

HTSEP_API htsep_status htsep_sampler_draw_unclamped(htsep_sampler *s,
                                                    double *values, size_t n)
{
    if (!s || !values)
        return HTSEP_E_NULL;
    for (size_t i = 0; i < n; i++)
        values[i] = draw_one(s);
    return HTSEP_OK;
}

HTSEP_API htsep_status htsep_sampler_draw(htsep_sampler *s, float *dt,
                                          size_t n)
{
    if (!s || !dt)
        return HTSEP_E_NULL;
    for (size_t i = 0; i < n; i++) {
        double v = draw_one(s);

        /* Clamp rather than redraw: the paper's pile-up at dt_max. */
        if (v < s->dt_min)
            v = s->dt_min;
        else if (v > s->dt_max)
            v = s->dt_max;
        dt[i] = (float)v;
    }
    return HTSEP_OK;
}

HTSEP_API const char *htsep_dt_dist_name(htsep_dt_dist dist)
{
    return valid_dist(dist) ? dist_names[dist] : "unknown";
}

HTSEP_API htsep_status htsep_dt_dist_parse(const char *name,
                                           htsep_dt_dist *out)
{
    if (!name || !out)
        return HTSEP_E_NULL;
    for (int d = HTSEP_DT_SCALAR; d <= HTSEP_DT_GAMMA; d++) {
        if (strcmp(name, dist_names[d]) == 0) {
            *out = (htsep_dt_dist)d;
            return HTSEP_OK;
        }
    }
    return HTSEP_E_ENUM;
}
