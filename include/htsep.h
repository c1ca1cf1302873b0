/*
 * libhtsep: equilibrium propagation with heterogeneous time steps.
 *
 * One public header. Every object is an opaque handle made by a _create (or
 * _load) call that returns a status and hands the object out through its
 * first argument, and released by a _free call that accepts NULL. Nothing
 * here reveals a struct layout, and no GSL or CBLAS type appears, so users
 * need neither library's headers.
 *
 * Conventions used throughout:
 *  - Functions that can fail return htsep_status; HTSEP_OK is 0. The library
 *    never prints and never exits; htsep_strerror() explains a status.
 *  - Arrays are float32, row-major. A batch of B inputs is B x n_in, a hidden
 *    state B x n_h, an output state B x n_out. W1 is n_in x n_h, W2 is
 *    n_h x n_out.
 *  - Sizes are size_t. Seeds are uint64_t.
 *  - A handle may be used by one thread at a time; distinct handles may be
 *    used from distinct threads concurrently.
 *
 * Copyright (C) 2026 the libhtsep authors. GPL-3.0-or-later.
 */
#ifndef HTSEP_H
#define HTSEP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The one export macro. Building the library defines HTSEP_BUILDING. */
#if defined(_WIN32) && defined(HTSEP_BUILDING)
#define HTSEP_API __declspec(dllexport)
#elif defined(_WIN32)
#define HTSEP_API __declspec(dllimport)
#elif defined(__GNUC__) || defined(__clang__)
#define HTSEP_API __attribute__((visibility("default")))
#else
#define HTSEP_API
#endif

#if defined(__GNUC__) || defined(__clang__)
#define HTSEP_MUST_USE __attribute__((warn_unused_result))
#else
#define HTSEP_MUST_USE
#endif

/* The version is written here and nowhere else; the Makefile reads it. */
#define HTSEP_VERSION_MAJOR 1
#define HTSEP_VERSION_MINOR 1
#define HTSEP_VERSION_PATCH 0
#define HTSEP_VERSION_NUMBER                                                  \
    (HTSEP_VERSION_MAJOR * 10000 + HTSEP_VERSION_MINOR * 100 +               \
     HTSEP_VERSION_PATCH)

/* ------------------------------------------------------------------------ */
/* Status codes. Values are fixed forever; new codes get new numbers.       */

typedef enum htsep_status {
    HTSEP_OK = 0,

    /* Arguments (1-99). */
    HTSEP_E_NULL = 1,          /* a required pointer is NULL */
    HTSEP_E_SIZE = 2,          /* a size is zero, too large or overflows */
    HTSEP_E_VALUE = 3,         /* a number is NaN, infinite or out of range */
    HTSEP_E_ENUM = 4,          /* an enumeration value is unknown */
    HTSEP_E_MISMATCH = 5,      /* two objects' sizes do not agree */
    HTSEP_E_NOMEM = 10,        /* memory allocation failed */
    HTSEP_E_INTERNAL = 11,     /* a dependency reported an error */

    /* Files (100-199). */
    HTSEP_E_OPEN = 100,        /* cannot be opened, or not a regular file */
    HTSEP_E_READ = 101,        /* reading failed */
    HTSEP_E_WRITE = 102,       /* writing, syncing or renaming failed */
    HTSEP_E_GZIP = 103,        /* the gzip stream is corrupt */
    HTSEP_E_IDX_MAGIC = 110,   /* not an IDX file of the expected kind */
    HTSEP_E_IDX_TRUNCATED = 111, /* fewer bytes than the header promises */
    HTSEP_E_IDX_DIMS = 112,    /* a dimension is zero or the size overflows */
    HTSEP_E_IDX_COUNT = 113,   /* image and label counts differ */
    HTSEP_E_IDX_LABEL = 114,   /* a label is not below the class count */
    HTSEP_E_IDX_TRAILING = 115, /* bytes follow the data the header describes */
    HTSEP_E_CKPT_MAGIC = 130,  /* not a libhtsep checkpoint */
    HTSEP_E_CKPT_VERSION = 131, /* checkpoint format version not supported */
    HTSEP_E_CKPT_TRUNCATED = 132, /* the checkpoint ends early */
    HTSEP_E_CKPT_CHECKSUM = 133, /* the checkpoint's checksum does not match */
    HTSEP_E_CKPT_INVALID = 134, /* a checkpoint field is out of range */

    /* Training (200-299). */
    HTSEP_E_DIVERGED = 200,    /* a state or weight became NaN or infinite */
    HTSEP_E_STOPPED = 201      /* the progress callback asked to stop */
} htsep_status;

