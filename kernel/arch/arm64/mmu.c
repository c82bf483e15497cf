/* The MMU: one identity map through TTBR0_EL1, 4 KiB granule.
 *
 * Two phases, because libfdt must not run with the MMU off (every access is
 * then Device memory, where unaligned loads fault, and Debian's libfdt.a is
 * not built -mstrict-align):
 *   mmu_early_init - tables from a static pool in BSS mapping only the image
 *                    and the tree, as Normal memory; MMU and caches on.
 *   mmu_init       - final tables from the page allocator: every /memory
 *                    range, the image and the tree Normal cacheable; devices
 *                    are added later by ioremap() as the driver core finds them.
 * The final tables use another ASID (every entry is non-global), so switching
 * TTBR0 from the early to the final tables cannot hit a TLB conflict between
 * old and new entries of different block sizes for the same addresses. */
#include <stdint.h>
#include <libfdt.h>
#include "plinth/arch.h"
#include "plinth/driver.h"
#include "plinth/dt.h"
#include "plinth/err.h"
#include "plinth/mm.h"
#include "plinth/printk.h"
#include "plinth/smp.h"
#include "plinth/stacks.h"
#include "pgtable.h"

/* Image + tree (a few L3 tables each, their L2/L1 parents) and then the
 * /memory ranges that mmu_init adds before page_alloc hands memory out. */
#define EARLY_POOL_PAGES 48

static uint64_t early_pool[EARLY_POOL_PAGES][PGT_ENTRIES] __attribute__((aligned(4096)));
static unsigned early_used;

static struct pgt live;		/* the tables TTBR0 points at; root NULL: MMU off */
static int final_tables;	/* live came from mmu_init */

/* Guard pages (stacks.c), left out of the final tables so that a stack
 * overflow faults instead of writing below the stack. */
#define MAX_GUARDS (3 * SMP_MAX_CPUS)
static uint64_t guards[MAX_GUARDS];
static unsigned nguards;

/* Device regions mapped while the early tables were live, to carry over. */
#define EARLY_IOREMAPS 16
static struct range early_io[EARLY_IOREMAPS];
static unsigned n_early_io;

#define MAIR_VALUE ((0x04ull << (8 * MT_DEVICE_nGnRE)) |	/* Device-nGnRE */ \
		    (0xffull << (8 * MT_NORMAL)) |		/* Normal, WB RW-allocate */ \
		    (0x44ull << (8 * MT_NORMAL_NC)))		/* Normal, non-cacheable */

#define TCR_IRGN0_WBWA	(1ull << 8)
#define TCR_ORGN0_WBWA	(1ull << 10)
#define TCR_SH0_INNER	(3ull << 12)
#define TCR_TG0_4K	(0ull << 14)
#define TCR_EPD1	(1ull << 23)	/* no TTBR1 walks: nothing lives in the upper half */
#define TCR_TG1_4K	(2ull << 30)
#define TCR_IPS_SHIFT	32

#define SCTLR_M		(1ull << 0)
#define SCTLR_A		(1ull << 1)
#define SCTLR_C		(1ull << 2)
#define SCTLR_I		(1ull << 12)

#define TTBR_ASID_EARLY	0ull
#define TTBR_ASID_FINAL	(1ull << 48)

static void *early_alloc(void *ctx)
{
	(void)ctx;
	if (early_used == EARLY_POOL_PAGES)
		return NULL;
	return early_pool[early_used++];
}

static void *final_alloc(void *ctx)
{
	(void)ctx;
	return page_alloc(1);
}

/* Tables are Normal WB inner shareable and walks are coherent with that
 * (TCR IRGN/ORGN/SH), so a dsb publishes new entries; an entry that was
 * valid needs its TLB entries gone too. */
static void live_flush(void *ctx, uint64_t va)
{
	(void)ctx;
	(void)va;
	dsb(ishst);
	__asm__ volatile("tlbi vmalle1is" ::: "memory");
	dsb(ish);
	isb();
}

/* ID_AA64MMFR0_EL1.PARange (D17.2.64), capped at 48 bits: we identity-map,
 * so the VA size follows the PA size; 52-bit needs LPA/LVA formats. */
static unsigned pa_range(unsigned *ips)
{
	static const unsigned bits[] = { 32, 36, 40, 42, 44, 48 };
	unsigned pr = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	if (pr > 5)
		pr = 5;
	*ips = pr;
	return bits[pr];
}

static uint64_t page_down(uint64_t a)
{
	return a & ~(PAGE_SIZE - 1);
}

