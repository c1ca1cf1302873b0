#include <math.h>

#include "optimizer.h"

/* AdaGrad's guard against division by zero. */
#define ADAGRAD_EPS 1e-7f

static void sgd(float *p, const float *g, size_t n, float lr)
{
    for (size_t i = 0; i < n; i++)
        p[i] += lr * g[i];
}

static void momentum(float *p, const float *g, float *m, size_t n, float lr,
                     float mu)
{
    for (size_t i = 0; i < n; i++) {
        m[i] = mu * m[i] + g[i];
        p[i] += lr * m[i];
    }
}

static void adagrad(float *p, const float *g, float *v, size_t n, float lr)
{
    for (size_t i = 0; i < n; i++) {
        v[i] += g[i] * g[i];
        p[i] += lr * g[i] / (sqrtf(v[i]) + ADAGRAD_EPS);
    }
}

static void adam(const struct htsep__opt_settings *o, float *p,
                 const float *g, float *m, float *v, size_t n, double lr)
{
    const float b1 = (float)o->beta1, b2 = (float)o->beta2;
    /* Bias corrections in double: beta2^t is close to 1 for small t. */
    const float c1 = (float)(1.0 / (1.0 - pow(o->beta1, (double)o->t)));
    const float c2 = (float)(1.0 / (1.0 - pow(o->beta2, (double)o->t)));
    const float eps = (float)o->eps, rate = (float)lr;

    for (size_t i = 0; i < n; i++) {
        m[i] = b1 * m[i] + (1.0f - b1) * g[i];
        v[i] = b2 * v[i] + (1.0f - b2) * g[i] * g[i];
        p[i] += rate * (m[i] * c1) / (sqrtf(v[i] * c2) + eps);
    }
}

void htsep__opt_step(const struct htsep__opt_settings *o, float *p,
                     const float *g, float *m, float *v, size_t n, double lr)
{
    switch (o->kind) {
    case HTSEP_OPT_MOMENTUM:
        momentum(p, g, m, n, (float)lr, (float)o->momentum);
        break;
    case HTSEP_OPT_ADAGRAD:
        adagrad(p, g, v, n, (float)lr);
        break;
    case HTSEP_OPT_ADAM:
        adam(o, p, g, m, v, n, lr);
        break;
    default:
        sgd(p, g, n, (float)lr);
        break;
    }
}
