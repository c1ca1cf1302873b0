/* The network handle: creation, options, parameters and initialisation
 * (docs/algorithm.md). The dynamics live in dynamics.c. */
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "kernel.h"
#include "network_impl.h"

int htsep__valid_dt(double dt)
{
    return isfinite(dt) && dt > 0.0 && dt <= 1.0;
}

int htsep__valid_beta(double beta)
{
    return isfinite(beta) && beta > 0.0 && beta <= 1.0;
}

int htsep__valid_leak(double slope)
{
    return isfinite(slope) && slope >= 0.0 && slope < 1.0;
}

int htsep__valid_gamma(double gamma)
{
    return isfinite(gamma) && gamma >= 0.0;
}

int htsep__valid_norm(double mean, double sd)
{
    return isfinite(mean) && isfinite(sd) && sd > 0.0;
}

int htsep__all_finite(const float *v, size_t n)
{
    /* v * 0 is 0 for a finite v and NaN otherwise, so one branch-free pass
     * answers for the whole array. */
    float acc = 0.0f;

    for (size_t i = 0; i < n; i++)
        acc += v[i] * 0.0f;
    return acc == 0.0f;
}

static void workspace_release(struct htsep_workspace *ws)
{
    htsep__free_floats(ws->xs);
    htsep__free_floats(ws->drive);
    htsep__free_floats(ws->a_h);
    htsep__free_floats(ws->a_y);
    htsep__free_floats(ws->h);
    htsep__free_floats(ws->y);
    memset(ws, 0, sizeof *ws);
}

htsep_status htsep__workspace_reserve(htsep_network *net, size_t batch)
{
    struct htsep_workspace fresh = {0};
    int overflow = 0;
    size_t n_x = htsep__mul_size(batch, net->n_in, &overflow);
    size_t n_h = htsep__mul_size(batch, net->n_h, &overflow);
    size_t n_y = htsep__mul_size(batch, net->n_out, &overflow);

    if (batch <= net->ws.capacity)
        return HTSEP_OK;
    if (overflow)
        return HTSEP_E_SIZE;
    fresh.capacity = batch;
    fresh.xs = htsep__alloc_floats(n_x);
    fresh.drive = htsep__alloc_floats(n_h);
    fresh.a_h = htsep__alloc_floats(n_h);
    fresh.a_y = htsep__alloc_floats(n_y);
    fresh.h = htsep__alloc_floats(n_h);
    fresh.y = htsep__alloc_floats(n_y);
    if (!fresh.xs || !fresh.drive || !fresh.a_h || !fresh.a_y || !fresh.h ||
        !fresh.y) {
        workspace_release(&fresh);
        return HTSEP_E_NOMEM;
    }
    workspace_release(&net->ws);
    net->ws = fresh;
    return HTSEP_OK;
}

HTSEP_API void htsep_network_free(htsep_network *net)
{
    if (!net)
        return;
    htsep__pool_free(net->pool);
    workspace_release(&net->ws);
    htsep__free_floats(net->scratch);
    htsep__free_floats(net->W1);
    htsep__free_floats(net->b1);
    htsep__free_floats(net->W2);
    htsep__free_floats(net->b2);
    htsep__free_floats(net->dt_h);
    free(net);
}

