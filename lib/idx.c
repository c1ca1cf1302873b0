/* Data sets as IDX files (docs/algorithm.md): a big-endian header (magic, then
 * one 32-bit size per dimension) followed by unsigned bytes, either plain or
 * gzip-compressed. zlib's gzread reads both kinds alike.
 *
 * Statuses: a stream that ends before the header's promise is
 * HTSEP_E_IDX_TRUNCATED, whether a plain file ends early or a gzip stream is
 * cut short (its content is truncated either way, including a cut inside
 * the gzip trailer). A gzip stream with wrong bytes (bad deflate data, CRC
 * or length) is HTSEP_E_GZIP. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "dataset_impl.h"

#define IDX_IMAGES 0x00000803u /* unsigned bytes, 3 dimensions */
#define IDX_LABELS 0x00000801u /* unsigned bytes, 1 dimension */

/* Reads and writes go in pieces of at most IO_CHUNK bytes (gzread and
 * gzwrite take an unsigned length); a read buffer starts at FIRST_CAPACITY
 * and doubles as data arrives. */
#define IO_CHUNK ((size_t)1 << 20)
#define FIRST_CAPACITY ((size_t)1 << 16)

struct idx_file {
    uint32_t dims[3];
    unsigned char *bytes; /* product of dims */
};

static uint32_t get_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* ------------------------------------------------------------------------ */
/* Reading.                                                                 */

/* The status behind a gzread that came up short or failed. A short read
 * with no error is the plain end of the file; Z_BUF_ERROR is zlib's
 * "unexpected end of file" inside a gzip stream. */
static htsep_status read_status(gzFile f)
{
    int err = Z_OK;

    (void)gzerror(f, &err);
    switch (err) {
    case Z_OK:
    case Z_BUF_ERROR:
        return HTSEP_E_IDX_TRUNCATED;
    case Z_DATA_ERROR:
        return HTSEP_E_GZIP;
    case Z_MEM_ERROR:
        return HTSEP_E_NOMEM;
    default:
        return HTSEP_E_READ;
    }
}

/* Reads exactly n bytes (n small: a header). */
static htsep_status read_exact(gzFile f, unsigned char *buf, unsigned n)
{
    int got = gzread(f, buf, n);

    return got >= 0 && (unsigned)got == n ? HTSEP_OK : read_status(f);
}

/* Reads size bytes into a buffer that grows only as bytes arrive, so a
 * header that claims more than the file holds costs no more memory than
 * the file does. */
static htsep_status read_body(gzFile f, size_t size, unsigned char **out)
{
    unsigned char *buf = NULL;
    size_t capacity = 0, got = 0;

    while (got < size) {
        size_t want;
        int n;

        if (got == capacity) {
            size_t next = capacity ? capacity * 2 : FIRST_CAPACITY;
            unsigned char *grown;

            if (next > size || next < capacity)
                next = size;
            grown = realloc(buf, next);
            if (!grown) {
                free(buf);
                return HTSEP_E_NOMEM;
            }
            buf = grown;
            capacity = next;
        }
        want = capacity - got < IO_CHUNK ? capacity - got : IO_CHUNK;
        n = gzread(f, buf + got, (unsigned)want);
        if (n <= 0) {
            free(buf);
            return read_status(f);
        }
        got += (size_t)n;
    }
    *out = buf;
    return HTSEP_OK;
}

/* The data must end where the header says. Reading past it also makes
 * zlib reach and check the gzip trailer. */
static htsep_status read_end(gzFile f)
{
    unsigned char extra;
    int err = Z_OK;
    int n = gzread(f, &extra, 1);

    if (n > 0)
        return HTSEP_E_IDX_TRAILING;
    (void)gzerror(f, &err);
    return n == 0 && err == Z_OK ? HTSEP_OK : read_status(f);
}

/* Reads the header of an IDX file of n_dims dimensions: a bad magic is
 * reported before the dimensions are read, so a short file of the wrong
 * kind is HTSEP_E_IDX_MAGIC, not truncated. Sets *size to the data bytes. */
static htsep_status read_header(gzFile f, uint32_t magic, unsigned n_dims,
                                uint32_t *dims, size_t *size)
{
    unsigned char head[12];
    int overflow = 0;
    htsep_status st;

    st = read_exact(f, head, 4);
    if (st != HTSEP_OK)
        return st;
    if (get_be32(head) != magic)
        return HTSEP_E_IDX_MAGIC;
    st = read_exact(f, head, 4 * n_dims);
    if (st != HTSEP_OK)
        return st;

    *size = 1;
    for (unsigned i = 0; i < n_dims; i++) {
        dims[i] = get_be32(head + 4 * i);
        if (dims[i] == 0)
            return HTSEP_E_IDX_DIMS;
        *size = htsep__mul_size(*size, dims[i], &overflow);
    }
    /* The data become floats, so their float size must fit as well. */
    if (overflow || *size > SIZE_MAX / sizeof(float))
        return HTSEP_E_IDX_DIMS;
    return HTSEP_OK;
}

