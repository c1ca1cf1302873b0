/* The network dynamics (docs/algorithm.md): synchronous leaky integration of
 * the hidden and output layers, the free and clamped phases, prediction and
 * evaluation. The batch-wide products (the input drive) go through CBLAS;
 * the per-step products run in the fused kernel of kernel.c. */
#include <string.h>

#include <cblas.h>

#include "dataset_impl.h"
#include "gemm.h"
#include "kernel.h"
#include "network_impl.h"

/* Rows of a data set evaluated at once: large enough for efficient BLAS
 * calls, small enough that the workspace stays a few megabytes. */
#define EVAL_CHUNK 1000

void htsep__compute_drive(htsep_network *net, const float *x, size_t batch)
{
    const size_t n_in = net->n_in, n_h = net->n_h;
    float *xs = net->ws.xs, *drive = net->ws.drive;
    const float mean = (float)net->in_mean;
    const float inv_sd = (float)(1.0 / net->in_sd);

    for (size_t i = 0; i < batch * n_in; i++)
        xs[i] = (x[i] - mean) * inv_sd;
    for (size_t r = 0; r < batch; r++)
        memcpy(drive + r * n_h, net->b1, n_h * sizeof *drive);
    /* drive (B x n_h) += xs (B x n_in) W1 (n_in x n_h) */
    htsep__gemm(net->pool, 0, batch, n_h, n_in, 1.0f, xs, n_in, net->W1,
                n_h, 1.0f, drive, n_h);
}

/* h <- h + dt_h (.) (f(a_h) - h), f the leaky ReLU; one row of B. */
static void update_hidden(float *h, const float *a_h, const float *dt_h,
                          float leak, size_t n_h)
{
    for (size_t j = 0; j < n_h; j++) {
        float a = a_h[j];
        float f = a > 0.0f ? a : leak * a;

        h[j] += dt_h[j] * (f - h[j]);
    }
}

/* y <- y + dt_y (g(a_y) - y), g the logistic sigmoid, then the clamp
 * y <- (1 - beta) y + beta t when a target is given; one row of B. */
static void update_output(float *y, const float *a_y, const float *t,
                          float dt_y, float beta, size_t n_out)
{
    for (size_t k = 0; k < n_out; k++) {
        float g = 1.0f / (1.0f + expf(-a_y[k]));

        y[k] += dt_y * (g - y[k]);
        if (t)
            y[k] = (1.0f - beta) * y[k] + beta * t[k];
    }
}

/* One job of the thread pool: a contiguous share of the batch's rows.
 * Every example relaxes on its own, so the split does not change any
 * result. */
struct relax_job {
    const struct htsep__relax_args *args;
    const float *drive;
    float *h, *y;
    const float *target;
    size_t batch;
    float *scratch;
};

static void relax_part(void *ctx, unsigned part, unsigned parts)
{
    const struct relax_job *job = ctx;
    size_t first = job->batch * part / parts;
    size_t last = job->batch * (part + 1) / parts;
    size_t per_thread =
        HTSEP__KERNEL_SCRATCH(job->args->n_h, job->args->n_out);

    htsep__relax_rows(job->args, job->drive, job->h, job->y, job->target,
                      first, last, job->scratch + part * per_thread);
}

void htsep__relax(htsep_network *net, const float *drive, size_t batch,
                  float *h, float *y, unsigned steps, const float *target)
{
    const size_t n_h = net->n_h, n_out = net->n_out;
    struct htsep__relax_args args = {
        .n_h = n_h, .n_out = n_out, .W2 = net->W2, .b2 = net->b2,
        .dt_h = net->dt_h, .gamma = (float)net->gamma,
        .leak = (float)net->leak, .dt_y = (float)net->dt_y,
        .beta = (float)net->beta, .steps = steps};

    if (net->reference_path) {
        htsep__relax_reference(net, drive, batch, h, y, steps, target);
        return;
    }
    if (net->pool && batch > 1) {
        struct relax_job job = {&args, drive, h, y, target, batch,
                                net->scratch};

        htsep__pool_run(net->pool, relax_part, &job);
    } else {
        htsep__relax_rows(&args, drive, h, y, target, 0, batch,
                          net->scratch);
    }
}