/* A short English sentence for any status; never NULL (unknown codes get a
 * generic sentence). The string is static. */
HTSEP_API const char *htsep_strerror(int status);

/* The enumerator's name, such as "HTSEP_E_NULL"; "HTSEP_E_UNKNOWN" for an
 * unknown code. The string is static. */
HTSEP_API const char *htsep_status_name(int status);

/* Version of the library actually loaded, as HTSEP_VERSION_NUMBER and as
 * "MAJOR.MINOR.PATCH". Compare with the macros to catch a mismatch. */
HTSEP_API unsigned htsep_version(void);
HTSEP_API const char *htsep_version_string(void);

/* ------------------------------------------------------------------------ */
/* Opaque handles.                                                          */

typedef struct htsep_sampler htsep_sampler;
typedef struct htsep_network htsep_network;
typedef struct htsep_dataset htsep_dataset;
typedef struct htsep_trainer htsep_trainer;

/* ------------------------------------------------------------------------ */
/* Time-step sampler (docs/algorithm.md).                                   */

typedef enum htsep_dt_dist {
    HTSEP_DT_SCALAR = 0,     /* every dt equals mu */
    HTSEP_DT_NORMAL = 1,     /* N(mu, sigma^2) */
    HTSEP_DT_LOGNORMAL = 2,  /* log-normal with mean mu and sd sigma */
    HTSEP_DT_GAMMA = 3       /* gamma with mean mu and sd sigma */
} htsep_dt_dist;

/* Makes a sampler. mu must be finite and > 0; sigma finite and >= 0 (> 0
 * for log-normal and gamma; checked but otherwise unused for scalar), and
 * the distribution's own parameters derived from them must be finite (a
 * sigma of 1e154 is refused). Bounds start at [1e-3, 0.5], the seed at 0.
 * Returns HTSEP_E_NULL, HTSEP_E_ENUM, HTSEP_E_VALUE or HTSEP_E_NOMEM. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_sampler_create(htsep_sampler **out, htsep_dt_dist dist, double mu,
                     double sigma);
HTSEP_API void htsep_sampler_free(htsep_sampler *s);

/* Clamping bounds: 0 < dt_min <= dt_max, both finite. A draw outside is set
 * to the nearest bound, never redrawn. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_sampler_set_bounds(htsep_sampler *s, double dt_min, double dt_max);

/* Restarts the sampler's random stream. The dt stream of a seed is distinct
 * from the weight and shuffling streams of the same seed. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_sampler_seed(htsep_sampler *s, uint64_t seed);

/* Draws n clamped time steps into dt. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_sampler_draw(htsep_sampler *s, float *dt, size_t n);

/* Draws n values of the distribution before clamping, in double precision
 * (for histograms and checks of the distribution itself). */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_sampler_draw_unclamped(htsep_sampler *s, double *values, size_t n);

/* "scalar", "normal", "lognormal", "gamma" and back. The name of an unknown
 * value is "unknown". */
HTSEP_API const char *htsep_dt_dist_name(htsep_dt_dist dist);
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_dt_dist_parse(const char *name, htsep_dt_dist *out);

/* ------------------------------------------------------------------------ */
/* Network (docs/algorithm.md).                                             */

typedef enum htsep_init {
    /* U(-l, l) with l = sqrt(6 / (fan_in + fan_out)); biases 0 */
    HTSEP_INIT_GLOROT = 0,
    /* U(0, 1) sqrt(6 / (fan_in fan_out)); biases N(0, 1) - 0.5 */
    HTSEP_INIT_POSITIVE = 1
} htsep_init;

typedef enum htsep_clamped_start {
    HTSEP_CLAMPED_FROM_FREE = 0, /* continue from the free phase's state */
    HTSEP_CLAMPED_FROM_ZERO = 1  /* restart from h = 0, y = 0 */
} htsep_clamped_start;

/* Makes an n_in - n_h - n_out network with zero weights and biases, every
 * hidden dt 0.3, dt_y 0.3, gamma 1, beta 1, leaky slope 0.01, T_free 125,
 * T_clamped 12, clamped phase from the free state and no input
 * standardisation (mean 0, sd 1). */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_create(htsep_network **out, size_t n_in, size_t n_h,
                     size_t n_out);
HTSEP_API void htsep_network_free(htsep_network *net);