/* Reads one whole IDX file. On failure idx->bytes stays NULL. */
static htsep_status read_idx(const char *path, uint32_t magic,
                             unsigned n_dims, struct idx_file *idx)
{
    size_t size = 0;
    htsep_status st;
    int closed;
    gzFile f = gzopen(path, "rb");

    if (!f)
        return HTSEP_E_OPEN;
    st = read_header(f, magic, n_dims, idx->dims, &size);
    if (st == HTSEP_OK)
        st = read_body(f, size, &idx->bytes);
    if (st == HTSEP_OK)
        st = read_end(f);
    closed = gzclose(f);
    if (st == HTSEP_OK && closed != Z_OK)
        st = closed == Z_BUF_ERROR ? HTSEP_E_IDX_TRUNCATED : HTSEP_E_READ;
    if (st != HTSEP_OK) {
        free(idx->bytes);
        idx->bytes = NULL;
    }
    return st;
}

HTSEP_API htsep_status htsep_dataset_load_idx(htsep_dataset **out,
                                              const char *images_path,
                                              const char *labels_path,
                                              size_t n_classes)
{
    struct idx_file images = {{0, 0, 0}, NULL};
    struct idx_file labels = {{0, 0, 0}, NULL};
    htsep_dataset *data = NULL;
    htsep_status st;

    if (!out)
        return HTSEP_E_NULL;
    *out = NULL;
    if (!images_path || !labels_path)
        return HTSEP_E_NULL;
    if (!htsep__classes_ok(n_classes))
        return HTSEP_E_VALUE;

    st = read_idx(images_path, IDX_IMAGES, 3, &images);
    if (st == HTSEP_OK)
        st = read_idx(labels_path, IDX_LABELS, 1, &labels);
    if (st == HTSEP_OK && images.dims[0] != labels.dims[0])
        st = HTSEP_E_IDX_COUNT;
    for (size_t i = 0; st == HTSEP_OK && i < labels.dims[0]; i++)
        if (labels.bytes[i] >= n_classes)
            st = HTSEP_E_IDX_LABEL;
    if (st == HTSEP_OK)
        st = htsep__dataset_alloc(&data, images.dims[0], images.dims[1],
                                  images.dims[2], n_classes);
    if (st == HTSEP_OK) {
        size_t n = data->count * data->n_features;

        for (size_t i = 0; i < n; i++)
            data->x[i] = (float)images.bytes[i] / 255.0f;
        memcpy(data->labels, labels.bytes, data->count);
        *out = data;
    }
    free(images.bytes);
    free(labels.bytes);
    return st;
}

/* ------------------------------------------------------------------------ */
/* Writing.                                                                 */

static htsep_status write_all(gzFile f, const unsigned char *buf,
                              size_t n)
{
    while (n > 0) {
        unsigned part = (unsigned)(n < IO_CHUNK ? n : IO_CHUNK);

        if (gzwrite(f, buf, part) != (int)part)
            return HTSEP_E_WRITE;
        buf += part;
        n -= part;
    }
    return HTSEP_OK;
}

/* Header, then each value as round(255 x), converted a piece at a time so
 * that no byte copy of the whole data set is needed. */
static htsep_status write_images(gzFile f, const htsep_dataset *data)
{
    unsigned char buf[4096];
    size_t n = data->count * data->n_features;
    htsep_status st;

    put_be32(buf, IDX_IMAGES);
    put_be32(buf + 4, (uint32_t)data->count);
    put_be32(buf + 8, (uint32_t)data->rows);
    put_be32(buf + 12, (uint32_t)data->cols);
    st = write_all(f, buf, 16);
    for (size_t i = 0; st == HTSEP_OK && i < n; i += sizeof buf) {
        size_t m = n - i < sizeof buf ? n - i : sizeof buf;

        for (size_t j = 0; j < m; j++)
            buf[j] = (unsigned char)floor(255.0 * data->x[i + j] + 0.5);
        st = write_all(f, buf, m);
    }
    return st;
}

static htsep_status write_labels(gzFile f, const htsep_dataset *data)
{
    unsigned char head[8];
    htsep_status st;

    put_be32(head, IDX_LABELS);
    put_be32(head + 4, (uint32_t)data->count);
    st = write_all(f, head, sizeof head);
    if (st == HTSEP_OK)
        st = write_all(f, data->labels, data->count);
    return st;
}

/* Permissions for the new file: those of the file it replaces, else
 * rw-r--r-- (mkstemp makes 0600, which would hide a data set from others). */
static mode_t new_file_mode(const char *path)
{
    struct stat sb;

    if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
        return sb.st_mode & 0777;
    return 0644;
}

