/*
 * htsep-train: trains an n_in - n_h - n_out network with equilibrium
 * propagation and heterogeneous time steps on IDX image files, printing the
 * test accuracy after each epoch.
 *
 *   htsep-train --data DIR [options]      (htsep-train --help for the list)
 *
 * DIR holds train-images-idx3-ubyte, train-labels-idx1-ubyte,
 * t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, each plain or .gz.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <htsep.h>

#include "run_record.h"

struct options {
    const char *data_dir;
    const char *preset;
    const char *dist;
    const char *opt;
    const char *init;
    const char *load_path;
    const char *save_path;
    const char *json_path;
    const char *label;             /* data set name in the --json record */
    double dt_y, dt_mu, dt_sigma, dt_min, dt_max;
    double rate_scale;             /* multiplies the rates in force */
    double alpha1, alpha2, decay;  /* NaN: keep the preset's */
    double input_mean, input_sd;   /* NaN: the preset's rule */
    unsigned long epochs, batch, hidden, t_free, t_clamped;
    unsigned long long seed;
    unsigned long train_limit;     /* 0: the whole training set */
    int threads;
    int quiet;
    int network_options;           /* given options that --load overrides */
};

struct progress_state {
    int live;        /* draw a bar on stderr (a terminal) */
    double started;
};

static const char usage[] =
    "usage: htsep-train --data DIR [options]\n"
    "\n"
    "  --data DIR         folder with the four IDX files (plain or .gz)\n"
    "  --preset NAME      paper | reproduce (default reproduce)\n"
    "  --dist NAME        scalar | normal | lognormal | gamma (default lognormal)\n"
    "  --dt-y X           output time step (default 0.3)\n"
    "  --dt-mu X          mean hidden time step (default 0.3)\n"
    "  --dt-sigma X       sd of the hidden time step (default 0.1)\n"
    "  --dt-min X         lower clamp of the hidden time steps (default: 0.001\n"
    "                     for paper; for reproduce 0.1, or half of --dt-mu\n"
    "                     when that is less)\n"
    "  --dt-max X         upper clamp of the hidden time steps (default 0.5)\n"
    "  --epochs N         epochs to train (default 5)\n"
    "  --batch N          mini-batch size (default 256)\n"
    "  --hidden N         hidden units (default 1024)\n"
    "  --steps F,C        free and clamped steps (default 125,12)\n"
    "  --opt NAME         sgd | momentum | adagrad | adam (default: preset)\n"
    "  --alpha1 X         rate of W1, b1 (default: preset)\n"
    "  --alpha2 X         rate of W2, b2 (default: preset)\n"
    "  --decay X          rate factor per epoch (default: preset)\n"
    "  --rate-scale X     multiply both rates by X (default 1)\n"
    "  --input-mean X     standardise inputs with this mean ...\n"
    "  --input-sd X       ... and this sd, both or neither (default: preset)\n"
    "  --init NAME        glorot | positive (default glorot)\n"
    "  --seed N           seed of weights, time steps and shuffling (default 1)\n"
    "  --threads N        relaxation and BLAS threads; 0 = one relaxation\n"
    "                     thread and the BLAS default (default 0)\n"
    "  --train-limit N    use only the first N training images\n"
    "  --load FILE        start from a checkpoint instead of a new network\n"
    "  --save FILE        write a checkpoint after every epoch\n"
    "  --json FILE        write the run's settings, per-epoch figures and\n"
    "                     outcome to FILE as one JSON line at the end\n"
    "  --label NAME       data set name in that line (default: DIR's name)\n"
    "  --quiet            no progress bar\n"
    "  --help             this text\n";

static double now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int parse_double(const char *s, double *out)
{
    char *end;

    if (isspace((unsigned char)*s))
        return 0;
    errno = 0;
    *out = strtod(s, &end);
    return errno == 0 && end != s && *end == '\0' && isfinite(*out);
}

static int parse_ulong(const char *s, unsigned long *out)
{
    char *end;

    /* strtoul would skip blanks and accept a sign, turning -1 into a
     * huge number. */
    if (!isdigit((unsigned char)*s))
        return 0;
    errno = 0;
    *out = strtoul(s, &end, 10);
    return errno == 0 && end != s && *end == '\0';
}

