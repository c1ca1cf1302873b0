/* The trainer: the learning rule against the documented formula, optimisers,
 * presets, seeding, progress and a real training run (docs/algorithm.md). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "network_impl.h"
#include "suites.h"

/* Reference update of the learning rule (docs/algorithm.md) for the fixed batch of two, after
 * t_free free steps and t_clamped clamped steps continuing from the free
 * state; writes the new W1, b1, W2, b2 of plain SGD at rates a1, a2. */
static void ref_sgd_update(struct ref_net *n, int t_free, int t_clamped,
                           const int labels[REF_B], double a1, double a2,
                           double divisor)
{
    struct ref_state s = {0}, f;
    double t[REF_B][REF_OUT] = {{0}};

    for (int b = 0; b < REF_B; b++)
        t[b][labels[b]] = 1.0;
    for (int i = 0; i < t_free; i++)
        ref_step(n, ref_x, &s, NULL);
    f = s;
    for (int i = 0; i < t_clamped; i++)
        ref_step(n, ref_x, &s, (const double(*)[REF_OUT])t);

    struct ref_net old = *n;
    for (int j = 0; j < REF_H; j++) {
        for (int b = 0; b < REF_B; b++) {
            double dh = s.h[b][j] - f.h[b][j];

            for (int i = 0; i < REF_IN; i++)
                n->W1[i][j] += a1 / divisor *
                               (ref_x[b][i] - old.mean) / old.sd * dh;
            n->b1[j] += a1 / divisor * dh;
        }
    }
    for (int k = 0; k < REF_OUT; k++) {
        for (int b = 0; b < REF_B; b++) {
            double dy = s.y[b][k] - f.y[b][k];

            for (int j = 0; j < REF_H; j++)
                n->W2[j][k] += a2 / divisor * s.h[b][j] * dy;
            n->b2[k] += a2 / divisor * dy;
        }
    }
}

static void assert_params_near(htsep_network *net, const struct ref_net *n,
                               double tol)
{
    float w1[REF_IN * REF_H], w2[REF_H * REF_OUT], b1[REF_H], b2[REF_OUT];

    ck_assert_int_eq(htsep_network_get_weights(net, 1, w1, REF_IN * REF_H),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_network_get_weights(net, 2, w2, REF_H * REF_OUT),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_network_get_biases(net, 1, b1, REF_H), HTSEP_OK);
    ck_assert_int_eq(htsep_network_get_biases(net, 2, b2, REF_OUT), HTSEP_OK);
    for (int j = 0; j < REF_H; j++) {
        for (int i = 0; i < REF_IN; i++)
            ck_assert_double_eq_tol(w1[i * REF_H + j], n->W1[i][j], tol);
        for (int k = 0; k < REF_OUT; k++)
            ck_assert_double_eq_tol(w2[j * REF_OUT + k], n->W2[j][k], tol);
        ck_assert_double_eq_tol(b1[j], n->b1[j], tol);
    }
    for (int k = 0; k < REF_OUT; k++)
        ck_assert_double_eq_tol(b2[k], n->b2[k], tol);
}

/* The reference network of reference.h as a library network with the
 * given step counts, its two inputs in x, and a trainer with a preset. */
static htsep_trainer *ref_trainer(struct ref_net *ref, htsep_network **net,
                                  float *x, unsigned t_free,
                                  unsigned t_clamped, htsep_preset preset)
{
    htsep_trainer *tr = NULL;

    ref_fill(ref);
    *net = net_from_ref(ref);
    ref_x_float(x);
    ck_assert_int_eq(htsep_network_set_steps(*net, t_free, t_clamped),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_create(&tr, *net, preset), HTSEP_OK);
    return tr;
}

static void check_sgd_rule(int divide_by_beta)
{
    struct ref_net ref, before;
    static const int labels[REF_B] = {1, 0};
    const uint8_t lb[REF_B] = {1, 0};
    float x[REF_B * REF_IN];
    htsep_network *net;
    htsep_trainer *tr = ref_trainer(&ref, &net, x, 3, 2, HTSEP_PRESET_PAPER);

    before = ref;
    ck_assert_int_eq(htsep_trainer_set_rates(tr, 0.7, 0.45), HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_set_divide_by_beta(tr, divide_by_beta),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_train_batch(tr, x, lb, REF_B), HTSEP_OK);

    ref_sgd_update(&ref, 3, 2, labels, 0.7, 0.45,
                   REF_B * (divide_by_beta ? ref.beta : 1.0));
    assert_params_near(net, &ref, 1e-6);
    /* The update must be large enough for the comparison to bite. */
    ck_assert_double_gt(fabs(ref.W2[2][1] - before.W2[2][1]), 1e-3);
    htsep_trainer_free(tr);
    htsep_network_free(net);
}

