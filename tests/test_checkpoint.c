/* Checkpoints against docs/checkpoint-format.md. Each test works in a fresh
 * mkdtemp directory under /tmp, removed by the fixture. Expected bytes and
 * sizes come from the document, worked out by hand, and damaged files are
 * resealed with zlib's crc32 here, independently of the library. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "htsep.h"
#include "network_impl.h"
#include "suites.h"

/* Layout of a 5-7-3 file: 112-byte header, then dt_h, W1, b1, W2, b2 and
 * the CRC; 116 + 4 (n_h (n_in + n_out + 2) + n_out) = 408 bytes. */
enum {
    N_IN = 5,
    N_H = 7,
    N_OUT = 3,
    HEADER = 112,
    AT_DT_H = HEADER,
    AT_W1 = AT_DT_H + 4 * N_H,
    AT_B1 = AT_W1 + 4 * N_IN * N_H,
    AT_W2 = AT_B1 + 4 * N_H,
    AT_B2 = AT_W2 + 4 * N_H * N_OUT,
    AT_CRC = AT_B2 + 4 * N_OUT,
    FILE_LEN = AT_CRC + 4
};

static char dir[64];
static uint64_t rng_state;

/* ------------------------------------------------------------------------ */
/* Fixture and file helpers.                                                */

static void make_dir(void)
{
    strcpy(dir, "/tmp/htsep-ckpt-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_dir(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[512];

    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (unlink(path) != 0)
            rmdir(path);
    }
    closedir(d);
    rmdir(dir);
}

static void path_in(char *buf, size_t size, const char *name)
{
    ck_assert_int_lt(snprintf(buf, size, "%s/%s", dir, name), (int)size);
}

static size_t entries(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = 0;

    ck_assert_ptr_nonnull(d);
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *p;
    long end;

    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
    end = ftell(f);
    ck_assert_int_ge(end, 0);
    rewind(f);
    p = malloc((size_t)end + 1);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(fread(p, 1, (size_t)end, f), (size_t)end);
    fclose(f);
    *len = (size_t)end;
    return p;
}