static int parse_steps(const char *s, struct options *o)
{
    char buf[64];
    char *comma;

    if (strlen(s) >= sizeof buf)
        return 0;
    strcpy(buf, s);
    comma = strchr(buf, ',');
    if (!comma)
        return 0;
    *comma = '\0';
    return parse_ulong(buf, &o->t_free) && parse_ulong(comma + 1, &o->t_clamped)
           && o->t_free > 0 && o->t_clamped > 0 && o->t_free <= UINT_MAX &&
           o->t_clamped <= UINT_MAX;
}

static int one_of(const char *value, const char *const *names, int count)
{
    for (int i = 0; i < count; i++)
        if (strcmp(value, names[i]) == 0)
            return i;
    return -1;
}

static const char *const preset_names[] = {"paper", "reproduce"};
static const char *const opt_names[] = {"sgd", "momentum", "adagrad", "adam"};
static const char *const init_names[] = {"glorot", "positive"};
static const char *const dist_names[] = {"scalar", "normal", "lognormal",
                                         "gamma"};

/* Names are checked before any data is read, so a typo fails at once. */
static int check_names(const struct options *o)
{
    const struct {
        const char *option, *value, *choices;
        const char *const *names;
        int count;
    } checks[] = {
        {"--preset", o->preset, "paper, reproduce", preset_names, 2},
        {"--dist", o->dist, "scalar, normal, lognormal, gamma", dist_names, 4},
        {"--init", o->init, "glorot, positive", init_names, 2},
        {"--opt", o->opt ? o->opt : "sgd", "sgd, momentum, adagrad, adam",
         opt_names, 4},
    };

    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        if (one_of(checks[i].value, checks[i].names, checks[i].count) < 0) {
            fprintf(stderr, "htsep-train: %s %s: not one of %s\n",
                    checks[i].option, checks[i].value, checks[i].choices);
            return -1;
        }
    }
    return 0;
}

/* Options that take a value. */
static int takes_value(const char *option)
{
    static const char *const names[] = {
        "--data", "--preset", "--dist", "--opt", "--init", "--load", "--save",
        "--dt-y", "--dt-mu", "--dt-sigma", "--dt-min", "--dt-max", "--alpha1", "--alpha2",
        "--decay", "--rate-scale",
        "--input-mean", "--input-sd", "--epochs", "--batch", "--hidden",
        "--steps", "--seed", "--threads", "--train-limit", "--json",
        "--label"};

    return one_of(option, names, sizeof names / sizeof names[0]) >= 0;
}

/* Any option, so that one left without its value is not taken for it. */
static int is_option(const char *arg)
{
    return takes_value(arg) || strcmp(arg, "--quiet") == 0 ||
           strcmp(arg, "--help") == 0;
}