START_TEST(trainer_sgd_update_follows_the_learning_rule)
{
    check_sgd_rule(0);
}
END_TEST

START_TEST(trainer_divide_by_beta_scales_the_update)
{
    check_sgd_rule(1);
}
END_TEST

START_TEST(trainer_adam_first_step_moves_each_weight_by_the_rate)
{
    struct ref_net ref;
    const uint8_t lb[REF_B] = {0, 1};
    float x[REF_B * REF_IN], w_before[REF_IN * REF_H], w[REF_IN * REF_H];
    htsep_network *net;
    htsep_trainer *tr =
        ref_trainer(&ref, &net, x, 5, 3, HTSEP_PRESET_REPRODUCE);

    ck_assert_int_eq(htsep_network_get_weights(net, 1, w_before, 12),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_train_batch(tr, x, lb, REF_B), HTSEP_OK);
    ck_assert_int_eq(htsep_network_get_weights(net, 1, w, 12), HTSEP_OK);
    /* At t = 1 the bias-corrected step is lr g / (|g| + eps): the rate
     * itself, 1e-3, for every weight with a non-negligible direction. */
    for (int i = 0; i < 12; i++)
        ck_assert_double_eq_tol(fabs(w[i] - w_before[i]), 1e-3, 2e-6);
    htsep_trainer_free(tr);
    htsep_network_free(net);
}
END_TEST

/* W1's change after one SGD batch under per-unit time steps dt versus all
 * 0.3, everything else equal. With beta = 1 the first clamped step still
 * sees the free output (both products use the old state), and from the
 * second on the output is the target, so a_h is constant and each hidden
 * unit moves the fraction c(dt_j) = 1 - (1 - dt_j)^(T_c - 1) of the way from
 * its free fixed point to its clamped one. The free fixed point does not
 * depend on dt. Hence dW1[i][j] scales by c(dt_j) / c(0.3) under SGD, and
 * Adam, dividing by the running magnitude, cancels the factor. */
static void w1_change(const float *dt, htsep_optimizer opt, float *dw)
{
    enum { NI = 5, NH = 6, NO = 3, B = 4 };
    float x[B * NI], before[NI * NH];
    const uint8_t labels[B] = {0, 1, 2, 1};
    uint32_t seed = 31;
    htsep_network *net = NULL;
    htsep_trainer *tr = NULL;

    fill_uniform(x, B * NI, 0.0f, 1.0f, &seed);
    ck_assert_int_eq(htsep_network_create(&net, NI, NH, NO), HTSEP_OK);
    ck_assert_int_eq(htsep_network_init_weights(net, HTSEP_INIT_GLOROT, 9),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_dt(net, dt, NH), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_steps(net, 400, 12), HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_create(&tr, net, HTSEP_PRESET_PAPER),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_set_optimizer(tr, opt), HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_set_rates(tr, 0.5, 0.0), HTSEP_OK);
    ck_assert_int_eq(htsep_network_get_weights(net, 1, before, NI * NH),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_train_batch(tr, x, labels, B), HTSEP_OK);
    ck_assert_int_eq(htsep_network_get_weights(net, 1, dw, NI * NH),
                     HTSEP_OK);
    for (int i = 0; i < NI * NH; i++)
        dw[i] -= before[i];
    htsep_trainer_free(tr);
    htsep_network_free(net);
}

START_TEST(trainer_time_steps_scale_each_hidden_units_update)
{
    const float uniform[6] = {0.3f, 0.3f, 0.3f, 0.3f, 0.3f, 0.3f};
    const float mixed[6] = {0.2f, 0.25f, 0.3f, 0.35f, 0.45f, 0.5f};
    float a[30], b[30];
    int compared = 0;

    w1_change(uniform, HTSEP_OPT_SGD, a);
    w1_change(mixed, HTSEP_OPT_SGD, b);
    for (int i = 0; i < 5; i++) {
        for (int j = 0; j < 6; j++) {
            double c = 1.0 - pow(1.0 - mixed[j], 11);
            double c0 = 1.0 - pow(0.7, 11);

            if (fabs(a[i * 6 + j]) < 1e-5)
                continue;
            ck_assert_double_eq_tol(b[i * 6 + j] / a[i * 6 + j], c / c0,
                                    1e-4);
            compared++;
        }
    }
    ck_assert_int_gt(compared, 20);

    w1_change(uniform, HTSEP_OPT_ADAM, a);
    w1_change(mixed, HTSEP_OPT_ADAM, b);
    for (int i = 0; i < 30; i++)
        ck_assert_double_eq_tol(b[i], a[i], 1e-6);
}
END_TEST

