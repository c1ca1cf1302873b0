/*
 * htsep-bench: how fast libhtsep trains the paper's network on this
 * machine, against the machine's own sgemm peak.
 *
 *   htsep-bench DATA_DIR [SAMPLES] [BATCHES]
 *
 * For 1 and 2 threads: the sgemm rate (2048^3, float32), then SAMPLES
 * timings of BATCHES training batches of Fashion-MNIST at the paper's
 * settings (784-1024-10, T 125/12, batch 256, SGD), reported as the median
 * time per epoch (60,000 images, 235 batches); then one timed evaluation of
 * 2,000 test images scaled to 10,000. Last, the cost per batch as the hidden
 * layer and the step count shrink, to show that it scales linearly, and
 * the peak memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <cblas.h>
#include <htsep.h>

/* Work per epoch and per 10,000-image evaluation at the paper's settings,
 * multiply and add counted apart (the FLOP model of docs/performance.md). */
#define EPOCH_GFLOP 582.4
#define EVAL_GFLOP 75.0
#define BATCH 256
#define EPOCH_BATCHES 235

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static void check(htsep_status st, const char *what)
{
    if (st != HTSEP_OK) {
        fprintf(stderr, "htsep-bench: %s: %s\n", what, htsep_strerror(st));
        exit(1);
    }
}

/* Median GFLOP/s of a 2048^3 float32 product over three runs. */
static double sgemm_peak(int threads)
{
    const int n = 2048;
    float *a = malloc(sizeof(float) * n * n), *b = malloc(sizeof(float) * n * n);
    float *c = malloc(sizeof(float) * n * n);
    double t[3];

    for (long i = 0; i < (long)n * n; i++) {
        a[i] = (float)(i % 7) * 0.1f;
        b[i] = (float)(i % 5) * 0.2f;
    }
    openblas_set_num_threads(threads);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a,
                n, b, n, 0.0f, c, n);
    for (int r = 0; r < 3; r++) {
        double t0 = now();

        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f,
                    a, n, b, n, 0.0f, c, n);
        t[r] = now() - t0;
    }
    free(a);
    free(b);
    free(c);
    return 2.0 * n * n * (double)n / median(t, 3) / 1e9;
}

struct setup {
    htsep_network *net;
    htsep_trainer *tr;
};

static struct setup make_setup(size_t n_h, unsigned t_free,
                               unsigned t_clamped, int threads)
{
    struct setup s = {NULL, NULL};

    check(htsep_network_create(&s.net, 784, n_h, 10), "network");
    check(htsep_network_init_weights(s.net, HTSEP_INIT_GLOROT, 1), "init");
    check(htsep_network_set_steps(s.net, t_free, t_clamped), "steps");
    check(htsep_trainer_create(&s.tr, s.net, HTSEP_PRESET_PAPER), "trainer");
    check(htsep_trainer_set_threads(s.tr, threads), "threads");
    return s;
}

static void free_setup(struct setup *s)
{
    htsep_trainer_free(s->tr);
    htsep_network_free(s->net);
}

/* Seconds for `batches` consecutive training batches. */
static double time_batches(struct setup *s, const htsep_dataset *train,
                           int batches, int offset)
{
    const float *x = htsep_dataset_images(train);
    const uint8_t *labels = htsep_dataset_labels(train);
    size_t n = htsep_dataset_count(train);
    double t0 = now();

    for (int b = 0; b < batches; b++) {
        size_t first = ((size_t)(offset + b) * BATCH) % (n - BATCH);

        check(htsep_trainer_train_batch(s->tr, x + first * 784,
                                        labels + first, BATCH),
              "train");
    }
    return now() - t0;
}