/* Returns 0 on success, 1 after --help, -1 on a bad argument. */
static int parse_args(int argc, char **argv, struct options *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long n = 0;
        int ok = 1;

        if (strcmp(a, "--help") == 0) {
            fputs(usage, stdout);
            return 1;
        }
        if (strcmp(a, "--quiet") == 0) {
            o->quiet = 1;
            continue;
        }
        if (strncmp(a, "--", 2) != 0 || !takes_value(a)) {
            fprintf(stderr, "htsep-train: %s: unknown argument\n", a);
            return -1;
        }
        if (!v || (strncmp(v, "--", 2) == 0 && is_option(v))) {
            fprintf(stderr, "htsep-train: %s: missing value\n", a);
            return -1;
        }
        if (*v == '\0') {
            fprintf(stderr, "htsep-train: %s: empty value\n", a);
            return -1;
        }
        i++;
        o->network_options +=
            strcmp(a, "--dist") == 0 || strcmp(a, "--init") == 0 ||
            strncmp(a, "--dt-", 5) == 0 || strcmp(a, "--hidden") == 0 ||
            strcmp(a, "--steps") == 0;
        if (strcmp(a, "--data") == 0)
            o->data_dir = v;
        else if (strcmp(a, "--preset") == 0)
            o->preset = v;
        else if (strcmp(a, "--dist") == 0)
            o->dist = v;
        else if (strcmp(a, "--opt") == 0)
            o->opt = v;
        else if (strcmp(a, "--init") == 0)
            o->init = v;
        else if (strcmp(a, "--load") == 0)
            o->load_path = v;
        else if (strcmp(a, "--save") == 0)
            o->save_path = v;
        else if (strcmp(a, "--json") == 0)
            o->json_path = v;
        else if (strcmp(a, "--label") == 0)
            o->label = v;
        else if (strcmp(a, "--dt-y") == 0)
            ok = parse_double(v, &o->dt_y);
        else if (strcmp(a, "--dt-mu") == 0)
            ok = parse_double(v, &o->dt_mu);
        else if (strcmp(a, "--dt-sigma") == 0)
            ok = parse_double(v, &o->dt_sigma);
        else if (strcmp(a, "--dt-min") == 0)
            ok = parse_double(v, &o->dt_min);
        else if (strcmp(a, "--dt-max") == 0)
            ok = parse_double(v, &o->dt_max);
        else if (strcmp(a, "--rate-scale") == 0)
            ok = parse_double(v, &o->rate_scale) && o->rate_scale > 0.0 &&
                 isfinite(o->rate_scale);
        else if (strcmp(a, "--alpha1") == 0)
            ok = parse_double(v, &o->alpha1);
        else if (strcmp(a, "--alpha2") == 0)
            ok = parse_double(v, &o->alpha2);
        else if (strcmp(a, "--decay") == 0)
            ok = parse_double(v, &o->decay);
        else if (strcmp(a, "--input-mean") == 0)
            ok = parse_double(v, &o->input_mean);
        else if (strcmp(a, "--input-sd") == 0)
            ok = parse_double(v, &o->input_sd);
        else if (strcmp(a, "--epochs") == 0)
            ok = parse_ulong(v, &o->epochs) && o->epochs > 0 &&
                 o->epochs <= UINT_MAX;
        else if (strcmp(a, "--batch") == 0)
            ok = parse_ulong(v, &o->batch) && o->batch > 0;
        else if (strcmp(a, "--hidden") == 0)
            ok = parse_ulong(v, &o->hidden) && o->hidden > 0;
        else if (strcmp(a, "--steps") == 0)
            ok = parse_steps(v, o);
        else if (strcmp(a, "--seed") == 0)
            ok = parse_ulong(v, &n), o->seed = n;
        else if (strcmp(a, "--threads") == 0)
            ok = parse_ulong(v, &n) && n <= 1024, o->threads = (int)n;
        else if (strcmp(a, "--train-limit") == 0)
            ok = parse_ulong(v, &o->train_limit);
        if (!ok) {
            fprintf(stderr, "htsep-train: %s: bad value '%s'\n", a, v);
            return -1;
        }
    }
    if (!o->data_dir) {
        fprintf(stderr, "htsep-train: --data DIR is required\n");
        return -1;
    }
    /* One alone would silently pair with 0 or 1, not the preset's. */
    if (isnan(o->input_mean) != isnan(o->input_sd)) {
        fprintf(stderr, "htsep-train: --input-mean and --input-sd go "
                        "together: give both\n");
        return -1;
    }
    return check_names(o);
}

/* Finds DIR/stem.gz or DIR/stem; returns 0 if neither exists. */
static int find_idx(const char *dir, const char *stem, char *path,
                    size_t size)
{
    static const char *const suffixes[] = {".gz", ""};

    for (int i = 0; i < 2; i++) {
        int n = snprintf(path, size, "%s/%s%s", dir, stem, suffixes[i]);

        if (n > 0 && (size_t)n < size && access(path, R_OK) == 0)
            return 1;
    }
    return 0;
}

static int load_split(const char *dir, const char *prefix,
                      htsep_dataset **out)
{
    char images[4096], labels[4096], stem[64];
    htsep_status st;

    snprintf(stem, sizeof stem, "%s-images-idx3-ubyte", prefix);
    if (!find_idx(dir, stem, images, sizeof images)) {
        fprintf(stderr, "htsep-train: no %s(.gz) in %s\n", stem, dir);
        return -1;
    }
    snprintf(stem, sizeof stem, "%s-labels-idx1-ubyte", prefix);
    if (!find_idx(dir, stem, labels, sizeof labels)) {
        fprintf(stderr, "htsep-train: no %s(.gz) in %s\n", stem, dir);
        return -1;
    }
    st = htsep_dataset_load_idx(out, images, labels, 10);
    if (st != HTSEP_OK) {
        fprintf(stderr, "htsep-train: %s / %s: %s\n", images, labels,
                htsep_strerror(st));
        return -1;
    }
    return 0;
}

