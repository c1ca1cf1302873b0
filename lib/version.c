/* Run-time version query, so programs can detect a header/library skew. */
#include "common.h"

#define HTSEP_STR2(x) #x
#define HTSEP_STR(x) HTSEP_STR2(x)

HTSEP_API unsigned htsep_version(void)
{
    return HTSEP_VERSION_NUMBER;
}

HTSEP_API const char *htsep_version_string(void)
{
    return HTSEP_STR(HTSEP_VERSION_MAJOR) "." HTSEP_STR(
        HTSEP_VERSION_MINOR) "." HTSEP_STR(HTSEP_VERSION_PATCH);
}