START_TEST(trainer_changing_optimizer_clears_its_state)
{
    struct ref_net ref;
    const uint8_t lb[REF_B] = {0, 1};
    float x[REF_B * REF_IN], w0[12], w[12];
    htsep_network *net;
    htsep_trainer *tr =
        ref_trainer(&ref, &net, x, 5, 3, HTSEP_PRESET_REPRODUCE);

    /* Some Adam steps, then momentum, then Adam again: the first Adam
     * step after the switch must again move every weight by the rate. */
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(htsep_trainer_train_batch(tr, x, lb, REF_B),
                         HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_set_optimizer(tr, HTSEP_OPT_MOMENTUM),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_set_optimizer(tr, HTSEP_OPT_ADAM),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_network_get_weights(net, 1, w0, 12), HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_train_batch(tr, x, lb, REF_B), HTSEP_OK);
    ck_assert_int_eq(htsep_network_get_weights(net, 1, w, 12), HTSEP_OK);
    for (int i = 0; i < 12; i++)
        ck_assert_double_eq_tol(fabs(w[i] - w0[i]), 1e-3, 2e-6);
    htsep_trainer_free(tr);
    htsep_network_free(net);
}
END_TEST

/* One training step of a network through the fused kernel and of an
 * identical copy through the CBLAS reference path: the weights after the
 * update must agree. Sizes are odd on purpose. */
static void compare_update(size_t n_in, size_t n_h, size_t n_out, size_t b,
                           htsep_preset preset, uint32_t seed)
{
    htsep_network *fast = NULL, *ref = NULL;
    htsep_trainer *tf = NULL, *trf = NULL;
    float *x = malloc(b * n_in * sizeof(float));
    uint8_t *labels = malloc(b);
    size_t n1 = n_in * n_h, n2 = n_h * n_out;
    float *wf = malloc(n1 * sizeof(float)), *wr = malloc(n1 * sizeof(float));
    float *vf = malloc(n2 * sizeof(float)), *vr = malloc(n2 * sizeof(float));

    for (size_t i = 0; i < b * n_in; i++) {
        seed = seed * 1664525u + 1013904223u;
        x[i] = (float)((seed >> 8) / 16777216.0);
    }
    for (size_t r = 0; r < b; r++)
        labels[r] = (uint8_t)((r * 7 + 3) % n_out);
    ck_assert_int_eq(htsep_network_create(&fast, n_in, n_h, n_out), HTSEP_OK);
    ck_assert_int_eq(htsep_network_create(&ref, n_in, n_h, n_out), HTSEP_OK);
    ck_assert_int_eq(htsep_network_init_weights(fast, HTSEP_INIT_GLOROT, seed),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_network_init_weights(ref, HTSEP_INIT_GLOROT, seed),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_steps(fast, 40, 7), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_steps(ref, 40, 7), HTSEP_OK);
    ref->reference_path = 1;
    ck_assert_int_eq(htsep_trainer_create(&tf, fast, preset), HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_create(&trf, ref, preset), HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_train_batch(tf, x, labels, b), HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_train_batch(trf, x, labels, b), HTSEP_OK);

    ck_assert_int_eq(htsep_network_get_weights(fast, 1, wf, n1), HTSEP_OK);
    ck_assert_int_eq(htsep_network_get_weights(ref, 1, wr, n1), HTSEP_OK);
    ck_assert_int_eq(htsep_network_get_weights(fast, 2, vf, n2), HTSEP_OK);
    ck_assert_int_eq(htsep_network_get_weights(ref, 2, vr, n2), HTSEP_OK);
    for (size_t i = 0; i < n1; i++)
        ck_assert_double_le(fabs(wf[i] - wr[i]), 1e-5 * fmax(1.0, fabs(wr[i])));
    for (size_t i = 0; i < n2; i++)
        ck_assert_double_le(fabs(vf[i] - vr[i]), 1e-5 * fmax(1.0, fabs(vr[i])));
    htsep_trainer_free(tf);
    htsep_trainer_free(trf);
    htsep_network_free(fast);
    htsep_network_free(ref);
    free(x); free(labels); free(wf); free(wr); free(vf); free(vr);
}

START_TEST(trainer_fast_path_updates_match_the_reference_path)
{
    compare_update(29, 67, 5, 13, HTSEP_PRESET_PAPER, 3);
    compare_update(784, 1024, 10, 21, HTSEP_PRESET_PAPER, 4);
    compare_update(17, 9, 3, 6, HTSEP_PRESET_PAPER, 5);
}
END_TEST

