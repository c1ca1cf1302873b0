/* The trainer handle: presets, settings, the epoch loop with shuffling,
 * evaluation and progress reports (docs/algorithm.md). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_randist.h>

#include "dataset_impl.h"
#include "trainer_impl.h"

static double now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void release_batch_buffers(htsep_trainer *tr)
{
    float **bufs[] = {&tr->xb, &tr->tb, &tr->h, &tr->y, &tr->h_free,
                      &tr->y_free};

    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++) {
        htsep__free_floats(*bufs[i]);
        *bufs[i] = NULL;
    }
    free(tr->lb);
    tr->lb = NULL;
    tr->capacity = 0;
}

htsep_status htsep__trainer_reserve(htsep_trainer *tr, size_t batch)
{
    const htsep_network *net = tr->net;
    int overflow = 0;
    size_t n_x = htsep__mul_size(batch, net->n_in, &overflow);
    size_t n_h = htsep__mul_size(batch, net->n_h, &overflow);
    size_t n_y = htsep__mul_size(batch, net->n_out, &overflow);
    htsep_status st;

    if (overflow || batch > INT32_MAX)
        return HTSEP_E_SIZE;
    st = htsep__workspace_reserve(tr->net, batch);
    if (st != HTSEP_OK || batch <= tr->capacity)
        return st;
    release_batch_buffers(tr);
    tr->xb = htsep__alloc_floats(n_x);
    tr->tb = htsep__alloc_floats(n_y);
    tr->h = htsep__alloc_floats(n_h);
    tr->y = htsep__alloc_floats(n_y);
    tr->h_free = htsep__alloc_floats(n_h);
    tr->y_free = htsep__alloc_floats(n_y);
    tr->lb = malloc(batch);
    if (!tr->xb || !tr->tb || !tr->h || !tr->y || !tr->h_free ||
        !tr->y_free || !tr->lb) {
        release_batch_buffers(tr);
        return HTSEP_E_NOMEM;
    }
    tr->capacity = batch;
    return HTSEP_OK;
}

HTSEP_API void htsep_trainer_free(htsep_trainer *tr)
{
    if (!tr)
        return;
    release_batch_buffers(tr);
    for (int p = 0; p < HTSEP__PARAMS; p++) {
        htsep__free_floats(tr->grad[p]);
        htsep__free_floats(tr->m[p]);
        htsep__free_floats(tr->v[p]);
    }
    if (tr->shuffle)
        gsl_rng_free(tr->shuffle);
    free(tr->order);
    free(tr);
}

static void apply_preset(htsep_trainer *tr, htsep_preset preset)
{
    if (preset == HTSEP_PRESET_REPRODUCE) {
        tr->norm_mode = HTSEP_NORM_TRAINING_SET;
        tr->opt.kind = HTSEP_OPT_ADAM;
        tr->alpha1 = 1e-3;
        tr->alpha2 = 2e-4;
        tr->decay = 0.9;
    } else {
        tr->norm_mode = HTSEP_NORM_NONE;
        tr->opt.kind = HTSEP_OPT_SGD;
        tr->alpha1 = 0.5;
        tr->alpha2 = 0.1;
        tr->decay = 1.0;
    }
}

static htsep_status alloc_parameter_buffers(htsep_trainer *tr)
{
    struct htsep__param p[HTSEP__PARAMS];

    htsep__params(tr->net, p);
    for (int i = 0; i < HTSEP__PARAMS; i++) {
        tr->grad[i] = htsep__alloc_floats(p[i].n);
        tr->m[i] = htsep__alloc_floats(p[i].n);
        tr->v[i] = htsep__alloc_floats(p[i].n);
        if (!tr->grad[i] || !tr->m[i] || !tr->v[i])
            return HTSEP_E_NOMEM;
    }
    return HTSEP_OK;
}

HTSEP_API htsep_status htsep_trainer_create(htsep_trainer **out,
                                            htsep_network *net,
                                            htsep_preset preset)
{
    htsep_trainer *tr;
    htsep_status st;

    if (!out || !net)
        return HTSEP_E_NULL;
    *out = NULL;
    if (preset != HTSEP_PRESET_PAPER && preset != HTSEP_PRESET_REPRODUCE)
        return HTSEP_E_ENUM;
    tr = calloc(1, sizeof *tr);
    if (!tr)
        return HTSEP_E_NOMEM;
    tr->net = net;
    tr->batch = 256;
    tr->opt.momentum = 0.9;
    tr->opt.beta1 = 0.9;
    tr->opt.beta2 = 0.999;
    tr->opt.eps = 1e-8;
    tr->norm_mean = 0.0;
    tr->norm_sd = 1.0;
    tr->test_accuracy = NAN;
    htsep__stability_clear(tr);
    apply_preset(tr, preset);

    tr->shuffle = gsl_rng_alloc(gsl_rng_mt19937);
    st = tr->shuffle ? alloc_parameter_buffers(tr) : HTSEP_E_NOMEM;
    if (st == HTSEP_OK)
        st = htsep__trainer_reserve(tr, tr->batch);
    if (st != HTSEP_OK) {
        htsep_trainer_free(tr);
        return st;
    }
    gsl_rng_set(tr->shuffle, htsep__stream_seed(0, HTSEP__STREAM_SHUFFLE));
    *out = tr;
    return HTSEP_OK;
}

/* Moments of one optimiser mean nothing to another: start afresh. */
static void reset_optimizer_state(htsep_trainer *tr)
{
    struct htsep__param p[HTSEP__PARAMS];

    htsep__params(tr->net, p);
    for (int i = 0; i < HTSEP__PARAMS; i++) {
        memset(tr->m[i], 0, p[i].n * sizeof(float));
        memset(tr->v[i], 0, p[i].n * sizeof(float));
    }
    tr->opt.t = 0;
}

