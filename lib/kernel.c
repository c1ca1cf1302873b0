/* The fused relaxation kernel (see kernel.h). The step is SPEC section 2:
 *   a_y = h W2 + b2,  a_h = drive + gamma y W2^T   (both from the old state)
 *   h  += dt_h (.) (f(a_h) - h),  y += dt_y (g(a_y) - y),
 *   then y <- (1 - beta) y + beta t in the clamped phase. */
#include <math.h>
#include <string.h>

#include "kernel.h"

/* Thirty-two partial sums in a fixed order: four independent vector
 * accumulators hide the add latency, and the order of the final sum does
 * not depend on the compiler's choices. */
static inline __attribute__((always_inline)) float
dot(const float *restrict a, const float *restrict b, size_t n)
{
    float acc[32] = {0};
    size_t j = 0;

    for (; j + 32 <= n; j += 32)
        for (int l = 0; l < 32; l++)
            acc[l] += a[j + l] * b[j + l];
    for (; j < n; j++)
        acc[j % 32] += a[j] * b[j];
    for (int w = 16; w > 0; w /= 2)
        for (int l = 0; l < w; l++)
            acc[l] += acc[l + w];
    return acc[0];
}

static inline __attribute__((always_inline)) void
relax_one(const struct htsep__relax_args *a, const float *restrict drive,
          float *restrict h, float *restrict y, const float *restrict t,
          float *restrict a_h, float *restrict a_y, float *restrict gy)
{
    const size_t n_h = a->n_h, n_out = a->n_out;
    /* Locals, so the compiler need not reload them through a. */
    const float *restrict dt_h = a->dt_h;
    const float *restrict W2T = a->W2T;
    const float leak = a->leak, gamma = a->gamma;

    for (unsigned s = 0; s < a->steps; s++) {
        for (size_t k = 0; k < n_out; k++) {
            a_y[k] = a->b2[k] + dot(h, W2T + k * n_h, n_h);
            gy[k] = gamma * y[k];
        }
        memcpy(a_h, drive, n_h * sizeof *a_h);
        for (size_t k = 0; k < n_out; k++) {
            const float *restrict w = W2T + k * n_h;
            const float g = gy[k];

            for (size_t j = 0; j < n_h; j++)
                a_h[j] += g * w[j];
        }
        for (size_t j = 0; j < n_h; j++) {
            float v = a_h[j];
            /* A select of constants, not of products: the compiler may
             * then vectorise without speculating a multiplication. */
            float f = v * (v > 0.0f ? 1.0f : leak);

            h[j] += dt_h[j] * (f - h[j]);
        }
        for (size_t k = 0; k < n_out; k++) {
            float g = 1.0f / (1.0f + expf(-a_y[k]));

            y[k] += a->dt_y * (g - y[k]);
            if (t)
                y[k] = (1.0f - a->beta) * y[k] + a->beta * t[k];
        }
    }
}

static void relax_rows_baseline(const struct htsep__relax_args *a,
                                const float *drive, float *h, float *y,
                                const float *target, size_t first,
                                size_t last, float *scratch)
{
    const size_t n_h = a->n_h, n_out = a->n_out;
    float *a_h = scratch, *a_y = scratch + n_h, *gy = a_y + n_out;

    for (size_t r = first; r < last; r++)
        relax_one(a, drive + r * n_h, h + r * n_h, y + r * n_out,
                  target ? target + r * n_out : NULL, a_h, a_y, gy);
}

#if defined(__x86_64__) || defined(__i386__)
/* The same, compiled for AVX2 with FMA. The results differ from the
 * baseline's by rounding only (fused multiply-adds). */
__attribute__((target("avx2,fma"))) static void
relax_rows_avx2(const struct htsep__relax_args *a, const float *drive,
                float *h, float *y, const float *target, size_t first,
                size_t last, float *scratch)
{
    const size_t n_h = a->n_h, n_out = a->n_out;
    float *a_h = scratch, *a_y = scratch + n_h, *gy = a_y + n_out;

    for (size_t r = first; r < last; r++)
        relax_one(a, drive + r * n_h, h + r * n_h, y + r * n_out,
                  target ? target + r * n_out : NULL, a_h, a_y, gy);
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
