/* The whole blob checked before anything walks it (lib/dt_check.c). */
#ifndef PLINTH_DT_CHECK_H
#define PLINTH_DT_CHECK_H
#include <stddef.h>

/* Header, version 16 or 17, a tag walk that always moves forward, then
 * libfdt's fdt_check_full over size bytes. 0 or a -FDT_ERR_* code. */
int dt_check_blob(const void *fdt, size_t size);

#endif