/* Any of the pointers may be NULL. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_sizes(const htsep_network *net, size_t *n_in, size_t *n_h,
                    size_t *n_out);

/* Initialises W1, W2, b1, b2 from the weight stream of seed. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_init_weights(htsep_network *net, htsep_init scheme,
                           uint64_t seed);

/* Sets the hidden time steps by drawing n_h values from s. If a draw is
 * outside (0, 1] (a sampler bounded above 1), returns HTSEP_E_VALUE and
 * leaves the network's time steps unchanged. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_draw_dt(htsep_network *net, htsep_sampler *s);

/* Hidden time steps, n = n_h values, each finite and in (0, 1]. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_set_dt(htsep_network *net, const float *dt_h, size_t n);
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_get_dt(const htsep_network *net, float *dt_h, size_t n);

/* Output time step, in (0, 1]. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_set_dt_y(htsep_network *net, double dt_y);
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_get_dt_y(const htsep_network *net, double *dt_y);

/* Feedback strength gamma, finite and >= 0. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_set_gamma(htsep_network *net, double gamma);
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_get_gamma(const htsep_network *net, double *gamma);

/* Nudging strength beta of the clamped phase, in (0, 1]. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_set_beta(htsep_network *net, double beta);
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_get_beta(const htsep_network *net, double *beta);

/* Negative slope of the hidden leaky ReLU, in [0, 1). */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_set_leak(htsep_network *net, double slope);
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_get_leak(const htsep_network *net, double *slope);

/* Step counts of the free and clamped phases, each >= 1. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_set_steps(htsep_network *net, unsigned t_free,
                        unsigned t_clamped);
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_get_steps(const htsep_network *net, unsigned *t_free,
                        unsigned *t_clamped);

HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_set_clamped_start(htsep_network *net,
                                htsep_clamped_start start);
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_get_clamped_start(const htsep_network *net,
                                htsep_clamped_start *start);

/* Threads for the network's work (1 to 1024; default 1): the relaxation
 * splits a batch's examples between them and the matrix products their
 * rows, each share on single-threaded OpenBLAS. Setting a count sets
 * OpenBLAS's process-wide thread count to 1. Results are bit-identical for
 * a given count; other counts round the products differently. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_set_threads(htsep_network *net, unsigned threads);
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_get_threads(const htsep_network *net, unsigned *threads);

/* Input standardisation x' = (x - mean) / sd, applied to every input the
 * network sees. mean finite, sd finite and > 0; (0, 1) means none. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_set_input_norm(htsep_network *net, double mean, double sd);
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_get_input_norm(const htsep_network *net, double *mean,
                             double *sd);

/* Weights of layer 1 (W1, n_in x n_h) or layer 2 (W2, n_h x n_out), and the
 * biases b1 (n_h) or b2 (n_out). n must equal the array's length exactly;
 * set rejects non-finite values. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_set_weights(htsep_network *net, unsigned layer, const float *w,
                          size_t n);
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_get_weights(const htsep_network *net, unsigned layer, float *w,
                          size_t n);
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_set_biases(htsep_network *net, unsigned layer, const float *b,
                         size_t n);
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_get_biases(const htsep_network *net, unsigned layer, float *b,
                         size_t n);

/* Runs `steps` synchronous steps (docs/algorithm.md) on a batch, in place
 * on the caller's state h (batch x n_h) and y (batch x n_out). x is the raw
 * input (batch x n_in, before standardisation). With target == NULL this is the
 * free dynamics; with a target (batch x n_out) each step ends with
 * y <- (1 - beta) y + beta target, as in the clamped phase. Returns
 * HTSEP_E_DIVERGED if the state became non-finite. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_relax(htsep_network *net, const float *x, size_t batch,
                    float *h, float *y, unsigned steps, const float *target);

/* The free phase from h = y = 0 on a batch. Writes the output state to y
 * (batch x n_out) and the predicted class (argmax y) to labels; either may be
 * NULL. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_predict(htsep_network *net, const float *x, size_t batch,
                      float *y, unsigned *labels);

/* Share of the data set's examples predicted correctly, in [0, 1]. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_evaluate(htsep_network *net, const htsep_dataset *data,
                       double *accuracy);

/* Checkpoints (docs/checkpoint-format.md): sizes, hidden dt, weights, biases,
 * input standardisation and the network's options. save writes a temporary
 * file beside path, syncs it and renames it over path, so path always holds
 * either the old or the new checkpoint. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_save(const htsep_network *net, const char *path);
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_network_load(htsep_network **out, const char *path);

/* ------------------------------------------------------------------------ */
/* Data sets (docs/algorithm.md).                                           */

