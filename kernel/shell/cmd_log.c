/* `log [loader|kernel]`: the loader's own log, handed over in the tree, then
 * the kernel's log (log_read). Without an argument both, the loader's first;
 * without a handed-over log just the kernel's.
 *
 * The loader (loader/efi_tree.c) leaves its log in a /reserved-memory child
 * with compatible "plinth,loader-log": NUL-terminated text in loader data,
 * inside /memory, so the final page tables map it. The tree is untrusted,
 * so the region is read only when /memory covers it, and never past its
 * `reg` size. Output goes straight to the console, not through kprintf, so
 * printing the kernel log does not append to the ring being printed. */
#include <stdint.h>
#include <string.h>
#include <libfdt.h>
#include <plinth/console.h>
#include <plinth/driver.h>
#include <plinth/dt.h>
#include <plinth/err.h>
#include <plinth/mm.h>
#include <plinth/printk.h>
#include <plinth/shell.h>

#define LOADER_LOG_COMPAT "plinth,loader-log"
#define KERNEL_LOG_PAGES 16		/* the ring is 64 KiB (console.c) */

/* Printable text only: a corrupt region must not send escape sequences. */
static void put_text(const char *s, size_t n)
{
	int col = 0;

	for (size_t i = 0; i < n && s[i]; i++) {
		char c = s[i];

		if (c != '\n' && c != '\t' && (c < 0x20 || c > 0x7e))
			c = '?';
		console_putc(c);
		col = c != '\n';
	}
	if (col)
		console_putc('\n');
}

/* Whether one /memory range holds [base, base + size). */
static int in_memory(const void *fdt, uint64_t base, uint64_t size)
{
	int node = -1;

	if (base + size < base)
		return 0;
	for (;;) {
		node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory", 7);
		if (node < 0)
			return 0;
		int n = dt_reg_count(fdt, node);

		for (int i = 0; i < n; i++) {
			uint64_t a, s;

			if (dt_reg(fdt, node, i, &a, &s) == 0 && base >= a && base + size <= a + s &&
			    a + s >= a)
				return 1;
		}
	}
}

static int print_loader_log(const void *fdt)
{
	char path[96], head[160];
	uint64_t base, size;
	int node, err;

	node = fdt_node_offset_by_compatible(fdt, -1, LOADER_LOG_COMPAT);
	if (node < 0)
		return node == -FDT_ERR_NOTFOUND ? -PLINTH_ENOENT : node;
	dt_path(fdt, node, path, sizeof(path));
	err = dt_reg(fdt, node, 0, &base, &size);
	if (err < 0) {
		kprintf("log: %s: reg: %s\n", path, plinth_strerror(err));
		return err;
	}
	if (size == 0 || !in_memory(fdt, base, size)) {
		kprintf("log: %s: 0x%llx+0x%llx is not inside /memory; not read\n", path,
			(unsigned long long)base, (unsigned long long)size);
		return -PLINTH_ERANGE;
	}
	const char *text = (const char *)(uintptr_t)base;

	ksnprintf(head, sizeof(head), "--- loader log (%s, %zu bytes) ---\n", path,
		  strnlen(text, (size_t)size));
	put_text(head, sizeof(head));
	put_text(text, (size_t)size);
	return 0;
}

static int print_kernel_log(void)
{
	char *buf = page_alloc(KERNEL_LOG_PAGES);
	size_t n;

	if (!buf) {
		kprintf("log: no memory for a copy of the kernel log\n");
		return -PLINTH_ENOMEM;
	}
	n = log_read(buf, KERNEL_LOG_PAGES * PAGE_SIZE);
	put_text("--- kernel log ---\n", 20);
	put_text(buf, n);
	page_free(buf, KERNEL_LOG_PAGES);
	return 0;
}

static int cmd_log(int argc, char **argv)
{
	struct devtree *dt = devtree_kernel();
	const char *what = argc == 2 ? argv[1] : "";
	int err;

	if (argc > 2 || (argc == 2 && strcmp(what, "loader") && strcmp(what, "kernel"))) {
		kprintf("usage: log [loader|kernel]\n");
		return -PLINTH_EINVAL;
	}
	if (strcmp(what, "kernel") != 0) {
		err = dt && dt->fdt ? print_loader_log(dt->fdt) : -PLINTH_ENOENT;
		if (err == -PLINTH_ENOENT)
			kprintf("log: no loader log in the tree (no node compatible with \"%s\")\n",
				LOADER_LOG_COMPAT);
		if (what[0])
			return err;
	}
	return print_kernel_log();
}

SHELL_CMD(log_cmd) = {
	.name = "log",
	.usage = "log [loader|kernel]",
	.help = "print the loader's handed-over log, then the kernel's own",
	.fn = cmd_log,
};