HTSEP_API htsep_status htsep_trainer_set_optimizer(htsep_trainer *tr,
                                                   htsep_optimizer opt)
{
    if (!tr)
        return HTSEP_E_NULL;
    if (opt < HTSEP_OPT_SGD || opt > HTSEP_OPT_ADAM)
        return HTSEP_E_ENUM;
    if (opt != tr->opt.kind)
        reset_optimizer_state(tr);
    tr->opt.kind = opt;
    return HTSEP_OK;
}

HTSEP_API htsep_status htsep_trainer_set_rates(htsep_trainer *tr,
                                               double alpha1, double alpha2)
{
    if (!tr)
        return HTSEP_E_NULL;
    if (!isfinite(alpha1) || !isfinite(alpha2) || alpha1 < 0.0 ||
        alpha2 < 0.0)
        return HTSEP_E_VALUE;
    tr->alpha1 = alpha1;
    tr->alpha2 = alpha2;
    return HTSEP_OK;
}

HTSEP_API htsep_status htsep_trainer_set_decay(htsep_trainer *tr,
                                               double decay)
{
    if (!tr)
        return HTSEP_E_NULL;
    if (!isfinite(decay) || decay <= 0.0 || decay > 1.0)
        return HTSEP_E_VALUE;
    tr->decay = decay;
    return HTSEP_OK;
}

HTSEP_API htsep_status htsep_trainer_set_momentum(htsep_trainer *tr,
                                                  double momentum)
{
    if (!tr)
        return HTSEP_E_NULL;
    if (!isfinite(momentum) || momentum < 0.0 || momentum >= 1.0)
        return HTSEP_E_VALUE;
    tr->opt.momentum = momentum;
    return HTSEP_OK;
}

HTSEP_API htsep_status htsep_trainer_set_adam(htsep_trainer *tr, double beta1,
                                              double beta2, double eps)
{
    if (!tr)
        return HTSEP_E_NULL;
    if (!isfinite(beta1) || !isfinite(beta2) || !isfinite(eps) ||
        beta1 < 0.0 || beta1 >= 1.0 || beta2 < 0.0 || beta2 >= 1.0 ||
        eps <= 0.0)
        return HTSEP_E_VALUE;
    tr->opt.beta1 = beta1;
    tr->opt.beta2 = beta2;
    tr->opt.eps = eps;
    return HTSEP_OK;
}

