/* One training step on a batch (docs/algorithm.md): the free phase, the
 * clamped phase, the predictive learning rule and the optimiser update. */
#include <string.h>

#include "gemm.h"
#include "trainer_impl.h"

double htsep__rate(const htsep_trainer *tr, int layer)
{
    double alpha = layer == 1 ? tr->alpha1 : tr->alpha2;

    return alpha * pow(tr->decay, (double)tr->epoch);
}

/* Adds the batch's loss 0.5 |y - t|^2 and correct guesses to the epoch's
 * running figures. */
static void score_free_phase(htsep_trainer *tr, const uint8_t *labels,
                             size_t batch)
{
    const size_t n_out = tr->net->n_out;

    for (size_t r = 0; r < batch; r++) {
        const float *y = tr->y_free + r * n_out;
        const float *t = tr->tb + r * n_out;
        size_t best = 0;
        double loss = 0.0;

        for (size_t k = 0; k < n_out; k++) {
            double d = (double)y[k] - (double)t[k];

            loss += 0.5 * d * d;
            if (y[k] > y[best])
                best = k;
        }
        tr->loss_sum += loss;
        tr->correct += best == labels[r];
    }
    tr->seen += batch;
}

/* a <- b - a, so that the free state becomes clamped minus free. */
static void subtract_from(float *a, const float *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        a[i] = b[i] - a[i];
}

/* out = scale * (sum of the batch's rows of d), d being batch x n. */
static void column_sums(float *out, const float *d, size_t batch, size_t n,
                        float scale)
{
    memset(out, 0, n * sizeof *out);
    for (size_t r = 0; r < batch; r++)
        for (size_t j = 0; j < n; j++)
            out[j] += d[r * n + j];
    for (size_t j = 0; j < n; j++)
        out[j] *= scale;
}

/* The rule's directions (docs/algorithm.md) divided by B (and beta on request):
 * dW1 = x^T (h_c - h_f), db1 = sum (h_c - h_f),
 * dW2 = h_c^T (y_c - y_f), db2 = sum (y_c - y_f). */
static void directions(htsep_trainer *tr, size_t batch)
{
    htsep_network *net = tr->net;
    const size_t n_in = net->n_in, n_h = net->n_h, n_out = net->n_out;
    double divisor = (double)batch * (tr->divide_by_beta ? net->beta : 1.0);
    const float scale = (float)(1.0 / divisor);
    const float *dh = tr->h_free, *dy = tr->y_free;

    htsep__gemm(net->pool, 1, n_in, n_h, batch, scale, net->ws.xs, n_in, dh,
                n_h, 0.0f, tr->grad[HTSEP__W1], n_h);
    column_sums(tr->grad[HTSEP__B1], dh, batch, n_h, scale);
    htsep__gemm(net->pool, 1, n_h, n_out, batch, scale, tr->h, n_h, dy,
                n_out, 0.0f, tr->grad[HTSEP__W2], n_out);
    column_sums(tr->grad[HTSEP__B2], dy, batch, net->n_out, scale);
}

static void apply_update(htsep_trainer *tr)
{
    struct htsep__param p[HTSEP__PARAMS];
    const double lr1 = htsep__rate(tr, 1), lr2 = htsep__rate(tr, 2);

    htsep__params(tr->net, p);
    tr->opt.t++;
    for (int i = 0; i < HTSEP__PARAMS; i++)
        htsep__opt_step(&tr->opt, p[i].v, tr->grad[i], tr->m[i], tr->v[i],
                        p[i].n, i < HTSEP__W2 ? lr1 : lr2);
}

htsep_status htsep__learn_batch(htsep_trainer *tr, const uint8_t *labels,
                                size_t batch)
{
    htsep_network *net = tr->net;
    const size_t n_hs = batch * net->n_h, n_ys = batch * net->n_out;

    htsep__compute_drive(net, tr->xb, batch);

    /* Free phase from rest. */
    memset(tr->h, 0, n_hs * sizeof(float));
    memset(tr->y, 0, n_ys * sizeof(float));
    htsep__relax(net, net->ws.drive, batch, tr->h, tr->y, net->t_free, NULL);
    memcpy(tr->h_free, tr->h, n_hs * sizeof(float));
    memcpy(tr->y_free, tr->y, n_ys * sizeof(float));
    if (!htsep__all_finite(tr->h_free, n_hs) ||
        !htsep__all_finite(tr->y_free, n_ys))
        return HTSEP_E_DIVERGED;
    score_free_phase(tr, labels, batch);

    /* Clamped phase, from the free state or from rest. */
    if (net->clamped_start == HTSEP_CLAMPED_FROM_ZERO) {
        memset(tr->h, 0, n_hs * sizeof(float));
        memset(tr->y, 0, n_ys * sizeof(float));
    }
    htsep__relax(net, net->ws.drive, batch, tr->h, tr->y, net->t_clamped,
                 tr->tb);
    if (!htsep__all_finite(tr->h, n_hs) || !htsep__all_finite(tr->y, n_ys))
        return HTSEP_E_DIVERGED;

    subtract_from(tr->h_free, tr->h, n_hs);
    subtract_from(tr->y_free, tr->y, n_ys);
    directions(tr, batch);
    apply_update(tr);
    return HTSEP_OK;
}
