/* Network checkpoints in the format of docs/checkpoint-format.md. Every
 * number is encoded byte by byte in little-endian order, so files move
 * between hosts of any byte order. Saving goes through a temporary file that
 * is synced and renamed over the target, so the target always holds a whole
 * checkpoint. */
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "network_impl.h"

/* Floats are stored as their IEEE-754 bit patterns, copied through
 * integers of the same width. */
_Static_assert(sizeof(float) == 4 && FLT_MANT_DIG == 24 && FLT_RADIX == 2,
               "float must be IEEE-754 binary32");
_Static_assert(sizeof(double) == 8 && DBL_MANT_DIG == 53,
               "double must be IEEE-754 binary64");

#define CKPT_VERSION 1u
#define CKPT_PREAMBLE 28u  /* the part every version shares */
#define CKPT_HEADER_V1 112u /* preamble plus the version 1 fields */
#define CKPT_CRC_SIZE 4u
#define CKPT_CHUNK 4096u   /* bytes per read, write or CRC step */
#define CKPT_ARRAYS 5

/* Byte offsets; the table in docs/checkpoint-format.md is the reference. */
enum {
    OFF_VERSION = 8,
    OFF_HEADER_LEN = 12,
    OFF_FILE_LEN = 16,
    OFF_PREAMBLE_CRC = 24,
    OFF_N_IN = 28,
    OFF_N_H = 36,
    OFF_N_OUT = 44,
    OFF_DT_Y = 52,
    OFF_GAMMA = 60,
    OFF_BETA = 68,
    OFF_LEAK = 76,
    OFF_IN_MEAN = 84,
    OFF_IN_SD = 92,
    OFF_T_FREE = 100,
    OFF_T_CLAMPED = 104,
    OFF_CLAMPED_START = 108
};

static const unsigned char ckpt_magic[8] = {'H', 'T', 'S', 'E',
                                            'P', 'N', 'E', 'T'};

/* The header's fields, decoded. */
struct ckpt_header {
    uint32_t version, header_len;
    uint64_t file_len;
    uint64_t n_in, n_h, n_out;
    double dt_y, gamma, beta, leak, in_mean, in_sd;
    uint32_t t_free, t_clamped, clamped_start;
};

/* The float arrays in file order. */
struct ckpt_array {
    float *v;
    size_t n;
};

static void list_arrays(const htsep_network *net,
                        struct ckpt_array a[CKPT_ARRAYS])
{
    struct htsep__param p[HTSEP__PARAMS];

    htsep__params(net, p);
    a[0] = (struct ckpt_array){net->dt_h, net->n_h};
    for (int i = 0; i < HTSEP__PARAMS; i++)
        a[1 + i] = (struct ckpt_array){p[i].v, p[i].n};
}

/* ------------------------------------------------------------------------ */
/* Little-endian encoding.                                                  */

static void put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void put_f32(unsigned char *p, float v)
{
    uint32_t bits;

    memcpy(&bits, &v, sizeof bits);
    put_u32(p, bits);
}

static void put_f64(unsigned char *p, double v)
{
    uint64_t bits;

    memcpy(&bits, &v, sizeof bits);
    put_u64(p, bits);
}

