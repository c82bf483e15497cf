/* Physical memory (mm.h): range sets, the page allocator and kzalloc.
 *
 * The free set is /memory minus every reservation the tree or the caller
 * names. Physical = virtual (the MMU identity-maps /memory), so a free
 * physical page is directly usable. Everything is in fixed arrays: the
 * allocator cannot allocate its own bookkeeping. */
#include <stdbool.h>
#include <string.h>
#include <libfdt.h>
#include <plinth/driver.h>
#include <plinth/dt.h>
#include <plinth/err.h>
#include <plinth/mm.h>
#include <plinth/printk.h>

/* ------------------------------------------------------------ range sets --- */

static uint64_t r_end(const struct range *r)
{
	return r->base + r->size;
}

/* Exclusive end of [base, base+size); -PLINTH_ERANGE when it wraps. */
static int check_span(uint64_t base, uint64_t size)
{
	return size > UINT64_MAX - base ? -PLINTH_ERANGE : 0;
}

static void shift_up(struct range_set *s, unsigned at)
{
	memmove(&s->r[at + 1], &s->r[at], (s->n - at) * sizeof(s->r[0]));
	s->n++;
}

static void drop(struct range_set *s, unsigned at, unsigned count)
{
	memmove(&s->r[at], &s->r[at + count], (s->n - at - count) * sizeof(s->r[0]));
	s->n -= count;
}

int range_add(struct range_set *s, uint64_t base, uint64_t size)
{
	uint64_t end;
	unsigned i, j;

	if (size == 0)
		return 0;
	if (check_span(base, size))
		return -PLINTH_ERANGE;
	end = base + size;
	/* i: first range that ends at or after base (touching merges too). */
	for (i = 0; i < s->n && r_end(&s->r[i]) < base; i++)
		;
	/* j: one past the last range that starts at or before end. */
	for (j = i; j < s->n && s->r[j].base <= end; j++)
		;
	if (i == j) {
		if (s->n == s->max)
			return -PLINTH_ENOMEM;
		shift_up(s, i);
		s->r[i] = (struct range){ base, size };
		return 0;
	}
	if (s->r[i].base < base)
		base = s->r[i].base;
	if (r_end(&s->r[j - 1]) > end)
		end = r_end(&s->r[j - 1]);
	s->r[i] = (struct range){ base, end - base };
	drop(s, i + 1, j - i - 1);
	return 0;
}

int range_remove(struct range_set *s, uint64_t base, uint64_t size)
{
	uint64_t end;

	if (size == 0)
		return 0;
	if (check_span(base, size))
		return -PLINTH_ERANGE;
	end = base + size;
	for (unsigned i = 0; i < s->n; i++) {
		struct range *r = &s->r[i];
		uint64_t rb = r->base, re = r_end(r);

		if (re <= base || rb >= end)
			continue;
		if (rb < base && re > end) {
			/* The hole splits r in two: needs one more slot. */
			if (s->n == s->max)
				return -PLINTH_ENOMEM;
			shift_up(s, i + 1);
			s->r[i] = (struct range){ rb, base - rb };
			s->r[i + 1] = (struct range){ end, re - end };
			return 0;
		}
		if (rb < base) {
			r->size = base - rb;
		} else if (re > end) {
			*r = (struct range){ end, re - end };
		} else {
			drop(s, i, 1);
			i--;
		}
	}
	return 0;
}

int range_alloc(struct range_set *s, uint64_t size, uint64_t align, uint64_t *out)
{
	if (size == 0 || align == 0 || (align & (align - 1)))
		return -PLINTH_EINVAL;
	for (unsigned i = 0; i < s->n; i++) {
		uint64_t rb = s->r[i].base, re = r_end(&s->r[i]);
		uint64_t a;

		if (rb > UINT64_MAX - (align - 1))
			continue;
		a = (rb + align - 1) & ~(align - 1);
		if (a >= re || re - a < size)
			continue;
		/* An aligned block inside a range may split it; if the set is
		 * full, try the next range rather than fail outright. */
		if (range_remove(s, a, size) == 0) {
			*out = a;
			return 0;
		}
	}
	return -PLINTH_ENOMEM;
}