HTSEP_API htsep_status htsep_network_create(htsep_network **out, size_t n_in,
                                            size_t n_h, size_t n_out)
{
    htsep_network *net;
    int overflow = 0;
    size_t n_w1, n_w2;

    if (!out)
        return HTSEP_E_NULL;
    *out = NULL;
    n_w1 = htsep__mul_size(n_in, n_h, &overflow);
    n_w2 = htsep__mul_size(n_h, n_out, &overflow);
    /* The BLAS takes int dimensions. */
    if (n_in == 0 || n_h == 0 || n_out == 0 || overflow || n_in > INT32_MAX ||
        n_h > INT32_MAX || n_out > INT32_MAX)
        return HTSEP_E_SIZE;

    net = calloc(1, sizeof *net);
    if (!net)
        return HTSEP_E_NOMEM;
    net->n_in = n_in;
    net->n_h = n_h;
    net->n_out = n_out;
    net->W1 = htsep__alloc_floats(n_w1);
    net->b1 = htsep__alloc_floats(n_h);
    net->W2 = htsep__alloc_floats(n_w2);
    net->b2 = htsep__alloc_floats(n_out);
    net->dt_h = htsep__alloc_floats(n_h);
    net->scratch = htsep__alloc_floats(HTSEP__KERNEL_SCRATCH(n_h, n_out));
    if (!net->W1 || !net->b1 || !net->W2 || !net->b2 || !net->dt_h ||
        !net->scratch) {
        htsep_network_free(net);
        return HTSEP_E_NOMEM;
    }
    for (size_t i = 0; i < n_h; i++)
        net->dt_h[i] = 0.3f;
    net->dt_y = 0.3;
    net->gamma = 1.0;
    net->beta = 1.0;
    net->leak = 0.01;
    net->in_mean = 0.0;
    net->in_sd = 1.0;
    net->t_free = 125;
    net->t_clamped = 12;
    net->clamped_start = HTSEP_CLAMPED_FROM_FREE;
    net->threads = 1;
    *out = net;
    return HTSEP_OK;
}

HTSEP_API htsep_status htsep_network_sizes(const htsep_network *net,
                                           size_t *n_in, size_t *n_h,
                                           size_t *n_out)
{
    if (!net)
        return HTSEP_E_NULL;
    if (n_in)
        *n_in = net->n_in;
    if (n_h)
        *n_h = net->n_h;
    if (n_out)
        *n_out = net->n_out;
    return HTSEP_OK;
}

/* Fills one layer's weights and biases from the weight stream. */
static void init_layer(gsl_rng *rng, htsep_init scheme, float *w, float *b,
                       size_t fan_in, size_t fan_out)
{
    size_t n = fan_in * fan_out;

    if (scheme == HTSEP_INIT_GLOROT) {
        double limit = sqrt(6.0 / (double)(fan_in + fan_out));

        for (size_t i = 0; i < n; i++)
            w[i] = (float)((2.0 * gsl_rng_uniform(rng) - 1.0) * limit);
        memset(b, 0, fan_out * sizeof *b);
    } else {
        double scale = sqrt(6.0 / ((double)fan_in * (double)fan_out));

        for (size_t i = 0; i < n; i++)
            w[i] = (float)(gsl_rng_uniform(rng) * scale);
        for (size_t j = 0; j < fan_out; j++)
            b[j] = (float)(gsl_ran_gaussian(rng, 1.0) - 0.5);
    }
}

HTSEP_API htsep_status htsep_network_init_weights(htsep_network *net,
                                                  htsep_init scheme,
                                                  uint64_t seed)
{
    gsl_rng *rng;

    if (!net)
        return HTSEP_E_NULL;
    if (scheme != HTSEP_INIT_GLOROT && scheme != HTSEP_INIT_POSITIVE)
        return HTSEP_E_ENUM;
    rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng)
        return HTSEP_E_NOMEM;
    gsl_rng_set(rng, htsep__stream_seed(seed, HTSEP__STREAM_WEIGHTS));
    init_layer(rng, scheme, net->W1, net->b1, net->n_in, net->n_h);
    init_layer(rng, scheme, net->W2, net->b2, net->n_h, net->n_out);
    gsl_rng_free(rng);
    return HTSEP_OK;
}

HTSEP_API htsep_status htsep_network_draw_dt(htsep_network *net,
                                             htsep_sampler *s)
{
    float *dt;
    htsep_status st;

    if (!net || !s)
        return HTSEP_E_NULL;
    /* Drawn aside first: a sampler bounded above 1 must not leave an
     * invalid time step in the network. */
    dt = htsep__alloc_floats(net->n_h);
    if (!dt)
        return HTSEP_E_NOMEM;
    st = htsep_sampler_draw(s, dt, net->n_h);
    if (st == HTSEP_OK)
        st = htsep_network_set_dt(net, dt, net->n_h);
    htsep__free_floats(dt);
    return st;
}