static uint64_t page_up(uint64_t a)
{
	return (a + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

/* Map [start, end) rounded out to pages. */
static int map_normal(struct pgt *p, uint64_t start, uint64_t end)
{
	uint64_t s = page_down(start), e = page_up(end);

	if (end <= start)
		return 0;
	return pgt_map(p, s, s, e - s, PGT_NORMAL, 0);
}

/* Discard any cache lines over [start, end): we wrote it with the MMU off,
 * i.e. non-cacheable, and stale lines must not shadow that once the caches
 * are on (the loader cleaned the image to PoC, booting.rst). */
static void dcache_inval(uint64_t start, uint64_t end)
{
	uint64_t line = 4ull << ((read_sysreg(ctr_el0) >> 16) & 0xf);

	for (uint64_t a = start & ~(line - 1); a < end; a += line)
		__asm__ volatile("dc ivac, %0" : : "r"(a) : "memory");
	dsb(sy);
}

void mmu_early_init(uint64_t image_start, uint64_t image_end, uint64_t fdt, uint64_t fdt_size)
{
	unsigned ips, va_bits = pa_range(&ips);
	uint64_t tcr;
	int r;

	live.alloc = early_alloc;
	live.flush = NULL;
	r = pgt_init(&live, va_bits);
	if (r >= 0)
		r = map_normal(&live, image_start, image_end);
	if (r >= 0 && fdt_size)
		r = map_normal(&live, fdt, fdt + fdt_size);
	if (r < 0) {
		kprintf("mmu: early map failed: %s; MMU stays off\n", plinth_strerror(r));
		live.root = NULL;
		return;
	}

	dcache_inval(page_down(image_start), page_up(image_end));
	write_sysreg(MAIR_VALUE, mair_el1);
	tcr = (64 - va_bits) | ((uint64_t)(64 - va_bits) << 16) | TCR_IRGN0_WBWA |
	      TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_TG0_4K | TCR_EPD1 | TCR_TG1_4K |
	      ((uint64_t)ips << TCR_IPS_SHIFT);
	write_sysreg(tcr, tcr_el1);
	write_sysreg((uint64_t)(uintptr_t)live.root | TTBR_ASID_EARLY, ttbr0_el1);
	isb();
	__asm__ volatile("tlbi vmalle1" ::: "memory");
	__asm__ volatile("ic iallu" ::: "memory");
	dsb(nsh);
	isb();
	write_sysreg((read_sysreg(sctlr_el1) | SCTLR_M | SCTLR_C | SCTLR_I) & ~SCTLR_A, sctlr_el1);
	isb();
	live.flush = live_flush;
	kprintf("mmu: on, %u-bit identity map, early tables: %u pages\n", va_bits, live.tables);
}

/* Map every /memory range (device_type "memory", enabled) into p. */
static int map_memory(struct pgt *p, const void *fdt, int log)
{
	int node = -1, n = 0, r;

	for (;;) {
		node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory", 7);
		if (node == -FDT_ERR_NOTFOUND)
			break;
		if (node < 0)
			return node;
		if (!dt_node_enabled(fdt, node))
			continue;
		int count = dt_reg_count(fdt, node);

		for (int i = 0; i < count; i++) {
			uint64_t addr, size, s, e;

			r = dt_reg(fdt, node, i, &addr, &size);
			if (r < 0) {
				kprintf("mmu: %s reg[%d]: %s, skipped\n", fdt_get_name(fdt, node, NULL),
					i, plinth_strerror(r));
				continue;
			}
			/* Round inward: a partial page is not ours to map. */
			s = page_up(addr);
			e = addr + size < addr ? page_down(UINT64_MAX) : page_down(addr + size);
			if (e <= s)
				continue;
			r = pgt_map(p, s, s, e - s, PGT_NORMAL, 0);
			if (r < 0) {
				kprintf("mmu: memory 0x%llx-0x%llx: %s\n", (unsigned long long)s,
					(unsigned long long)e, plinth_strerror(r));
				return r;
			}
			if (log)
				kprintf("mmu: memory 0x%llx-0x%llx normal\n", (unsigned long long)s,
					(unsigned long long)e);
			n++;
		}
	}
	return n;
}

int mmu_init(const void *fdt)
{
	extern char __image_start[], __image_end[];
	uint64_t fdt_addr = (uint64_t)(uintptr_t)fdt;
	struct pgt fin = { .alloc = final_alloc };
	int r;

	if (!live.root)
		return -PLINTH_EINVAL;
	/* page_alloc hands out /memory and zeroes it: that memory has to be
	 * mapped in the early tables before the final ones can be built. */
	r = map_memory(&live, fdt, 0);
	dsb(ishst);
	isb();
	if (r < 0) {
		kprintf("mmu: cannot map /memory in the early tables: %s\n", plinth_strerror(r));
		return r;
	}
	/* Every CPU's stacks, now that page_alloc's memory is mapped: their
	 * guard pages (mmu_guard_page) are left out of the tables built next,
	 * never cut out of live ones. */
	stacks_init(fdt);

	r = pgt_init(&fin, live.va_bits);
	if (r >= 0)
		r = map_memory(&fin, fdt, 1);
	if (r >= 0)
		r = map_normal(&fin, (uint64_t)(uintptr_t)__image_start,
			       (uint64_t)(uintptr_t)__image_end);
	if (r >= 0)
		r = map_normal(&fin, fdt_addr, fdt_addr + fdt_totalsize(fdt));
	for (unsigned i = 0; r >= 0 && i < n_early_io; i++)
		r = pgt_map(&fin, early_io[i].base, early_io[i].base, early_io[i].size,
			    PGT_DEVICE, 1);
	/* Last: the maps above cover the guards too (image, /memory). */
	for (unsigned i = 0; r >= 0 && i < nguards; i++)
		r = pgt_unmap(&fin, guards[i], PAGE_SIZE);
	if (r < 0) {
		kprintf("mmu: building the final tables failed: %s; keeping the early ones\n",
			plinth_strerror(r));
		return r;
	}

	/* New ASID: old (ASID 0) and new TLB entries never match together. */
	dsb(ishst);
	write_sysreg((uint64_t)(uintptr_t)fin.root | TTBR_ASID_FINAL, ttbr0_el1);
	isb();
	__asm__ volatile("tlbi vmalle1is" ::: "memory");
	dsb(ish);
	isb();
	fin.flush = live_flush;
	live = fin;
	final_tables = 1;
	kprintf("mmu: final tables live, %u pages\n", live.tables);
	return 0;
}

/* Only tables not yet live are changed: splitting a live block that maps
 * RAM in use (this very table, kzalloc'd data, an interrupt handler's
 * state) would need break-before-make over memory the CPU is using. */
int mmu_guard_page(uint64_t va)
{
	if (va & (PAGE_SIZE - 1))
		return -PLINTH_EINVAL;
	if (final_tables)
		return -PLINTH_ENOTSUP;
	if (nguards == MAX_GUARDS)
		return -PLINTH_ENOMEM;
	guards[nguards++] = va;
	return 0;
}

/* What ioremap and ioremap_wc share: map the pages of [addr, addr + size)
 * with `attrs` in the live tables, replacing what mapped them. Returns how
 * many mappings were replaced, or an error (logged as `who`); *s and *e
 * are the pages mapped, an empty range when the MMU is off. */
static int remap(const char *who, uint64_t addr, uint64_t size, uint64_t attrs, uint64_t *s,
		 uint64_t *e)
{
	int r;

	*s = *e = 0;
	if (size == 0 || addr + size < addr)
		return -PLINTH_EINVAL;
	if (!live.root)
		return 0;	/* MMU off: every access is Device already */
	*s = page_down(addr);
	*e = page_up(addr + size);
	if (*e == 0 || *e > (1ull << live.va_bits)) {
		kprintf("mmu: %s 0x%llx+0x%llx beyond the %u-bit address space\n", who,
			(unsigned long long)addr, (unsigned long long)size, live.va_bits);
		return -PLINTH_ERANGE;
	}
	r = pgt_map(&live, *s, *s, *e - *s, attrs, 1);
	dsb(ishst);
	isb();
	if (r < 0)
		kprintf("mmu: %s 0x%llx-0x%llx: %s\n", who, (unsigned long long)*s,
			(unsigned long long)*e, plinth_strerror(r));
	return r;
}

int ioremap(uint64_t addr, uint64_t size)
{
	uint64_t s, e;
	int r = remap("ioremap", addr, size, PGT_DEVICE, &s, &e);

	if (r < 0)
		return r;
	if (r > 0)
		kprintf("mmu: warning: ioremap 0x%llx-0x%llx replaced %d normal mapping(s) "
			"(break-before-make)\n", (unsigned long long)s, (unsigned long long)e, r);
	if (e > s && !final_tables && n_early_io < EARLY_IOREMAPS)
		early_io[n_early_io++] = (struct range){ s, e - s };
	return 0;
}

/* ioremap's variant for a framebuffer: Normal Non-cacheable (MAIR attribute
 * 0x44, MT_NORMAL_NC), so stores may merge and unaligned accesses do not
 * fault, yet nothing is cached that the scanout would not see. It replaces
 * what mapped the range before: the driver core's Device mapping of the reg,
 * which replaced the Normal cacheable one of /memory when the framebuffer
 * lies in RAM. Lines cached through an old mapping are then cleaned and
 * invalidated, so none is written back over the pixels later (ARM ARM B2.8,
 * mismatched memory attributes). Drivers call it after mmu_init: the early
 * tables' device ranges carried into the final ones are Device only. */
int ioremap_wc(uint64_t addr, uint64_t size)
{
	uint64_t s, e, line;
	int r = remap("ioremap_wc", addr, size, PGT_NORMAL_NC, &s, &e);

	if (r < 0 || e == s)
		return r;	/* an error, or the MMU is off: aligned stores still work */
	line = 4ull << ((read_sysreg(ctr_el0) >> 16) & 0xf);
	for (uint64_t a = s; r > 0 && a < e; a += line)
		__asm__ volatile("dc civac, %0" : : "r"(a) : "memory");
	dsb(sy);
	return 0;
}
