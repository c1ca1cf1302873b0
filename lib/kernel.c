/* The fused relaxation kernel (see kernel.h). The step (docs/algorithm.md):
 *   a_y = h W2 + b2,  a_h = drive + gamma y W2^T   (both from the old state)
 *   h  += dt_h (.) (f(a_h) - h),  y += dt_y (g(a_y) - y),
 *   then y <- (1 - beta) y + beta t in the clamped phase.
 *
 * Examples are relaxed eight at a time, one example per vector lane: the
 * block's drive and hidden state are transposed into the scratch so that a
 * hidden unit of all eight examples is one vector. Every weight is then a
 * scalar broadcast against eight examples, the output sums stay in
 * registers for a whole pass over the hidden units, and a_h is formed and
 * consumed one hidden unit at a time without going to memory. Lanes never
 * mix, so an example's arithmetic is the same in every block and on every
 * thread, and results do not depend on how a batch is split. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "kernel.h"

#define LANES 8
/* Outputs whose sums are held in registers during one pass over h. */
#define OUT_GROUP 10

/* Every function below that passes a vector is inlined, so no vector ever
 * crosses a call boundary and GCC's note about the vector-passing ABI does
 * not apply. */
#if defined(__clang__)
#pragma clang diagnostic ignored "-Wpsabi"
#elif defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

typedef float v8f __attribute__((vector_size(32)));
typedef int32_t v8i __attribute__((vector_size(32)));

#define INLINE static inline __attribute__((always_inline))

/* A block's state, carved from the thread's scratch: the drive and hidden
 * state transposed (n_h vectors each), then n_out vectors each of outputs,
 * targets, output sums and gamma-scaled outputs. */
struct relax_block {
    float *dT, *hT;
    v8f *y, *t, *a_y, *gy;
};

INLINE v8f load8(const float *p)
{
    v8f v;

    memcpy(&v, p, sizeof v);
    return v;
}

INLINE void store8(float *p, v8f v)
{
    memcpy(p, &v, sizeof v);
}

INLINE v8f splat(float x)
{
    return (v8f){x, x, x, x, x, x, x, x};
}

/* Leaky ReLU by masks: v where v > 0, leak v elsewhere. */
INLINE v8f leaky_relu(v8f v, v8f leak)
{
    v8i pos = v > splat(0.0f);

    return (v8f)(((v8i)v & pos) | ((v8i)(leak * v) & ~pos));
}

/* acc[k] += sum_j h_j W2[j][k0 + k] over all hidden units, k < kn. With kn
 * a constant the compiler unrolls k and keeps acc in registers. */
INLINE void output_sums(const struct htsep__relax_args *a, const float *hT,
                        size_t k0, int kn, v8f *acc)
{
    for (size_t j = 0; j < a->n_h; j++) {
        const v8f hv = load8(hT + LANES * j);
        const float *w = a->W2 + j * a->n_out + k0;

        for (int k = 0; k < kn; k++)
            acc[k] += hv * w[k];
    }
}

/* a_h_j = drive_j + sum_k gy_k W2[j][k], two partial sums for latency. */
INLINE v8f hidden_drive(const float *w, const v8f *gy, int n_out, v8f drive)
{
    v8f odd = splat(0.0f);
    int k = 0;

    for (; k + 2 <= n_out; k += 2) {
        drive += gy[k] * w[k];
        odd += gy[k + 1] * w[k + 1];
    }
    if (k < n_out)
        drive += gy[k] * w[k];
    return drive + odd;
}

/* h += dt_h (.) (f(a_h) - h) for all hidden units, two units at a time so
 * that their independent sums overlap. */
INLINE void hidden_update(const struct htsep__relax_args *a, const float *dT,
                          float *hT, const v8f *gy, int n_out)
{
    const size_t n_h = a->n_h, stride = a->n_out;
    const v8f leak = splat(a->leak);
    size_t j = 0;

    for (; j + 2 <= n_h; j += 2) {
        const float *w = a->W2 + j * stride;
        v8f v0 = hidden_drive(w, gy, n_out, load8(dT + LANES * j));
        v8f v1 = hidden_drive(w + stride, gy, n_out,
                              load8(dT + LANES * (j + 1)));
        v8f h0 = load8(hT + LANES * j), h1 = load8(hT + LANES * (j + 1));

        store8(hT + LANES * j, h0 + a->dt_h[j] * (leaky_relu(v0, leak) - h0));
        store8(hT + LANES * (j + 1),
               h1 + a->dt_h[j + 1] * (leaky_relu(v1, leak) - h1));
    }
    for (; j < n_h; j++) {
        v8f v = hidden_drive(a->W2 + j * stride, gy, n_out,
                             load8(dT + LANES * j));
        v8f h0 = load8(hT + LANES * j);

        store8(hT + LANES * j, h0 + a->dt_h[j] * (leaky_relu(v, leak) - h0));
    }
}

/* y += dt_y (g(a_y) - y), then the clamp; a_y, y, t: n_out vectors. */
INLINE void output_update(const struct htsep__relax_args *a, const v8f *a_y,
                          v8f *y, const v8f *t)
{
    for (size_t k = 0; k < a->n_out; k++) {
        v8f g;

        for (int l = 0; l < LANES; l++)
            g[l] = 1.0f / (1.0f + expf(-a_y[k][l]));
        y[k] += a->dt_y * (g - y[k]);
        if (t)
            y[k] = (1.0f - a->beta) * y[k] + a->beta * t[k];
    }
}

