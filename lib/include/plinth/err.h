/* Error codes: one convention, as in libfdt. >= 0 is a result, < 0 an error.
 * Plinth's own codes start at 100 so that -FDT_ERR_* codes (1..19) can pass up
 * unchanged; plinth_strerror() names both kinds. */
#ifndef PLINTH_ERR_H
#define PLINTH_ERR_H

enum plinth_err {
	PLINTH_EDEFER = 100,	/* a dependency is not ready: probe again later */
	PLINTH_ENODEV,		/* no such device; do not bind */
	PLINTH_EINVAL,		/* malformed property, value or argument */
	PLINTH_ENOMEM,		/* out of memory */
	PLINTH_ENOTMAPPED,	/* reg not translatable: no `ranges` on the path */
	PLINTH_ERANGE,		/* value or arithmetic out of range / overflow */
	PLINTH_ENOENT,		/* property or node absent */
	PLINTH_ENOTSUP,		/* understood but not supported */
	PLINTH_EIO,		/* hardware did not respond as expected */
	PLINTH_EAGAIN,		/* nothing now (e.g. no input byte); try later */
	PLINTH_ERR_END
};

/* Name of an error: "-PLINTH_*" codes and -FDT_ERR_* codes (via fdt_strerror). */
const char *plinth_strerror(int err);

#endif