/* A synthetic data set: n examples of d values in [0, 1], label = which of
 * three fixed directions the point leans to most. */
static htsep_dataset *synthetic(size_t n, size_t d, uint32_t seed)
{
    float *x = malloc(n * d * sizeof *x);
    uint8_t *labels = malloc(n);
    htsep_dataset *data = NULL;

    ck_assert_ptr_nonnull(x);
    ck_assert_ptr_nonnull(labels);
    for (size_t r = 0; r < n; r++) {
        double score[3] = {0, 0, 0};

        for (size_t i = 0; i < d; i++) {
            seed = seed * 1664525u + 1013904223u;
            x[r * d + i] = (float)((seed >> 8) / 16777216.0);
            score[i % 3] += x[r * d + i];
        }
        labels[r] = score[0] > score[1] ? (score[0] > score[2] ? 0 : 2)
                                        : (score[1] > score[2] ? 1 : 2);
    }
    ck_assert_int_eq(htsep_dataset_create(&data, x, labels, n, d, 3),
                     HTSEP_OK);
    free(x);
    free(labels);
    return data;
}

/* Trains a small network from scratch on data; returns W1 (malloc'd). */
static float *train_small(const htsep_dataset *data, uint64_t seed,
                          htsep_dt_dist dist, unsigned epochs, int threads)
{
    htsep_network *net = NULL;
    htsep_sampler *s = NULL;
    htsep_trainer *tr = NULL;
    size_t d = htsep_dataset_features(data);
    float *w = malloc(d * 16 * sizeof *w);

    ck_assert_int_eq(htsep_network_create(&net, d, 16, 3), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_steps(net, 20, 4), HTSEP_OK);
    ck_assert_int_eq(htsep_sampler_create(&s, dist, 0.3, 0.1), HTSEP_OK);
    ck_assert_int_eq(htsep_sampler_seed(s, seed), HTSEP_OK);
    ck_assert_int_eq(htsep_network_draw_dt(net, s), HTSEP_OK);
    ck_assert_int_eq(htsep_network_init_weights(net, HTSEP_INIT_GLOROT, seed),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_create(&tr, net, HTSEP_PRESET_REPRODUCE),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_set_batch(tr, 32), HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_set_seed(tr, seed), HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_set_threads(tr, threads), HTSEP_OK);
    if (epochs)
        ck_assert_int_eq(htsep_trainer_run(tr, data, NULL, epochs), HTSEP_OK);
    ck_assert_int_eq(htsep_network_get_weights(net, 1, w, d * 16), HTSEP_OK);
    htsep_trainer_free(tr);
    htsep_sampler_free(s);
    htsep_network_free(net);
    return w;
}

START_TEST(trainer_same_seed_gives_identical_weights)
{
    htsep_dataset *data = synthetic(300, 12, 77);
    float *a = train_small(data, 7, HTSEP_DT_LOGNORMAL, 2, 1);
    float *b = train_small(data, 7, HTSEP_DT_LOGNORMAL, 2, 1);
    float *c = train_small(data, 8, HTSEP_DT_LOGNORMAL, 2, 1);
    size_t differ = 0;

    ck_assert_mem_eq(a, b, 12 * 16 * sizeof *a);
    for (size_t i = 0; i < 12 * 16; i++)
        differ += a[i] != c[i];
    ck_assert_uint_gt(differ, 12 * 16 / 2);
    free(a);
    free(b);
    free(c);
    htsep_dataset_free(data);
}
END_TEST

/* A fixed thread count gives the same bits every time. Another count
 * splits the matrix products differently (OpenBLAS rounds a product by its
 * shape) and agrees to rounding. 40 inputs and batches of 32 give the
 * products more than one share each. */
START_TEST(trainer_thread_count_fixes_the_bits)
{
    htsep_dataset *data = synthetic(300, 40, 21);
    float *one = train_small(data, 5, HTSEP_DT_GAMMA, 2, 1);
    float *two = train_small(data, 5, HTSEP_DT_GAMMA, 2, 2);
    float *again = train_small(data, 5, HTSEP_DT_GAMMA, 2, 2);
    double worst = 0.0;

    ck_assert_mem_eq(two, again, 40 * 16 * sizeof *two);
    for (size_t i = 0; i < 40 * 16; i++) {
        double d = fabs((double)one[i] - (double)two[i]);

        worst = d > worst ? d : worst;
    }
    ck_assert_double_lt(worst, 1e-4);
    free(one);
    free(two);
    free(again);
    htsep_dataset_free(data);
}
END_TEST

