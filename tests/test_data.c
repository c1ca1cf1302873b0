/* Data sets: creation, subsets, statistics, and IDX files written and read
 * back, including each kind of malformed file, built byte by byte here
 * (and gzip-compressed with zlib where it matters). Each test case works in
 * a fresh mkdtemp directory under /tmp that is removed afterwards. */
#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "htsep.h"
#include "suites.h"

#define PATH_SIZE 512

/* ------------------------------------------------------------------------ */
/* Scratch directory and file helpers.                                      */

/* Set in the parent by the unchecked fixture, so it is removed even when a
 * test fails in its child process. */
static char tmp_dir[PATH_SIZE];

static void make_tmp_dir(void)
{
    strcpy(tmp_dir, "/tmp/htsep-data-XXXXXX");
    if (!mkdtemp(tmp_dir))
        tmp_dir[0] = '\0';
}

/* Tests create files and empty subdirectories only. */
static void remove_tmp_dir(void)
{
    char path[PATH_SIZE + 256];
    struct dirent *e;
    DIR *d;

    if (!tmp_dir[0])
        return;
    d = opendir(tmp_dir);
    if (d) {
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof path, "%s/%s", tmp_dir, e->d_name);
            remove(path);
        }
        closedir(d);
    }
    rmdir(tmp_dir);
    tmp_dir[0] = '\0';
}

static void path_of(char *buf, const char *name)
{
    int n;

    ck_assert_msg(tmp_dir[0] != '\0', "no temporary directory was made");
    n = snprintf(buf, PATH_SIZE, "%s/%s", tmp_dir, name);
    ck_assert(n > 0 && n < PATH_SIZE);
}

