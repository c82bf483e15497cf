/* The PCI core, part two (pci.h): bus addresses for BARs and bridge windows.
 *
 * Two passes over the bus hierarchy pci_scan found:
 *   size  - bottom-up: each bridge window must hold what its bus puts in it.
 *           The bus's resources are packed in decreasing alignment (so no
 *           gap is needed between power-of-two BARs); the window is that
 *           rounded up to its granule (I/O 4 KiB, memory 1 MiB) and aligned to
 *           the largest alignment inside.
 *   place - top-down: the root bus's resources go into the host windows
 *           (`ranges`), a bridge's bus into the bridge's windows, in the same
 *           order, so a window placed at an address aligned like its largest
 *           member reproduces the sized layout exactly.
 * Which window of a bus a resource goes into (PCI-to-PCI Bridge 1.2, 3.2.5):
 *   I/O -> the I/O window; non-prefetchable memory -> the memory window, which
 *   is 32-bit; prefetchable -> the prefetchable window, except a 32-bit BAR
 *   when that window is 64-bit (it may land above 4 GiB). On the root bus the
 *   host windows are scored: same prefetchability first, then a 64-bit
 *   resource prefers a window above 4 GiB (keeping 32-bit space for what
 *   needs it); a prefetchable resource may go into a non-prefetchable window,
 *   never the reverse.
 * With linux,pci-probe-only, what firmware assigned (pci.c marks it) is
 * kept: new resources go after the kept ones in each window, and kept bridge
 * windows are not moved or resized. */
#include <string.h>
#include <plinth/err.h>
#include <plinth/pci.h>
#include <plinth/printk.h>

#define FOUR_GIB (1ull << 32)
#define NSLOTS PCI_MAX_WINDOWS

/* A window the resources of one bus go into, as bus addresses [base, end). */
struct slot {
	bool usable;
	uint64_t base, end, next;
};

static const char *const res_names[PCI_NRES] = {
	"BAR0", "BAR1", "BAR2", "BAR3", "BAR4", "BAR5", "window", "window", "window",
};

static bool is_window(unsigned r)
{
	return r >= PCI_RES_WIN_IO;
}

static uint64_t granule(unsigned r)
{
	return r == PCI_RES_WIN_IO ? 0x1000 : 0x100000;
}

/* The highest address + 1 the resource may reach. */
static uint64_t res_max(const struct pci_res *x, unsigned r)
{
	if (x->flags & PCI_RES_IO)
		return x->flags & PCI_RES_IO16 ? 0x10000 : FOUR_GIB;
	if (r == PCI_RES_WIN_MEM)
		return FOUR_GIB;
	return x->flags & PCI_RES_64 ? UINT64_MAX : FOUR_GIB;
}

