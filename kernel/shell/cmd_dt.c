/* `dt [path]`: the live tree, or one subtree, as DTS (see dt_print.h). */
#include <libfdt.h>
#include <plinth/console.h>
#include <plinth/driver.h>
#include <plinth/dt_print.h>
#include <plinth/err.h>
#include <plinth/printk.h>
#include <plinth/shell.h>

/* Straight to the console: a full dump would flush the kernel log ring. */
static void dt_write_console(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	for (size_t i = 0; i < n; i++)
		console_putc(s[i]);
}

static int cmd_dt(int argc, char **argv)
{
	struct devtree *dt = devtree_kernel();
	if (argc > 2) {
		kprintf("usage: dt [path]\n");
		return -PLINTH_EINVAL;
	}
	if (!dt || !dt->fdt) {
		kprintf("dt: no device tree\n");
		return -PLINTH_ENOENT;
	}
	const char *path = argc == 2 ? argv[1] : "/";
	int err = dt_print(dt->fdt, path, dt_write_console, NULL);
	if (err == -FDT_ERR_NOTFOUND || err == -FDT_ERR_BADPATH) {
		kprintf("dt: no node '%s'\n", path);
		return err;
	}
	if (err < 0)
		kprintf("dt: printing '%s' stopped: %s\n", path, fdt_strerror(err));
	return err;
}

SHELL_CMD(dt_cmd) = {
	.name = "dt",
	.usage = "dt [path]",
	.help = "print the device tree (or the subtree at path or alias) as DTS",
	.fn = cmd_dt,
};
