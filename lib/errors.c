/* plinth_strerror (err.h): one table of names for -PLINTH_* codes; libfdt's
 * -FDT_ERR_* codes are named by fdt_strerror. */
#include <libfdt.h>
#include <plinth/err.h>
#include <plinth/printk.h>

static const char *const plinth_err_names[PLINTH_ERR_END - PLINTH_EDEFER] = {
	[PLINTH_EDEFER - PLINTH_EDEFER] = "PLINTH_EDEFER",
	[PLINTH_ENODEV - PLINTH_EDEFER] = "PLINTH_ENODEV",
	[PLINTH_EINVAL - PLINTH_EDEFER] = "PLINTH_EINVAL",
	[PLINTH_ENOMEM - PLINTH_EDEFER] = "PLINTH_ENOMEM",
	[PLINTH_ENOTMAPPED - PLINTH_EDEFER] = "PLINTH_ENOTMAPPED",
	[PLINTH_ERANGE - PLINTH_EDEFER] = "PLINTH_ERANGE",
	[PLINTH_ENOENT - PLINTH_EDEFER] = "PLINTH_ENOENT",
	[PLINTH_ENOTSUP - PLINTH_EDEFER] = "PLINTH_ENOTSUP",
	[PLINTH_EIO - PLINTH_EDEFER] = "PLINTH_EIO",
	[PLINTH_EAGAIN - PLINTH_EDEFER] = "PLINTH_EAGAIN",
};

const char *plinth_strerror(int err)
{
	/* Only for codes outside both tables. Shared by all CPUs: two unknown
	 * codes named at once may mix digits, never overrun the buffer. */
	static char unknown[32] = "";	/* initialised: no .bss.* in the loader (loader.mk) */

	if (err == 0)
		return "success";
	if (err <= -PLINTH_EDEFER && err > -PLINTH_ERR_END && plinth_err_names[-err - PLINTH_EDEFER])
		return plinth_err_names[-err - PLINTH_EDEFER];
	if (err < 0 && err >= -FDT_ERR_MAX)
		return fdt_strerror(err);
	ksnprintf(unknown, sizeof(unknown), "unknown error %d", err);
	return unknown;
}
