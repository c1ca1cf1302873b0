/* The fused relaxation kernel (see kernel.h). The step (docs/algorithm.md):
 *   a_y = h W2 + b2,  a_h = drive + gamma y W2^T   (both from the old state)
 *   h  += dt_h (.) (f(a_h) - h),  y += dt_y (g(a_y) - y),
 *   then y <- (1 - beta) y + beta t in the clamped phase.
 *
 * Examples are relaxed in blocks of BLOCK rows so that every load of W2
 * serves several examples, and a_h never goes to memory: it is formed and
 * consumed eight hidden units at a time. The arithmetic of one example is
 * the same in every block shape, so results do not depend on how a batch is
 * split between blocks or threads. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "kernel.h"

#define BLOCK 4

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

/* Out of the hot loops only: compilers assemble it lane by lane. */
INLINE v8f splat(float x)
{
    return (v8f){x, x, x, x, x, x, x, x};
}

/* Sum of the lanes in a fixed order. */
INLINE float lane_sum(v8f v)
{
    return ((v[0] + v[4]) + (v[1] + v[5])) + ((v[2] + v[6]) + (v[3] + v[7]));
}

/* a_y = h W2 + b2 for `rows` examples, from the old h. */
INLINE void output_drive(const struct htsep__relax_args *a, int rows,
                         const float *restrict h, float *restrict a_y)
{
    const size_t n_h = a->n_h, n_out = a->n_out, nv = n_h / 8 * 8;

    for (size_t k = 0; k < n_out; k++) {
        const float *restrict w = a->W2T + k * n_h;
        v8f acc0[BLOCK], acc1[BLOCK];
        size_t j = 0;

        for (int r = 0; r < rows; r++)
            acc0[r] = acc1[r] = splat(0.0f);
        /* Two accumulators per example hide the latency of the adds. */
        for (; j + 16 <= nv; j += 16) {
            v8f w0 = load8(w + j), w1 = load8(w + j + 8);

            for (int r = 0; r < rows; r++) {
                acc0[r] += load8(h + r * n_h + j) * w0;
                acc1[r] += load8(h + r * n_h + j + 8) * w1;
            }
        }
        for (; j < nv; j += 8)
            for (int r = 0; r < rows; r++)
                acc0[r] += load8(h + r * n_h + j) * load8(w + j);
        for (int r = 0; r < rows; r++) {
            float s = lane_sum(acc0[r] + acc1[r]);

            for (size_t jj = nv; jj < n_h; jj++)
                s += h[r * n_h + jj] * w[jj];
            a_y[r * n_out + k] = a->b2[k] + s;
        }
    }
}

/* h += dt_h (.) (f(drive + y_g W2^T) - h) for `rows` examples, with y_g the
 * old output times gamma, broadcast in gyv (rows x n_out vectors); eight
 * hidden units at a time. */
INLINE void hidden_update(const struct htsep__relax_args *a, int rows,
                          const float *restrict drive, float *restrict h,
                          const v8f *restrict gyv)
{
    const size_t n_h = a->n_h, n_out = a->n_out, nv = n_h / 8 * 8;
    const v8f leak = splat(a->leak);

    for (size_t j = 0; j < nv; j += 8) {
        v8f v[BLOCK];
        const v8f dt = load8(a->dt_h + j);

        for (int r = 0; r < rows; r++)
            v[r] = load8(drive + r * n_h + j);
        for (size_t k = 0; k < n_out; k++) {
            const v8f w = load8(a->W2T + k * n_h + j);

            for (int r = 0; r < rows; r++)
                v[r] += gyv[r * n_out + k] * w;
        }
        for (int r = 0; r < rows; r++) {
            /* Leaky ReLU by masks: v where v > 0, leak v elsewhere. */
            v8i pos = v[r] > splat(0.0f);
            v8f f = (v8f)(((v8i)v[r] & pos) | ((v8i)(leak * v[r]) & ~pos));
            v8f old = load8(h + r * n_h + j);

            store8(h + r * n_h + j, old + dt * (f - old));
        }
    }
    for (int r = 0; r < rows; r++) {
        for (size_t j = nv; j < n_h; j++) {
            float v = drive[r * n_h + j];

            for (size_t k = 0; k < n_out; k++)
                v += gyv[r * n_out + k][0] * a->W2T[k * n_h + j];
            float f = v > 0.0f ? v : a->leak * v;
            h[r * n_h + j] += a->dt_h[j] * (f - h[r * n_h + j]);
        }
    }
}

/* All steps for `rows` consecutive examples. */
INLINE void relax_block(const struct htsep__relax_args *a, int rows,
                        const float *restrict drive, float *restrict h,
                        float *restrict y, const float *restrict t,
                        float *restrict a_y, v8f *restrict gyv)
{
    const size_t n_out = a->n_out;

    for (unsigned s = 0; s < a->steps; s++) {
        output_drive(a, rows, h, a_y);
        for (size_t i = 0; i < rows * n_out; i++)
            gyv[i] = splat(a->gamma * y[i]);
        hidden_update(a, rows, drive, h, gyv);
        for (size_t i = 0; i < rows * n_out; i++) {
            float g = 1.0f / (1.0f + expf(-a_y[i]));

            y[i] += a->dt_y * (g - y[i]);
            if (t)
                y[i] = (1.0f - a->beta) * y[i] + a->beta * t[i];
        }
    }
}

/* The row loop, instantiated once per instruction set below. */
INLINE void relax_rows_body(const struct htsep__relax_args *a,
                            const float *drive, float *h, float *y,
                            const float *target, size_t first, size_t last,
                            float *scratch)
{
    const size_t n_h = a->n_h, n_out = a->n_out;
    /* scratch is 64-byte aligned and the vectors come first. */
    v8f *gyv = (v8f *)(void *)scratch;
    float *a_y = scratch + 8 * BLOCK * n_out;
    size_t r = first;

    for (; r + BLOCK <= last; r += BLOCK)
        relax_block(a, BLOCK, drive + r * n_h, h + r * n_h, y + r * n_out,
                    target ? target + r * n_out : NULL, a_y, gyv);
    for (; r < last; r++)
        relax_block(a, 1, drive + r * n_h, h + r * n_h, y + r * n_out,
                    target ? target + r * n_out : NULL, a_y, gyv);
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