static void spit(const char *path, const unsigned char *p, size_t len)
{
    FILE *f = fopen(path, "wb");

    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(p, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

static void put_le(unsigned char *p, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t bits_f64(double v)
{
    uint64_t b;

    memcpy(&b, &v, sizeof b);
    return b;
}

static uint32_t bits_f32(float v)
{
    uint32_t b;

    memcpy(&b, &v, sizeof b);
    return b;
}

static uint32_t crc_of(const unsigned char *p, size_t n)
{
    return (uint32_t)crc32(0, p, (uInt)n);
}

/* Recomputes both CRCs after an edit, so only the edit itself is wrong. */
static void reseal(unsigned char *p, size_t len)
{
    put_le(p + 24, crc_of(p, 24), 4);
    put_le(p + len - 4, crc_of(p, len - 4), 4);
}

/* Loads bytes through a file; a failed load must leave *out NULL. */
static htsep_status load_bytes(const unsigned char *p, size_t len)
{
    char path[128];
    htsep_network *net = (htsep_network *)&rng_state;
    htsep_status st;

    path_in(path, sizeof path, "probe.ckpt");
    spit(path, p, len);
    st = htsep_network_load(&net, path);
    if (st != HTSEP_OK)
        ck_assert_ptr_null(net);
    htsep_network_free(net);
    unlink(path);
    return st;
}

/* ------------------------------------------------------------------------ */
/* Networks.                                                                */

static double uniform(double lo, double hi)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return lo + (hi - lo) * (double)(rng_state >> 11) * 0x1p-53;
}

static void fill(float *v, size_t n, double lo, double hi)
{
    for (size_t i = 0; i < n; i++)
        v[i] = (float)uniform(lo, hi);
}

/* A 5-7-3 network with random parameters and no default option left. */
static htsep_network *make_network(void)
{
    float dt[N_H], w1[N_IN * N_H], b1[N_H], w2[N_H * N_OUT], b2[N_OUT];
    htsep_network *net;

    rng_state = 0x9e3779b97f4a7c15u;
    fill(dt, N_H, 0.01, 1.0);
    fill(w1, N_IN * N_H, -2.0, 2.0);
    fill(b1, N_H, -1.0, 1.0);
    fill(w2, N_H * N_OUT, -2.0, 2.0);
    fill(b2, N_OUT, -1.0, 1.0);
    ck_assert_int_eq(htsep_network_create(&net, N_IN, N_H, N_OUT), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_dt(net, dt, N_H), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_dt_y(net, 0.37), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_gamma(net, 0.83), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_beta(net, 0.55), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_leak(net, 0.071), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_steps(net, 97, 15), HTSEP_OK);
    ck_assert_int_eq(
        htsep_network_set_clamped_start(net, HTSEP_CLAMPED_FROM_ZERO),
        HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_input_norm(net, 0.286, 0.353),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_weights(net, 1, w1, N_IN * N_H),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_biases(net, 1, b1, N_H), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_weights(net, 2, w2, N_H * N_OUT),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_biases(net, 2, b2, N_OUT), HTSEP_OK);
    return net;
}

/* Saves make_network() and returns the file's bytes. */
static unsigned char *saved_bytes(size_t *len)
{
    htsep_network *net = make_network();
    char path[128];
    unsigned char *p;

    path_in(path, sizeof path, "net.ckpt");
    ck_assert_int_eq(htsep_network_save(net, path), HTSEP_OK);
    htsep_network_free(net);
    p = slurp(path, len);
    unlink(path);
    ck_assert_uint_eq(*len, FILE_LEN);
    return p;
}

static void expect_same_options(const htsep_network *a,
                                const htsep_network *b)
{
    double u, v, u2, v2;
    unsigned s, t, s2, t2;
    htsep_clamped_start c, d;

    ck_assert_int_eq(htsep_network_get_dt_y(a, &u), HTSEP_OK);
    ck_assert_int_eq(htsep_network_get_dt_y(b, &v), HTSEP_OK);
    ck_assert_double_eq(u, v);
    ck_assert_int_eq(htsep_network_get_gamma(a, &u), HTSEP_OK);
    ck_assert_int_eq(htsep_network_get_gamma(b, &v), HTSEP_OK);
    ck_assert_double_eq(u, v);
    ck_assert_int_eq(htsep_network_get_beta(a, &u), HTSEP_OK);
    ck_assert_int_eq(htsep_network_get_beta(b, &v), HTSEP_OK);
    ck_assert_double_eq(u, v);
    ck_assert_int_eq(htsep_network_get_leak(a, &u), HTSEP_OK);
    ck_assert_int_eq(htsep_network_get_leak(b, &v), HTSEP_OK);
    ck_assert_double_eq(u, v);
    ck_assert_int_eq(htsep_network_get_input_norm(a, &u, &u2), HTSEP_OK);
    ck_assert_int_eq(htsep_network_get_input_norm(b, &v, &v2), HTSEP_OK);
    ck_assert_double_eq(u, v);
    ck_assert_double_eq(u2, v2);
    ck_assert_int_eq(htsep_network_get_steps(a, &s, &t), HTSEP_OK);
    ck_assert_int_eq(htsep_network_get_steps(b, &s2, &t2), HTSEP_OK);
    ck_assert_uint_eq(s, s2);
    ck_assert_uint_eq(t, t2);
    ck_assert_int_eq(htsep_network_get_clamped_start(a, &c), HTSEP_OK);
    ck_assert_int_eq(htsep_network_get_clamped_start(b, &d), HTSEP_OK);
    ck_assert_int_eq(c, d);
}

/* Layer 0 stands for the hidden time steps. */
static void expect_same_array(const htsep_network *a, const htsep_network *b,
                              unsigned layer, int biases, size_t n)
{
    float *u = malloc(n * sizeof *u), *v = malloc(n * sizeof *v);

    ck_assert(u && v);
    if (layer == 0) {
        ck_assert_int_eq(htsep_network_get_dt(a, u, n), HTSEP_OK);
        ck_assert_int_eq(htsep_network_get_dt(b, v, n), HTSEP_OK);
    } else if (biases) {
        ck_assert_int_eq(htsep_network_get_biases(a, layer, u, n), HTSEP_OK);
        ck_assert_int_eq(htsep_network_get_biases(b, layer, v, n), HTSEP_OK);
    } else {
        ck_assert_int_eq(htsep_network_get_weights(a, layer, u, n), HTSEP_OK);
        ck_assert_int_eq(htsep_network_get_weights(b, layer, v, n), HTSEP_OK);
    }
    ck_assert_mem_eq(u, v, n * sizeof *u);
    free(u);
    free(v);
}

static void expect_same(const htsep_network *a, const htsep_network *b)
{
    size_t n_in, n_h, n_out, m_in, m_h, m_out;

    ck_assert_int_eq(htsep_network_sizes(a, &n_in, &n_h, &n_out), HTSEP_OK);
    ck_assert_int_eq(htsep_network_sizes(b, &m_in, &m_h, &m_out), HTSEP_OK);
    ck_assert_uint_eq(n_in, m_in);
    ck_assert_uint_eq(n_h, m_h);
    ck_assert_uint_eq(n_out, m_out);
    expect_same_options(a, b);
    expect_same_array(a, b, 0, 0, n_h);
    expect_same_array(a, b, 1, 0, n_in * n_h);
    expect_same_array(a, b, 1, 1, n_h);
    expect_same_array(a, b, 2, 0, n_h * n_out);
    expect_same_array(a, b, 2, 1, n_out);
}

/* ------------------------------------------------------------------------ */
/* Tests.                                                                   */

START_TEST(checkpoint_round_trip)
{
    htsep_network *net = make_network(), *back = NULL;
    char path[128];

    path_in(path, sizeof path, "net.ckpt");
    ck_assert_int_eq(htsep_network_save(net, path), HTSEP_OK);
    ck_assert_int_eq(htsep_network_load(&back, path), HTSEP_OK);
    ck_assert_ptr_nonnull(back);
    expect_same(net, back);
    htsep_network_free(net);
    htsep_network_free(back);
}
END_TEST

/* Larger than the library's 4096-byte buffers, so every loop wraps. */
START_TEST(checkpoint_round_trip_large)
{
    enum {
        IN = 40,
        H = 60,
        OUT = 10,
        LEN = 116 + 4 * (H * (IN + OUT + 2) + OUT)
    };
    htsep_network *net, *back = NULL;
    float dt[H];
    char path[128];
    unsigned char *p;
    size_t len;

    ck_assert_int_eq(htsep_network_create(&net, IN, H, OUT), HTSEP_OK);
    ck_assert_int_eq(htsep_network_init_weights(net, HTSEP_INIT_POSITIVE, 7),
                     HTSEP_OK);
    rng_state = 0x2545f4914f6cdd1du;
    fill(dt, H, 0.001, 1.0);
    ck_assert_int_eq(htsep_network_set_dt(net, dt, H), HTSEP_OK);
    path_in(path, sizeof path, "large.ckpt");
    ck_assert_int_eq(htsep_network_save(net, path), HTSEP_OK);
    ck_assert_int_eq(htsep_network_load(&back, path), HTSEP_OK);
    expect_same(net, back);
    htsep_network_free(back);

    p = slurp(path, &len);
    ck_assert_uint_eq(len, LEN);
    ck_assert_uint_eq(len, 12636);
    p[9000] ^= 0x10;
    ck_assert_int_eq(load_bytes(p, len), HTSEP_E_CKPT_CHECKSUM);
    p[9000] ^= 0x10;
    ck_assert_int_eq(load_bytes(p, 9000), HTSEP_E_CKPT_TRUNCATED);
    ck_assert_int_eq(load_bytes(p, len), HTSEP_OK);
    free(p);
    htsep_network_free(net);
}
END_TEST

START_TEST(checkpoint_file_length)
{
    size_t len;
    unsigned char *p = saved_bytes(&len);

    ck_assert_uint_eq(len, 116 + 4 * (N_H * (N_IN + N_OUT + 2) + N_OUT));
    ck_assert_uint_eq(len, 408);
    free(p);
}
END_TEST

/* 1-1-1: every field by hand; the two CRCs were computed independently
 * (Python's zlib.crc32) and are checked again below. */
static const unsigned char golden[136] = {
    /* preamble: magic, version 1, header length 112, file length 136 */
    'H', 'T', 'S', 'E', 'P', 'N', 'E', 'T', 0x01, 0x00, 0x00, 0x00,
    0x70, 0x00, 0x00, 0x00, 0x88, 0, 0, 0, 0, 0, 0, 0,
    0x90, 0x89, 0x28, 0x11,
    /* n_in, n_h, n_out = 1 */
    1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0,
    /* dt_y 0.25, gamma 2, beta 0.5, leak 0.125, mean -0.1, sd 4 */
    0, 0, 0, 0, 0, 0, 0xd0, 0x3f, 0, 0, 0, 0, 0, 0, 0x00, 0x40,
    0, 0, 0, 0, 0, 0, 0xe0, 0x3f, 0, 0, 0, 0, 0, 0, 0xc0, 0x3f,
    0x9a, 0x99, 0x99, 0x99, 0x99, 0x99, 0xb9, 0xbf,
    0, 0, 0, 0, 0, 0, 0x10, 0x40,
    /* t_free 300, t_clamped 7, clamped start from zero */
    0x2c, 0x01, 0, 0, 0x07, 0, 0, 0, 0x01, 0, 0, 0,
    /* dt_h 0.75, W1 0.1f, b1 -2, W2 1.5, b2 0.25 */
    0x00, 0x00, 0x40, 0x3f, 0xcd, 0xcc, 0xcc, 0x3d, 0x00, 0x00, 0x00, 0xc0,
    0x00, 0x00, 0xc0, 0x3f, 0x00, 0x00, 0x80, 0x3e,
    /* CRC-32 of the 132 bytes above */
    0xae, 0x59, 0x7e, 0xae};

static htsep_network *make_tiny(void)
{
    const float dt = 0.75f, w1 = 0.1f, b1 = -2.0f, w2 = 1.5f, b2 = 0.25f;
    htsep_network *net;

    ck_assert_int_eq(htsep_network_create(&net, 1, 1, 1), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_dt(net, &dt, 1), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_dt_y(net, 0.25), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_gamma(net, 2.0), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_beta(net, 0.5), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_leak(net, 0.125), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_input_norm(net, -0.1, 4.0), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_steps(net, 300, 7), HTSEP_OK);
    ck_assert_int_eq(
        htsep_network_set_clamped_start(net, HTSEP_CLAMPED_FROM_ZERO),
        HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_weights(net, 1, &w1, 1), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_biases(net, 1, &b1, 1), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_weights(net, 2, &w2, 1), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_biases(net, 2, &b2, 1), HTSEP_OK);
    return net;
}

START_TEST(checkpoint_golden_bytes)
{
    htsep_network *net = make_tiny(), *back = NULL;
    char path[128];
    unsigned char *p;
    size_t len;

    ck_assert_uint_eq(crc_of(golden, 24), 0x11288990u);
    ck_assert_uint_eq(crc_of(golden, 132), 0xae7e59aeu);
    path_in(path, sizeof path, "tiny.ckpt");
    ck_assert_int_eq(htsep_network_save(net, path), HTSEP_OK);
    p = slurp(path, &len);
    ck_assert_uint_eq(len, sizeof golden);
    ck_assert_mem_eq(p, golden, sizeof golden);
    free(p);

    /* The hand-made bytes load back into the same network. */
    spit(path, golden, sizeof golden);
    ck_assert_int_eq(htsep_network_load(&back, path), HTSEP_OK);
    expect_same(net, back);
    htsep_network_free(net);
    htsep_network_free(back);
}
END_TEST

START_TEST(checkpoint_flipped_byte)
{
    static const size_t spots[] = {
        8,              /* version */
        16,             /* file length */
        26,             /* preamble CRC */
        37,             /* n_h */
        63,             /* gamma */
        AT_W1 + 4 * 11, /* a weight */
        AT_B2 + 1,      /* a bias */
        AT_CRC,         /* the CRC itself */
        FILE_LEN - 1};
    static const unsigned char masks[] = {0x01, 0x80, 0xff};
    size_t len;
    unsigned char *p = saved_bytes(&len);

    for (size_t i = 0; i < sizeof spots / sizeof spots[0]; i++) {
        p[spots[i]] ^= 0xff;
        ck_assert_int_eq(load_bytes(p, len), HTSEP_E_CKPT_CHECKSUM);
        p[spots[i]] ^= 0xff;
    }
    /* Any byte past the magic: its lowest bit, highest bit or all. */
    for (size_t at = 8; at < len; at++)
        for (size_t m = 0; m < sizeof masks; m++) {
            p[at] ^= masks[m];
            ck_assert_int_eq(load_bytes(p, len), HTSEP_E_CKPT_CHECKSUM);
            p[at] ^= masks[m];
        }
    ck_assert_int_eq(load_bytes(p, len), HTSEP_OK);
    free(p);
}
END_TEST

START_TEST(checkpoint_truncated)
{
    static const size_t cuts[] = {
        0,                 /* empty */
        5,                 /* inside the magic */
        20,                /* inside the preamble */
        60,                /* inside the version 1 fields */
        AT_W1 + 6,         /* inside the weights */
        AT_CRC,            /* everything but the CRC */
        FILE_LEN - 1};
    size_t len;
    unsigned char *p = saved_bytes(&len);

    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++)
        ck_assert_int_eq(load_bytes(p, cuts[i]), HTSEP_E_CKPT_TRUNCATED);
    for (size_t cut = 0; cut < len; cut++)
        ck_assert_int_eq(load_bytes(p, cut), HTSEP_E_CKPT_TRUNCATED);
    free(p);
}
END_TEST

START_TEST(checkpoint_wrong_magic)
{
    static const unsigned char text[] = "hello, world\n";
    size_t len;
    unsigned char *p = saved_bytes(&len);

    for (size_t at = 0; at < 8; at++) {
        p[at] ^= 0x20;
        ck_assert_int_eq(load_bytes(p, len), HTSEP_E_CKPT_MAGIC);
        p[at] ^= 0x20;
    }
    ck_assert_int_eq(load_bytes(text, sizeof text - 1), HTSEP_E_CKPT_MAGIC);
    ck_assert_int_eq(load_bytes(text, 3), HTSEP_E_CKPT_MAGIC);
    free(p);
}
END_TEST

START_TEST(checkpoint_newer_version)
{
    static const uint32_t versions[] = {2, 3, 0xffffffffu, 0};
    size_t len;
    unsigned char *p = saved_bytes(&len);

    for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
        put_le(p + 8, versions[i], 4);
        reseal(p, len);
        ck_assert_int_eq(load_bytes(p, len), HTSEP_E_CKPT_VERSION);
    }
    free(p);
}
END_TEST

