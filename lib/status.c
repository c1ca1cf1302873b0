/* Status names and messages, from one table so they cannot drift apart. */
#include "common.h"

struct status_entry {
    int code;
    const char *name;
    const char *message;
};

static const struct status_entry status_table[] = {
    {HTSEP_OK, "HTSEP_OK", "success"},
    {HTSEP_E_NULL, "HTSEP_E_NULL", "a required pointer argument is NULL"},
    {HTSEP_E_SIZE, "HTSEP_E_SIZE",
     "a size is zero, too large, or its product overflows"},
    {HTSEP_E_VALUE, "HTSEP_E_VALUE",
     "a numeric argument is NaN, infinite or outside its valid range"},
    {HTSEP_E_ENUM, "HTSEP_E_ENUM", "an enumeration value is not known"},
    {HTSEP_E_MISMATCH, "HTSEP_E_MISMATCH",
     "the sizes of the network and the data or array do not agree"},
    {HTSEP_E_NOMEM, "HTSEP_E_NOMEM", "memory allocation failed"},
    {HTSEP_E_INTERNAL, "HTSEP_E_INTERNAL",
     "a dependency (GSL or the BLAS) reported an error"},
    {HTSEP_E_OPEN, "HTSEP_E_OPEN",
     "the file cannot be opened or created, or is not a regular file"},
    {HTSEP_E_READ, "HTSEP_E_READ", "reading the file failed"},
    {HTSEP_E_WRITE, "HTSEP_E_WRITE",
     "writing, syncing or renaming the file failed"},
    {HTSEP_E_GZIP, "HTSEP_E_GZIP", "the gzip stream is corrupt"},
    {HTSEP_E_IDX_MAGIC, "HTSEP_E_IDX_MAGIC",
     "not an IDX file of the expected kind (bad magic number)"},
    {HTSEP_E_IDX_TRUNCATED, "HTSEP_E_IDX_TRUNCATED",
     "the IDX file holds fewer bytes than its header promises"},
    {HTSEP_E_IDX_DIMS, "HTSEP_E_IDX_DIMS",
     "an IDX dimension is zero or the data size overflows"},
    {HTSEP_E_IDX_COUNT, "HTSEP_E_IDX_COUNT",
     "the image and label files hold different numbers of items"},
    {HTSEP_E_IDX_LABEL, "HTSEP_E_IDX_LABEL",
     "a label is not below the number of classes"},
    {HTSEP_E_IDX_TRAILING, "HTSEP_E_IDX_TRAILING",
     "the IDX file has bytes after the data its header describes"},
    {HTSEP_E_CKPT_MAGIC, "HTSEP_E_CKPT_MAGIC",
     "the file is not a libhtsep checkpoint"},
    {HTSEP_E_CKPT_VERSION, "HTSEP_E_CKPT_VERSION",
     "the checkpoint's format version is not supported"},
    {HTSEP_E_CKPT_TRUNCATED, "HTSEP_E_CKPT_TRUNCATED",
     "the checkpoint file ends early"},
    {HTSEP_E_CKPT_CHECKSUM, "HTSEP_E_CKPT_CHECKSUM",
     "the checkpoint's checksum does not match its contents"},
    {HTSEP_E_CKPT_INVALID, "HTSEP_E_CKPT_INVALID",
     "a checkpoint field is out of range, or bytes follow the "
     "checkpoint's end"},
    {HTSEP_E_DIVERGED, "HTSEP_E_DIVERGED",
     "a state or weight became NaN or infinite"},
    {HTSEP_E_STOPPED, "HTSEP_E_STOPPED",
     "the progress callback asked training to stop"},
};

static const struct status_entry *find_status(int code)
{
    size_t n = sizeof status_table / sizeof status_table[0];

    for (size_t i = 0; i < n; i++)
        if (status_table[i].code == code)
            return &status_table[i];
    return NULL;
}

HTSEP_API const char *htsep_strerror(int status)
{
    const struct status_entry *e = find_status(status);

    return e ? e->message : "unknown status code";
}

HTSEP_API const char *htsep_status_name(int status)
{
    const struct status_entry *e = find_status(status);

    return e ? e->name : "HTSEP_E_UNKNOWN";
}