/* Loads an image file (IDX, magic 0x00000803, count x rows x cols bytes) and
 * a label file (IDX, magic 0x00000801), each plain or gzip-compressed.
 * Pixels are scaled to [0, 1] by / 255. Every label must be below
 * n_classes (1..256). Malformed files get HTSEP_E_OPEN, HTSEP_E_READ,
 * HTSEP_E_GZIP or one of the HTSEP_E_IDX_* codes; nothing is half-loaded. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_dataset_load_idx(htsep_dataset **out, const char *images_path,
                       const char *labels_path, size_t n_classes);

/* Copies count examples of n_features values (x, row-major) and their labels
 * (each < n_classes, 1..256) into a new data set of shape 1 x n_features. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_dataset_create(htsep_dataset **out, const float *x,
                     const uint8_t *labels, size_t count, size_t n_features,
                     size_t n_classes);
HTSEP_API void htsep_dataset_free(htsep_dataset *data);

/* Copies examples [first, first + count) into a new data set. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_dataset_subset(htsep_dataset **out, const htsep_dataset *data,
                     size_t first, size_t count);

/* Writes the data set as two IDX files (gzip-compressed when compress is
 * non-zero). Values must lie in [0, 1]; they are stored as round(255 x). */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_dataset_save_idx(const htsep_dataset *data, const char *images_path,
                       const char *labels_path, int compress);

/* Mean and standard deviation of every value of every example. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_dataset_stats(const htsep_dataset *data, double *mean, double *sd);

/* Queries; 0 or NULL for a NULL data set. The arrays stay owned by the data
 * set: count x features floats and count labels. */
HTSEP_API size_t htsep_dataset_count(const htsep_dataset *data);
HTSEP_API size_t htsep_dataset_features(const htsep_dataset *data);
HTSEP_API size_t htsep_dataset_classes(const htsep_dataset *data);
HTSEP_API size_t htsep_dataset_rows(const htsep_dataset *data);
HTSEP_API size_t htsep_dataset_cols(const htsep_dataset *data);
HTSEP_API const float *htsep_dataset_images(const htsep_dataset *data);
HTSEP_API const uint8_t *htsep_dataset_labels(const htsep_dataset *data);

/* ------------------------------------------------------------------------ */
/* Trainer (docs/algorithm.md).                                             */

typedef enum htsep_preset {
    HTSEP_PRESET_PAPER = 0,     /* pixels / 255, SGD 0.5 / 0.1, no decay */
    HTSEP_PRESET_REPRODUCE = 1  /* standardised, Adam 1e-3 / 2e-4, x0.9 */
} htsep_preset;

typedef enum htsep_optimizer {
    HTSEP_OPT_SGD = 0,
    HTSEP_OPT_MOMENTUM = 1,     /* m <- mu m + g; p += lr m */
    HTSEP_OPT_ADAGRAD = 2,      /* v <- v + g^2; p += lr g / (sqrt(v) + eps) */
    HTSEP_OPT_ADAM = 3          /* bias-corrected */
} htsep_optimizer;

typedef enum htsep_norm {
    HTSEP_NORM_NONE = 0,         /* set the network's input norm to (0, 1) */
    HTSEP_NORM_GIVEN = 1,        /* use the mean and sd given */
    HTSEP_NORM_TRAINING_SET = 2, /* measure them on the training set */
    HTSEP_NORM_KEEP = 3          /* leave the network's setting alone */
} htsep_norm;

typedef enum htsep_event {
    HTSEP_EVENT_START = 0,       /* before the first batch of a run */
    HTSEP_EVENT_BATCH = 1,       /* after each batch */
    HTSEP_EVENT_EPOCH = 2        /* after each epoch, its evaluation done */
} htsep_event;

typedef enum htsep_metric {
    HTSEP_METRIC_TRAIN_LOSS = 0,     /* mean 0.5 |y_free - t|^2 this epoch */
    HTSEP_METRIC_TRAIN_ACCURACY = 1, /* free-phase accuracy this epoch */
    HTSEP_METRIC_TEST_ACCURACY = 2,  /* last evaluation; NaN if none */
    HTSEP_METRIC_EPOCH_SECONDS = 3,  /* training time of the last epoch */
    HTSEP_METRIC_EVAL_SECONDS = 4,   /* time of the last evaluation */
    HTSEP_METRIC_ALPHA1 = 5,         /* current rate of W1, b1 */
    HTSEP_METRIC_ALPHA2 = 6,         /* current rate of W2, b2 */
    /* Stability figures of the last epoch (NaN before the first), measured
     * after its evaluation on the first 1,000 test examples (training
     * examples without a test set), the free phase run from rest: */
    HTSEP_METRIC_FREE_RESIDUAL = 7,  /* max |h(T_free) - h(T_free - 1)| */
    HTSEP_METRIC_DEAD_SHARE = 8,     /* hidden units never > 0 */
    HTSEP_METRIC_SATURATED_SHARE = 9, /* hidden units > 0 on every example */
    HTSEP_METRIC_W1_NORM = 10,       /* Frobenius norm of W1 */
    HTSEP_METRIC_W2_NORM = 11,       /* Frobenius norm of W2 */
    HTSEP_METRIC_DIVERGED = 12       /* 1 if the last run stopped with
                                        HTSEP_E_DIVERGED, else 0 */
} htsep_metric;