/* Writes one IDX file to a new temporary file beside path and syncs it;
 * the caller renames it. On success *tmp_out names the file (caller
 * frees); on failure nothing is left behind. */
static htsep_status write_temp(const char *path, const htsep_dataset *data,
                               int images, int compress, char **tmp_out)
{
    size_t len = strlen(path);
    char *tmp = malloc(len + sizeof ".XXXXXX");
    htsep_status st = HTSEP_OK;
    gzFile f;
    int fd, gz_fd;

    *tmp_out = NULL;
    if (!tmp)
        return HTSEP_E_NOMEM;
    memcpy(tmp, path, len);
    memcpy(tmp + len, ".XXXXXX", sizeof ".XXXXXX");
    fd = mkstemp(tmp);
    if (fd < 0) {
        free(tmp);
        return HTSEP_E_OPEN;
    }
    if (fchmod(fd, new_file_mode(path)) != 0)
        st = HTSEP_E_WRITE;

    /* gzclose closes its descriptor, and fsync needs one still open. */
    gz_fd = st == HTSEP_OK ? dup(fd) : -1;
    if (st == HTSEP_OK && gz_fd < 0)
        st = HTSEP_E_WRITE;
    if (st == HTSEP_OK) {
        /* "T" writes the bytes through unchanged. */
        f = gzdopen(gz_fd, compress ? "wb" : "wbT");
        if (!f) {
            close(gz_fd);
            st = HTSEP_E_NOMEM;
        } else {
            st = images ? write_images(f, data) : write_labels(f, data);
            if (gzclose(f) != Z_OK && st == HTSEP_OK)
                st = HTSEP_E_WRITE;
        }
    }
    if (st == HTSEP_OK && fsync(fd) != 0)
        st = HTSEP_E_WRITE;
    if (close(fd) != 0 && st == HTSEP_OK)
        st = HTSEP_E_WRITE;
    if (st != HTSEP_OK) {
        unlink(tmp);
        free(tmp);
        return st;
    }
    *tmp_out = tmp;
    return HTSEP_OK;
}

/* Makes a completed rename durable. Some file systems cannot sync a
 * directory; the rename has happened regardless, so that is not an error. */
static void sync_parent(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir;
    int fd;

    if (!slash) {
        fd = open(".", O_RDONLY);
    } else {
        size_t len = slash == path ? 1 : (size_t)(slash - path);

        dir = malloc(len + 1);
        if (!dir)
            return;
        memcpy(dir, path, len);
        dir[len] = '\0';
        fd = open(dir, O_RDONLY);
        free(dir);
    }
    if (fd < 0)
        return;
    (void)fsync(fd);
    (void)close(fd);
}

/* Renames *tmp over path; once it is gone, *tmp is freed and set to NULL. */
static htsep_status install(char **tmp, const char *path)
{
    if (rename(*tmp, path) != 0)
        return HTSEP_E_WRITE;
    free(*tmp);
    *tmp = NULL;
    sync_parent(path);
    return HTSEP_OK;
}

static int values_in_unit_range(const htsep_dataset *data)
{
    size_t n = data->count * data->n_features;

    for (size_t i = 0; i < n; i++)
        if (!(data->x[i] >= 0.0f && data->x[i] <= 1.0f))
            return 0;
    return 1;
}

/* Each file is replaced whole or not at all. Both temporary files are
 * complete before either rename, so a failure while writing leaves both
 * old files in place; only a failed second rename can leave new images
 * beside old labels. */
HTSEP_API htsep_status htsep_dataset_save_idx(const htsep_dataset *data,
                                              const char *images_path,
                                              const char *labels_path,
                                              int compress)
{
    char *images_tmp = NULL, *labels_tmp = NULL;
    htsep_status st;

    if (!data || !images_path || !labels_path)
        return HTSEP_E_NULL;
    if (data->count > UINT32_MAX || data->rows > UINT32_MAX ||
        data->cols > UINT32_MAX)
        return HTSEP_E_SIZE;
    if (!values_in_unit_range(data))
        return HTSEP_E_VALUE;
    if (!htsep__replaceable(images_path) || !htsep__replaceable(labels_path))
        return HTSEP_E_OPEN;

    st = write_temp(images_path, data, 1, compress, &images_tmp);
    if (st == HTSEP_OK)
        st = write_temp(labels_path, data, 0, compress, &labels_tmp);
    if (st == HTSEP_OK)
        st = install(&images_tmp, images_path);
    if (st == HTSEP_OK)
        st = install(&labels_tmp, labels_path);

    /* Whatever was not renamed is removed. */
    if (images_tmp)
        unlink(images_tmp);
    if (labels_tmp)
        unlink(labels_tmp);
    free(images_tmp);
    free(labels_tmp);
    return st;
}