HTSEP_API htsep_status htsep_network_set_dt(htsep_network *net,
                                            const float *dt_h, size_t n)
{
    if (!net || !dt_h)
        return HTSEP_E_NULL;
    if (n != net->n_h)
        return HTSEP_E_MISMATCH;
    for (size_t i = 0; i < n; i++)
        if (!htsep__valid_dt(dt_h[i]))
            return HTSEP_E_VALUE;
    memcpy(net->dt_h, dt_h, n * sizeof *dt_h);
    return HTSEP_OK;
}

HTSEP_API htsep_status htsep_network_get_dt(const htsep_network *net,
                                            float *dt_h, size_t n)
{
    if (!net || !dt_h)
        return HTSEP_E_NULL;
    if (n != net->n_h)
        return HTSEP_E_MISMATCH;
    memcpy(dt_h, net->dt_h, n * sizeof *dt_h);
    return HTSEP_OK;
}

/* The scalar options share one shape: validate, then store or load. */
#define SCALAR_OPTION(name, field, valid)                                    \
    HTSEP_API htsep_status htsep_network_set_##name(htsep_network *net,      \
                                                    double value)            \
    {                                                                        \
        if (!net)                                                            \
            return HTSEP_E_NULL;                                             \
        if (!valid(value))                                                   \
            return HTSEP_E_VALUE;                                            \
        net->field = value;                                                  \
        return HTSEP_OK;                                                     \
    }                                                                        \
    HTSEP_API htsep_status htsep_network_get_##name(                         \
        const htsep_network *net, double *value)                             \
    {                                                                        \
        if (!net || !value)                                                  \
            return HTSEP_E_NULL;                                             \
        *value = net->field;                                                 \
        return HTSEP_OK;                                                     \
    }

SCALAR_OPTION(dt_y, dt_y, htsep__valid_dt)
SCALAR_OPTION(gamma, gamma, htsep__valid_gamma)
SCALAR_OPTION(beta, beta, htsep__valid_beta)
SCALAR_OPTION(leak, leak, htsep__valid_leak)

HTSEP_API htsep_status htsep_network_set_steps(htsep_network *net,
                                               unsigned t_free,
                                               unsigned t_clamped)
{
    if (!net)
        return HTSEP_E_NULL;
    if (t_free == 0 || t_clamped == 0)
        return HTSEP_E_VALUE;
    net->t_free = t_free;
    net->t_clamped = t_clamped;
    return HTSEP_OK;
}

HTSEP_API htsep_status htsep_network_get_steps(const htsep_network *net,
                                               unsigned *t_free,
                                               unsigned *t_clamped)
{
    if (!net || !t_free || !t_clamped)
        return HTSEP_E_NULL;
    *t_free = net->t_free;
    *t_clamped = net->t_clamped;
    return HTSEP_OK;
}

HTSEP_API htsep_status
htsep_network_set_clamped_start(htsep_network *net, htsep_clamped_start start)
{
    if (!net)
        return HTSEP_E_NULL;
    if (start != HTSEP_CLAMPED_FROM_FREE && start != HTSEP_CLAMPED_FROM_ZERO)
        return HTSEP_E_ENUM;
    net->clamped_start = start;
    return HTSEP_OK;
}

HTSEP_API htsep_status
htsep_network_get_clamped_start(const htsep_network *net,
                                htsep_clamped_start *start)
{
    if (!net || !start)
        return HTSEP_E_NULL;
    *start = net->clamped_start;
    return HTSEP_OK;
}

HTSEP_API htsep_status htsep_network_set_input_norm(htsep_network *net,
                                                    double mean, double sd)
{
    if (!net)
        return HTSEP_E_NULL;
    if (!htsep__valid_norm(mean, sd))
        return HTSEP_E_VALUE;
    net->in_mean = mean;
    net->in_sd = sd;
    return HTSEP_OK;
}

HTSEP_API htsep_status htsep_network_get_input_norm(const htsep_network *net,
                                                    double *mean, double *sd)
{
    if (!net || !mean || !sd)
        return HTSEP_E_NULL;
    *mean = net->in_mean;
    *sd = net->in_sd;
    return HTSEP_OK;
}