START_TEST(trainer_seed_streams_are_independent_of_the_distribution)
{
    htsep_dataset *data = synthetic(50, 12, 5);
    float *a = train_small(data, 3, HTSEP_DT_SCALAR, 0, 1);
    float *b = train_small(data, 3, HTSEP_DT_GAMMA, 0, 1);

    /* Same seed, different dt distribution: same initial weights. */
    ck_assert_mem_eq(a, b, 12 * 16 * sizeof *a);
    free(a);
    free(b);
    htsep_dataset_free(data);
}
END_TEST

struct counter {
    unsigned start, batches, epochs;
    unsigned stop_after_batches;
};

static int count_events(const htsep_trainer *tr, htsep_event ev, void *user)
{
    struct counter *c = user;

    (void)tr;
    c->start += ev == HTSEP_EVENT_START;
    c->batches += ev == HTSEP_EVENT_BATCH;
    c->epochs += ev == HTSEP_EVENT_EPOCH;
    return c->stop_after_batches && c->batches >= c->stop_after_batches;
}

START_TEST(trainer_runs_epochs_with_decay_and_progress)
{
    htsep_dataset *data = synthetic(200, 9, 11);
    htsep_network *net = NULL;
    htsep_trainer *tr = NULL;
    struct counter c = {0};
    double v, mean, sd, want_mean, want_sd;

    ck_assert_int_eq(htsep_network_create(&net, 9, 8, 3), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_steps(net, 10, 3), HTSEP_OK);
    ck_assert_int_eq(htsep_network_init_weights(net, HTSEP_INIT_GLOROT, 1),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_create(&tr, net, HTSEP_PRESET_REPRODUCE),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_set_batch(tr, 64), HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_set_progress(tr, count_events, &c),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_run(tr, data, data, 3), HTSEP_OK);

    /* 200 examples in batches of 64: 4 batches, the last one short. */
    ck_assert_uint_eq(c.start, 1);
    ck_assert_uint_eq(c.batches, 12);
    ck_assert_uint_eq(c.epochs, 3);
    ck_assert_uint_eq(htsep_trainer_epoch(tr), 3);
    ck_assert_uint_eq(htsep_trainer_batch_count(tr), 4);
    ck_assert_int_eq(htsep_trainer_metric(tr, HTSEP_METRIC_ALPHA1, &v),
                     HTSEP_OK);
    ck_assert_double_eq_tol(v, 1e-3 * 0.9 * 0.9 * 0.9, 1e-15);
    ck_assert_int_eq(htsep_trainer_metric(tr, HTSEP_METRIC_ALPHA2, &v),
                     HTSEP_OK);
    ck_assert_double_eq_tol(v, 2e-4 * 0.729, 1e-15);
    ck_assert_int_eq(htsep_trainer_metric(tr, HTSEP_METRIC_TEST_ACCURACY, &v),
                     HTSEP_OK);
    ck_assert(v >= 0.0 && v <= 1.0);

    /* The reproduce preset standardised with the training set's figures. */
    ck_assert_int_eq(htsep_dataset_stats(data, &want_mean, &want_sd),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_network_get_input_norm(net, &mean, &sd), HTSEP_OK);
    ck_assert_double_eq(mean, want_mean);
    ck_assert_double_eq(sd, want_sd);
    htsep_trainer_free(tr);
    htsep_network_free(net);
    htsep_dataset_free(data);
}
END_TEST

START_TEST(trainer_callback_can_stop_training)
{
    htsep_dataset *data = synthetic(200, 9, 12);
    htsep_network *net = NULL;
    htsep_trainer *tr = NULL;
    struct counter c = {0, 0, 0, 2};

    ck_assert_int_eq(htsep_network_create(&net, 9, 8, 3), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_steps(net, 5, 2), HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_create(&tr, net, HTSEP_PRESET_PAPER),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_set_batch(tr, 50), HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_set_progress(tr, count_events, &c),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_run(tr, data, NULL, 5), HTSEP_E_STOPPED);
    ck_assert_uint_eq(c.batches, 2);
    ck_assert_uint_eq(c.epochs, 0);
    htsep_trainer_free(tr);
    htsep_network_free(net);
    htsep_dataset_free(data);
}
END_TEST