START_TEST(checkpoint_huge_sizes)
{
    struct timespec t0, t1;
    size_t len;
    unsigned char *p = saved_bytes(&len);
    unsigned char *q = malloc(len);

    ck_assert_ptr_nonnull(q);
    clock_gettime(CLOCK_MONOTONIC, &t0);

    /* Sizes of 2^40 hidden units, file length left as it is. */
    memcpy(q, p, len);
    put_le(q + 36, (uint64_t)1 << 40, 8);
    reseal(q, len);
    ck_assert_int_eq(load_bytes(q, len), HTSEP_E_CKPT_INVALID);

    /* Sizes whose layout overflows 64 bits. */
    memcpy(q, p, len);
    put_le(q + 28, (uint64_t)1 << 63, 8);
    put_le(q + 36, (uint64_t)1 << 62, 8);
    reseal(q, len);
    ck_assert_int_eq(load_bytes(q, len), HTSEP_E_CKPT_INVALID);

    /* A consistent claim of a 44 TB file is a cut file, not an allocation. */
    memcpy(q, p, len);
    put_le(q + 36, (uint64_t)1 << 40, 8);
    put_le(q + 16, 116 + 4 * (((uint64_t)1 << 40) * 10 + 3), 8);
    reseal(q, len);
    ck_assert_int_eq(load_bytes(q, len), HTSEP_E_CKPT_TRUNCATED);

    clock_gettime(CLOCK_MONOTONIC, &t1);
    ck_assert_double_lt((double)(t1.tv_sec - t0.tv_sec) +
                            1e-9 * (double)(t1.tv_nsec - t0.tv_nsec),
                        1.0);
    free(q);
    free(p);
}
END_TEST

