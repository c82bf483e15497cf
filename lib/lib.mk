# lib/: the freestanding code the kernel, the loader and the host tools share
# (printf, the error names, log sinks, the whole-blob tree check, the DTS
# printer) and
# the freestanding <string.h> the kernel and the loader link (the host tools
# use their libc's). Headers in lib/include (plinth/ and, for freestanding
# builds, libc/). Included by the Makefile.
LIB_SRCS := lib/printf.c lib/errors.c lib/log.c lib/dt_check.c lib/dt_print.c
LIB_FREESTANDING_SRCS := $(LIB_SRCS) lib/string.c