START_TEST(trainer_stops_on_divergence)
{
    htsep_dataset *data = synthetic(64, 9, 13);
    htsep_network *net = NULL;
    htsep_trainer *tr = NULL;
    double flag = -1.0;

    ck_assert_int_eq(htsep_network_create(&net, 9, 8, 3), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_steps(net, 5, 2), HTSEP_OK);
    ck_assert_int_eq(htsep_network_init_weights(net, HTSEP_INIT_GLOROT, 2),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_create(&tr, net, HTSEP_PRESET_PAPER),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_set_batch(tr, 8), HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_set_rates(tr, 1e37, 1e37), HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_run(tr, data, NULL, 3), HTSEP_E_DIVERGED);
    ck_assert_int_eq(htsep_trainer_metric(tr, HTSEP_METRIC_DIVERGED, &flag),
                     HTSEP_OK);
    ck_assert_double_eq(flag, 1.0);
    /* A later run that ends well clears the flag. */
    ck_assert_int_eq(htsep_network_init_weights(net, HTSEP_INIT_GLOROT, 2),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_set_rates(tr, 0.0, 0.0), HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_run(tr, data, NULL, 1), HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_metric(tr, HTSEP_METRIC_DIVERGED, &flag),
                     HTSEP_OK);
    ck_assert_double_eq(flag, 0.0);
    htsep_trainer_free(tr);
    htsep_network_free(net);
    htsep_dataset_free(data);
}
END_TEST

/* Stability figures on a network whose answer is known by hand: W2 = 0
 * and gamma = 0 remove the feedback, so from rest each hidden unit follows
 * h(t) = f(d) (1 - (1 - dt)^t) towards f(d) of its drive d. Unit 0 has drive
 * 0.5 for every example (always active), unit 1 drive -0.5 (never active),
 * unit 2 drive x0, which is positive for half of the examples. With zero
 * rates the weights stay put. */
START_TEST(trainer_reports_stability_figures)
{
    const float x0[10] = {-2, -1, -0.5f, -0.25f, -0.1f, 0.1f, 0.25f, 0.5f,
                          1, 2};
    float x[20], w1[6] = {0, 0, 1, 0, 0, 0}, b1[3] = {0.5f, -0.5f, 0};
    float w2[6] = {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f};
    uint8_t labels[10] = {0};
    htsep_dataset *data = NULL;
    htsep_network *net = NULL;
    htsep_trainer *tr = NULL;
    double v = 0.0;

    for (int i = 0; i < 10; i++) {
        x[2 * i] = x0[i];
        x[2 * i + 1] = 0.0f;
    }
    ck_assert_int_eq(htsep_dataset_create(&data, x, labels, 10, 2, 2),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_network_create(&net, 2, 3, 2), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_weights(net, 1, w1, 6), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_biases(net, 1, b1, 3), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_weights(net, 2, w2, 6), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_gamma(net, 0.0), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_steps(net, 5, 2), HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_create(&tr, net, HTSEP_PRESET_PAPER),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_set_optimizer(tr, HTSEP_OPT_SGD),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_set_rates(tr, 0.0, 0.0), HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_set_input_norm(tr, HTSEP_NORM_NONE, 0, 1),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_metric(tr, HTSEP_METRIC_FREE_RESIDUAL, &v),
                     HTSEP_OK);
    ck_assert(isnan(v));
    ck_assert_int_eq(htsep_trainer_run(tr, data, data, 1), HTSEP_OK);

    /* Largest change: unit 2 at x0 = 2, f = 2: 2 * 0.3 * 0.7^4. */
    ck_assert_int_eq(htsep_trainer_metric(tr, HTSEP_METRIC_FREE_RESIDUAL, &v),
                     HTSEP_OK);
    ck_assert_double_eq_tol(v, 2 * 0.3 * 0.2401, 1e-6);
    ck_assert_int_eq(htsep_trainer_metric(tr, HTSEP_METRIC_DEAD_SHARE, &v),
                     HTSEP_OK);
    ck_assert_double_eq_tol(v, 1.0 / 3.0, 1e-12);
    ck_assert_int_eq(
        htsep_trainer_metric(tr, HTSEP_METRIC_SATURATED_SHARE, &v), HTSEP_OK);
    ck_assert_double_eq_tol(v, 1.0 / 3.0, 1e-12);
    ck_assert_int_eq(htsep_trainer_metric(tr, HTSEP_METRIC_W1_NORM, &v),
                     HTSEP_OK);
    ck_assert_double_eq_tol(v, 1.0, 1e-12);
    ck_assert_int_eq(htsep_trainer_metric(tr, HTSEP_METRIC_W2_NORM, &v),
                     HTSEP_OK);
    ck_assert_double_eq_tol(v, sqrt(1.5), 1e-7);
    ck_assert_int_eq(htsep_trainer_metric(tr, HTSEP_METRIC_DIVERGED, &v),
                     HTSEP_OK);
    ck_assert_double_eq(v, 0.0);
    htsep_trainer_free(tr);
    htsep_network_free(net);
    htsep_dataset_free(data);
}
END_TEST