uint64_t range_total(const struct range_set *s)
{
	uint64_t t = 0;

	for (unsigned i = 0; i < s->n; i++)
		t += s->r[i].size;
	return t;
}

static bool range_overlaps(const struct range_set *s, uint64_t base, uint64_t size)
{
	for (unsigned i = 0; i < s->n; i++)
		if (s->r[i].base < base + size && base < r_end(&s->r[i]))
			return true;
	return false;
}

static bool range_covers(const struct range_set *s, uint64_t base, uint64_t size)
{
	for (unsigned i = 0; i < s->n; i++)
		if (s->r[i].base <= base && base + size <= r_end(&s->r[i]))
			return true;
	return false;
}

/* ------------------------------------------------------- page allocator --- */

#define MM_MAX_RANGES 64
#define MM_MAX_RSV 64

struct rsv {
	struct range r;
	const char *src;	/* "/memreserve/", "/reserved-memory", "extra" */
	char name[40];		/* reserved-memory child name, or index */
};

static struct range mem_r[MM_MAX_RANGES], free_r[MM_MAX_RANGES];
static struct range_set mem = { mem_r, 0, MM_MAX_RANGES };
static struct range_set free_set = { free_r, 0, MM_MAX_RANGES };
static struct rsv rsv[MM_MAX_RSV];
static unsigned nrsv;
static uint64_t free_at_init;

static int add_rsv(uint64_t base, uint64_t size, const char *src, const char *name)
{
	if (size == 0)
		return 0;
	if (nrsv == MM_MAX_RSV) {
		kprintf("mm: too many reservations (max %u): %s %s 0x%llx+0x%llx\n",
			MM_MAX_RSV, src, name, (unsigned long long)base,
			(unsigned long long)size);
		return -PLINTH_ENOMEM;
	}
	rsv[nrsv].r = (struct range){ base, size };
	rsv[nrsv].src = src;
	strncpy(rsv[nrsv].name, name, sizeof(rsv[nrsv].name) - 1);
	rsv[nrsv].name[sizeof(rsv[nrsv].name) - 1] = 0;
	nrsv++;
	return 0;
}

/* Every `reg` entry of every node with device_type = "memory" at the root
 * (DT spec 3.4). An entry that does not translate is skipped with a line. */
static int scan_memory(const void *fdt)
{
	int node, err;

	fdt_for_each_subnode(node, fdt, 0) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		const char *name = fdt_get_name(fdt, node, NULL);
		int n;

		if (!type || strcmp(type, "memory") != 0)
			continue;
		n = dt_reg_count(fdt, node);
		if (n < 0) {
			kprintf("mm: %s: bad reg: %s\n", name, plinth_strerror(n));
			continue;
		}
		for (int i = 0; i < n; i++) {
			uint64_t base, size;

			err = dt_reg(fdt, node, i, &base, &size);
			if (err < 0) {
				kprintf("mm: %s: reg[%d] skipped: %s\n", name, i,
					plinth_strerror(err));
				continue;
			}
			err = range_add(&mem, base, size);
			if (err < 0) {
				kprintf("mm: %s: reg[%d] 0x%llx+0x%llx not added: %s\n", name, i,
					(unsigned long long)base, (unsigned long long)size,
					plinth_strerror(err));
				return err;
			}
		}
	}
	return 0;
}

/* /reserved-memory children with a `reg` (DT spec 3.5.2), no-map or not:
 * either way the kernel must not hand the memory out. Children with only
 * `size` ask the OS to pick a place; nothing uses them yet. */
static int scan_reserved_memory(const void *fdt)
{
	int parent = fdt_path_offset(fdt, "/reserved-memory");
	int node, err;

	if (parent < 0)
		return 0;
	fdt_for_each_subnode(node, fdt, parent) {
		const char *name = fdt_get_name(fdt, node, NULL);
		int n = dt_reg_count(fdt, node);

		if (n == -PLINTH_ENOENT || n == -FDT_ERR_NOTFOUND || n == 0) {
			kprintf("mm: /reserved-memory/%s: no reg, dynamic placement not supported\n",
				name);
			continue;
		}
		if (n < 0) {
			kprintf("mm: /reserved-memory/%s: bad reg: %s\n", name, plinth_strerror(n));
			continue;
		}
		for (int i = 0; i < n; i++) {
			uint64_t base, size;

			err = dt_reg(fdt, node, i, &base, &size);
			if (err < 0) {
				kprintf("mm: /reserved-memory/%s: reg[%d] skipped: %s\n", name, i,
					plinth_strerror(err));
				continue;
			}
			err = add_rsv(base, size, "/reserved-memory", name);
			if (err < 0)
				return err;
		}
	}
	return 0;
}