static uint32_t get_u32(const unsigned char *p)
{
    uint32_t v = 0;

    for (int i = 3; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v = 0;

    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static float get_f32(const unsigned char *p)
{
    uint32_t bits = get_u32(p);
    float v;

    memcpy(&v, &bits, sizeof v);
    return v;
}

static double get_f64(const unsigned char *p)
{
    uint64_t bits = get_u64(p);
    double v;

    memcpy(&v, &bits, sizeof v);
    return v;
}

/* zlib's CRC-32; n never exceeds CKPT_CHUNK, so it fits zlib's uInt. */
static uint32_t crc_update(uint32_t crc, const unsigned char *p, size_t n)
{
    return (uint32_t)crc32(crc, p, (uInt)n);
}

/* ------------------------------------------------------------------------ */
/* Layout arithmetic shared by writer and reader.                           */

static int add_u64(uint64_t a, uint64_t b, uint64_t *sum)
{
    if (b > UINT64_MAX - a)
        return 0;
    *sum = a + b;
    return 1;
}

static int mul_u64(uint64_t a, uint64_t b, uint64_t *product)
{
    if (a != 0 && b > UINT64_MAX / a)
        return 0;
    *product = a * b;
    return 1;
}

/* Bytes of a whole file: header, n_h (n_in + n_out + 2) + n_out floats and
 * the CRC. 0 when the sum does not fit 64 bits. */
static uint64_t layout_size(uint64_t header_len, uint64_t n_in, uint64_t n_h,
                            uint64_t n_out)
{
    uint64_t per_h, floats, bytes;

    if (!add_u64(n_in, n_out, &per_h) || !add_u64(per_h, 2, &per_h) ||
        !mul_u64(n_h, per_h, &floats) || !add_u64(floats, n_out, &floats) ||
        !mul_u64(floats, 4, &bytes) ||
        !add_u64(bytes, header_len + CKPT_CRC_SIZE, &bytes))
        return 0;
    return bytes;
}

/* ------------------------------------------------------------------------ */
/* Writing.                                                                 */

/* A stream and the CRC of everything written to it so far. */
struct ckpt_writer {
    FILE *f;
    uint32_t crc;
    int failed;
};

static void write_bytes(struct ckpt_writer *w, const unsigned char *p,
                        size_t n)
{
    if (w->failed)
        return;
    w->crc = crc_update(w->crc, p, n);
    if (fwrite(p, 1, n, w->f) != n)
        w->failed = 1;
}

static void write_floats(struct ckpt_writer *w, const float *v, size_t n)
{
    unsigned char buf[CKPT_CHUNK];

    while (n > 0) {
        size_t k = n < CKPT_CHUNK / 4 ? n : CKPT_CHUNK / 4;

        for (size_t i = 0; i < k; i++)
            put_f32(buf + 4 * i, v[i]);
        write_bytes(w, buf, 4 * k);
        v += k;
        n -= k;
    }
}

static void encode_header(const htsep_network *net,
                          unsigned char h[CKPT_HEADER_V1])
{
    memcpy(h, ckpt_magic, sizeof ckpt_magic);
    put_u32(h + OFF_VERSION, CKPT_VERSION);
    put_u32(h + OFF_HEADER_LEN, CKPT_HEADER_V1);
    put_u64(h + OFF_FILE_LEN,
            layout_size(CKPT_HEADER_V1, net->n_in, net->n_h, net->n_out));
    put_u32(h + OFF_PREAMBLE_CRC, crc_update(0, h, OFF_PREAMBLE_CRC));
    put_u64(h + OFF_N_IN, net->n_in);
    put_u64(h + OFF_N_H, net->n_h);
    put_u64(h + OFF_N_OUT, net->n_out);
    put_f64(h + OFF_DT_Y, net->dt_y);
    put_f64(h + OFF_GAMMA, net->gamma);
    put_f64(h + OFF_BETA, net->beta);
    put_f64(h + OFF_LEAK, net->leak);
    put_f64(h + OFF_IN_MEAN, net->in_mean);
    put_f64(h + OFF_IN_SD, net->in_sd);
    put_u32(h + OFF_T_FREE, (uint32_t)net->t_free);
    put_u32(h + OFF_T_CLAMPED, (uint32_t)net->t_clamped);
    put_u32(h + OFF_CLAMPED_START, (uint32_t)net->clamped_start);
}

/* Returns non-zero when every byte reached the stream. */
static int write_checkpoint(FILE *f, const htsep_network *net)
{
    unsigned char head[CKPT_HEADER_V1], tail[CKPT_CRC_SIZE];
    struct ckpt_array a[CKPT_ARRAYS];
    struct ckpt_writer w = {f, 0, 0};

    encode_header(net, head);
    write_bytes(&w, head, sizeof head);
    list_arrays(net, a);
    for (int i = 0; i < CKPT_ARRAYS; i++)
        write_floats(&w, a[i].v, a[i].n);
    put_u32(tail, w.crc);
    write_bytes(&w, tail, sizeof tail);
    return !w.failed;
}

/* Time steps in range and every weight and bias finite: what the loader
 * accepts. */
static int arrays_valid(const htsep_network *net)
{
    for (size_t i = 0; i < net->n_h; i++)
        if (!htsep__valid_dt(net->dt_h[i]))
            return 0;
    return htsep__params_finite(net);
}

/* Refuses to write what the loader would reject, such as diverged
 * weights. */
static int savable(const htsep_network *net)
{
#if UINT_MAX > UINT32_MAX
    if (net->t_free > UINT32_MAX || net->t_clamped > UINT32_MAX)
        return 0;
#endif
    return arrays_valid(net);
}

/* mkstemp creates files readable by their owner only; a replaced
 * checkpoint keeps the permissions it had. */
static int keep_mode(int fd, const char *path)
{
    struct stat st;

    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return 1;
    return fchmod(fd, st.st_mode & 0777) == 0;
}

/* Writes, flushes, syncs and closes the temporary file behind fd. */
static htsep_status fill_temp(int fd, const htsep_network *net,
                              const char *path)
{
    FILE *f;
    int ok;

    if (!keep_mode(fd, path)) {
        close(fd);
        return HTSEP_E_WRITE;
    }
    f = fdopen(fd, "wb");
    if (!f) {
        close(fd);
        return HTSEP_E_WRITE;
    }
    ok = write_checkpoint(f, net) && fflush(f) == 0 && fsync(fileno(f)) == 0;
    if (fclose(f) != 0)
        ok = 0;
    return ok ? HTSEP_OK : HTSEP_E_WRITE;
}

/* The directory holding path, as a new string; NULL without memory. */
static char *parent_dir(const char *path)
{
    const char *slash = strrchr(path, '/');

    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* Makes the rename itself durable. Some file systems cannot sync a
 * directory (EINVAL); there the rename is as durable as it gets. */
static htsep_status sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    int ok;

    if (fd < 0)
        return HTSEP_E_WRITE;
    ok = fsync(fd) == 0 || errno == EINVAL;
    close(fd);
    return ok ? HTSEP_OK : HTSEP_E_WRITE;
}

static htsep_status save_via_temp(const htsep_network *net, const char *path,
                                  char *tmp, const char *dir)
{
    htsep_status st;
    int fd = mkstemp(tmp);

    if (fd < 0)
        return HTSEP_E_OPEN;
    st = fill_temp(fd, net, path);
    if (st == HTSEP_OK && rename(tmp, path) != 0)
        st = HTSEP_E_WRITE;
    if (st != HTSEP_OK) {
        unlink(tmp);
        return st;
    }
    return sync_dir(dir);
}

HTSEP_API htsep_status htsep_network_save(const htsep_network *net,
                                          const char *path)
{
    static const char suffix[] = ".tmp.XXXXXX";
    size_t len;
    char *tmp, *dir;
    htsep_status st;

    if (!net || !path)
        return HTSEP_E_NULL;
    if (path[0] == '\0' || !htsep__replaceable(path))
        return HTSEP_E_OPEN;
    if (!savable(net))
        return HTSEP_E_VALUE;
    len = strlen(path);
    tmp = malloc(len + sizeof suffix);
    dir = parent_dir(path);
    if (!tmp || !dir) {
        free(tmp);
        free(dir);
        return HTSEP_E_NOMEM;
    }
    memcpy(tmp, path, len);
    memcpy(tmp + len, suffix, sizeof suffix);
    st = save_via_temp(net, path, tmp, dir);
    free(tmp);
    free(dir);
    return st;
}

/* ------------------------------------------------------------------------ */
/* Reading. The checks run from the outside in: magic, preamble CRC,
 * version, length, whole-file CRC, and only then the fields. */

/* Reads exactly n bytes. */
static htsep_status read_bytes(FILE *f, unsigned char *p, size_t n)
{
    if (fread(p, 1, n, f) == n)
        return HTSEP_OK;
    return ferror(f) ? HTSEP_E_READ : HTSEP_E_CKPT_TRUNCATED;
}

/* Opens a regular file for reading, or returns NULL. The open does not
 * block, so a FIFO with no writer is refused instead of waited on. */
static FILE *open_regular(const char *path)
{
    struct stat st;
    FILE *f;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0 ||
        !(f = fdopen(fd, "rb"))) {
        close(fd);
        return NULL;
    }
    return f;
}

static htsep_status file_size(FILE *f, uint64_t *size)
{
    struct stat st;

    if (fstat(fileno(f), &st) != 0)
        return HTSEP_E_READ;
    if (!S_ISREG(st.st_mode) || st.st_size < 0)
        return HTSEP_E_OPEN;
    *size = (uint64_t)st.st_size;
    return HTSEP_OK;
}

/* The preamble is checked on its own so that a damaged length field reads
 * as damage, not as truncation. */
static htsep_status read_preamble(FILE *f, uint64_t size,
                                  struct ckpt_header *h)
{
    unsigned char p[CKPT_PREAMBLE];
    size_t got = fread(p, 1, sizeof p, f);
    size_t cmp = got < sizeof ckpt_magic ? got : sizeof ckpt_magic;

    if (ferror(f))
        return HTSEP_E_READ;
    if (memcmp(p, ckpt_magic, cmp) != 0)
        return HTSEP_E_CKPT_MAGIC;
    if (got < sizeof p)
        return HTSEP_E_CKPT_TRUNCATED;
    if (get_u32(p + OFF_PREAMBLE_CRC) != crc_update(0, p, OFF_PREAMBLE_CRC))
        return HTSEP_E_CKPT_CHECKSUM;
    h->version = get_u32(p + OFF_VERSION);
    h->header_len = get_u32(p + OFF_HEADER_LEN);
    h->file_len = get_u64(p + OFF_FILE_LEN);
    if (h->version == 0 || h->version > CKPT_VERSION)
        return HTSEP_E_CKPT_VERSION;
    if (size < h->file_len)
        return HTSEP_E_CKPT_TRUNCATED;
    if (size > h->file_len || h->file_len < CKPT_HEADER_V1 + CKPT_CRC_SIZE)
        return HTSEP_E_CKPT_INVALID;
    return HTSEP_OK;
}

/* Streams the file once through a fixed buffer, so a claimed length costs
 * time but never memory. */
static htsep_status check_crc(FILE *f, uint64_t file_len)
{
    unsigned char buf[CKPT_CHUNK];
    uint64_t left = file_len - CKPT_CRC_SIZE;
    uint32_t crc = 0;
    htsep_status st;

    rewind(f);
    while (left > 0) {
        size_t k = left < CKPT_CHUNK ? (size_t)left : CKPT_CHUNK;

        st = read_bytes(f, buf, k);
        if (st != HTSEP_OK)
            return st;
        crc = crc_update(crc, buf, k);
        left -= k;
    }
    st = read_bytes(f, buf, CKPT_CRC_SIZE);
    if (st != HTSEP_OK)
        return st;
    return get_u32(buf) == crc ? HTSEP_OK : HTSEP_E_CKPT_CHECKSUM;
}

static void decode_fields(const unsigned char *p, struct ckpt_header *h)
{
    h->n_in = get_u64(p + OFF_N_IN);
    h->n_h = get_u64(p + OFF_N_H);
    h->n_out = get_u64(p + OFF_N_OUT);
    h->dt_y = get_f64(p + OFF_DT_Y);
    h->gamma = get_f64(p + OFF_GAMMA);
    h->beta = get_f64(p + OFF_BETA);
    h->leak = get_f64(p + OFF_LEAK);
    h->in_mean = get_f64(p + OFF_IN_MEAN);
    h->in_sd = get_f64(p + OFF_IN_SD);
    h->t_free = get_u32(p + OFF_T_FREE);
    h->t_clamped = get_u32(p + OFF_T_CLAMPED);
    h->clamped_start = get_u32(p + OFF_CLAMPED_START);
}

/* Sizes must be non-zero and describe exactly the file's length. */
static int sizes_valid(const struct ckpt_header *h)
{
    if (h->header_len < CKPT_HEADER_V1 || h->n_in == 0 || h->n_h == 0 ||
        h->n_out == 0)
        return 0;
#if SIZE_MAX < UINT64_MAX
    if (h->file_len > SIZE_MAX)
        return 0;
#endif
    return layout_size(h->header_len, h->n_in, h->n_h, h->n_out) ==
           h->file_len;
}

static int options_valid(const struct ckpt_header *h)
{
#if UINT_MAX < UINT32_MAX
    if (h->t_free > UINT_MAX || h->t_clamped > UINT_MAX)
        return 0;
#endif
    return htsep__valid_dt(h->dt_y) && htsep__valid_gamma(h->gamma) &&
           htsep__valid_beta(h->beta) && htsep__valid_leak(h->leak) &&
           htsep__valid_norm(h->in_mean, h->in_sd) && h->t_free >= 1 &&
           h->t_clamped >= 1 &&
           (h->clamped_start == HTSEP_CLAMPED_FROM_FREE ||
            h->clamped_start == HTSEP_CLAMPED_FROM_ZERO);
}

/* Skips n bytes by reading them: header fields of a later revision that
 * this reader does not know. */
static htsep_status skip_bytes(FILE *f, uint64_t n)
{
    unsigned char buf[CKPT_CHUNK];

    while (n > 0) {
        size_t k = n < CKPT_CHUNK ? (size_t)n : CKPT_CHUNK;
        htsep_status st = read_bytes(f, buf, k);

        if (st != HTSEP_OK)
            return st;
        n -= k;
    }
    return HTSEP_OK;
}

/* Reads the header of a file whose CRC already matched and leaves the
 * stream at the first array. */
static htsep_status read_header(FILE *f, struct ckpt_header *h)
{
    unsigned char p[CKPT_HEADER_V1];
    htsep_status st;

    rewind(f);
    st = read_bytes(f, p, sizeof p);
    if (st != HTSEP_OK)
        return st;
    decode_fields(p, h);
    if (!sizes_valid(h) || !options_valid(h))
        return HTSEP_E_CKPT_INVALID;
    return skip_bytes(f, h->header_len - CKPT_HEADER_V1);
}

static htsep_status read_floats(FILE *f, float *v, size_t n)
{
    unsigned char buf[CKPT_CHUNK];

    while (n > 0) {
        size_t k = n < CKPT_CHUNK / 4 ? n : CKPT_CHUNK / 4;
        htsep_status st = read_bytes(f, buf, 4 * k);

        if (st != HTSEP_OK)
            return st;
        for (size_t i = 0; i < k; i++)
            v[i] = get_f32(buf + 4 * i);
        v += k;
        n -= k;
    }
    return HTSEP_OK;
}

static void apply_options(htsep_network *net, const struct ckpt_header *h)
{
    net->dt_y = h->dt_y;
    net->gamma = h->gamma;
    net->beta = h->beta;
    net->leak = h->leak;
    net->in_mean = h->in_mean;
    net->in_sd = h->in_sd;
    net->t_free = (unsigned)h->t_free;
    net->t_clamped = (unsigned)h->t_clamped;
    net->clamped_start = (htsep_clamped_start)h->clamped_start;
}

/* Makes the network and reads the arrays into it. */
static htsep_status build_network(FILE *f, const struct ckpt_header *h,
                                  htsep_network **out)
{
    struct ckpt_array a[CKPT_ARRAYS];
    htsep_network *net;
    htsep_status st;

    st = htsep_network_create(&net, (size_t)h->n_in, (size_t)h->n_h,
                              (size_t)h->n_out);
    if (st != HTSEP_OK)
        return st == HTSEP_E_NOMEM ? st : HTSEP_E_CKPT_INVALID;
    apply_options(net, h);
    list_arrays(net, a);
    for (int i = 0; i < CKPT_ARRAYS && st == HTSEP_OK; i++)
        st = read_floats(f, a[i].v, a[i].n);
    if (st == HTSEP_OK && !arrays_valid(net))
        st = HTSEP_E_CKPT_INVALID;
    if (st != HTSEP_OK) {
        htsep_network_free(net);
        return st;
    }
    *out = net;
    return HTSEP_OK;
}

static htsep_status load_stream(FILE *f, htsep_network **out)
{
    struct ckpt_header h;
    uint64_t size;
    htsep_status st;

    st = file_size(f, &size);
    if (st == HTSEP_OK)
        st = read_preamble(f, size, &h);
    if (st == HTSEP_OK)
        st = check_crc(f, h.file_len);
    if (st == HTSEP_OK)
        st = read_header(f, &h);
    if (st == HTSEP_OK)
        st = build_network(f, &h, out);
    return st;
}

HTSEP_API htsep_status htsep_network_load(htsep_network **out,
                                          const char *path)
{
    FILE *f;
    htsep_status st;

    if (!out)
        return HTSEP_E_NULL;
    *out = NULL;
    if (!path)
        return HTSEP_E_NULL;
    f = open_regular(path);
    if (!f)
        return HTSEP_E_OPEN;
    st = load_stream(f, out);
    fclose(f);
    return st;
}