/* One step for the block: both sums from the old state, then the updates. */
INLINE void block_step(const struct htsep__relax_args *a,
                       struct relax_block *b, const v8f *t, int fixed_out)
{
    const size_t n_out = a->n_out;

    for (size_t k = 0; k < n_out; k++) {
        b->a_y[k] = splat(a->b2[k]);
        b->gy[k] = a->gamma * b->y[k];
    }
    if (fixed_out) {
        v8f acc[OUT_GROUP], gy[OUT_GROUP];

        memcpy(acc, b->a_y, sizeof acc);
        memcpy(gy, b->gy, sizeof gy);
        output_sums(a, b->hT, 0, OUT_GROUP, acc);
        hidden_update(a, b->dT, b->hT, gy, OUT_GROUP);
        memcpy(b->a_y, acc, sizeof acc);
    } else {
        for (size_t k0 = 0; k0 < n_out; k0 += OUT_GROUP) {
            v8f acc[OUT_GROUP];
            int kn = n_out - k0 < OUT_GROUP ? (int)(n_out - k0) : OUT_GROUP;

            memcpy(acc, b->a_y + k0, kn * sizeof *acc);
            output_sums(a, b->hT, k0, kn, acc);
            memcpy(b->a_y + k0, acc, kn * sizeof *acc);
        }
        hidden_update(a, b->dT, b->hT, b->gy, (int)n_out);
    }
    output_update(a, b->a_y, b->y, t);
}

/* Transposes `rows` rows of `cols` floats into cols vectors of LANES lanes;
 * missing lanes are zero, and stay finite through the steps. */
INLINE void gather(float *restrict dst, const float *restrict src,
                   size_t cols, int rows)
{
    for (size_t c = 0; c < cols; c++)
        for (int l = 0; l < LANES; l++)
            dst[LANES * c + l] = l < rows ? src[l * cols + c] : 0.0f;
}

INLINE void scatter(float *restrict dst, const float *restrict src,
                    size_t cols, int rows)
{
    for (size_t c = 0; c < cols; c++)
        for (int l = 0; l < rows; l++)
            dst[l * cols + c] = src[LANES * c + l];
}

/* All steps for `rows` <= LANES consecutive examples. */
INLINE void relax_block(const struct htsep__relax_args *a,
                        struct relax_block *b, int rows,
                        const float *drive, float *h, float *y,
                        const float *t)
{
    const size_t n_h = a->n_h, n_out = a->n_out;
    const int fixed_out = n_out == OUT_GROUP;

    gather(b->dT, drive, n_h, rows);
    gather(b->hT, h, n_h, rows);
    gather((float *)b->y, y, n_out, rows);
    if (t)
        gather((float *)b->t, t, n_out, rows);
    for (unsigned s = 0; s < a->steps; s++) {
        /* Literal constants, so each call is compiled for its own case. */
        if (fixed_out)
            block_step(a, b, t ? b->t : NULL, 1);
        else
            block_step(a, b, t ? b->t : NULL, 0);
    }
    scatter(h, b->hT, n_h, rows);
    scatter(y, (const float *)b->y, n_out, rows);
}

/* The row loop, instantiated once per instruction set below. */
INLINE void relax_rows_body(const struct htsep__relax_args *a,
                            const float *drive, float *h, float *y,
                            const float *target, size_t first, size_t last,
                            float *scratch)
{
    const size_t n_h = a->n_h, n_out = a->n_out;
    /* scratch is 32-byte aligned and 16 n_h floats keep it so. */
    v8f *vectors = (v8f *)(void *)(scratch + 2 * LANES * n_h);
    struct relax_block b = {
        .dT = scratch, .hT = scratch + LANES * n_h, .y = vectors,
        .t = vectors + n_out, .a_y = vectors + 2 * n_out,
        .gy = vectors + 3 * n_out};

    for (size_t r = first; r < last; r += LANES) {
        int rows = last - r < LANES ? (int)(last - r) : LANES;

        relax_block(a, &b, rows, drive + r * n_h, h + r * n_h,
                    y + r * n_out, target ? target + r * n_out : NULL);
    }
}

static void relax_rows_baseline(const struct htsep__relax_args *a,
                                const float *drive, float *h, float *y,
                                const float *target, size_t first,
                                size_t last, float *scratch)
{
    relax_rows_body(a, drive, h, y, target, first, last, scratch);
}

#if defined(__x86_64__) || defined(__i386__)
/* The same, compiled for AVX2 with FMA. Its results differ from the
 * baseline's by rounding only (fused multiply-adds). */
__attribute__((target("avx2,fma"))) static void
relax_rows_avx2(const struct htsep__relax_args *a, const float *drive,
                float *h, float *y, const float *target, size_t first,
                size_t last, float *scratch)
{
    relax_rows_body(a, drive, h, y, target, first, last, scratch);
}

static int have_avx2_fma(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#endif

void htsep__relax_rows(const struct htsep__relax_args *a, const float *drive,
                       float *h, float *y, const float *target, size_t first,
                       size_t last, float *scratch)
{
#if defined(__x86_64__) || defined(__i386__)
    if (have_avx2_fma()) {
        relax_rows_avx2(a, drive, h, y, target, first, last, scratch);
        return;
    }
#endif
    relax_rows_baseline(a, drive, h, y, target, first, last, scratch);
}