void htsep__relax_reference(htsep_network *net, const float *drive,
                            size_t batch, float *h, float *y, unsigned steps,
                            const float *target)
{
    const size_t n_h = net->n_h, n_out = net->n_out;
    float *a_h = net->ws.a_h, *a_y = net->ws.a_y;
    const float gamma = (float)net->gamma, leak = (float)net->leak;
    const float dt_y = (float)net->dt_y, beta = (float)net->beta;

    for (unsigned s = 0; s < steps; s++) {
        /* Both pre-activations read the previous state: synchronous. */
        memcpy(a_h, drive, batch * n_h * sizeof *a_h);
        /* a_h (B x n_h) += gamma y (B x n_out) W2^T (n_out x n_h) */
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)batch,
                    (int)n_h, (int)n_out, gamma, y, (int)n_out, net->W2,
                    (int)n_out, 1.0f, a_h, (int)n_h);
        for (size_t r = 0; r < batch; r++)
            memcpy(a_y + r * n_out, net->b2, n_out * sizeof *a_y);
        /* a_y (B x n_out) += h (B x n_h) W2 (n_h x n_out) */
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)batch,
                    (int)n_out, (int)n_h, 1.0f, h, (int)n_h, net->W2,
                    (int)n_out, 1.0f, a_y, (int)n_out);

        for (size_t r = 0; r < batch; r++) {
            update_hidden(h + r * n_h, a_h + r * n_h, net->dt_h, leak, n_h);
            update_output(y + r * n_out, a_y + r * n_out,
                          target ? target + r * n_out : NULL, dt_y, beta,
                          n_out);
        }
    }
}

HTSEP_API htsep_status htsep_network_relax(htsep_network *net,
                                           const float *x, size_t batch,
                                           float *h, float *y,
                                           unsigned steps,
                                           const float *target)
{
    htsep_status st;

    if (!net || !x || !h || !y)
        return HTSEP_E_NULL;
    if (batch == 0 || batch > INT32_MAX)
        return HTSEP_E_SIZE;
    st = htsep__workspace_reserve(net, batch);
    if (st != HTSEP_OK)
        return st;
    htsep__compute_drive(net, x, batch);
    htsep__relax(net, net->ws.drive, batch, h, y, steps, target);
    if (!htsep__all_finite(h, batch * net->n_h) ||
        !htsep__all_finite(y, batch * net->n_out))
        return HTSEP_E_DIVERGED;
    return HTSEP_OK;
}

/* Index of the largest of n values; the first one on ties. */
static unsigned argmax(const float *v, size_t n)
{
    size_t best = 0;

    for (size_t k = 1; k < n; k++)
        if (v[k] > v[best])
            best = k;
    return (unsigned)best;
}

/* Free phase from zero on a batch already reserved in the workspace; the
 * output state is left in ws.y. */
static void free_phase(htsep_network *net, const float *x, size_t batch)
{
    memset(net->ws.h, 0, batch * net->n_h * sizeof(float));
    memset(net->ws.y, 0, batch * net->n_out * sizeof(float));
    htsep__compute_drive(net, x, batch);
    htsep__relax(net, net->ws.drive, batch, net->ws.h, net->ws.y,
                 net->t_free, NULL);
}

HTSEP_API htsep_status htsep_network_predict(htsep_network *net,
                                             const float *x, size_t batch,
                                             float *y, unsigned *labels)
{
    htsep_status st;

    if (!net || !x)
        return HTSEP_E_NULL;
    if (batch == 0 || batch > INT32_MAX)
        return HTSEP_E_SIZE;
    st = htsep__workspace_reserve(net, batch);
    if (st != HTSEP_OK)
        return st;
    free_phase(net, x, batch);
    if (!htsep__all_finite(net->ws.y, batch * net->n_out))
        return HTSEP_E_DIVERGED;
    if (y)
        memcpy(y, net->ws.y, batch * net->n_out * sizeof *y);
    if (labels)
        for (size_t r = 0; r < batch; r++)
            labels[r] = argmax(net->ws.y + r * net->n_out, net->n_out);
    return HTSEP_OK;
}

HTSEP_API htsep_status htsep_network_evaluate(htsep_network *net,
                                              const htsep_dataset *data,
                                              double *accuracy)
{
    size_t chunk, correct = 0;
    htsep_status st;

    if (!net || !data || !accuracy)
        return HTSEP_E_NULL;
    if (data->n_features != net->n_in || data->n_classes > net->n_out)
        return HTSEP_E_MISMATCH;
    chunk = data->count < EVAL_CHUNK ? data->count : EVAL_CHUNK;
    st = htsep__workspace_reserve(net, chunk);
    if (st != HTSEP_OK)
        return st;

    for (size_t first = 0; first < data->count; first += chunk) {
        size_t b = data->count - first < chunk ? data->count - first : chunk;

        free_phase(net, data->x + first * data->n_features, b);
        if (!htsep__all_finite(net->ws.y, b * net->n_out))
            return HTSEP_E_DIVERGED;
        for (size_t r = 0; r < b; r++)
            if (argmax(net->ws.y + r * net->n_out, net->n_out) ==
                data->labels[first + r])
                correct++;
    }
    *accuracy = (double)correct / (double)data->count;
    return HTSEP_OK;
}