HTSEP_API htsep_status htsep_network_set_threads(htsep_network *net,
                                                 unsigned threads)
{
    struct htsep__pool *pool = NULL;
    float *scratch;
    htsep_status st;

    if (!net)
        return HTSEP_E_NULL;
    if (threads == 0 || threads > 1024)
        return HTSEP_E_VALUE;
    /* The library splits its products over its own threads (gemm.h). */
    htsep__blas_set_threads(1);
    if (threads == net->threads)
        return HTSEP_OK;
    scratch = htsep__alloc_floats(threads *
                                  HTSEP__KERNEL_SCRATCH(net->n_h, net->n_out));
    if (!scratch)
        return HTSEP_E_NOMEM;
    if (threads > 1) {
        st = htsep__pool_create(&pool, threads);
        if (st != HTSEP_OK) {
            htsep__free_floats(scratch);
            return st;
        }
    }
    htsep__pool_free(net->pool);
    htsep__free_floats(net->scratch);
    net->pool = pool;
    net->scratch = scratch;
    net->threads = threads;
    return HTSEP_OK;
}

HTSEP_API htsep_status htsep_network_get_threads(const htsep_network *net,
                                                 unsigned *threads)
{
    if (!net || !threads)
        return HTSEP_E_NULL;
    *threads = net->threads;
    return HTSEP_OK;
}

void htsep__params(const htsep_network *net,
                   struct htsep__param p[HTSEP__PARAMS])
{
    p[HTSEP__W1] = (struct htsep__param){net->W1, net->n_in * net->n_h};
    p[HTSEP__B1] = (struct htsep__param){net->b1, net->n_h};
    p[HTSEP__W2] = (struct htsep__param){net->W2, net->n_h * net->n_out};
    p[HTSEP__B2] = (struct htsep__param){net->b2, net->n_out};
}

int htsep__params_finite(const htsep_network *net)
{
    struct htsep__param p[HTSEP__PARAMS];

    htsep__params(net, p);
    for (int i = 0; i < HTSEP__PARAMS; i++)
        if (!htsep__all_finite(p[i].v, p[i].n))
            return 0;
    return 1;
}

/* The array behind a layer's (1 or 2) weights or biases; NULL for any
 * other layer. */
static float *layer_array(const htsep_network *net, unsigned layer,
                          int biases, size_t *len)
{
    struct htsep__param p[HTSEP__PARAMS];
    int i = (int)(layer - 1) * 2 + (biases != 0);

    if (layer != 1 && layer != 2)
        return NULL;
    htsep__params(net, p);
    *len = p[i].n;
    return p[i].v;
}

static htsep_status copy_in(htsep_network *net, unsigned layer, int biases,
                            const float *src, size_t n)
{
    size_t len = 0;
    float *dst;

    if (!net || !src)
        return HTSEP_E_NULL;
    dst = layer_array(net, layer, biases, &len);
    if (!dst)
        return HTSEP_E_VALUE;
    if (n != len)
        return HTSEP_E_MISMATCH;
    if (!htsep__all_finite(src, n))
        return HTSEP_E_VALUE;
    memcpy(dst, src, n * sizeof *src);
    return HTSEP_OK;
}

static htsep_status copy_out(const htsep_network *net, unsigned layer,
                             int biases, float *dst, size_t n)
{
    size_t len = 0;
    const float *src;

    if (!net || !dst)
        return HTSEP_E_NULL;
    src = layer_array(net, layer, biases, &len);
    if (!src)
        return HTSEP_E_VALUE;
    if (n != len)
        return HTSEP_E_MISMATCH;
    memcpy(dst, src, n * sizeof *dst);
    return HTSEP_OK;
}

HTSEP_API htsep_status htsep_network_set_weights(htsep_network *net,
                                                 unsigned layer,
                                                 const float *w, size_t n)
{
    return copy_in(net, layer, 0, w, n);
}

HTSEP_API htsep_status htsep_network_get_weights(const htsep_network *net,
                                                 unsigned layer, float *w,
                                                 size_t n)
{
    return copy_out(net, layer, 0, w, n);
}

HTSEP_API htsep_status htsep_network_set_biases(htsep_network *net,
                                                unsigned layer,
                                                const float *b, size_t n)
{
    return copy_in(net, layer, 1, b, n);
}

HTSEP_API htsep_status htsep_network_get_biases(const htsep_network *net,
                                                unsigned layer, float *b,
                                                size_t n)
{
    return copy_out(net, layer, 1, b, n);
}