HTSEP_API htsep_status htsep_trainer_set_batch(htsep_trainer *tr,
                                               size_t batch)
{
    htsep_status st;

    if (!tr)
        return HTSEP_E_NULL;
    if (batch == 0)
        return HTSEP_E_SIZE;
    st = htsep__trainer_reserve(tr, batch);
    if (st == HTSEP_OK)
        tr->batch = batch;
    return st;
}

HTSEP_API htsep_status htsep_trainer_set_seed(htsep_trainer *tr,
                                              uint64_t seed)
{
    if (!tr)
        return HTSEP_E_NULL;
    tr->seed = seed;
    gsl_rng_set(tr->shuffle, htsep__stream_seed(seed, HTSEP__STREAM_SHUFFLE));
    return HTSEP_OK;
}

HTSEP_API htsep_status htsep_trainer_set_divide_by_beta(htsep_trainer *tr,
                                                        int on)
{
    if (!tr)
        return HTSEP_E_NULL;
    tr->divide_by_beta = on != 0;
    return HTSEP_OK;
}

HTSEP_API htsep_status htsep_trainer_set_input_norm(htsep_trainer *tr,
                                                    htsep_norm mode,
                                                    double mean, double sd)
{
    if (!tr)
        return HTSEP_E_NULL;
    if (mode < HTSEP_NORM_NONE || mode > HTSEP_NORM_KEEP)
        return HTSEP_E_ENUM;
    if (mode == HTSEP_NORM_GIVEN && !htsep__valid_norm(mean, sd))
        return HTSEP_E_VALUE;
    tr->norm_mode = mode;
    tr->norm_mean = mean;
    tr->norm_sd = sd;
    return HTSEP_OK;
}

/* The BLAS's thread count is process-wide, so it is set again (to one,
 * by the network) at the start of every run in case something else in the
 * process changed it. */
static htsep_status apply_threads(htsep_trainer *tr)
{
    if (tr->threads == 0)
        return HTSEP_OK;
    return htsep_network_set_threads(tr->net, (unsigned)tr->threads);
}

HTSEP_API htsep_status htsep_trainer_set_threads(htsep_trainer *tr,
                                                 int threads)
{
    if (!tr)
        return HTSEP_E_NULL;
    if (threads < 0 || threads > 1024)
        return HTSEP_E_VALUE;
    tr->threads = threads;
    return apply_threads(tr);
}

HTSEP_API htsep_status htsep_trainer_set_progress(htsep_trainer *tr,
                                                  htsep_progress_fn fn,
                                                  void *user)
{
    if (!tr)
        return HTSEP_E_NULL;
    tr->progress = fn;
    tr->user = user;
    return HTSEP_OK;
}

/* Writes one-hot targets for labels into tr->tb. */
static void one_hot(htsep_trainer *tr, const uint8_t *labels, size_t batch)
{
    const size_t n_out = tr->net->n_out;

    memset(tr->tb, 0, batch * n_out * sizeof(float));
    for (size_t r = 0; r < batch; r++)
        tr->tb[r * n_out + labels[r]] = 1.0f;
}

HTSEP_API htsep_status htsep_trainer_train_batch(htsep_trainer *tr,
                                                 const float *x,
                                                 const uint8_t *labels,
                                                 size_t batch)
{
    htsep_status st;

    if (!tr || !x || !labels)
        return HTSEP_E_NULL;
    if (batch == 0)
        return HTSEP_E_SIZE;
    for (size_t r = 0; r < batch; r++)
        if (labels[r] >= tr->net->n_out)
            return HTSEP_E_VALUE;
    st = htsep__trainer_reserve(tr, batch);
    if (st != HTSEP_OK)
        return st;
    memcpy(tr->xb, x, batch * tr->net->n_in * sizeof(float));
    one_hot(tr, labels, batch);
    return htsep__learn_batch(tr, labels, batch);
}