/* One field set to a value the loader must refuse, CRCs rebuilt. */
struct bad_field {
    size_t at;
    int bytes;      /* 4 or 8 */
    int is_float;
    double value;
};

static const struct bad_field bad_fields[] = {
    {12, 4, 0, 100},        /* header length below version 1's */
    {12, 4, 0, 116},        /* header length past the fields' layout */
    {28, 8, 0, 0},          /* n_in 0 */
    {28, 8, 0, 6},          /* n_in disagrees with the file length */
    {36, 8, 0, 0},          /* n_h 0 */
    {44, 8, 0, 0},          /* n_out 0 */
    {52, 8, 1, 0.0},        /* dt_y 0 */
    {52, 8, 1, 1.5},        /* dt_y above 1 */
    {60, 8, 1, -1.0},       /* gamma negative */
    {60, 8, 1, NAN},        /* gamma NaN */
    {68, 8, 1, 0.0},        /* beta 0 */
    {76, 8, 1, 1.0},        /* leak 1 */
    {84, 8, 1, INFINITY},   /* mean infinite */
    {92, 8, 1, 0.0},        /* sd 0 */
    {100, 4, 0, 0},         /* t_free 0 */
    {104, 4, 0, 0},         /* t_clamped 0 */
    {108, 4, 0, 2},         /* unknown clamped start */
    {AT_DT_H, 4, 1, 0.0},   /* a hidden dt of 0 */
    {AT_DT_H + 8, 4, 1, 1.5}, /* a hidden dt above 1 */
    {AT_DT_H + 4, 4, 1, NAN},
    {AT_W1, 4, 1, INFINITY},
    {AT_B1 + 4, 4, 1, NAN},
    {AT_W2 + 8, 4, 1, -INFINITY},
    {AT_B2 + 8, 4, 1, NAN}};