/* One batch at an absurd rate leaves finite but enormous weights, so the
 * non-finite states appear only when the epoch's end relaxes the test set
 * or, without one, the stability probe: both must count as divergence. */
static void diverge_after_the_update(int with_test)
{
    htsep_dataset *data = synthetic(16, 400, 13);
    htsep_network *net = NULL;
    htsep_trainer *tr = NULL;
    double flag = -1.0, dead = -1.0;

    ck_assert_int_eq(htsep_network_create(&net, 400, 8, 3), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_steps(net, 5, 2), HTSEP_OK);
    ck_assert_int_eq(htsep_network_init_weights(net, HTSEP_INIT_GLOROT, 2),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_create(&tr, net, HTSEP_PRESET_PAPER),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_set_batch(tr, 16), HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_set_rates(tr, 1e38, 1e38), HTSEP_OK);
    ck_assert_int_eq(
        htsep_trainer_run(tr, data, with_test ? data : NULL, 1),
        HTSEP_E_DIVERGED);
    ck_assert_int_eq(htsep_trainer_metric(tr, HTSEP_METRIC_DIVERGED, &flag),
                     HTSEP_OK);
    ck_assert_double_eq(flag, 1.0);
    /* No figure is made up from non-finite states. */
    ck_assert_int_eq(htsep_trainer_metric(tr, HTSEP_METRIC_DEAD_SHARE, &dead),
                     HTSEP_OK);
    ck_assert(isnan(dead));
    htsep_trainer_free(tr);
    htsep_network_free(net);
    htsep_dataset_free(data);
}

START_TEST(trainer_divergence_found_at_the_epochs_end_is_reported)
{
    diverge_after_the_update(1);
    diverge_after_the_update(0);
}
END_TEST

START_TEST(trainer_rejects_misuse)
{
    htsep_dataset *data = synthetic(20, 5, 1);
    htsep_network *net = NULL;
    htsep_trainer *tr = NULL;
    float x[5] = {0};
    uint8_t bad_label = 7;
    double v;

    ck_assert_int_eq(htsep_network_create(&net, 6, 4, 3), HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_create(NULL, net, HTSEP_PRESET_PAPER),
                     HTSEP_E_NULL);
    ck_assert_int_eq(htsep_trainer_create(&tr, NULL, HTSEP_PRESET_PAPER),
                     HTSEP_E_NULL);
    ck_assert_int_eq(htsep_trainer_create(&tr, net, (htsep_preset)8),
                     HTSEP_E_ENUM);
    ck_assert_ptr_null(tr);
    ck_assert_int_eq(htsep_trainer_create(&tr, net, HTSEP_PRESET_PAPER),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_set_rates(tr, -0.1, 0.1), HTSEP_E_VALUE);
    ck_assert_int_eq(htsep_trainer_set_rates(tr, NAN, 0.1), HTSEP_E_VALUE);
    ck_assert_int_eq(htsep_trainer_set_decay(tr, 0.0), HTSEP_E_VALUE);
    ck_assert_int_eq(htsep_trainer_set_momentum(tr, 1.0), HTSEP_E_VALUE);
    ck_assert_int_eq(htsep_trainer_set_adam(tr, 0.9, 0.999, 0.0),
                     HTSEP_E_VALUE);
    ck_assert_int_eq(htsep_trainer_set_batch(tr, 0), HTSEP_E_SIZE);
    ck_assert_int_eq(htsep_trainer_set_optimizer(tr, (htsep_optimizer)9),
                     HTSEP_E_ENUM);
    ck_assert_int_eq(htsep_trainer_set_input_norm(tr, HTSEP_NORM_GIVEN, 0.1,
                                                  -2.0),
                     HTSEP_E_VALUE);
    ck_assert_int_eq(htsep_trainer_set_threads(tr, -1), HTSEP_E_VALUE);
    ck_assert_int_eq(htsep_trainer_run(tr, data, NULL, 1), HTSEP_E_MISMATCH);
    ck_assert_int_eq(htsep_trainer_run(tr, NULL, NULL, 1), HTSEP_E_NULL);
    ck_assert_int_eq(htsep_trainer_train_batch(tr, x, &bad_label, 1),
                     HTSEP_E_VALUE);
    ck_assert_int_eq(htsep_trainer_train_batch(tr, x, NULL, 1),
                     HTSEP_E_NULL);
    ck_assert_int_eq(htsep_trainer_metric(tr, (htsep_metric)99, &v),
                     HTSEP_E_ENUM);
    ck_assert_int_eq(htsep_trainer_metric(tr, HTSEP_METRIC_ALPHA1, NULL),
                     HTSEP_E_NULL);
    ck_assert_uint_eq(htsep_trainer_epoch(NULL), 0);
    htsep_trainer_free(tr);
    htsep_trainer_free(NULL);
    htsep_network_free(net);
    htsep_dataset_free(data);
}
END_TEST