/* Draws "epoch 2/5 [#####.....] 120/235" over itself on a terminal. */
static void draw_bar(const htsep_trainer *tr)
{
    size_t done = htsep_trainer_batch_index(tr);
    size_t total = htsep_trainer_batch_count(tr);
    char bar[31];
    size_t fill = total ? done * 30 / total : 0;

    for (size_t i = 0; i < 30; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[30] = '\0';
    fprintf(stderr, "\repoch %u/%u [%s] %zu/%zu", htsep_trainer_epoch(tr) + 1,
            htsep_trainer_epochs_planned(tr), bar, done, total);
    fflush(stderr);
}

static void print_epoch(const struct epoch_figures *e, unsigned epoch,
                        const struct progress_state *p)
{
    if (p->live)
        fputs("\r\033[K", stderr);
    printf("epoch %u train_s %.2f loss %.5f train_acc %.2f test_acc %.2f "
           "eval_s %.2f residual %.2e dead %.3f saturated %.3f "
           "elapsed_s %.1f\n",
           epoch, e->train_s, e->loss, 100.0 * e->train_acc,
           100.0 * e->test_acc, e->eval_s, e->residual, e->dead,
           e->saturated, now_seconds() - p->started);
    fflush(stdout);
}

struct run_context {
    struct progress_state progress;
    htsep_network *net;
    const char *save_path;
    htsep_status save_status;
    struct run_record record;
};

static int on_progress(const htsep_trainer *tr, htsep_event event,
                       void *user)
{
    struct run_context *ctx = user;

    if (event == HTSEP_EVENT_BATCH && ctx->progress.live)
        draw_bar(tr);
    if (event != HTSEP_EVENT_EPOCH)
        return 0;
    run_record_epoch(&ctx->record, tr);
    if (ctx->record.epochs_done > 0)
        print_epoch(&ctx->record.epochs[ctx->record.epochs_done - 1],
                    htsep_trainer_epoch(tr), &ctx->progress);
    if (ctx->save_path) {
        ctx->save_status = htsep_network_save(ctx->net, ctx->save_path);
        if (ctx->save_status != HTSEP_OK)
            return 1;
    }
    return 0;
}

/* Prints why a network setting was refused; returns st. */
static htsep_status refuse(const char *what, htsep_status st)
{
    fprintf(stderr, "htsep-train: %s: %s\n", what, htsep_strerror(st));
    return st;
}

/* Makes the network: from a checkpoint, or new with sampled time steps.
 * Prints the reason of a failure. */
static htsep_status make_network(const struct options *o, size_t n_in,
                                 htsep_network **out)
{
    htsep_sampler *s = NULL;
    htsep_network *net = NULL;
    htsep_init init = (htsep_init)one_of(o->init, init_names, 2);
    htsep_dt_dist dist = (htsep_dt_dist)one_of(o->dist, dist_names, 4);
    htsep_status st;

    if (o->load_path) {
        if (o->network_options)
            fprintf(stderr, "htsep-train: warning: --load takes the network "
                            "from %s; --dist, --dt-*, --hidden, --steps and "
                            "--init are ignored\n", o->load_path);
        st = htsep_network_load(out, o->load_path);
        return st == HTSEP_OK ? st : refuse(o->load_path, st);
    }
    st = htsep_sampler_create(&s, dist, o->dt_mu, o->dt_sigma);
    if (st != HTSEP_OK)
        return refuse("--dt-mu/--dt-sigma", st);
    st = htsep_sampler_seed(s, o->seed);
    if (st == HTSEP_OK &&
        (st = htsep_sampler_set_bounds(s, o->dt_min, o->dt_max))) {
        htsep_sampler_free(s);
        return refuse("--dt-min/--dt-max (0 < dt-min <= dt-max)", st);
    }
    if (st == HTSEP_OK)
        st = htsep_network_create(&net, n_in, o->hidden, 10);
    if (st != HTSEP_OK)
        refuse("--hidden", st);
    else if ((st = htsep_network_draw_dt(net, s)) != HTSEP_OK)
        refuse("--dt-mu/--dt-sigma/--dt-max (time steps must lie in "
               "(0, 1])", st);
    else if ((st = htsep_network_init_weights(net, init, o->seed)) != HTSEP_OK)
        refuse("--init", st);
    else if ((st = htsep_network_set_dt_y(net, o->dt_y)) != HTSEP_OK)
        refuse("--dt-y (must lie in (0, 1])", st);
    else if (o->t_free && (st = htsep_network_set_steps(
                               net, (unsigned)o->t_free,
                               (unsigned)o->t_clamped)) != HTSEP_OK)
        refuse("--steps", st);
    htsep_sampler_free(s);
    if (st != HTSEP_OK) {
        htsep_network_free(net);
        return st;
    }
    *out = net;
    return HTSEP_OK;
}

/* Applies the trainer options; on a refusal prints which option and why. */
static htsep_status configure_trainer(const struct options *o,
                                      htsep_trainer *tr)
{
    htsep_status st;
    double a1 = 0.0, a2 = 0.0;

    if ((st = htsep_trainer_set_batch(tr, o->batch)) != HTSEP_OK)
        return refuse("--batch", st);
    if ((st = htsep_trainer_set_seed(tr, o->seed)) != HTSEP_OK)
        return refuse("--seed", st);
    if ((st = htsep_trainer_set_threads(tr, o->threads)) != HTSEP_OK)
        return refuse("--threads", st);
    if (o->opt && (st = htsep_trainer_set_optimizer(
                       tr, (htsep_optimizer)one_of(o->opt, opt_names, 4))))
        return refuse("--opt", st);
    /* Rates not given keep the preset's. */
    if (!isnan(o->alpha1) || !isnan(o->alpha2) || o->rate_scale != 1.0) {
        if (htsep_trainer_metric(tr, HTSEP_METRIC_ALPHA1, &a1) ||
            htsep_trainer_metric(tr, HTSEP_METRIC_ALPHA2, &a2))
            return refuse("--alpha1/--alpha2", HTSEP_E_INTERNAL);
        if (!isnan(o->alpha1))
            a1 = o->alpha1;
        if (!isnan(o->alpha2))
            a2 = o->alpha2;
        st = htsep_trainer_set_rates(tr, a1 * o->rate_scale,
                                     a2 * o->rate_scale);
        if (st != HTSEP_OK)
            return refuse("--alpha1/--alpha2/--rate-scale (rates must be "
                          "finite and at least 0)", st);
    }
    if (!isnan(o->decay) &&
        (st = htsep_trainer_set_decay(tr, o->decay)) != HTSEP_OK)
        return refuse("--decay (must lie in (0, 1])", st);
    /* A checkpoint carries its own standardisation. */
    if (o->load_path &&
        (st = htsep_trainer_set_input_norm(tr, HTSEP_NORM_KEEP, 0.0, 1.0)))
        return refuse("--load", st);
    if (!isnan(o->input_mean) &&
        (st = htsep_trainer_set_input_norm(tr, HTSEP_NORM_GIVEN, o->input_mean,
                                           o->input_sd)) != HTSEP_OK)
        return refuse("--input-mean/--input-sd (sd must be finite and above "
                      "0)", st);
    return HTSEP_OK;
}

/* The last part of a path, for the default --label. */
static const char *base_name(const char *path)
{
    static char buf[256];
    size_t n = strlen(path);
    const char *start;

    while (n > 1 && path[n - 1] == '/')
        n--;
    start = path + n;
    while (start > path && start[-1] != '/')
        start--;
    n -= (size_t)(start - path);
    if (n >= sizeof buf)
        n = sizeof buf - 1;
    memcpy(buf, start, n);
    buf[n] = '\0';
    return buf;
}

/* The settings part of the --json record, as the run will use them. */
static void describe_run(const struct options *o, const htsep_network *net,
                         const htsep_trainer *tr, const htsep_dataset *train,
                         const htsep_dataset *test, struct run_record *r)
{
    size_t n_h = 0;
    unsigned t_free = 0, t_clamped = 0;

    r->label = o->label ? o->label : base_name(o->data_dir);
    r->preset = o->preset;
    r->dist = o->load_path ? "checkpoint" : o->dist;
    r->opt = o->opt;
    r->init = o->init;
    r->dt_mu = o->dt_mu;
    r->dt_sigma = o->dt_sigma;
    r->dt_min = o->dt_min;
    r->dt_max = o->dt_max;
    r->rate_scale = o->rate_scale;
    r->decay = o->decay;
    r->seed = o->seed;
    r->batch = o->batch;
    r->threads = o->threads;
    r->train_count = htsep_dataset_count(train);
    r->test_count = htsep_dataset_count(test);
    r->alpha1 = r->alpha2 = r->input_mean = r->input_sd = r->dt_y = NAN;
    if (htsep_trainer_metric(tr, HTSEP_METRIC_ALPHA1, &r->alpha1) ||
        htsep_trainer_metric(tr, HTSEP_METRIC_ALPHA2, &r->alpha2) ||
        htsep_network_get_dt_y(net, &r->dt_y) ||
        htsep_network_sizes(net, NULL, &n_h, NULL) ||
        htsep_network_get_steps(net, &t_free, &t_clamped))
        return;
    r->hidden = n_h;
    r->t_free = t_free;
    r->t_clamped = t_clamped;
}

/* A loaded network must fit the data. */
static int check_sizes(const htsep_network *net, const htsep_dataset *train)
{
    size_t n_in = 0, n_out = 0;

    if (htsep_network_sizes(net, &n_in, NULL, &n_out) != HTSEP_OK)
        return -1;
    if (n_in != htsep_dataset_features(train) ||
        n_out < htsep_dataset_classes(train)) {
        fprintf(stderr, "htsep-train: the network takes %zu inputs and %zu "
                        "classes; the data have %zu pixels and %zu classes\n",
                n_in, n_out, htsep_dataset_features(train),
                htsep_dataset_classes(train));
        return -1;
    }
    return 0;
}

static void print_header(const struct options *o, const htsep_network *net,
                         const htsep_dataset *train, const htsep_dataset *test)
{
    size_t n_in = 0, n_h = 0, n_out = 0;
    double dt_y = 0.0;

    if (htsep_network_sizes(net, &n_in, &n_h, &n_out) ||
        htsep_network_get_dt_y(net, &dt_y))
        return;
    printf("# libhtsep %s  net %zu-%zu-%zu  data %s  train %zu  test %zu\n",
           htsep_version_string(), n_in, n_h, n_out, o->data_dir,
           htsep_dataset_count(train), htsep_dataset_count(test));
    printf("# preset %s  dist ", o->preset);
    if (o->load_path)
        printf("(checkpoint)");
    else
        printf("%s in [%.3g, %.3g]", o->dist, o->dt_min, o->dt_max);
    printf("  dt_y %.3g  seed %llu  batch %lu  epochs %lu%s%s\n", dt_y,
           o->seed, o->batch, o->epochs, o->load_path ? "  from " : "",
           o->load_path ? o->load_path : "");
    fflush(stdout);
}

/* Why the result line cannot be written, from run_record's errno. */
static const char *record_error(int err)
{
    return err == EEXIST ? "not a regular file (the record's rename would "
                           "replace it)"
                         : strerror(err);
}

/* The preset's lower clamp of the hidden time steps unless one was given;
 * nonzero, after a message, for a mean time step the clamps would move.
 * Under Adam, a hidden unit too slow to settle in the free phase has its
 * lag amplified into full-rate weight steps that grow without bound (see
 * docs/results.md); the paper's clamp stays with its own preset. */
static int choose_lower_clamp(struct options *o, htsep_preset preset)
{
    if (isnan(o->dt_min))
        o->dt_min = fmin(preset == HTSEP_PRESET_PAPER ? 1e-3
                                                     : fmin(0.1, o->dt_mu / 2),
                         o->dt_max);
    /* Bad clamps themselves are the sampler's to refuse, later. */
    if (!o->load_path && o->dt_min > 0.0 && o->dt_min <= o->dt_max &&
        (o->dt_mu < o->dt_min || o->dt_mu > o->dt_max)) {
        fprintf(stderr, "htsep-train: --dt-mu: %g lies outside the clamps "
                        "[%g, %g]\n", o->dt_mu, o->dt_min, o->dt_max);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct options o = {
        .preset = "reproduce", .dist = "lognormal", .init = "glorot",
        .dt_y = 0.3, .dt_mu = 0.3, .dt_sigma = 0.1, .dt_min = NAN,
        .dt_max = 0.5,
        .rate_scale = 1.0,
        .alpha1 = NAN, .alpha2 = NAN, .decay = NAN,
        .input_mean = NAN, .input_sd = NAN,
        .epochs = 5, .batch = 256, .hidden = 1024, .seed = 1,
    };
    htsep_dataset *train = NULL, *test = NULL;
    htsep_network *net = NULL;
    htsep_trainer *tr = NULL;
    htsep_preset preset;
    struct run_context ctx = {{0}, NULL, NULL, HTSEP_OK, {0}};
    htsep_status st;
    int rc = 1, json_failed = 0, parsed = parse_args(argc, argv, &o);

    if (parsed != 0)
        return parsed > 0 ? 0 : 2;
    preset = (htsep_preset)one_of(o.preset, preset_names, 2);
    if (choose_lower_clamp(&o, preset) != 0)
        return 2;
    if (load_split(o.data_dir, "train", &train) ||
        load_split(o.data_dir, "t10k", &test))
        goto done;
    if (o.train_limit && o.train_limit < htsep_dataset_count(train)) {
        htsep_dataset *part = NULL;

        st = htsep_dataset_subset(&part, train, 0, o.train_limit);
        if (st != HTSEP_OK) {
            fprintf(stderr, "htsep-train: %s\n", htsep_strerror(st));
            goto done;
        }
        htsep_dataset_free(train);
        train = part;
    }
    if (htsep_dataset_features(test) != htsep_dataset_features(train)) {
        fprintf(stderr, "htsep-train: training images have %zu pixels, test "
                        "images %zu\n", htsep_dataset_features(train),
                htsep_dataset_features(test));
        goto done;
    }
    if (make_network(&o, htsep_dataset_features(train), &net) != HTSEP_OK) {
        rc = o.load_path ? 1 : 2;  /* an unreadable file, or a bad option */
        goto done;
    }
    if (check_sizes(net, train) != 0)
        goto done;
    st = htsep_trainer_create(&tr, net, preset);
    if (st == HTSEP_OK)
        st = configure_trainer(&o, tr);
    else
        fprintf(stderr, "htsep-train: %s\n", htsep_strerror(st));
    if (st != HTSEP_OK) {
        rc = 2;
        goto done;
    }
    if (o.json_path && run_record_check_path(o.json_path) != 0) {
        fprintf(stderr, "htsep-train: --json %s: %s\n", o.json_path,
                record_error(errno));
        goto done;
    }
    /* Writing the starting network finds an unwritable --save path before
     * an epoch is spent; the file is replaced atomically after each epoch. */
    if (o.save_path && (st = htsep_network_save(net, o.save_path))) {
        fprintf(stderr, "htsep-train: --save %s: %s\n", o.save_path,
                htsep_strerror(st));
        goto done;
    }
    if (run_record_init(&ctx.record, o.epochs) != 0) {
        fprintf(stderr, "htsep-train: out of memory\n");
        goto done;
    }
    describe_run(&o, net, tr, train, test, &ctx.record);
    ctx.progress.live = !o.quiet && isatty(STDERR_FILENO);
    ctx.progress.started = now_seconds();
    ctx.net = net;
    ctx.save_path = o.save_path;
    st = htsep_trainer_set_progress(tr, on_progress, &ctx);
    if (st == HTSEP_OK) {
        print_header(&o, net, train, test);
        st = htsep_trainer_run(tr, train, test, (unsigned)o.epochs);
    }
    if (ctx.progress.live)
        fputs("\r\033[K", stderr);
    ctx.record.wall_s = now_seconds() - ctx.progress.started;
    ctx.record.status = st;
    /* The standardisation the run applied (set at its first epoch). */
    if (htsep_network_get_input_norm(net, &ctx.record.input_mean,
                                     &ctx.record.input_sd) != HTSEP_OK)
        ctx.record.input_mean = ctx.record.input_sd = NAN;
    if (o.json_path && run_record_save(&ctx.record, o.json_path) != 0) {
        fprintf(stderr, "htsep-train: --json %s: %s\n", o.json_path,
                record_error(errno));
        json_failed = 1;
    }
    if (ctx.save_status != HTSEP_OK)
        fprintf(stderr, "htsep-train: saving %s: %s\n", o.save_path,
                htsep_strerror(ctx.save_status));
    else if (st != HTSEP_OK)
        fprintf(stderr, "htsep-train: training stopped: %s\n",
                htsep_strerror(st));
    else if (!json_failed)
        rc = 0;
done:
    run_record_free(&ctx.record);
    htsep_trainer_free(tr);
    htsep_network_free(net);
    htsep_dataset_free(train);
    htsep_dataset_free(test);
    return rc;
}