static void bench_threads(int threads, const htsep_dataset *train,
                          const htsep_dataset *test, int samples,
                          int batches)
{
    struct setup s = make_setup(1024, 125, 12, threads);
    double peak = sgemm_peak(threads), t[32], epoch, eval_s, acc;

    check(htsep_trainer_set_threads(s.tr, threads), "threads");
    time_batches(&s, train, 2, 0); /* warm-up */
    for (int i = 0; i < samples; i++)
        t[i] = time_batches(&s, train, batches, 2 + i * batches);
    epoch = median(t, samples) / batches * EPOCH_BATCHES;

    double t0 = now();
    check(htsep_network_evaluate(s.net, test, &acc), "evaluate");
    eval_s = (now() - t0) * 10000.0 / (double)htsep_dataset_count(test);

    printf("libhtsep threads %d  sgemm_peak_gflops %.1f  epoch_s %.2f  "
           "epoch_gflops %.1f  of_peak %.0f%%  eval_s %.2f  eval_gflops %.1f\n",
           threads, peak, epoch, EPOCH_GFLOP / epoch,
           100.0 * EPOCH_GFLOP / epoch / peak, eval_s, EVAL_GFLOP / eval_s);
    fflush(stdout);
    free_setup(&s);
}

/* Time per batch as n_h, the step count and the batch size change, one
 * thread. Cost is linear when each increment costs the same per unit:
 * the fixed part (input drive, update) cancels in the differences. */
static void bench_scaling(const htsep_dataset *train)
{
    static const size_t hidden[] = {256, 512, 1024};
    static const unsigned steps[][2] = {{31, 3}, {62, 6}, {125, 12}};
    double t[3];

    for (int i = 0; i < 3; i++) {
        struct setup s = make_setup(hidden[i], 125, 12, 1);

        t[i] = time_batches(&s, train, 6, 0) / 6;
        free_setup(&s);
        printf("scaling hidden %zu  batch_s %.4f\n", hidden[i], t[i]);
    }
    printf("scaling hidden: ms per 1000 hidden units, 256->512 %.1f, "
           "512->1024 %.1f\n", (t[1] - t[0]) / 256 * 1e6,
           (t[2] - t[1]) / 512 * 1e6);
    for (int i = 0; i < 3; i++) {
        struct setup s = make_setup(1024, steps[i][0], steps[i][1], 1);

        t[i] = time_batches(&s, train, 6, 0) / 6;
        free_setup(&s);
        printf("scaling steps %u+%u  batch_s %.4f\n", steps[i][0],
               steps[i][1], t[i]);
    }
    printf("scaling steps: ms per step, 34->68 %.3f, 68->137 %.3f\n",
           (t[1] - t[0]) / 34 * 1e3, (t[2] - t[1]) / 69 * 1e3);
}

int main(int argc, char **argv)
{
    char images[4096], labels[4096];
    htsep_dataset *train = NULL, *full_test = NULL, *test = NULL;
    int samples = argc > 2 ? atoi(argv[2]) : 5;
    int batches = argc > 3 ? atoi(argv[3]) : 20;
    struct rusage ru;

    if (argc < 2 || samples < 1 || samples > 32 || batches < 1) {
        fprintf(stderr, "usage: htsep-bench DATA_DIR [SAMPLES<=32] [BATCHES]\n");
        return 2;
    }
    snprintf(images, sizeof images, "%s/train-images-idx3-ubyte.gz", argv[1]);
    snprintf(labels, sizeof labels, "%s/train-labels-idx1-ubyte.gz", argv[1]);
    check(htsep_dataset_load_idx(&train, images, labels, 10), images);
    snprintf(images, sizeof images, "%s/t10k-images-idx3-ubyte.gz", argv[1]);
    snprintf(labels, sizeof labels, "%s/t10k-labels-idx1-ubyte.gz", argv[1]);
    check(htsep_dataset_load_idx(&full_test, images, labels, 10), images);
    check(htsep_dataset_subset(&test, full_test, 0, 2000), "subset");
    htsep_dataset_free(full_test);

    printf("# libhtsep %s  paper settings: 784-1024-10, T 125/12, batch %d, "
           "SGD; median of %d samples of %d batches\n",
           htsep_version_string(), BATCH, samples, batches);
    bench_threads(1, train, test, samples, batches);
    bench_threads(2, train, test, samples, batches);
    bench_scaling(train);

    getrusage(RUSAGE_SELF, &ru);
    /* A data set holds 784 floats and one label byte per image. */
    printf("memory peak_rss_mb %.1f  data_sets_mb %.1f\n",
           ru.ru_maxrss / 1024.0,
           (double)(htsep_dataset_count(train) + htsep_dataset_count(test)) *
               (784 * 4 + 1) / 1048576.0);
    htsep_dataset_free(train);
    htsep_dataset_free(test);
    return 0;
}
