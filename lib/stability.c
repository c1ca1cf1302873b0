/* The stability figures of an epoch (docs/algorithm.md, "Stability
 * figures"), measured on a fixed probe set so that epochs compare: the
 * free phase's last change, the hidden units that never or always fire,
 * and the weight norms. */
#include <math.h>
#include <string.h>

#include "dataset_impl.h"
#include "trainer_impl.h"

void htsep__stability_clear(htsep_trainer *tr)
{
    tr->stab.free_residual = tr->stab.dead_share = NAN;
    tr->stab.saturated_share = tr->stab.w1_norm = tr->stab.w2_norm = NAN;
}

size_t htsep__probe_rows(const htsep_dataset *probe)
{
    return probe->count < HTSEP__PROBE_ROWS ? probe->count
                                            : HTSEP__PROBE_ROWS;
}

static double frobenius(const float *v, size_t n)
{
    double sum = 0.0;

    for (size_t i = 0; i < n; i++)
        sum += (double)v[i] * (double)v[i];
    return sqrt(sum);
}

/* Runs the free phase on the probe rows, keeping the state one step
 * before its end in ws.a_h (a buffer only the reference path uses). */
static void probe_free_phase(htsep_network *net, const float *x, size_t rows)
{
    const size_t n_hs = rows * net->n_h;
    const unsigned before = net->t_free > 0 ? net->t_free - 1 : 0;

    htsep__compute_drive(net, x, rows);
    memset(net->ws.h, 0, n_hs * sizeof(float));
    memset(net->ws.y, 0, rows * net->n_out * sizeof(float));
    htsep__relax(net, net->ws.drive, rows, net->ws.h, net->ws.y, before,
                 NULL);
    memcpy(net->ws.a_h, net->ws.h, n_hs * sizeof(float));
    if (net->t_free > 0)
        htsep__relax(net, net->ws.drive, rows, net->ws.h, net->ws.y, 1,
                     NULL);
}

htsep_status htsep__measure_stability(htsep_trainer *tr,
                                      const htsep_dataset *probe)
{
    htsep_network *net = tr->net;
    const size_t rows = htsep__probe_rows(probe), n_h = net->n_h;
    const float *h = net->ws.h, *before = net->ws.a_h;
    double residual = 0.0;
    size_t dead = 0, always = 0;

    probe_free_phase(net, probe->x, rows);
    if (!htsep__all_finite(h, rows * n_h) ||
        !htsep__all_finite(net->ws.y, rows * net->n_out))
        return HTSEP_E_DIVERGED;
    for (size_t i = 0; i < rows * n_h; i++) {
        double d = fabs((double)h[i] - (double)before[i]);

        if (d > residual)
            residual = d;
    }
    for (size_t j = 0; j < n_h; j++) {
        size_t active = 0;

        for (size_t r = 0; r < rows; r++)
            active += h[r * n_h + j] > 0.0f;
        dead += active == 0;
        always += active == rows;
    }
    tr->stab.free_residual = residual;
    tr->stab.dead_share = (double)dead / (double)n_h;
    tr->stab.saturated_share = (double)always / (double)n_h;
    tr->stab.w1_norm = frobenius(net->W1, net->n_in * n_h);
    tr->stab.w2_norm = frobenius(net->W2, n_h * net->n_out);
    return HTSEP_OK;
}