START_TEST(checkpoint_invalid_field)
{
    size_t len, n = sizeof bad_fields / sizeof bad_fields[0];
    unsigned char *p = saved_bytes(&len);
    unsigned char *q = malloc(len + 1);

    ck_assert_ptr_nonnull(q);
    for (size_t i = 0; i < n; i++) {
        const struct bad_field *b = &bad_fields[i];
        uint64_t v;

        if (!b->is_float)
            v = (uint64_t)b->value;
        else if (b->bytes == 8)
            v = bits_f64(b->value);
        else
            v = bits_f32((float)b->value);
        memcpy(q, p, len);
        put_le(q + b->at, v, b->bytes);
        reseal(q, len);
        ck_assert_msg(load_bytes(q, len) == HTSEP_E_CKPT_INVALID,
                      "field %zu at byte %zu accepted", i, b->at);
    }

    /* A byte past the length the preamble gives. */
    memcpy(q, p, len);
    q[len] = 0;
    ck_assert_int_eq(load_bytes(q, len + 1), HTSEP_E_CKPT_INVALID);
    /* The message must cover this case, not only a bad field. */
    ck_assert_ptr_nonnull(
        strstr(htsep_strerror(HTSEP_E_CKPT_INVALID), "bytes follow"));
    free(q);
    free(p);
}
END_TEST

