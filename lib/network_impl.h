/* Layout of the network handle, shared by the network, dynamics, trainer
 * and checkpoint modules. */
#ifndef HTSEP_NETWORK_IMPL_H
#define HTSEP_NETWORK_IMPL_H

#include "common.h"
#include "pool.h"

/* Scratch buffers for one batch, grown (never shrunk) to the largest batch
 * seen, so repeated calls with the same batch size allocate nothing. */
struct htsep_workspace {
    size_t capacity; /* batch rows the buffers hold */
    float *xs;       /* capacity x n_in: standardised input */
    float *drive;    /* capacity x n_h: x W1 + b1 */
    float *a_h;      /* capacity x n_h: hidden pre-activation */
    float *a_y;      /* capacity x n_out: output pre-activation */
    float *h;        /* capacity x n_h: state for predict */
    float *y;        /* capacity x n_out: state for predict */
};

struct htsep_network {
    size_t n_in, n_h, n_out;
    float *W1;       /* n_in x n_h, row-major */
    float *b1;       /* n_h */
    float *W2;       /* n_h x n_out, row-major */
    float *b2;       /* n_out */
    float *dt_h;     /* n_h: per-neuron hidden time step */
    double dt_y, gamma, beta, leak;
    double in_mean, in_sd;
    unsigned t_free, t_clamped;
    htsep_clamped_start clamped_start;
    unsigned threads;          /* threads of the relaxation kernel */
    int reference_path;        /* tests only: relax by the CBLAS path */
    struct htsep__pool *pool;  /* NULL when threads == 1 */
    float *scratch;            /* threads x HTSEP__KERNEL_SCRATCH floats */
    struct htsep_workspace ws;
};

/* The trained parameters in a fixed order, with their lengths. */
enum { HTSEP__W1, HTSEP__B1, HTSEP__W2, HTSEP__B2, HTSEP__PARAMS };

struct htsep__param {
    float *v;
    size_t n;
};

void htsep__params(const htsep_network *net,
                   struct htsep__param p[HTSEP__PARAMS]);

/* Non-zero when every weight and bias is finite. */
int htsep__params_finite(const htsep_network *net);

/* Makes sure the workspace holds batch rows. */
htsep_status htsep__workspace_reserve(htsep_network *net, size_t batch);

/* Writes the standardised copy of x into ws.xs and x W1 + b1 into ws.drive.
 * The workspace must hold batch rows. */
void htsep__compute_drive(htsep_network *net, const float *x, size_t batch);

/* Runs steps synchronous steps from the state in h and y given the drive
 * (batch x n_h); target NULL for free dynamics. The fused kernel. */
void htsep__relax(htsep_network *net, const float *drive, size_t batch,
                  float *h, float *y, unsigned steps, const float *target);

/* The same computed the plain way, a whole-batch CBLAS product per step;
 * kept as the reference the kernel is tested against. Uses ws.a_h and
 * ws.a_y. */
void htsep__relax_reference(htsep_network *net, const float *drive,
                            size_t batch, float *h, float *y, unsigned steps,
                            const float *target);

/* Non-zero when all n values are finite. */
int htsep__all_finite(const float *v, size_t n);

/* Checks the options' ranges; used by setters and the checkpoint loader. */
int htsep__valid_dt(double dt);
int htsep__valid_beta(double beta);
int htsep__valid_leak(double slope);
int htsep__valid_gamma(double gamma);
int htsep__valid_norm(double mean, double sd);

#endif