static htsep_status check_data(const htsep_trainer *tr,
                               const htsep_dataset *data)
{
    if (data->n_features != tr->net->n_in ||
        data->n_classes > tr->net->n_out)
        return HTSEP_E_MISMATCH;
    return HTSEP_OK;
}

/* Sets the network's input standardisation as the trainer's mode says,
 * once per trainer. */
static htsep_status apply_input_norm(htsep_trainer *tr,
                                     const htsep_dataset *train)
{
    double mean = 0.0, sd = 1.0;
    htsep_status st = HTSEP_OK;

    if (tr->norm_applied || tr->norm_mode == HTSEP_NORM_KEEP)
        return HTSEP_OK;
    if (tr->norm_mode == HTSEP_NORM_GIVEN) {
        mean = tr->norm_mean;
        sd = tr->norm_sd;
    } else if (tr->norm_mode == HTSEP_NORM_TRAINING_SET) {
        st = htsep_dataset_stats(train, &mean, &sd);
        if (st == HTSEP_OK && !htsep__valid_norm(mean, sd))
            st = HTSEP_E_VALUE;
    }
    if (st == HTSEP_OK)
        st = htsep_network_set_input_norm(tr->net, mean, sd);
    tr->norm_applied = st == HTSEP_OK;
    return st;
}

static int report(htsep_trainer *tr, htsep_event event)
{
    return tr->progress && tr->progress(tr, event, tr->user) != 0;
}

static htsep_status prepare_run(htsep_trainer *tr,
                                const htsep_dataset *train,
                                const htsep_dataset *probe)
{
    htsep_status st = apply_input_norm(tr, train);

    if (st != HTSEP_OK)
        return st;
    st = htsep__workspace_reserve(tr->net, htsep__probe_rows(probe));
    if (st != HTSEP_OK)
        return st;
    st = htsep__trainer_reserve(tr, tr->batch);
    if (st != HTSEP_OK)
        return st;
    if (tr->order_len != train->count) {
        size_t *order = realloc(tr->order, train->count * sizeof *order);

        if (!order)
            return HTSEP_E_NOMEM;
        tr->order = order;
        tr->order_len = train->count;
        for (size_t i = 0; i < train->count; i++)
            tr->order[i] = i;
    }
    return apply_threads(tr);
}

static htsep_status run_epoch(htsep_trainer *tr, const htsep_dataset *train)
{
    const size_t n = train->count, n_in = train->n_features;
    htsep_status st;

    gsl_ran_shuffle(tr->shuffle, tr->order, n, sizeof *tr->order);
    tr->batch_count = (n + tr->batch - 1) / tr->batch;
    tr->loss_sum = 0.0;
    tr->seen = tr->correct = 0;

    for (tr->batch_index = 0; tr->batch_index < tr->batch_count;) {
        size_t first = tr->batch_index * tr->batch;
        size_t b = n - first < tr->batch ? n - first : tr->batch;
        const size_t *idx = tr->order + first;

        for (size_t r = 0; r < b; r++) {
            memcpy(tr->xb + r * n_in, train->x + idx[r] * n_in,
                   n_in * sizeof(float));
            tr->lb[r] = train->labels[idx[r]];
        }
        one_hot(tr, tr->lb, b);
        st = htsep__learn_batch(tr, tr->lb, b);
        if (st != HTSEP_OK)
            return st;
        tr->batch_index++;
        if (report(tr, HTSEP_EVENT_BATCH))
            return HTSEP_E_STOPPED;
    }
    return HTSEP_OK;
}

/* Ends a run on an error; a divergence leaves no stability figure. */
static htsep_status stop_run(htsep_trainer *tr, htsep_status st)
{
    if (st == HTSEP_E_DIVERGED) {
        tr->diverged = 1;
        htsep__stability_clear(tr);
    }
    return st;
}