START_TEST(checkpoint_missing_file)
{
    htsep_network *net = (htsep_network *)&rng_state;
    char path[128];

    path_in(path, sizeof path, "absent.ckpt");
    ck_assert_int_eq(htsep_network_load(&net, path), HTSEP_E_OPEN);
    ck_assert_ptr_null(net);

    /* A directory is no checkpoint either. */
    net = (htsep_network *)&rng_state;
    ck_assert_int_eq(htsep_network_load(&net, dir), HTSEP_E_OPEN);
    ck_assert_ptr_null(net);
    /* A FIFO without a writer is refused, not waited on. */
    path_in(path, sizeof path, "fifo.ckpt");
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    ck_assert_int_eq(htsep_network_load(&net, path), HTSEP_E_OPEN);
    ck_assert_int_eq(remove(path), 0);
    /* Nor is a device that opens fine; the message must say why. */
    ck_assert_int_eq(htsep_network_load(&net, "/dev/null"), HTSEP_E_OPEN);
    ck_assert_ptr_nonnull(
        strstr(htsep_strerror(HTSEP_E_OPEN), "not a regular file"));
}
END_TEST

START_TEST(checkpoint_save_missing_dir)
{
    htsep_network *net = make_network();
    char path[128];

    path_in(path, sizeof path, "no-such-dir/net.ckpt");
    ck_assert_int_eq(htsep_network_save(net, path), HTSEP_E_OPEN);
    ck_assert_uint_eq(entries(), 0);
    htsep_network_free(net);
}
END_TEST