/* Called with the trainer and the event; a non-zero return stops training
 * with HTSEP_E_STOPPED. The trainer may be queried but not changed. */
typedef int (*htsep_progress_fn)(const htsep_trainer *tr, htsep_event event,
                                 void *user);

/* Makes a trainer for net (which must outlive it) with a preset's settings:
 * batch 256, seed 0, and the preset's input norm, optimiser, rates and
 * decay. Every setting can then be changed by the setters below. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_trainer_create(htsep_trainer **out, htsep_network *net,
                     htsep_preset preset);
HTSEP_API void htsep_trainer_free(htsep_trainer *tr);

/* Optimiser and per-layer learning rates (finite, >= 0). Changing the
 * optimiser clears the optimiser's moments and step count. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_trainer_set_optimizer(htsep_trainer *tr, htsep_optimizer opt);
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_trainer_set_rates(htsep_trainer *tr, double alpha1, double alpha2);
/* Per-epoch factor in (0, 1]: during epoch e (counting from 0) the rates
 * are alpha * decay^e, computed from the rates and factor set now. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_trainer_set_decay(htsep_trainer *tr, double decay);
/* Momentum coefficient, in [0, 1). Default 0.9. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_trainer_set_momentum(htsep_trainer *tr, double momentum);
/* Adam's beta1, beta2 in [0, 1) and eps > 0. Default 0.9, 0.999, 1e-8. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_trainer_set_adam(htsep_trainer *tr, double beta1, double beta2,
                       double eps);
/* Mini-batch size, >= 1. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_trainer_set_batch(htsep_trainer *tr, size_t batch);
/* Seeds the shuffling stream (distinct from the weight and dt streams). */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_trainer_set_seed(htsep_trainer *tr, uint64_t seed);
/* Non-zero: divide the update by beta (the classic EP estimator). */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_trainer_set_divide_by_beta(htsep_trainer *tr, int on);
/* How the network's input standardisation is set at the trainer's first
 * run (once per trainer): to (0, 1), to the given mean and sd, to the
 * training set's, or left as the network has it (for a loaded checkpoint). */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_trainer_set_input_norm(htsep_trainer *tr, htsep_norm mode, double mean,
                             double sd);
/* Threads for training (0 to 1024): sets the network's thread count
 * (htsep_network_set_threads, which also sets OpenBLAS to one thread) now
 * and again at the start of every run, since OpenBLAS's count is
 * process-wide. 0 leaves both alone. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_trainer_set_threads(htsep_trainer *tr, int threads);
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_trainer_set_progress(htsep_trainer *tr, htsep_progress_fn fn,
                           void *user);

/* Trains `epochs` epochs on train, evaluating on test after each when test
 * is not NULL. Input standardisation is applied once, at the first epoch of
 * the trainer's life. Stops with HTSEP_E_STOPPED when the callback asks, and
 * with HTSEP_E_DIVERGED when a batch's state becomes non-finite (that batch
 * updates nothing) or, checked after every epoch, a weight has. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_trainer_run(htsep_trainer *tr, const htsep_dataset *train,
                  const htsep_dataset *test, unsigned epochs);

/* One update on a batch of raw inputs x (batch x n_in) with labels: free
 * phase, clamped phase, learning rule, optimiser step at the current rates.
 * Uses the network's input standardisation as it stands (the trainer's
 * mode is applied by htsep_trainer_run only) and does not advance the
 * epoch; its loss and accuracy count towards the epoch's metrics. */
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_trainer_train_batch(htsep_trainer *tr, const float *x,
                          const uint8_t *labels, size_t batch);

/* Queries, meaningful inside a progress callback and after a run. */
HTSEP_API unsigned htsep_trainer_epoch(const htsep_trainer *tr);
HTSEP_API size_t htsep_trainer_batch_index(const htsep_trainer *tr);
HTSEP_API size_t htsep_trainer_batch_count(const htsep_trainer *tr);
HTSEP_API unsigned htsep_trainer_epochs_planned(const htsep_trainer *tr);
HTSEP_API HTSEP_MUST_USE htsep_status
htsep_trainer_metric(const htsep_trainer *tr, htsep_metric metric,
                     double *value);

#ifdef __cplusplus
}
#endif

#endif /* HTSEP_H */