HTSEP_API htsep_status htsep_trainer_run(htsep_trainer *tr,
                                         const htsep_dataset *train,
                                         const htsep_dataset *test,
                                         unsigned epochs)
{
    htsep_status st;

    if (!tr || !train)
        return HTSEP_E_NULL;
    st = check_data(tr, train);
    if (st == HTSEP_OK && test)
        st = check_data(tr, test);
    if (st == HTSEP_OK)
        st = prepare_run(tr, train, test ? test : train);
    if (st != HTSEP_OK)
        return st;
    tr->diverged = 0;

    tr->epochs_planned = tr->epoch + epochs;
    tr->batch_index = 0;
    tr->batch_count = (train->count + tr->batch - 1) / tr->batch;
    if (report(tr, HTSEP_EVENT_START))
        return HTSEP_E_STOPPED;

    for (unsigned e = 0; e < epochs; e++) {
        double t0 = now_seconds();

        st = run_epoch(tr, train);
        if (st == HTSEP_OK && !htsep__params_finite(tr->net))
            st = HTSEP_E_DIVERGED;
        if (st != HTSEP_OK)
            return stop_run(tr, st);
        tr->epoch++;
        tr->epoch_seconds = now_seconds() - t0;
        if (test) {
            t0 = now_seconds();
            st = htsep_network_evaluate(tr->net, test, &tr->test_accuracy);
            tr->eval_seconds = now_seconds() - t0;
        }
        if (st == HTSEP_OK)
            st = htsep__measure_stability(tr, test ? test : train);
        if (st != HTSEP_OK)
            return stop_run(tr, st);
        if (report(tr, HTSEP_EVENT_EPOCH))
            return HTSEP_E_STOPPED;
    }
    return HTSEP_OK;
}

HTSEP_API unsigned htsep_trainer_epoch(const htsep_trainer *tr)
{
    return tr ? tr->epoch : 0;
}

HTSEP_API size_t htsep_trainer_batch_index(const htsep_trainer *tr)
{
    return tr ? tr->batch_index : 0;
}

HTSEP_API size_t htsep_trainer_batch_count(const htsep_trainer *tr)
{
    return tr ? tr->batch_count : 0;
}

HTSEP_API unsigned htsep_trainer_epochs_planned(const htsep_trainer *tr)
{
    return tr ? tr->epochs_planned : 0;
}

HTSEP_API htsep_status htsep_trainer_metric(const htsep_trainer *tr,
                                            htsep_metric metric,
                                            double *value)
{
    double seen;

    if (!tr || !value)
        return HTSEP_E_NULL;
    seen = tr->seen ? (double)tr->seen : NAN;
    switch (metric) {
    case HTSEP_METRIC_TRAIN_LOSS:
        *value = tr->loss_sum / seen;
        break;
    case HTSEP_METRIC_TRAIN_ACCURACY:
        *value = (double)tr->correct / seen;
        break;
    case HTSEP_METRIC_TEST_ACCURACY:
        *value = tr->test_accuracy;
        break;
    case HTSEP_METRIC_EPOCH_SECONDS:
        *value = tr->epoch_seconds;
        break;
    case HTSEP_METRIC_EVAL_SECONDS:
        *value = tr->eval_seconds;
        break;
    case HTSEP_METRIC_ALPHA1:
        *value = htsep__rate(tr, 1);
        break;
    case HTSEP_METRIC_ALPHA2:
        *value = htsep__rate(tr, 2);
        break;
    case HTSEP_METRIC_FREE_RESIDUAL:
        *value = tr->stab.free_residual;
        break;
    case HTSEP_METRIC_DEAD_SHARE:
        *value = tr->stab.dead_share;
        break;
    case HTSEP_METRIC_SATURATED_SHARE:
        *value = tr->stab.saturated_share;
        break;
    case HTSEP_METRIC_W1_NORM:
        *value = tr->stab.w1_norm;
        break;
    case HTSEP_METRIC_W2_NORM:
        *value = tr->stab.w2_norm;
        break;
    case HTSEP_METRIC_DIVERGED:
        *value = tr->diverged;
        break;
    default:
        return HTSEP_E_ENUM;
    }
    return HTSEP_OK;
}
