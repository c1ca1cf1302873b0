/* The check every atomic save makes before its rename. */
#include <errno.h>
#include <sys/stat.h>

#include "common.h"

/* A rename would put a regular file in place of a device, a FIFO or a
 * folder's entry; only a missing path or a regular file may be replaced. */
int htsep__replaceable(const char *path)
{
    struct stat st;

    if (stat(path, &st) != 0)
        return errno == ENOENT;
    return S_ISREG(st.st_mode);
}