static size_t entries_in_tmp_dir(void)
{
    struct dirent *e;
    size_t n = 0;
    DIR *d = opendir(tmp_dir);

    ck_assert_ptr_nonnull(d);
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static int file_exists(const char *path)
{
    struct stat sb;

    return stat(path, &sb) == 0;
}

static void write_file(const char *path, const unsigned char *bytes,
                       size_t n, int gzip)
{
    if (gzip) {
        gzFile f = gzopen(path, "wb");

        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(gzwrite(f, bytes, (unsigned)n), (int)n);
        ck_assert_int_eq(gzclose(f), Z_OK);
    } else {
        FILE *f = fopen(path, "wb");

        ck_assert_ptr_nonnull(f);
        ck_assert_uint_eq(fwrite(bytes, 1, n, f), n);
        ck_assert_int_eq(fclose(f), 0);
    }
}

/* A file's bytes as stored, without decompression. */
static size_t read_raw(const char *path, unsigned char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    size_t n;

    ck_assert_ptr_nonnull(f);
    n = fread(buf, 1, cap, f);
    ck_assert_msg(feof(f) || n < cap, "%s is larger than expected", path);
    fclose(f);
    return n;
}

/* A file's bytes after gzip decompression. */
static size_t read_unzipped(const char *path, unsigned char *buf,
                            size_t cap)
{
    gzFile f = gzopen(path, "rb");
    int n;

    ck_assert_ptr_nonnull(f);
    n = gzread(f, buf, (unsigned)cap);
    ck_assert_int_ge(n, 0);
    ck_assert_int_eq(gzclose(f), Z_OK);
    return (size_t)n;
}

/* ------------------------------------------------------------------------ */
/* IDX files built by hand.                                                 */

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* Header (magic, count, rows, cols) followed by n pixel bytes. */
static size_t idx_images(unsigned char *buf, uint32_t magic, uint32_t count,
                         uint32_t rows, uint32_t cols,
                         const unsigned char *pixels, size_t n)
{
    put32(buf, magic);
    put32(buf + 4, count);
    put32(buf + 8, rows);
    put32(buf + 12, cols);
    if (n > 0)
        memcpy(buf + 16, pixels, n);
    return 16 + n;
}

static size_t idx_labels(unsigned char *buf, uint32_t magic, uint32_t count,
                         const unsigned char *labels, size_t n)
{
    put32(buf, magic);
    put32(buf + 4, count);
    if (n > 0)
        memcpy(buf + 8, labels, n);
    return 8 + n;
}

/* The valid reference set: 3 images of 2 x 4 pixels in 3 classes. */
enum { REF_COUNT = 3, REF_ROWS = 2, REF_COLS = 4, REF_CLASSES = 3 };
enum { REF_PIXELS = REF_COUNT * REF_ROWS * REF_COLS };

static const unsigned char ref_pixels[REF_PIXELS] = {
    0,   255, 17,  128, 3,   99,  201, 64,  250, 1,   77, 143,
    36,  180, 222, 9,   111, 5,   66,  240, 31,  190, 12, 254};
static const unsigned char ref_labels[REF_COUNT] = {2, 0, 1};

static size_t ref_image_file(unsigned char *buf)
{
    return idx_images(buf, 0x803, REF_COUNT, REF_ROWS, REF_COLS, ref_pixels,
                      REF_PIXELS);
}

static size_t ref_label_file(unsigned char *buf)
{
    return idx_labels(buf, 0x801, REF_COUNT, ref_labels, REF_COUNT);
}

static void write_ref(const char *img, const char *lab, int gzip)
{
    unsigned char buf[64];

    write_file(img, buf, ref_image_file(buf), gzip);
    write_file(lab, buf, ref_label_file(buf), gzip);
}

/* Checks that data is the reference set, value for value. */
static void assert_is_ref(const htsep_dataset *data)
{
    const float *x = htsep_dataset_images(data);
    const uint8_t *labels = htsep_dataset_labels(data);

    ck_assert_uint_eq(htsep_dataset_count(data), REF_COUNT);
    ck_assert_uint_eq(htsep_dataset_rows(data), REF_ROWS);
    ck_assert_uint_eq(htsep_dataset_cols(data), REF_COLS);
    ck_assert_uint_eq(htsep_dataset_features(data), REF_ROWS * REF_COLS);
    ck_assert_uint_eq(htsep_dataset_classes(data), REF_CLASSES);
    for (size_t i = 0; i < REF_PIXELS; i++)
        ck_assert_float_eq(x[i], (float)ref_pixels[i] / 255.0f);
    for (size_t i = 0; i < REF_COUNT; i++)
        ck_assert_uint_eq(labels[i], ref_labels[i]);
}

/* A load that must fail with want and hand back nothing. */
static void expect_load(const char *img, const char *lab, size_t n_classes,
                        htsep_status want)
{
    static max_align_t sentinel;
    htsep_dataset *data = (htsep_dataset *)(void *)&sentinel;
    htsep_status st = htsep_dataset_load_idx(&data, img, lab, n_classes);

    ck_assert_msg(st == want, "loading %s: got %s, want %s", img,
                  htsep_status_name(st), htsep_status_name(want));
    ck_assert_ptr_null(data);
}

/* Writes an image file of the given bytes (plain or gzip) beside valid
 * reference labels, and expects loading them to fail with want. */
static void expect_images(const unsigned char *bytes, size_t n, int gzip,
                          htsep_status want)
{
    char img[PATH_SIZE], lab[PATH_SIZE];
    unsigned char buf[64];

    path_of(img, "bad-images");
    path_of(lab, "good-labels");
    write_file(img, bytes, n, gzip);
    write_file(lab, buf, ref_label_file(buf), 0);
    expect_load(img, lab, REF_CLASSES, want);
}

static void expect_labels(const unsigned char *bytes, size_t n, int gzip,
                          htsep_status want)
{
    char img[PATH_SIZE], lab[PATH_SIZE];
    unsigned char buf[64];

    path_of(img, "good-images");
    path_of(lab, "bad-labels");
    write_file(img, buf, ref_image_file(buf), 0);
    write_file(lab, bytes, n, gzip);
    expect_load(img, lab, REF_CLASSES, want);
}

static double seconds_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ------------------------------------------------------------------------ */
/* Data sets in memory.                                                     */

START_TEST(dataset_create_copies_input)
{
    float x[6] = {0.1f, -2.5f, 3.0f, 0.7f, 1e6f, -0.0f};
    uint8_t labels[2] = {4, 0};
    const float *dx;
    htsep_dataset *data = NULL;

    ck_assert_int_eq(htsep_dataset_create(&data, x, labels, 2, 3, 5),
                     HTSEP_OK);
    ck_assert_uint_eq(htsep_dataset_count(data), 2);
    ck_assert_uint_eq(htsep_dataset_features(data), 3);
    ck_assert_uint_eq(htsep_dataset_rows(data), 1);
    ck_assert_uint_eq(htsep_dataset_cols(data), 3);
    ck_assert_uint_eq(htsep_dataset_classes(data), 5);

    /* The set keeps its own copy. */
    x[0] = 9.0f;
    labels[0] = 1;
    dx = htsep_dataset_images(data);
    ck_assert_float_eq(dx[0], 0.1f);
    ck_assert_float_eq(dx[1], -2.5f);
    ck_assert_float_eq(dx[4], 1e6f);
    ck_assert_float_eq(dx[5], 0.0f);
    ck_assert_uint_eq(htsep_dataset_labels(data)[0], 4);
    ck_assert_uint_eq(htsep_dataset_labels(data)[1], 0);
    htsep_dataset_free(data);

    /* 256 classes is the most a byte label allows. */
    labels[0] = 255;
    ck_assert_int_eq(htsep_dataset_create(&data, x, labels, 2, 3, 256),
                     HTSEP_OK);
    ck_assert_uint_eq(htsep_dataset_labels(data)[0], 255);
    htsep_dataset_free(data);
}
END_TEST

/* A create call that must fail; *out must come back NULL. */
static htsep_status create_with(const float *x, const uint8_t *labels,
                                size_t count, size_t n_features,
                                size_t n_classes)
{
    static max_align_t sentinel;
    htsep_dataset *data = (htsep_dataset *)(void *)&sentinel;
    htsep_status st = htsep_dataset_create(&data, x, labels, count,
                                           n_features, n_classes);

    ck_assert_ptr_null(data);
    return st;
}

START_TEST(dataset_create_rejects_bad_arguments)
{
    float x[4] = {0.25f, 0.5f, 0.75f, 1.0f};
    uint8_t labels[2] = {0, 1};

    ck_assert_int_eq(htsep_dataset_create(NULL, x, labels, 2, 2, 2),
                     HTSEP_E_NULL);
    ck_assert_int_eq(create_with(NULL, labels, 2, 2, 2), HTSEP_E_NULL);
    ck_assert_int_eq(create_with(x, NULL, 2, 2, 2), HTSEP_E_NULL);
    ck_assert_int_eq(create_with(x, labels, 0, 2, 2), HTSEP_E_SIZE);
    ck_assert_int_eq(create_with(x, labels, 2, 0, 2), HTSEP_E_SIZE);
    ck_assert_int_eq(create_with(x, labels, SIZE_MAX / 2, 3, 2),
                     HTSEP_E_SIZE);
    ck_assert_int_eq(create_with(x, labels, 2, 2, 0), HTSEP_E_VALUE);
    ck_assert_int_eq(create_with(x, labels, 2, 2, 257), HTSEP_E_VALUE);

    labels[1] = 2;
    ck_assert_int_eq(create_with(x, labels, 2, 2, 2), HTSEP_E_IDX_LABEL);
    labels[1] = 1;

    x[3] = NAN;
    ck_assert_int_eq(create_with(x, labels, 2, 2, 2), HTSEP_E_VALUE);
    x[3] = -INFINITY;
    ck_assert_int_eq(create_with(x, labels, 2, 2, 2), HTSEP_E_VALUE);
}
END_TEST

START_TEST(dataset_queries_accept_null)
{
    ck_assert_uint_eq(htsep_dataset_count(NULL), 0);
    ck_assert_uint_eq(htsep_dataset_features(NULL), 0);
    ck_assert_uint_eq(htsep_dataset_classes(NULL), 0);
    ck_assert_uint_eq(htsep_dataset_rows(NULL), 0);
    ck_assert_uint_eq(htsep_dataset_cols(NULL), 0);
    ck_assert_ptr_null(htsep_dataset_images(NULL));
    ck_assert_ptr_null(htsep_dataset_labels(NULL));
    htsep_dataset_free(NULL);
}
END_TEST

START_TEST(dataset_subset_copies_rows)
{
    const float x[12] = {0.11f, 0.12f, 0.13f, 0.21f, 0.22f, 0.23f,
                         0.31f, 0.32f, 0.33f, 0.41f, 0.42f, 0.43f};
    const uint8_t labels[4] = {3, 1, 2, 0};
    char img[PATH_SIZE], lab[PATH_SIZE];
    htsep_dataset *data = NULL, *sub = NULL;
    const float *sx;

    ck_assert_int_eq(htsep_dataset_create(&data, x, labels, 4, 3, 4),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_dataset_subset(&sub, data, 1, 2), HTSEP_OK);
    /* The subset must not depend on the original. */
    htsep_dataset_free(data);

    ck_assert_uint_eq(htsep_dataset_count(sub), 2);
    ck_assert_uint_eq(htsep_dataset_features(sub), 3);
    ck_assert_uint_eq(htsep_dataset_classes(sub), 4);
    sx = htsep_dataset_images(sub);
    for (size_t i = 0; i < 6; i++)
        ck_assert_float_eq(sx[i], x[3 + i]);
    ck_assert_uint_eq(htsep_dataset_labels(sub)[0], 1);
    ck_assert_uint_eq(htsep_dataset_labels(sub)[1], 2);
    htsep_dataset_free(sub);

    /* A loaded set's image shape carries over; the full range is allowed. */
    path_of(img, "images");
    path_of(lab, "labels");
    write_ref(img, lab, 0);
    ck_assert_int_eq(htsep_dataset_load_idx(&data, img, lab, REF_CLASSES),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_dataset_subset(&sub, data, 0, REF_COUNT),
                     HTSEP_OK);
    assert_is_ref(sub);
    htsep_dataset_free(sub);
    ck_assert_int_eq(htsep_dataset_subset(&sub, data, 2, 1), HTSEP_OK);
    ck_assert_uint_eq(htsep_dataset_rows(sub), REF_ROWS);
    ck_assert_uint_eq(htsep_dataset_cols(sub), REF_COLS);
    ck_assert_float_eq(htsep_dataset_images(sub)[7], 254.0f / 255.0f);
    ck_assert_uint_eq(htsep_dataset_labels(sub)[0], 1);
    htsep_dataset_free(sub);
    htsep_dataset_free(data);
}
END_TEST

static htsep_status subset_with(const htsep_dataset *data, size_t first,
                                size_t count)
{
    static max_align_t sentinel;
    htsep_dataset *sub = (htsep_dataset *)(void *)&sentinel;
    htsep_status st = htsep_dataset_subset(&sub, data, first, count);

    ck_assert_ptr_null(sub);
    return st;
}

START_TEST(dataset_subset_rejects_bad_ranges)
{
    const float x[4] = {0.5f, 0.25f, 0.125f, 0.0625f};
    const uint8_t labels[4] = {0, 1, 0, 1};
    htsep_dataset *data = NULL;

    ck_assert_int_eq(htsep_dataset_create(&data, x, labels, 4, 1, 2),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_dataset_subset(NULL, data, 0, 1), HTSEP_E_NULL);
    ck_assert_int_eq(subset_with(NULL, 0, 1), HTSEP_E_NULL);
    ck_assert_int_eq(subset_with(data, 0, 0), HTSEP_E_SIZE);
    ck_assert_int_eq(subset_with(data, 0, 5), HTSEP_E_SIZE);
    ck_assert_int_eq(subset_with(data, 3, 2), HTSEP_E_SIZE);
    ck_assert_int_eq(subset_with(data, 4, 1), HTSEP_E_SIZE);
    ck_assert_int_eq(subset_with(data, 5, 0), HTSEP_E_SIZE);
    ck_assert_int_eq(subset_with(data, SIZE_MAX, 2), HTSEP_E_SIZE);
    ck_assert_int_eq(subset_with(data, 1, SIZE_MAX), HTSEP_E_SIZE);
    htsep_dataset_free(data);
}
END_TEST

START_TEST(dataset_stats_match_hand_computation)
{
    /* Two examples of three values. Mean 2.6 / 6; squared deviations from
     * it sum to 0.473333..., so the population sd is sqrt(0.078888...). */
    const float x[6] = {0.1f, 0.4f, 0.7f, 0.2f, 0.9f, 0.3f};
    const uint8_t labels[2] = {1, 0};
    htsep_dataset *data = NULL;
    double mean = -1.0, sd = -1.0;

    ck_assert_int_eq(htsep_dataset_create(&data, x, labels, 2, 3, 2),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_dataset_stats(data, &mean, &sd), HTSEP_OK);
    ck_assert_double_eq_tol(mean, 0.4333333333, 1e-7);
    ck_assert_double_eq_tol(sd, 0.2808716591, 1e-7);
    htsep_dataset_free(data);
}
END_TEST

START_TEST(dataset_stats_rejects_null)
{
    const float x[2] = {0.5f, 0.25f};
    const uint8_t labels[1] = {0};
    htsep_dataset *data = NULL;
    double mean, sd;

    ck_assert_int_eq(htsep_dataset_create(&data, x, labels, 1, 2, 1),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_dataset_stats(NULL, &mean, &sd), HTSEP_E_NULL);
    ck_assert_int_eq(htsep_dataset_stats(data, NULL, &sd), HTSEP_E_NULL);
    ck_assert_int_eq(htsep_dataset_stats(data, &mean, NULL), HTSEP_E_NULL);
    htsep_dataset_free(data);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Reading and writing valid IDX files.                                     */

START_TEST(idx_load_reads_plain_files)
{
    char img[PATH_SIZE], lab[PATH_SIZE];
    htsep_dataset *data = NULL;

    path_of(img, "images");
    path_of(lab, "labels");
    write_ref(img, lab, 0);
    ck_assert_int_eq(htsep_dataset_load_idx(&data, img, lab, REF_CLASSES),
                     HTSEP_OK);
    assert_is_ref(data);
    htsep_dataset_free(data);
}
END_TEST

START_TEST(idx_load_reads_gzip_files)
{
    char img[PATH_SIZE], lab[PATH_SIZE];
    htsep_dataset *data = NULL;

    path_of(img, "images.gz");
    path_of(lab, "labels.gz");
    write_ref(img, lab, 1);
    ck_assert_int_eq(htsep_dataset_load_idx(&data, img, lab, REF_CLASSES),
                     HTSEP_OK);
    assert_is_ref(data);
    htsep_dataset_free(data);
}
END_TEST

/* Saves data to images and labels, loads them back into *back. */
static void save_and_load(const htsep_dataset *data, const char *img,
                          const char *lab, int compress,
                          htsep_dataset **back)
{
    ck_assert_int_eq(htsep_dataset_save_idx(data, img, lab, compress),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_dataset_load_idx(back, img, lab,
                                            htsep_dataset_classes(data)),
                     HTSEP_OK);
}

START_TEST(idx_round_trip_plain)
{
    unsigned char want[64], got[64];
    char img[PATH_SIZE], lab[PATH_SIZE], img2[PATH_SIZE], lab2[PATH_SIZE];
    float x[10];
    const uint8_t labels[2] = {6, 3};
    htsep_dataset *data = NULL, *back = NULL;
    size_t n;

    /* A created set: shape 1 x 5 on disk, bytes b with x = b / 255. */
    for (size_t i = 0; i < 10; i++)
        x[i] = (float)((i * 37 + 11) % 256) / 255.0f;
    ck_assert_int_eq(htsep_dataset_create(&data, x, labels, 2, 5, 7),
                     HTSEP_OK);
    path_of(img, "images");
    path_of(lab, "labels");
    save_and_load(data, img, lab, 0, &back);

    n = read_raw(img, got, sizeof got);
    ck_assert_uint_eq(n, 16 + 10);
    ck_assert_mem_eq(got, "\0\0\x08\x03\0\0\0\x02\0\0\0\x01\0\0\0\x05", 16);
    for (size_t i = 0; i < 10; i++)
        ck_assert_uint_eq(got[16 + i], (i * 37 + 11) % 256);
    n = read_raw(lab, got, sizeof got);
    ck_assert_uint_eq(n, 8 + 2);
    ck_assert_mem_eq(got, "\0\0\x08\x01\0\0\0\x02\x06\x03", 10);

    ck_assert_uint_eq(htsep_dataset_count(back), 2);
    ck_assert_uint_eq(htsep_dataset_rows(back), 1);
    ck_assert_uint_eq(htsep_dataset_cols(back), 5);
    ck_assert_uint_eq(htsep_dataset_classes(back), 7);
    ck_assert_mem_eq(htsep_dataset_images(back), x, sizeof x);
    ck_assert_mem_eq(htsep_dataset_labels(back), labels, 2);
    htsep_dataset_free(back);
    htsep_dataset_free(data);

    /* A hand-built file, loaded and saved again, comes out byte for byte. */
    path_of(img2, "images2");
    path_of(lab2, "labels2");
    write_ref(img, lab, 0);
    ck_assert_int_eq(htsep_dataset_load_idx(&data, img, lab, REF_CLASSES),
                     HTSEP_OK);
    save_and_load(data, img2, lab2, 0, &back);
    assert_is_ref(back);
    n = read_raw(img2, got, sizeof got);
    ck_assert_uint_eq(n, ref_image_file(want));
    ck_assert_mem_eq(got, want, n);
    n = read_raw(lab2, got, sizeof got);
    ck_assert_uint_eq(n, ref_label_file(want));
    ck_assert_mem_eq(got, want, n);
    htsep_dataset_free(back);
    htsep_dataset_free(data);
}
END_TEST

START_TEST(idx_round_trip_gzip)
{
    unsigned char want[64], got[64];
    char img[PATH_SIZE], lab[PATH_SIZE], src_img[PATH_SIZE];
    char src_lab[PATH_SIZE];
    htsep_dataset *data = NULL, *back = NULL;
    size_t n;

    path_of(src_img, "source-images");
    path_of(src_lab, "source-labels");
    path_of(img, "images.gz");
    path_of(lab, "labels.gz");
    write_ref(src_img, src_lab, 0);
    ck_assert_int_eq(htsep_dataset_load_idx(&data, src_img, src_lab,
                                            REF_CLASSES),
                     HTSEP_OK);
    save_and_load(data, img, lab, 1, &back);
    assert_is_ref(back);

    /* Really gzip, and the content is the reference file exactly. */
    n = read_raw(img, got, sizeof got);
    ck_assert_uint_ge(n, 2);
    ck_assert_uint_eq(got[0], 0x1f);
    ck_assert_uint_eq(got[1], 0x8b);
    n = read_unzipped(img, got, sizeof got);
    ck_assert_uint_eq(n, ref_image_file(want));
    ck_assert_mem_eq(got, want, n);
    n = read_raw(lab, got, sizeof got);
    ck_assert_uint_ge(n, 2);
    ck_assert_uint_eq(got[0], 0x1f);
    n = read_unzipped(lab, got, sizeof got);
    ck_assert_uint_eq(n, ref_label_file(want));
    ck_assert_mem_eq(got, want, n);
    htsep_dataset_free(back);
    htsep_dataset_free(data);
}
END_TEST

START_TEST(idx_save_rounds_values)
{
    /* round(255 x), halves away from zero: 127.5 -> 128. */
    const float x[8] = {0.0f, 0.001f, 0.2f, 0.33f, 0.5f, 0.71f, 0.999f, 1.0f};
    const unsigned char want[8] = {0, 0, 51, 84, 128, 181, 255, 255};
    const uint8_t labels[1] = {0};
    unsigned char got[32];
    char img[PATH_SIZE], lab[PATH_SIZE];
    htsep_dataset *data = NULL;

    path_of(img, "images");
    path_of(lab, "labels");
    ck_assert_int_eq(htsep_dataset_create(&data, x, labels, 1, 8, 1),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_dataset_save_idx(data, img, lab, 0), HTSEP_OK);
    ck_assert_uint_eq(read_raw(img, got, sizeof got), 16 + 8);
    ck_assert_mem_eq(got + 16, want, 8);
    htsep_dataset_free(data);
}
END_TEST

START_TEST(idx_save_rejects_bad_arguments)
{
    float x[3] = {0.5f, 0.25f, 1.0f};
    const uint8_t labels[1] = {0};
    char img[PATH_SIZE], lab[PATH_SIZE];
    htsep_dataset *data = NULL;
    struct stat st;

    path_of(img, "images");
    path_of(lab, "labels");
    ck_assert_int_eq(htsep_dataset_create(&data, x, labels, 1, 3, 1),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_dataset_save_idx(NULL, img, lab, 0),
                     HTSEP_E_NULL);
    ck_assert_int_eq(htsep_dataset_save_idx(data, NULL, lab, 0),
                     HTSEP_E_NULL);
    ck_assert_int_eq(htsep_dataset_save_idx(data, img, NULL, 0),
                     HTSEP_E_NULL);
    htsep_dataset_free(data);

    /* Values outside [0, 1] cannot be stored as bytes; nothing is made. */
    x[1] = -0.01f;
    ck_assert_int_eq(htsep_dataset_create(&data, x, labels, 1, 3, 1),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_dataset_save_idx(data, img, lab, 0),
                     HTSEP_E_VALUE);
    htsep_dataset_free(data);
    x[1] = 1.01f;
    ck_assert_int_eq(htsep_dataset_create(&data, x, labels, 1, 3, 1),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_dataset_save_idx(data, img, lab, 1),
                     HTSEP_E_VALUE);
    htsep_dataset_free(data);
    ck_assert_uint_eq(entries_in_tmp_dir(), 0);

    /* A FIFO at either path stays a FIFO: the rename must not put a
     * regular file in its place (as it would over a device). */
    x[1] = 0.25f;
    ck_assert_int_eq(htsep_dataset_create(&data, x, labels, 1, 3, 1),
                     HTSEP_OK);
    ck_assert_int_eq(mkfifo(lab, 0600), 0);
    ck_assert_int_eq(htsep_dataset_save_idx(data, img, lab, 0),
                     HTSEP_E_OPEN);
    ck_assert_int_eq(stat(lab, &st), 0);
    ck_assert(S_ISFIFO(st.st_mode));
    ck_assert_uint_eq(entries_in_tmp_dir(), 1);
    ck_assert_int_eq(remove(lab), 0);
    htsep_dataset_free(data);
}
END_TEST

START_TEST(idx_save_replaces_existing_files)
{
    const float x[2] = {0.2f, 0.4f};
    const uint8_t labels[1] = {1};
    unsigned char got[32];
    char img[PATH_SIZE], lab[PATH_SIZE];
    htsep_dataset *data = NULL;
    struct stat sb;

    path_of(img, "images");
    path_of(lab, "labels");
    write_ref(img, lab, 0);
    ck_assert_int_eq(chmod(img, 0600), 0);
    ck_assert_int_eq(htsep_dataset_create(&data, x, labels, 1, 2, 2),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_dataset_save_idx(data, img, lab, 0), HTSEP_OK);

    ck_assert_uint_eq(read_raw(img, got, sizeof got), 16 + 2);
    ck_assert_uint_eq(got[16], 51);
    ck_assert_uint_eq(got[17], 102);
    ck_assert_uint_eq(read_raw(lab, got, sizeof got), 8 + 1);
    ck_assert_uint_eq(got[8], 1);
    /* No temporary file is left; a replaced file keeps its permissions and
     * a new one is readable by all. */
    ck_assert_uint_eq(entries_in_tmp_dir(), 2);
    ck_assert_int_eq(stat(img, &sb), 0);
    ck_assert_uint_eq(sb.st_mode & 0777, 0600);
    ck_assert_int_eq(stat(lab, &sb), 0);
    ck_assert_uint_eq(sb.st_mode & 0777, 0644);
    htsep_dataset_free(data);
}
END_TEST

/* A file size limit makes the write itself fail. */
START_TEST(idx_save_reports_write_error)
{
    static float x[100 * 100];
    uint8_t labels[100] = {0};
    char img[PATH_SIZE], lab[PATH_SIZE];
    htsep_dataset *data = NULL;
    struct rlimit old, small;
    htsep_status st;

    path_of(img, "images");
    path_of(lab, "labels");
    for (size_t i = 0; i < 100 * 100; i++)
        x[i] = (float)(i % 256) / 255.0f;
    ck_assert_int_eq(htsep_dataset_create(&data, x, labels, 100, 100, 1),
                     HTSEP_OK);
    ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
    small = old;
    small.rlim_cur = 4096;
    signal(SIGXFSZ, SIG_IGN);
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
    st = htsep_dataset_save_idx(data, img, lab, 0);
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, SIG_DFL);

    ck_assert_msg(st == HTSEP_E_WRITE, "got %s", htsep_status_name(st));
    ck_assert_uint_eq(entries_in_tmp_dir(), 0);
    htsep_dataset_free(data);
}
END_TEST

START_TEST(idx_save_refuses_a_folder)
{
    const float x[2] = {0.2f, 0.4f};
    const uint8_t labels[1] = {0};
    char img[PATH_SIZE], lab[PATH_SIZE];
    htsep_dataset *data = NULL;

    /* A directory is not replaced by a file: refused before any write. */
    path_of(img, "a-directory");
    path_of(lab, "labels");
    ck_assert_int_eq(mkdir(img, 0700), 0);
    ck_assert_int_eq(htsep_dataset_create(&data, x, labels, 1, 2, 1),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_dataset_save_idx(data, img, lab, 1),
                     HTSEP_E_OPEN);
    ck_assert(!file_exists(lab));
    ck_assert_uint_eq(entries_in_tmp_dir(), 1);
    htsep_dataset_free(data);
}
END_TEST

START_TEST(idx_save_reports_missing_directory)
{
    const float x[2] = {0.2f, 0.4f};
    const uint8_t labels[1] = {0};
    char img[PATH_SIZE], lab[PATH_SIZE];
    htsep_dataset *data = NULL;

    path_of(img, "no-such-directory/images");
    path_of(lab, "labels");
    ck_assert_int_eq(htsep_dataset_create(&data, x, labels, 1, 2, 1),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_dataset_save_idx(data, img, lab, 0),
                     HTSEP_E_OPEN);
    ck_assert_uint_eq(entries_in_tmp_dir(), 0);
    htsep_dataset_free(data);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Malformed IDX files.                                                     */

START_TEST(idx_load_rejects_bad_arguments)
{
    char img[PATH_SIZE], lab[PATH_SIZE];
    htsep_dataset *data = NULL;

    path_of(img, "images");
    path_of(lab, "labels");
    write_ref(img, lab, 0);
    ck_assert_int_eq(htsep_dataset_load_idx(NULL, img, lab, 3),
                     HTSEP_E_NULL);
    expect_load(NULL, lab, 3, HTSEP_E_NULL);
    expect_load(img, NULL, 3, HTSEP_E_NULL);
    expect_load(img, lab, 0, HTSEP_E_VALUE);
    expect_load(img, lab, 257, HTSEP_E_VALUE);
    /* The class count is checked before any file is opened. */
    expect_load("/nonexistent/images", lab, 0, HTSEP_E_VALUE);
    ck_assert_int_eq(htsep_dataset_load_idx(&data, img, lab, 256), HTSEP_OK);
    ck_assert_uint_eq(htsep_dataset_classes(data), 256);
    htsep_dataset_free(data);
}
END_TEST

START_TEST(idx_load_reports_missing_file)
{
    char img[PATH_SIZE], lab[PATH_SIZE], none[PATH_SIZE];

    path_of(img, "images");
    path_of(lab, "labels");
    path_of(none, "missing");
    write_ref(img, lab, 0);
    expect_load(none, lab, REF_CLASSES, HTSEP_E_OPEN);
    expect_load(img, none, REF_CLASSES, HTSEP_E_OPEN);
}
END_TEST

START_TEST(idx_load_reports_read_error)
{
    char img[PATH_SIZE], lab[PATH_SIZE];

    /* A directory opens but cannot be read. */
    path_of(img, "images");
    path_of(lab, "a-directory");
    write_ref(img, lab, 0);
    ck_assert_int_eq(remove(lab), 0);
    ck_assert_int_eq(mkdir(lab, 0700), 0);
    expect_load(img, lab, REF_CLASSES, HTSEP_E_READ);
    expect_load(lab, img, REF_CLASSES, HTSEP_E_READ);
}
END_TEST

START_TEST(idx_load_rejects_bad_magic)
{
    unsigned char buf[64];
    size_t n;

    /* Not IDX at all. */
    n = ref_image_file(buf);
    memcpy(buf, "PK\x03\x04", 4);
    expect_images(buf, n, 0, HTSEP_E_IDX_MAGIC);
    /* Wrong element type: 0x09 (signed byte), 0x0D (float). */
    n = idx_images(buf, 0x903, REF_COUNT, REF_ROWS, REF_COLS, ref_pixels,
                   REF_PIXELS);
    expect_images(buf, n, 0, HTSEP_E_IDX_MAGIC);
    n = idx_images(buf, 0xD03, REF_COUNT, REF_ROWS, REF_COLS, ref_pixels,
                   REF_PIXELS);
    expect_images(buf, n, 1, HTSEP_E_IDX_MAGIC);
    /* Wrong number of dimensions. */
    n = idx_images(buf, 0x802, REF_COUNT, REF_ROWS, REF_COLS, ref_pixels,
                   REF_PIXELS);
    expect_images(buf, n, 0, HTSEP_E_IDX_MAGIC);
    n = idx_labels(buf, 0x802, REF_COUNT, ref_labels, REF_COUNT);
    expect_labels(buf, n, 0, HTSEP_E_IDX_MAGIC);
    /* The two kinds swapped: a label file is too short to be read as
     * images, but its magic is rejected before that matters. */
    expect_images(buf, ref_label_file(buf), 0, HTSEP_E_IDX_MAGIC);
    expect_labels(buf, ref_image_file(buf), 1, HTSEP_E_IDX_MAGIC);
    n = idx_labels(buf, 0x901, REF_COUNT, ref_labels, REF_COUNT);
    expect_labels(buf, n, 0, HTSEP_E_IDX_MAGIC);
}
END_TEST

START_TEST(idx_load_rejects_truncated_header)
{
    unsigned char buf[64];

    ref_image_file(buf);
    expect_images(buf, 0, 0, HTSEP_E_IDX_TRUNCATED);
    expect_images(buf, 3, 0, HTSEP_E_IDX_TRUNCATED);
    expect_images(buf, 4, 0, HTSEP_E_IDX_TRUNCATED);
    expect_images(buf, 15, 0, HTSEP_E_IDX_TRUNCATED);
    expect_images(buf, 15, 1, HTSEP_E_IDX_TRUNCATED);
    ref_label_file(buf);
    expect_labels(buf, 0, 1, HTSEP_E_IDX_TRUNCATED);
    expect_labels(buf, 7, 0, HTSEP_E_IDX_TRUNCATED);
}
END_TEST

START_TEST(idx_load_rejects_truncated_data)
{
    unsigned char buf[64];
    size_t n;

    n = ref_image_file(buf);
    expect_images(buf, n - 1, 0, HTSEP_E_IDX_TRUNCATED);
    expect_images(buf, 16, 0, HTSEP_E_IDX_TRUNCATED);
    expect_images(buf, n - 5, 1, HTSEP_E_IDX_TRUNCATED);
    n = ref_label_file(buf);
    expect_labels(buf, n - 1, 0, HTSEP_E_IDX_TRUNCATED);
    expect_labels(buf, n - 1, 1, HTSEP_E_IDX_TRUNCATED);
}
END_TEST

/* A header may claim any size; a tiny file must fail at once, without an
 * allocation of the claimed size (which would fail as HTSEP_E_NOMEM). */
START_TEST(idx_load_huge_claim_fails_fast)
{
    unsigned char buf[64];
    double start = seconds_now();

    /* 4e9 images of 28 x 28: 3.1 TB claimed, 24 bytes given. */
    idx_images(buf, 0x803, 4000000000u, 28, 28, ref_pixels, REF_PIXELS);
    expect_images(buf, 40, 0, HTSEP_E_IDX_TRUNCATED);
    expect_images(buf, 40, 1, HTSEP_E_IDX_TRUNCATED);
    idx_images(buf, 0x803, 65536, 65536, 65536, ref_pixels, REF_PIXELS);
    expect_images(buf, 40, 0, HTSEP_E_IDX_TRUNCATED);
    idx_labels(buf, 0x801, 4000000000u, ref_labels, REF_COUNT);
    expect_labels(buf, 8 + REF_COUNT, 0, HTSEP_E_IDX_TRUNCATED);
    ck_assert_double_lt(seconds_now() - start, 2.0);
}
END_TEST

START_TEST(idx_load_rejects_zero_dimension)
{
    unsigned char buf[64];
    size_t n;

    n = idx_images(buf, 0x803, 0, REF_ROWS, REF_COLS, NULL, 0);
    expect_images(buf, n, 0, HTSEP_E_IDX_DIMS);
    n = idx_images(buf, 0x803, REF_COUNT, 0, REF_COLS, NULL, 0);
    expect_images(buf, n, 0, HTSEP_E_IDX_DIMS);
    n = idx_images(buf, 0x803, REF_COUNT, REF_ROWS, 0, NULL, 0);
    expect_images(buf, n, 1, HTSEP_E_IDX_DIMS);
    n = idx_labels(buf, 0x801, 0, NULL, 0);
    expect_labels(buf, n, 0, HTSEP_E_IDX_DIMS);
}
END_TEST

START_TEST(idx_load_rejects_overflowing_size)
{
    unsigned char buf[64];
    size_t n;

    /* (2^32 - 1)^3 bytes overflow a 64-bit size_t. */
    n = idx_images(buf, 0x803, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu,
                   ref_pixels, REF_PIXELS);
    expect_images(buf, n, 0, HTSEP_E_IDX_DIMS);
    /* 2^62 bytes fit, but not as 2^62 floats. */
    n = idx_images(buf, 0x803, 1u << 30, 1u << 16, 1u << 16, ref_pixels,
                   REF_PIXELS);
    expect_images(buf, n, 0, HTSEP_E_IDX_DIMS);
}
END_TEST

START_TEST(idx_load_rejects_trailing_bytes)
{
    unsigned char buf[64];
    size_t n;

    n = ref_image_file(buf);
    buf[n] = 0;
    expect_images(buf, n + 1, 0, HTSEP_E_IDX_TRAILING);
    expect_images(buf, n + 1, 1, HTSEP_E_IDX_TRAILING);
    n = ref_label_file(buf);
    buf[n] = 1;
    expect_labels(buf, n + 1, 0, HTSEP_E_IDX_TRAILING);
    expect_labels(buf, n + 1, 1, HTSEP_E_IDX_TRAILING);
}
END_TEST

/* Gzip-compresses the reference image file in memory, by writing and
 * reading it back, and returns the compressed length. */
static size_t ref_images_gzipped(unsigned char *gz, size_t cap)
{
    unsigned char buf[64];
    char path[PATH_SIZE];
    size_t n;

    path_of(path, "reference.gz");
    write_file(path, buf, ref_image_file(buf), 1);
    n = read_raw(path, gz, cap);
    ck_assert_int_eq(remove(path), 0);
    /* 10-byte header, deflate data, 8-byte trailer (CRC-32, length). */
    ck_assert_uint_gt(n, 18);
    ck_assert_uint_eq(gz[0], 0x1f);
    ck_assert_uint_eq(gz[1], 0x8b);
    return n;
}

/* A gzip stream that stops early is a truncated file, wherever the cut
 * falls: in the gzip header, in the deflate data or in the trailer. */
START_TEST(idx_load_rejects_truncated_gzip)
{
    const size_t cuts_from_end[] = {1, 4, 7, 8, 12};
    unsigned char gz[256];
    size_t n = ref_images_gzipped(gz, sizeof gz);

    expect_images(gz, 5, 0, HTSEP_E_IDX_TRUNCATED);
    expect_images(gz, 10, 0, HTSEP_E_IDX_TRUNCATED);
    expect_images(gz, n / 2, 0, HTSEP_E_IDX_TRUNCATED);
    for (size_t i = 0; i < sizeof cuts_from_end / sizeof *cuts_from_end;
         i++)
        expect_images(gz, n - cuts_from_end[i], 0, HTSEP_E_IDX_TRUNCATED);
}
END_TEST

START_TEST(idx_load_rejects_corrupt_gzip)
{
    unsigned char gz[256], bad[256];
    size_t n = ref_images_gzipped(gz, sizeof gz);

    /* First deflate block of type 3, which does not exist. */
    memcpy(bad, gz, n);
    bad[10] = 0xff;
    expect_images(bad, n, 0, HTSEP_E_GZIP);
    /* Wrong CRC-32 of the content. */
    memcpy(bad, gz, n);
    bad[n - 8] ^= 0x5a;
    expect_images(bad, n, 0, HTSEP_E_GZIP);
    /* Wrong content length. */
    memcpy(bad, gz, n);
    bad[n - 4] ^= 0x01;
    expect_images(bad, n, 0, HTSEP_E_GZIP);
    /* Unknown compression method in the gzip header. */
    memcpy(bad, gz, n);
    bad[2] = 0x07;
    expect_images(bad, n, 0, HTSEP_E_GZIP);
}
END_TEST

START_TEST(idx_load_rejects_count_mismatch)
{
    const unsigned char more[REF_COUNT + 1] = {0, 1, 2, 0};
    unsigned char buf[64];
    size_t n;

    n = idx_labels(buf, 0x801, REF_COUNT - 1, ref_labels, REF_COUNT - 1);
    expect_labels(buf, n, 0, HTSEP_E_IDX_COUNT);
    n = idx_labels(buf, 0x801, REF_COUNT + 1, more, REF_COUNT + 1);
    expect_labels(buf, n, 1, HTSEP_E_IDX_COUNT);
}
END_TEST

START_TEST(idx_load_rejects_large_label)
{
    const unsigned char labels[REF_COUNT] = {0, 3, 1};
    unsigned char buf[64];
    char img[PATH_SIZE], lab[PATH_SIZE];
    htsep_dataset *data = NULL;
    size_t n;

    path_of(img, "images");
    path_of(lab, "labels");
    write_file(img, buf, ref_image_file(buf), 0);
    n = idx_labels(buf, 0x801, REF_COUNT, labels, REF_COUNT);
    write_file(lab, buf, n, 0);
    expect_load(img, lab, 3, HTSEP_E_IDX_LABEL);
    expect_load(img, lab, 1, HTSEP_E_IDX_LABEL);
    ck_assert_int_eq(htsep_dataset_load_idx(&data, img, lab, 4), HTSEP_OK);
    ck_assert_uint_eq(htsep_dataset_labels(data)[1], 3);
    htsep_dataset_free(data);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Fashion-MNIST, when the environment names its folder.                   */

static const char *fashion_dir(void)
{
    const char *dir = getenv("HTSEP_FASHION_DIR");

    ck_assert_msg(dir && *dir,
                  "HTSEP_FASHION_DIR is not set; it must name the folder "
                  "holding t10k-images-idx3-ubyte.gz and the other "
                  "Fashion-MNIST files (make check sets it; Debian's "
                  "dataset-fashion-mnist installs them in "
                  "/usr/share/datasets/fashion-mnist)");
    return dir;
}

static htsep_dataset *load_fashion(const char *dir, const char *prefix,
                                   char *img)
{
    char lab[PATH_SIZE];
    htsep_dataset *data = NULL;
    htsep_status st;

    snprintf(img, PATH_SIZE, "%s/%s-images-idx3-ubyte.gz", dir, prefix);
    snprintf(lab, PATH_SIZE, "%s/%s-labels-idx1-ubyte.gz", dir, prefix);
    st = htsep_dataset_load_idx(&data, img, lab, 10);
    ck_assert_msg(st == HTSEP_OK, "loading %s: %s", img,
                  htsep_status_name(st));
    ck_assert_uint_eq(htsep_dataset_rows(data), 28);
    ck_assert_uint_eq(htsep_dataset_cols(data), 28);
    ck_assert_uint_eq(htsep_dataset_features(data), 784);
    ck_assert_uint_eq(htsep_dataset_classes(data), 10);
    return data;
}

static void assert_balanced(const htsep_dataset *data, size_t per_class)
{
    const uint8_t *labels = htsep_dataset_labels(data);
    size_t seen[10] = {0};

    size_t too_large = 0;

    /* Counted first: an assertion per label would be slow. */
    for (size_t i = 0; i < htsep_dataset_count(data); i++) {
        if (labels[i] < 10)
            seen[labels[i]]++;
        else
            too_large++;
    }
    ck_assert_uint_eq(too_large, 0);
    for (size_t c = 0; c < 10; c++)
        ck_assert_uint_eq(seen[c], per_class);
}

START_TEST(fashion_mnist_test_set)
{
    const size_t n = 10000 * 784;
    char img[PATH_SIZE];
    htsep_dataset *data = load_fashion(fashion_dir(), "t10k", img);
    const float *x = htsep_dataset_images(data);
    unsigned char *raw = malloc(16 + n + 1);
    size_t differ = 0;

    ck_assert_uint_eq(htsep_dataset_count(data), 10000);
    assert_balanced(data, 1000);

    /* Every value against the file's own bytes, read here with zlib. */
    ck_assert_ptr_nonnull(raw);
    ck_assert_uint_eq(read_unzipped(img, raw, 16 + n + 1), 16 + n);
    for (size_t i = 0; i < n; i++)
        if (x[i] != (float)raw[16 + i] / 255.0f)
            differ++;
    ck_assert_uint_eq(differ, 0);
    free(raw);
    htsep_dataset_free(data);
}
END_TEST

START_TEST(fashion_mnist_training_set)
{
    char img[PATH_SIZE];
    htsep_dataset *data = load_fashion(fashion_dir(), "train", img);
    double mean = 0.0, sd = 0.0;

    ck_assert_uint_eq(htsep_dataset_count(data), 60000);
    assert_balanced(data, 6000);
    /* The published pixel statistics of the training set. */
    ck_assert_int_eq(htsep_dataset_stats(data, &mean, &sd), HTSEP_OK);
    ck_assert_double_eq_tol(mean, 0.2860, 1e-4);
    ck_assert_double_eq_tol(sd, 0.3530, 1e-4);
    htsep_dataset_free(data);
}
END_TEST

/* ------------------------------------------------------------------------ */

static TCase *add_case(Suite *s, const char *name, const TTest *test)
{
    TCase *tc = tcase_create(name);

    tcase_add_unchecked_fixture(tc, make_tmp_dir, remove_tmp_dir);
    tcase_add_test(tc, test);
    suite_add_tcase(s, tc);
    return tc;
}

#define ADD_CASE(s, test) add_case((s), #test, (test))

Suite *suite_data(void)
{
    Suite *s = suite_create("data");
    TCase *fashion;

    ADD_CASE(s, dataset_create_copies_input);
    ADD_CASE(s, dataset_create_rejects_bad_arguments);
    ADD_CASE(s, dataset_queries_accept_null);
    ADD_CASE(s, dataset_subset_copies_rows);
    ADD_CASE(s, dataset_subset_rejects_bad_ranges);
    ADD_CASE(s, dataset_stats_match_hand_computation);
    ADD_CASE(s, dataset_stats_rejects_null);
    ADD_CASE(s, idx_load_reads_plain_files);
    ADD_CASE(s, idx_load_reads_gzip_files);
    ADD_CASE(s, idx_round_trip_plain);
    ADD_CASE(s, idx_round_trip_gzip);
    ADD_CASE(s, idx_save_rounds_values);
    ADD_CASE(s, idx_save_rejects_bad_arguments);
    ADD_CASE(s, idx_save_replaces_existing_files);
    ADD_CASE(s, idx_save_reports_write_error);
    ADD_CASE(s, idx_save_refuses_a_folder);
    ADD_CASE(s, idx_save_reports_missing_directory);
    ADD_CASE(s, idx_load_rejects_bad_arguments);
    ADD_CASE(s, idx_load_reports_missing_file);
    ADD_CASE(s, idx_load_reports_read_error);
    ADD_CASE(s, idx_load_rejects_bad_magic);
    ADD_CASE(s, idx_load_rejects_truncated_header);
    ADD_CASE(s, idx_load_rejects_truncated_data);
    ADD_CASE(s, idx_load_huge_claim_fails_fast);
    ADD_CASE(s, idx_load_rejects_zero_dimension);
    ADD_CASE(s, idx_load_rejects_overflowing_size);
    ADD_CASE(s, idx_load_rejects_trailing_bytes);
    ADD_CASE(s, idx_load_rejects_truncated_gzip);
    ADD_CASE(s, idx_load_rejects_corrupt_gzip);
    ADD_CASE(s, idx_load_rejects_count_mismatch);
    ADD_CASE(s, idx_load_rejects_large_label);

    /* Decompressing 70,000 images takes longer than Check's 4 s default
     * under a memory checker. */
    fashion = add_case(s, "fashion_mnist_loads", fashion_mnist_test_set);
    tcase_add_test(fashion, fashion_mnist_training_set);
    tcase_set_timeout(fashion, 300);
    return s;
}