START_TEST(checkpoint_save_refuses_what_is_no_file)
{
    htsep_network *net = make_network();
    char path[128];
    struct stat st;

    /* A folder is left alone, and no temporary file stays behind. */
    path_in(path, sizeof path, "occupied");
    ck_assert_int_eq(mkdir(path, 0700), 0);
    ck_assert_int_eq(htsep_network_save(net, path), HTSEP_E_OPEN);
    ck_assert_uint_eq(entries(), 1);
    ck_assert_int_eq(rmdir(path), 0);
    /* A FIFO (as a device would) stays what it is: the rename must not
     * put a regular file in its place. */
    path_in(path, sizeof path, "fifo");
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    ck_assert_int_eq(htsep_network_save(net, path), HTSEP_E_OPEN);
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert(S_ISFIFO(st.st_mode));
    ck_assert_uint_eq(entries(), 1);
    ck_assert_int_eq(remove(path), 0);
    htsep_network_free(net);
}
END_TEST

START_TEST(checkpoint_overwrite)
{
    htsep_network *net = make_network(), *back = NULL;
    const float w = -0.625f;
    char path[128];

    path_in(path, sizeof path, "net.ckpt");
    ck_assert_int_eq(htsep_network_save(net, path), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_biases(net, 2, (const float[]){w, w, w},
                                              N_OUT),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_network_save(net, path), HTSEP_OK);
    ck_assert_int_eq(htsep_network_save(net, path), HTSEP_OK);
    ck_assert_uint_eq(entries(), 1);
    ck_assert_int_eq(htsep_network_load(&back, path), HTSEP_OK);
    expect_same(net, back);
    htsep_network_free(net);
    htsep_network_free(back);
}
END_TEST