/* One epoch of the paper's network on 4,000 real Fashion-MNIST images. */
START_TEST(trainer_learns_fashion_mnist)
{
    const char *dir = getenv("HTSEP_FASHION_DIR");
    char images[1024], labels[1024];
    htsep_dataset *full = NULL, *train = NULL, *test = NULL, *tmp = NULL;
    htsep_network *net = NULL;
    htsep_sampler *s = NULL;
    htsep_trainer *tr = NULL;
    double acc = 0.0;

    ck_assert_msg(dir != NULL, "HTSEP_FASHION_DIR is not set");
    snprintf(images, sizeof images, "%s/train-images-idx3-ubyte.gz", dir);
    snprintf(labels, sizeof labels, "%s/train-labels-idx1-ubyte.gz", dir);
    ck_assert_int_eq(htsep_dataset_load_idx(&full, images, labels, 10),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_dataset_subset(&train, full, 0, 4000), HTSEP_OK);
    htsep_dataset_free(full);
    snprintf(images, sizeof images, "%s/t10k-images-idx3-ubyte.gz", dir);
    snprintf(labels, sizeof labels, "%s/t10k-labels-idx1-ubyte.gz", dir);
    ck_assert_int_eq(htsep_dataset_load_idx(&tmp, images, labels, 10),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_dataset_subset(&test, tmp, 0, 2000), HTSEP_OK);
    htsep_dataset_free(tmp);

    ck_assert_int_eq(htsep_network_create(&net, 784, 1024, 10), HTSEP_OK);
    ck_assert_int_eq(htsep_sampler_create(&s, HTSEP_DT_LOGNORMAL, 0.3, 0.1),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_sampler_seed(s, 1), HTSEP_OK);
    ck_assert_int_eq(htsep_network_draw_dt(net, s), HTSEP_OK);
    ck_assert_int_eq(htsep_network_init_weights(net, HTSEP_INIT_GLOROT, 1),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_create(&tr, net, HTSEP_PRESET_REPRODUCE),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_set_seed(tr, 1), HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_set_threads(tr, 2), HTSEP_OK);
    ck_assert_int_eq(htsep_trainer_run(tr, train, NULL, 1), HTSEP_OK);
    ck_assert_int_eq(htsep_network_evaluate(net, test, &acc), HTSEP_OK);
    /* Chance is 10%; one short epoch reaches about 70%. */
    ck_assert_msg(acc > 0.55, "accuracy %.4f after one short epoch", acc);
    htsep_trainer_free(tr);
    htsep_sampler_free(s);
    htsep_network_free(net);
    htsep_dataset_free(train);
    htsep_dataset_free(test);
}
END_TEST

Suite *suite_trainer(void)
{
    Suite *s = suite_create("trainer");
    TCase *tc = tcase_create("trainer");
    TCase *real = tcase_create("real_data");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, trainer_sgd_update_follows_the_learning_rule);
    tcase_add_test(tc, trainer_divide_by_beta_scales_the_update);
    tcase_add_test(tc, trainer_adam_first_step_moves_each_weight_by_the_rate);
    tcase_add_test(tc, trainer_time_steps_scale_each_hidden_units_update);
    tcase_add_test(tc, trainer_changing_optimizer_clears_its_state);
    tcase_add_test(tc, trainer_fast_path_updates_match_the_reference_path);
    tcase_add_test(tc, trainer_same_seed_gives_identical_weights);
    tcase_add_test(tc, trainer_thread_count_fixes_the_bits);
    tcase_add_test(tc, trainer_seed_streams_are_independent_of_the_distribution);
    tcase_add_test(tc, trainer_runs_epochs_with_decay_and_progress);
    tcase_add_test(tc, trainer_callback_can_stop_training);
    tcase_add_test(tc, trainer_stops_on_divergence);
    tcase_add_test(tc, trainer_reports_stability_figures);
    tcase_add_test(tc, trainer_divergence_found_at_the_epochs_end_is_reported);
    tcase_add_test(tc, trainer_rejects_misuse);
    suite_add_tcase(s, tc);
    tcase_set_timeout(real, 600);
    tcase_add_test(real, trainer_learns_fashion_mnist);
    suite_add_tcase(s, real);
    return s;
}