/* Still needs an address: it exists, and nobody (firmware) gave it one. */
static bool needs(const struct pci_res *x, unsigned r)
{
	if (x->size == 0 || x->assigned)
		return false;
	return !is_window(r) || (x->flags & PCI_RES_IMPL);
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* The window of bridge b that resource x of its bus goes into (slot index
 * 0 io, 1 mem, 2 pref), or -1. */
static int bridge_slot(const struct pci_func *b, const struct pci_res *x, unsigned r)
{
	const struct pci_res *pref = &b->res[PCI_RES_WIN_PREF];
	bool x_pref = x->flags & PCI_RES_PREF, x_64 = res_max(x, r) > FOUR_GIB;

	if (x->flags & PCI_RES_IO)
		return b->res[PCI_RES_WIN_IO].flags & PCI_RES_IMPL ? 0 : -1;
	if (!x_pref || !(pref->flags & PCI_RES_IMPL))
		return 1;
	if ((pref->flags & PCI_RES_64) && !x_64)
		return 1;
	return 2;
}

/* The largest alignment below `below` among resources of the bus under b
 * that still need an address (and go to slot `want` of b, when want >= 0). */
static uint64_t next_align(const struct pci_host *h, const struct pci_func *b, int want,
			   uint64_t below)
{
	uint64_t best = 0;

	for (const struct pci_func *f = h->funcs; f; f = f->next) {
		if (f->up != b)
			continue;
		for (unsigned r = 0; r < PCI_NRES; r++) {
			const struct pci_res *x = &f->res[r];

			if (!needs(x, r) || x->align >= below || x->align <= best)
				continue;
			if (want >= 0 && bridge_slot(b, x, r) != want)
				continue;
			best = x->align;
		}
	}
	return best;
}

/* ------------------------------------------------------------- sizing ---- */

/* Does an assigned window of bridge b forward x? I/O through the I/O window;
 * memory through the memory window, or the prefetchable one when x is
 * prefetchable (firmware may put a prefetchable BAR in either: U-Boot does). */
static bool forwarded(const struct pci_func *b, const struct pci_res *x)
{
	for (unsigned k = PCI_RES_WIN_IO; k < PCI_NRES; k++) {
		const struct pci_res *w = &b->res[k];

		if (!w->assigned || !w->size || !!(w->flags & PCI_RES_IO) != !!(x->flags & PCI_RES_IO))
			continue;
		if (k == PCI_RES_WIN_PREF && !(x->flags & PCI_RES_PREF))
			continue;
		if (x->bus >= w->bus && x->size <= w->size && x->bus - w->bus <= w->size - x->size)
			return true;
	}
	return false;
}

/* Kept (firmware) resources of b's bus that b's windows do not forward are
 * not kept after all: the assigner places them again. */
static void drop_unforwarded(struct pci_host *h, struct pci_func *b)
{
	char n[16];

	for (struct pci_func *f = h->funcs; f; f = f->next) {
		if (f->up != b)
			continue;
		for (unsigned r = 0; r < PCI_NRES; r++) {
			struct pci_res *x = &f->res[r];

			if (!x->firmware || forwarded(b, x))
				continue;
			kprintf("pci: %s %s at 0x%llx: outside the bridge's windows, reassigned\n",
				pci_bdf(f, n, sizeof(n)), res_names[r], (unsigned long long)x->bus);
			x->firmware = x->assigned = false;
		}
	}
}

static void size_bridge(struct pci_host *h, struct pci_func *b)
{
	/* First: a child bridge's window dropped here is sized below. */
	drop_unforwarded(h, b);
	for (struct pci_func *f = h->funcs; f; f = f->next)
		if (f->up == b && f->bridge)
			size_bridge(h, f);
	for (int s = 0; s < 3; s++) {
		struct pci_res *w = &b->res[PCI_RES_WIN_IO + s];
		uint64_t g = granule(PCI_RES_WIN_IO + (unsigned)s), cur = 0, max_align = g;

		if (!(w->flags & PCI_RES_IMPL) || w->assigned)
			continue;
		for (uint64_t a = next_align(h, b, s, UINT64_MAX); a; a = next_align(h, b, s, a)) {
			for (struct pci_func *f = h->funcs; f; f = f->next) {
				if (f->up != b)
					continue;
				for (unsigned r = 0; r < PCI_NRES; r++) {
					struct pci_res *x = &f->res[r];

					if (!needs(x, r) || x->align != a || bridge_slot(b, x, r) != s)
						continue;
					cur = align_up(cur, a) + x->size;
					if (a > max_align)
						max_align = a;
				}
			}
		}
		w->size = cur ? align_up(cur, g) : 0;
		w->align = max_align;
	}
}

/* ------------------------------------------------------------ placing ---- */

static int slots_of(const struct pci_host *h, const struct pci_func *b, struct slot *s)
{
	memset(s, 0, sizeof(struct slot) * NSLOTS);
	if (!b) {
		for (unsigned i = 0; i < h->cfg.nwin; i++) {
			const struct pci_window *w = &h->cfg.win[i];

			uint64_t last = w->bus + (w->size - 1);	/* pci.c checked: no wrap */

			s[i].usable = true;
			s[i].base = w->bus;
			s[i].end = last == UINT64_MAX ? UINT64_MAX : last + 1;
			s[i].next = w->space == PCI_SPACE_IO && w->bus < PCI_MIN_IO ? PCI_MIN_IO : w->bus;
		}
		return (int)h->cfg.nwin;
	}
	for (int i = 0; i < 3; i++) {
		const struct pci_res *w = &b->res[PCI_RES_WIN_IO + i];

		if (!w->assigned || !w->size)
			continue;
		s[i] = (struct slot){ true, w->bus, w->bus + w->size, w->bus };
	}
	return 3;
}

/* Kept resources occupy their window up to their end. */
static void skip_kept(const struct pci_host *h, const struct pci_func *b, struct slot *s, int n)
{
	for (const struct pci_func *f = h->funcs; f; f = f->next) {
		if (f->up != b)
			continue;
		for (unsigned r = 0; r < PCI_NRES; r++) {
			const struct pci_res *x = &f->res[r];

			if (!x->assigned || !x->size)
				continue;
			for (int i = 0; i < n; i++)
				if (s[i].usable && x->bus >= s[i].base && x->bus < s[i].end &&
				    x->bus + x->size > s[i].next)
					s[i].next = x->bus + x->size;
		}
	}
}

/* How well host window w suits resource x: -1 not at all, else higher is better. */
static int root_score(const struct pci_window *w, const struct pci_res *x, unsigned r)
{
	bool pref = x->flags & PCI_RES_PREF;
	int score = 0;

	if ((w->space == PCI_SPACE_IO) != !!(x->flags & PCI_RES_IO))
		return -1;
	if (w->pref && !pref)
		return -1;	/* prefetching would break read side effects */
	if (w->bus >= res_max(x, r))
		return -1;
	if (w->pref == pref)
		score += 2;
	if (res_max(x, r) > FOUR_GIB && w->bus + w->size > FOUR_GIB)
		score += 1;
	return score;
}

static bool try_slot(struct slot *s, struct pci_res *x, unsigned r)
{
	uint64_t at;

	if (!s->usable || s->next > UINT64_MAX - x->align)
		return false;
	at = align_up(s->next, x->align);
	if (at < s->base || x->size > s->end - s->base || at - s->base > (s->end - s->base) - x->size)
		return false;
	if (at + (x->size - 1) > res_max(x, r) - 1)
		return false;
	x->bus = at;
	s->next = at + x->size;
	return true;
}

static void place_one(struct pci_host *h, struct pci_func *b, struct pci_func *f, unsigned r,
		      struct slot *s, int n, unsigned *failed)
{
	struct pci_res *x = &f->res[r];
	char name[16];
	bool ok = false;

	if (b) {
		int k = bridge_slot(b, x, r);

		if (k >= 0 && try_slot(&s[k], x, r)) {
			x->target = (int8_t)k;
			ok = true;
		}
	} else {
		for (int score = 3; score >= 0 && !ok; score--) {
			for (int i = 0; i < n && !ok; i++) {
				if (root_score(&h->cfg.win[i], x, r) == score && try_slot(&s[i], x, r)) {
					x->target = (int8_t)i;
					ok = true;
				}
			}
		}
	}
	if (ok && pci_bus_to_cpu(h, x->flags & PCI_RES_IO, x->bus, x->size, &x->cpu) == 0) {
		x->assigned = true;
		return;
	}
	(*failed)++;
	kprintf("pci: %s %s: no room for 0x%llx bytes (%s%s%s)%s\n", pci_bdf(f, name, sizeof(name)),
		res_names[r], (unsigned long long)x->size, x->flags & PCI_RES_IO ? "io" : "mem",
		x->flags & PCI_RES_PREF ? " pref" : "", res_max(x, r) > FOUR_GIB ? " 64-bit" : "",
		b ? " in the bridge's windows" : " in the host windows");
}

/* ----------------------------------------------------------- programming ---- */

static void log_res(const struct pci_func *f, unsigned r)
{
	const struct pci_res *x = &f->res[r];
	char name[16];

	kprintf("pci: %s %s %s%s 0x%llx-0x%llx -> cpu 0x%llx%s\n", pci_bdf(f, name, sizeof(name)),
		res_names[r], x->flags & PCI_RES_IO ? "io" : "mem", x->flags & PCI_RES_PREF ? " pref" : "",
		(unsigned long long)x->bus, (unsigned long long)(x->bus + x->size - 1),
		(unsigned long long)x->cpu, x->firmware ? " (firmware's)" : "");
}

static void write_bar(struct pci_host *h, struct pci_func *f, unsigned i)
{
	const struct pci_res *x = &f->res[PCI_RES_BAR0 + i];
	uint16_t reg = (uint16_t)(PCI_BAR0 + 4 * i);

	pci_write(h, f, reg, (uint32_t)x->bus);
	if (x->flags & PCI_RES_64)
		pci_write(h, f, (uint16_t)(reg + 4), (uint32_t)(x->bus >> 32));
}

/* Window registers (PCI-to-PCI Bridge 1.2, 3.2.5.6-9). A window not in use
 * is closed with base > limit; firmware's kept windows are not rewritten. */
static void write_windows(struct pci_host *h, struct pci_func *b)
{
	const struct pci_res *io = &b->res[PCI_RES_WIN_IO], *mem = &b->res[PCI_RES_WIN_MEM];
	const struct pci_res *pref = &b->res[PCI_RES_WIN_PREF];

	if ((io->flags & PCI_RES_IMPL) && !io->firmware) {
		uint64_t base = io->assigned ? io->bus : 0xf000, lim = io->assigned ? io->bus + io->size - 1 : 0;

		pci_write(h, b, PCI_IO_UPPER, (uint32_t)((lim >> 16) << 16 | ((base >> 16) & 0xffff)));
		pci_write(h, b, PCI_IO_BASE_LIMIT, (uint32_t)(((base >> 8) & 0xf0) | (lim & 0xf000)));
	}
	if (!mem->firmware) {
		uint64_t base = mem->assigned ? mem->bus : 0xfff00000, lim = mem->assigned ? mem->bus + mem->size - 1 : 0;

		pci_write(h, b, PCI_MEM_BASE_LIMIT, (uint32_t)(((base >> 16) & 0xfff0) | (lim & 0xfff00000)));
	}
	if ((pref->flags & PCI_RES_IMPL) && !pref->firmware) {
		uint64_t base = pref->assigned ? pref->bus : 0xfff00000, lim = pref->assigned ? pref->bus + pref->size - 1 : 0;

		if (pref->flags & PCI_RES_64) {
			pci_write(h, b, PCI_PREF_BASE_UPPER, (uint32_t)(base >> 32));
			pci_write(h, b, PCI_PREF_LIMIT_UPPER, (uint32_t)(lim >> 32));
		}
		pci_write(h, b, PCI_PREF_BASE_LIMIT, (uint32_t)(((base >> 16) & 0xfff0) | (lim & 0xfff00000)));
	}
}

static void program_bus(struct pci_host *h, struct pci_func *b, unsigned *failed);

static void place_bus(struct pci_host *h, struct pci_func *b, unsigned *failed)
{
	struct slot s[NSLOTS];
	int n = slots_of(h, b, s);

	skip_kept(h, b, s, n);
	for (uint64_t a = next_align(h, b, -1, UINT64_MAX); a; a = next_align(h, b, -1, a)) {
		for (struct pci_func *f = h->funcs; f; f = f->next) {
			if (f->up != b)
				continue;
			for (unsigned r = 0; r < PCI_NRES; r++)
				if (needs(&f->res[r], r) && f->res[r].align == a)
					place_one(h, b, f, r, s, n, failed);
		}
	}
	program_bus(h, b, failed);
}

static void program_bus(struct pci_host *h, struct pci_func *b, unsigned *failed)
{
	for (struct pci_func *f = h->funcs; f; f = f->next) {
		if (f->up != b)
			continue;
		for (unsigned r = 0; r < PCI_NRES; r++) {
			if (!f->res[r].assigned || !f->res[r].size)
				continue;
			log_res(f, r);
			if (!is_window(r) && !f->res[r].firmware)
				write_bar(h, f, r);
		}
		if (f->bridge) {
			write_windows(h, f);
			place_bus(h, f, failed);
		}
	}
}

int pci_assign(struct pci_host *h)
{
	unsigned failed = 0;

	for (struct pci_func *f = h->funcs; f; f = f->next)
		if (!f->up && f->bridge)
			size_bridge(h, f);
	place_bus(h, NULL, &failed);
	return (int)failed;
}