static int scan_reservations(const void *fdt, const struct range *extra, unsigned nextra)
{
	int n = fdt_num_mem_rsv(fdt), err;
	char idx[16];

	for (int i = 0; i < n; i++) {
		uint64_t base, size;

		if (fdt_get_mem_rsv(fdt, i, &base, &size) < 0)
			break;
		ksnprintf(idx, sizeof(idx), "#%d", i);
		err = add_rsv(base, size, "/memreserve/", idx);
		if (err < 0)
			return err;
	}
	err = scan_reserved_memory(fdt);
	if (err < 0)
		return err;
	for (unsigned i = 0; i < nextra; i++) {
		ksnprintf(idx, sizeof(idx), "#%u", i);
		err = add_rsv(extra[i].base, extra[i].size, "extra", idx);
		if (err < 0)
			return err;
	}
	return 0;
}

/* Free = memory minus reservations, trimmed to whole pages. Page 0 is kept
 * out: address 0 would be indistinguishable from the NULL failure value. */
static int build_free_set(void)
{
	int err;

	free_set.n = 0;
	for (unsigned i = 0; i < mem.n; i++) {
		uint64_t b = (mem.r[i].base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		uint64_t e = r_end(&mem.r[i]) & ~(PAGE_SIZE - 1);

		if (b < e && (err = range_add(&free_set, b, e - b)) < 0)
			return err;
	}
	for (unsigned i = 0; i < nrsv; i++) {
		/* Widen each hole to whole pages: a partly reserved page is reserved. */
		uint64_t b = rsv[i].r.base & ~(PAGE_SIZE - 1);
		uint64_t e = r_end(&rsv[i].r);

		e = e > UINT64_MAX - (PAGE_SIZE - 1) ? UINT64_MAX & ~(PAGE_SIZE - 1)
						      : (e + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		err = range_remove(&free_set, b, e - b);
		if (err < 0) {
			kprintf("mm: cannot remove %s %s 0x%llx+0x%llx: %s\n", rsv[i].src,
				rsv[i].name, (unsigned long long)rsv[i].r.base,
				(unsigned long long)rsv[i].r.size, plinth_strerror(err));
			return err;
		}
	}
	return range_remove(&free_set, 0, PAGE_SIZE);
}

static uint64_t rsv_total(void)
{
	uint64_t t = 0;

	for (unsigned i = 0; i < nrsv; i++)
		t += rsv[i].r.size;
	return t;
}

int pmm_init(const void *fdt, const struct range *extra, unsigned nextra)
{
	int err;

	mem.n = 0;
	nrsv = 0;
	err = scan_memory(fdt);
	if (err == 0 && mem.n == 0) {
		kprintf("mm: no /memory node with a usable reg\n");
		err = -PLINTH_ENOENT;
	}
	if (err == 0)
		err = scan_reservations(fdt, extra, nextra);
	if (err == 0)
		err = build_free_set();
	if (err < 0) {
		free_set.n = 0;
		kprintf("mm: page allocator not initialised: %s\n", plinth_strerror(err));
		return err;
	}
	free_at_init = range_total(&free_set);
	kprintf("mm: memory %llu KiB in %u range(s), %u reservation(s) of %llu KiB, "
		"free %llu KiB in %u range(s)\n",
		(unsigned long long)(range_total(&mem) >> 10), mem.n, nrsv,
		(unsigned long long)(rsv_total() >> 10),
		(unsigned long long)(free_at_init >> 10), free_set.n);
	return 0;
}

void *page_alloc(size_t npages)
{
	uint64_t pa;
	int err;

	if (npages == 0 || npages > UINT64_MAX / PAGE_SIZE)
		return NULL;
	err = range_alloc(&free_set, npages * PAGE_SIZE, PAGE_SIZE, &pa);
	if (err < 0) {
		kprintf("mm: page_alloc(%zu): %s, %llu KiB free in %u range(s)\n", npages,
			plinth_strerror(err), (unsigned long long)(range_total(&free_set) >> 10),
			free_set.n);
		return NULL;
	}
	memset((void *)(uintptr_t)pa, 0, npages * PAGE_SIZE);
	return (void *)(uintptr_t)pa;
}

void page_free(void *p, size_t npages)
{
	uint64_t pa = (uintptr_t)p, size = npages * PAGE_SIZE;
	int err;

	if (!p || npages == 0)
		return;
	if ((pa & (PAGE_SIZE - 1)) || check_span(pa, size) || !range_covers(&mem, pa, size) ||
	    range_overlaps(&free_set, pa, size)) {
		kprintf("mm: page_free(0x%llx, %zu): not an allocated block, ignored\n",
			(unsigned long long)pa, npages);
		return;
	}
	err = range_add(&free_set, pa, size);
	if (err < 0)
		kprintf("mm: page_free(0x%llx, %zu): %s, %zu page(s) lost\n",
			(unsigned long long)pa, npages, plinth_strerror(err), npages);
}

/* ---------------------------------------------------------------- kzalloc --- */

#define KZ_ALIGN 16
#define KZ_CHUNK_PAGES 4	/* refill granule: fewer page_alloc calls */

static uintptr_t kz_cur, kz_end;

void *kzalloc(size_t size)
{
	uintptr_t p;

	if (size == 0)
		size = 1;
	if (size > SIZE_MAX - KZ_ALIGN)
		return NULL;
	size = (size + KZ_ALIGN - 1) & ~(size_t)(KZ_ALIGN - 1);
	if (kz_end - kz_cur < size) {
		size_t npages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
		void *pages;

		if (npages < KZ_CHUNK_PAGES)
			npages = KZ_CHUNK_PAGES;
		pages = page_alloc(npages);
		if (!pages && npages > (size + PAGE_SIZE - 1) / PAGE_SIZE) {
			npages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
			pages = page_alloc(npages);
		}
		if (!pages) {
			kprintf("mm: kzalloc(%zu): out of memory\n", size);
			return NULL;
		}
		/* The old chunk's tail is abandoned: kzalloc never frees. */
		kz_cur = (uintptr_t)pages;
		kz_end = kz_cur + npages * PAGE_SIZE;
	}
	p = kz_cur;
	kz_cur += size;
	return (void *)p;	/* zero: fresh pages from page_alloc */
}

/* ------------------------------------------------------------------ dump --- */

static void print_size(const char *label, uint64_t bytes)
{
	if (bytes >= (1ull << 20) && !(bytes & ((1ull << 20) - 1)))
		kprintf("%s%llu MiB\n", label, (unsigned long long)(bytes >> 20));
	else if (!(bytes & 1023))
		kprintf("%s%llu KiB\n", label, (unsigned long long)(bytes >> 10));
	else
		kprintf("%s%llu bytes\n", label, (unsigned long long)bytes);
}

static void print_range(const char *indent, const struct range *r, const char *what)
{
	uint64_t kib = r->size >> 10;

	kprintf("%s0x%016llx-0x%016llx %8llu KiB%s%s\n", indent, (unsigned long long)r->base,
		(unsigned long long)(r->size ? r_end(r) - 1 : r->base), (unsigned long long)kib,
		what ? "  " : "", what ? what : "");
}

void pmm_dump(void)
{
	char what[64];

	kprintf("memory (/memory):\n");
	for (unsigned i = 0; i < mem.n; i++)
		print_range("  ", &mem.r[i], NULL);
	print_size("  total ", range_total(&mem));
	kprintf("reserved:\n");
	for (unsigned i = 0; i < nrsv; i++) {
		ksnprintf(what, sizeof(what), "%s %s", rsv[i].src, rsv[i].name);
		print_range("  ", &rsv[i].r, what);
	}
	print_size("  total ", rsv_total());
	kprintf("free:\n");
	for (unsigned i = 0; i < free_set.n; i++)
		print_range("  ", &free_set.r[i], NULL);
	print_size("  total ", range_total(&free_set));
	print_size("allocated since boot: ", free_at_init - range_total(&free_set));
}