START_TEST(checkpoint_keeps_mode)
{
    htsep_network *net = make_network();
    char path[128];
    struct stat st;

    path_in(path, sizeof path, "net.ckpt");
    ck_assert_int_eq(htsep_network_save(net, path), HTSEP_OK);
    ck_assert_int_eq(chmod(path, 0640), 0);
    ck_assert_int_eq(htsep_network_save(net, path), HTSEP_OK);
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_uint_eq(st.st_mode & 0777, 0640);
    htsep_network_free(net);
}
END_TEST

START_TEST(checkpoint_refuses_nonfinite)
{
    htsep_network *net = make_network();
    char path[128];

    /* Only a bug can put NaN here; the setters refuse it. */
    net->W2[4] = NAN;
    path_in(path, sizeof path, "net.ckpt");
    ck_assert_int_eq(htsep_network_save(net, path), HTSEP_E_VALUE);
    ck_assert_uint_eq(entries(), 0);
    htsep_network_free(net);
}
END_TEST

START_TEST(checkpoint_null_arguments)
{
    htsep_network *net = make_network(), *back = net;
    char path[128];

    path_in(path, sizeof path, "net.ckpt");
    ck_assert_int_eq(htsep_network_save(NULL, path), HTSEP_E_NULL);
    ck_assert_int_eq(htsep_network_save(net, NULL), HTSEP_E_NULL);
    ck_assert_int_eq(htsep_network_load(NULL, path), HTSEP_E_NULL);
    ck_assert_int_eq(htsep_network_load(&back, NULL), HTSEP_E_NULL);
    ck_assert_ptr_null(back);
    ck_assert_uint_eq(entries(), 0);
    htsep_network_free(net);
}
END_TEST

static void add_case(Suite *s, const char *name, const TTest *test)
{
    TCase *tc = tcase_create(name);

    /* Unchecked, so the directory goes even when the test fails. */
    tcase_add_unchecked_fixture(tc, make_dir, remove_dir);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test);
    suite_add_tcase(s, tc);
}

Suite *suite_checkpoint(void)
{
    Suite *s = suite_create("checkpoint");

    add_case(s, "checkpoint_round_trip", checkpoint_round_trip);
    add_case(s, "checkpoint_round_trip_large", checkpoint_round_trip_large);
    add_case(s, "checkpoint_file_length", checkpoint_file_length);
    add_case(s, "checkpoint_golden_bytes", checkpoint_golden_bytes);
    add_case(s, "checkpoint_flipped_byte", checkpoint_flipped_byte);
    add_case(s, "checkpoint_truncated", checkpoint_truncated);
    add_case(s, "checkpoint_wrong_magic", checkpoint_wrong_magic);
    add_case(s, "checkpoint_newer_version", checkpoint_newer_version);
    add_case(s, "checkpoint_huge_sizes", checkpoint_huge_sizes);
    add_case(s, "checkpoint_invalid_field", checkpoint_invalid_field);
    add_case(s, "checkpoint_missing_file", checkpoint_missing_file);
    add_case(s, "checkpoint_save_missing_dir", checkpoint_save_missing_dir);
    add_case(s, "checkpoint_save_refuses_what_is_no_file",
             checkpoint_save_refuses_what_is_no_file);
    add_case(s, "checkpoint_overwrite", checkpoint_overwrite);
    add_case(s, "checkpoint_keeps_mode", checkpoint_keeps_mode);
    add_case(s, "checkpoint_refuses_nonfinite", checkpoint_refuses_nonfinite);
    add_case(s, "checkpoint_null_arguments", checkpoint_null_arguments);
    return s;
}
