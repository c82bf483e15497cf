/* `fbbench [lines]`: how fast the framebuffer console prints and scrolls.
 * For 800x600 and 2048x1536 (VMware's default mode), a framebuffer of that
 * size in RAM from page_alloc (x8r8g8b8, no padding) gets a text console, and
 * `lines` lines (default 1000), each one write as a kprintf would make it,
 * are timed with the generic timer's virtual counter. Every line carries the
 * counter, so it differs from the one above it. The memory is freed again.
 * RAM here is Normal cacheable where a real framebuffer is non-cacheable. */
#include <stdlib.h>
#include <plinth/arch.h>
#include <plinth/err.h>
#include <plinth/fbcon.h>
#include <plinth/font.h>
#include <plinth/mm.h>
#include <plinth/printk.h>
#include <plinth/shell.h>

#define BENCH_DEFAULT_LINES 1000
#define BENCH_MAX_LINES 1000000

static const struct { uint32_t w, h; } bench_sizes[] = { { 800, 600 }, { 2048, 1536 } };

static uint64_t bench_counter(void)
{
	isb();	/* CNTVCT reads may be speculated (DDI 0487 D11.2.2) */
	return read_sysreg(cntvct_el0);
}

static void print_lines(struct fbcon *con, unsigned lines)
{
	char line[80];

	for (unsigned i = 0; i < lines; i++) {
		int n = ksnprintf(line, sizeof(line), "fbbench line %u of %u, counter 0x%016llx\n",
				  i + 1, lines, (unsigned long long)bench_counter());

		fbcon_write(con, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	}
}

static int bench_one(uint32_t w, uint32_t h, unsigned lines, uint64_t hz)
{
	struct fb fb = { .width = w, .height = h, .stride = w * 4,
			 .fmt = fb_format_find("x8r8g8b8") };
	size_t fb_pages = ((size_t)fb.stride * h + PAGE_SIZE - 1) / PAGE_SIZE;
	size_t need = fbcon_mem_size(&fb, &console_font);
	size_t cell_pages = (need + PAGE_SIZE - 1) / PAGE_SIZE;
	void *cells = page_alloc(cell_pages);
	struct fbcon con;
	uint64_t t0, ticks, us;
	int err;

	fb.base = page_alloc(fb_pages);
	if (!fb.base || !cells) {
		kprintf("fbbench: %ux%u: no memory for %zu pages\n", w, h, fb_pages + cell_pages);
		err = -PLINTH_ENOMEM;
		goto out;
	}
	err = fbcon_init(&con, &fb, &console_font, cells, need);
	if (err < 0) {
		kprintf("fbbench: %ux%u: text console: %s\n", w, h, plinth_strerror(err));
		goto out;
	}
	t0 = bench_counter();
	print_lines(&con, lines);
	ticks = bench_counter() - t0;
	us = ticks * 1000000 / hz;
	kprintf("fbbench: %ux%u (%ux%u cells): %u lines in %llu ticks = %llu.%03llu ms "
		"(%llu us/line); %llu glyphs drawn, %llu scrolls\n", w, h, con.cols, con.rows, lines,
		(unsigned long long)ticks, (unsigned long long)(us / 1000),
		(unsigned long long)(us % 1000), (unsigned long long)(us / lines),
		(unsigned long long)con.glyphs_drawn, (unsigned long long)con.scrolls);
out:
	if (fb.base)
		page_free(fb.base, fb_pages);
	if (cells)
		page_free(cells, cell_pages);
	return err;
}

static int cmd_fbbench(int argc, char **argv)
{
	unsigned long lines = BENCH_DEFAULT_LINES;
	uint64_t hz = read_sysreg(cntfrq_el0) & 0xffffffffu;
	char *end;
	int err = 0;

	if (argc > 2)
		return -PLINTH_EINVAL;
	if (argc == 2) {
		lines = strtoul(argv[1], &end, 0);
		if (*end || lines == 0 || lines > BENCH_MAX_LINES) {
			kprintf("fbbench: '%s': lines must be 1..%u\n", argv[1], BENCH_MAX_LINES);
			return -PLINTH_EINVAL;
		}
	}
	if (!hz) {
		kprintf("fbbench: counter frequency unknown (CNTFRQ_EL0 = 0)\n");
		return -PLINTH_ENOTSUP;
	}
	kprintf("fbbench: counter %llu Hz, font %s %ux%u\n", (unsigned long long)hz,
		console_font.name, console_font.width, console_font.height);
	for (unsigned i = 0; i < sizeof(bench_sizes) / sizeof(bench_sizes[0]) && err >= 0; i++)
		err = bench_one(bench_sizes[i].w, bench_sizes[i].h, (unsigned)lines, hz);
	return err;
}

SHELL_CMD(fbbench_cmd) = {
	.name = "fbbench",
	.usage = "fbbench [lines]",
	.help = "time the framebuffer console: lines printed at 800x600 and 2048x1536 in RAM",
	.fn = cmd_fbbench,
};
