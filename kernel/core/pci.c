/* The PCI core, part one (pci.h): the host bridge node, and enumeration.
 *
 * Enumeration is depth-first from the first bus of bus-range: every device
 * number, function 0 first and functions 1-7 when header type bit 7 says the
 * device has them. A PCI-to-PCI bridge gets the next free bus number as its
 * secondary and, while the buses behind it are walked, the end of bus-range as
 * its subordinate (so config cycles reach them), then the highest bus found
 * behind it (PCI-to-PCI Bridge Architecture 1.2, 3.2.5.3-5). With
 * linux,pci-probe-only the numbers firmware gave a bridge are kept when they
 * are consistent.
 *
 * BARs are sized by writing all ones and reading back which address bits
 * stick (PCI Local Bus 3.0, 6.2.5.1), with the function's decoding off while
 * its BARs hold the probe value. Expansion ROM BARs are not handled. Every
 * line this file logs starts with "pci: ". */
#include <libfdt.h>
#include <string.h>
#include <plinth/driver.h>
#include <plinth/dt.h>
#include <plinth/dt_bindings.h>
#include <plinth/err.h>
#include <plinth/pci.h>
#include <plinth/printk.h>

#define PATH_LEN 128

/* ---------------------------------------------------------- host node ---- */

static int parse_bus_range(const void *fdt, int node, struct pci_host_config *cfg)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, "bus-range", &len);
	uint32_t s, e;

	cfg->bus_start = 0;
	cfg->bus_end = 0xff;
	if (!p)
		return len == -FDT_ERR_NOTFOUND ? 0 : len;
	if (len != 8) {
		kprintf("pci: bus-range is %d bytes (want 8)\n", len);
		return -PLINTH_EINVAL;
	}
	s = fdt32_ld(p);
	e = fdt32_ld(p + 1);
	if (s > e || e > 0xff) {
		kprintf("pci: bus-range <0x%x 0x%x> invalid\n", s, e);
		return -PLINTH_EINVAL;
	}
	cfg->bus_start = (uint8_t)s;
	cfg->bus_end = (uint8_t)e;
	return 0;
}

/* One `ranges` entry e: child address (3 cells: phys.hi, 64-bit bus
 * address), parent address (pna cells), size (ns cells). The CPU address
 * comes from the translation reg uses (dt_translate through this node), so a
 * window behind further buses translates too. */
static int parse_window(const void *fdt, int node, const fdt32_t *e, int pna, int ns,
			struct pci_window *w)
{
	uint32_t child[3] = { fdt32_ld(e), fdt32_ld(e + 1), fdt32_ld(e + 2) };
	uint64_t size = 0;

	for (int i = 0; i < ns; i++) {
		if (size >> 32)
			return -PLINTH_ERANGE;
		size = (size << 32) | fdt32_ld(e + 3 + pna + i);
	}
	w->space = (enum pci_space)PCI_SPACE_OF(child[0]);
	w->pref = (child[0] & DT_PCI_PREFETCHABLE) != 0;
	w->bus = (uint64_t)child[1] << 32 | child[2];
	w->size = size;
	if (w->space == PCI_SPACE_CONFIG || size == 0 || w->bus > UINT64_MAX - (size - 1))
		return -PLINTH_EINVAL;
	return dt_translate(fdt, node, child, 3, &w->cpu);
}

static int parse_ranges(const void *fdt, int node, struct pci_host_config *cfg)
{
	int parent = fdt_parent_offset(fdt, node);
	int pna = parent >= 0 ? dt_addr_cells(fdt, parent) : -PLINTH_EINVAL;
	int ns = dt_size_cells(fdt, node), len, stride;
	const fdt32_t *r = fdt_getprop(fdt, node, "ranges", &len);

	if (pna < 1 || ns < 1 || dt_addr_cells(fdt, node) != 3) {
		kprintf("pci: #address-cells must be 3 and #size-cells 1 or 2 (PCI bus binding)\n");
		return -PLINTH_EINVAL;
	}
	if (!r || len == 0) {
		kprintf("pci: no ranges: no window to put BARs in\n");
		return -PLINTH_EINVAL;
	}
	stride = 3 + pna + ns;
	if (len % (stride * 4)) {
		kprintf("pci: ranges is %d bytes, not a multiple of %d cells\n", len, stride);
		return -PLINTH_EINVAL;
	}
	cfg->nwin = 0;
	for (int i = 0; i < len / 4; i += stride) {
		int rc;

		if (cfg->nwin == PCI_MAX_WINDOWS) {
			kprintf("pci: more than %d ranges entries, the rest ignored\n", PCI_MAX_WINDOWS);
			break;
		}
		rc = parse_window(fdt, node, r + i, pna, ns, &cfg->win[cfg->nwin]);
		if (rc < 0) {	/* one bad window costs only what would go there */
			kprintf("pci: ranges entry %d (phys.hi 0x%08x) unusable: %s, skipped\n",
				i / stride, fdt32_ld(r + i), plinth_strerror(rc));
			continue;
		}
		cfg->nwin++;
	}
	if (cfg->nwin == 0) {
		kprintf("pci: no usable window in ranges\n");
		return -PLINTH_EINVAL;
	}
	return 0;
}

int pci_host_parse(const void *fdt, int node, struct pci_host_config *cfg)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	uint32_t v;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	if ((rc = parse_bus_range(fdt, node, cfg)) < 0 || (rc = parse_ranges(fdt, node, cfg)) < 0)
		return rc;
	if (dt_read_u32(fdt, node, "linux,pci-domain", &v) == 0 && v <= 0xffff)
		cfg->domain = (uint16_t)v;
	/* Linux's binding: a u32 in /chosen, non-zero = keep firmware's setup. */
	if (chosen >= 0 && fdt_getprop(fdt, chosen, "linux,pci-probe-only", NULL)) {
		rc = dt_read_u32(fdt, chosen, "linux,pci-probe-only", &v);
		if (rc < 0)
			kprintf("pci: /chosen/linux,pci-probe-only is not a u32, ignored\n");
		else
			cfg->probe_only = v != 0;
	}
	return 0;
}

/* ----------------------------------------------------------- helpers ---- */

uint32_t pci_read(const struct pci_host *h, const struct pci_func *f, uint16_t reg)
{
	return h->ops->read(h->ctx, f->bus, f->devfn, reg);
}

/* pci_ops read dwords: a byte register comes out of the dword holding it. */
static uint8_t pci_read8(const struct pci_host *h, const struct pci_func *f, uint16_t reg)
{
	return (uint8_t)(pci_read(h, f, (uint16_t)(reg & ~3u)) >> 8 * (reg & 3u));
}

void pci_write(const struct pci_host *h, const struct pci_func *f, uint16_t reg, uint32_t v)
{
	h->ops->write(h->ctx, f->bus, f->devfn, reg, v);
}

void pci_write_command(const struct pci_host *h, const struct pci_func *f, uint16_t cmd)
{
	pci_write(h, f, PCI_COMMAND, cmd);	/* status half 0: RW1C bits untouched */
}

int pci_bus_to_cpu(const struct pci_host *h, bool io, uint64_t bus, uint64_t size, uint64_t *cpu)
{
	for (unsigned i = 0; i < h->cfg.nwin; i++) {
		const struct pci_window *w = &h->cfg.win[i];

		if ((w->space == PCI_SPACE_IO) != io || bus < w->bus || bus - w->bus >= w->size)
			continue;
		if (size && size - 1 > w->size - 1 - (bus - w->bus))
			continue;	/* starts inside, ends outside */
		*cpu = w->cpu + (bus - w->bus);
		return 0;
	}
	return -PLINTH_ENOTMAPPED;
}

const char *pci_bdf(const struct pci_func *f, char *buf, unsigned len)
{
	ksnprintf(buf, len, "%02x:%02x.%u", f->bus, PCI_SLOT(f->devfn), PCI_FUNC(f->devfn));
	return buf;
}

/* PCI Code and ID Assignment 1.x: the classes one meets in a VM. */
const char *pci_class_name(uint32_t class)
{
	static const struct { uint32_t class, mask; const char *name; } names[] = {
		{ 0x060000, 0xffff00, "host bridge" },
		{ 0x060400, 0xffff00, "PCI bridge" },
		{ 0x070002, 0xffffff, "serial (16550)" },
		{ 0x070000, 0xffff00, "serial" },
		{ 0x010600, 0xffff00, "SATA" },
		{ 0x010800, 0xffff00, "NVMe" },
		{ 0x010000, 0xff0000, "storage" },
		{ 0x020000, 0xff0000, "network" },
		{ 0x030000, 0xff0000, "display" },
		{ 0x0c0300, 0xffff00, "USB" },
		{ 0x078000, 0xffff00, "communication" },
		{ 0x00ff00, 0xff0000, "unclassified" },
	};
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((class & names[i].mask) == names[i].class)
			return names[i].name;
	return "other";
}

/* ----------------------------------------------------------- registry ---- */

static struct pci_host *hosts;

void pci_host_register(struct pci_host *h)
{
	struct pci_host **tail = &hosts;

	while (*tail && *tail != h)
		tail = &(*tail)->next;
	if (!*tail) {
		h->next = NULL;
		*tail = h;
	}
}

struct pci_host *pci_hosts(void)
{
	return hosts;
}

/* --------------------------------------------------------------- BARs ---- */

/* Probe a register with all ones: what sticks (then put the old value back). */
static uint32_t probe_reg(struct pci_host *h, struct pci_func *f, uint16_t reg, uint32_t ones,
			  uint32_t *old)
{
	uint32_t v;

	*old = pci_read(h, f, reg);
	pci_write(h, f, reg, ones);
	v = pci_read(h, f, reg);
	pci_write(h, f, reg, *old);
	return v;
}

/* A BAR's current value: firmware's assignment in probe-only mode. Kept when
 * it is non-zero, aligned and inside a host window; the assigner checks it
 * against the bridge windows above. */
static void bar_firmware(struct pci_host *h, struct pci_func *f, unsigned i, uint64_t addr)
{
	struct pci_res *r = &f->res[PCI_RES_BAR0 + i];
	char b[16];

	if (!h->cfg.probe_only || addr == 0)
		return;
	if ((addr & (r->size - 1)) ||
	    pci_bus_to_cpu(h, r->flags & PCI_RES_IO, addr, r->size, &r->cpu) < 0) {
		kprintf("pci: %s BAR%u: firmware's 0x%llx (size 0x%llx) misaligned or outside "
			"the host windows, reassigned\n", pci_bdf(f, b, sizeof(b)), i,
			(unsigned long long)addr, (unsigned long long)r->size);
		return;
	}
	r->bus = addr;
	r->assigned = r->firmware = true;
}

/* Size BAR i; returns how many BAR registers it took (2 for a 64-bit one). */
static int size_bar(struct pci_host *h, struct pci_func *f, unsigned i)
{
	uint16_t reg = (uint16_t)(PCI_BAR0 + 4 * i);
	struct pci_res *r = &f->res[PCI_RES_BAR0 + i];
	uint32_t old, mask = probe_reg(h, f, reg, 0xffffffffu, &old), old_hi = 0, mask_hi = 0;
	char b[16];

	if (mask == 0 || mask == 0xffffffffu)	/* not implemented (or the function vanished) */
		return 1;
	if (mask & 1) {			/* I/O */
		uint32_t m = mask & ~3u;

		r->flags = PCI_RES_IO;
		if (!(m & 0xffff0000u)) {	/* upper half hardwired 0: 16-bit decode */
			r->flags |= PCI_RES_IO16;
			m |= 0xffff0000u;
		}
		r->size = (uint64_t)(~m) + 1;
		r->align = r->size;
		bar_firmware(h, f, i, old & ~3u);
		return 1;
	}
	if (mask & 8)
		r->flags |= PCI_RES_PREF;
	if (((mask >> 1) & 3) == 2) {		/* 64-bit: the next register is the upper half */
		if (i + 1 >= f->nbar) {
			kprintf("pci: %s BAR%u: 64-bit BAR in the last slot, ignored\n",
				pci_bdf(f, b, sizeof(b)), i);
			r->flags = 0;
			return 1;
		}
		r->flags |= PCI_RES_64;
		mask_hi = probe_reg(h, f, (uint16_t)(reg + 4), 0xffffffffu, &old_hi);
	} else {
		mask_hi = 0xffffffffu;		/* 32-bit: the upper bits are fixed 0 */
	}
	uint64_t m = (uint64_t)mask_hi << 32 | (mask & ~0xfu);

	r->size = ~m + 1;
	r->align = r->size;
	if (r->size == 0 || (r->size & (r->size - 1))) {
		kprintf("pci: %s BAR%u: size mask 0x%llx is not a power of two, ignored\n",
			pci_bdf(f, b, sizeof(b)), i, (unsigned long long)m);
		r->size = 0;
		r->flags = 0;
	} else {
		bar_firmware(h, f, i, (uint64_t)old_hi << 32 | (old & ~0xfu));
	}
	return r->flags & PCI_RES_64 ? 2 : 1;
}

static void size_bars(struct pci_host *h, struct pci_func *f)
{
	uint32_t cmd = pci_read(h, f, PCI_COMMAND) & 0xffff;

	/* A BAR holding all ones must not decode: decoding off meanwhile. */
	if (cmd & (PCI_CMD_IO | PCI_CMD_MEM))
		pci_write_command(h, f, (uint16_t)(cmd & ~(PCI_CMD_IO | PCI_CMD_MEM)));
	for (unsigned i = 0; i < f->nbar;)
		i += (unsigned)size_bar(h, f, i);
	if (cmd & (PCI_CMD_IO | PCI_CMD_MEM))
		pci_write_command(h, f, (uint16_t)cmd);
}

/* -------------------------------------------------------- bridge windows ---- */

/* Keep a window firmware opened (base <= limit) in probe-only mode. */
static void keep_window(struct pci_host *h, struct pci_res *r, uint64_t base, uint64_t limit)
{
	if (!(r->flags & PCI_RES_IMPL) || base > limit || base == 0)
		return;
	if (pci_bus_to_cpu(h, r->flags & PCI_RES_IO, base, limit - base + 1, &r->cpu) < 0)
		return;
	r->bus = base;
	r->size = limit - base + 1;
	r->assigned = r->firmware = true;
}

/* The window registers as firmware left them (PCI-to-PCI Bridge 1.2,
 * 3.2.5.6-10): I/O bits 15:12 in the base/limit bytes (31:16 in the upper
 * registers of a 32-bit window), memory bits 31:20, prefetchable 63:32 in its
 * upper registers when 64-bit; the limit's low bits read as all ones. */
static void firmware_windows(struct pci_host *h, struct pci_func *f)
{
	struct pci_res *io = &f->res[PCI_RES_WIN_IO], *pref = &f->res[PCI_RES_WIN_PREF];
	uint32_t iob = pci_read(h, f, PCI_IO_BASE_LIMIT), mb = pci_read(h, f, PCI_MEM_BASE_LIMIT);
	uint32_t pb = pci_read(h, f, PCI_PREF_BASE_LIMIT);
	uint64_t base = (uint64_t)(iob & 0xf0) << 8, limit = (iob & 0xf000) | 0xfff;

	if (!(io->flags & PCI_RES_IO16)) {
		uint32_t up = pci_read(h, f, PCI_IO_UPPER);

		base |= (uint64_t)(up & 0xffff) << 16;
		limit |= (uint64_t)(up >> 16) << 16;
	}
	keep_window(h, io, base, limit);
	keep_window(h, &f->res[PCI_RES_WIN_MEM], (uint64_t)(mb & 0xfff0) << 16,
		    (mb & 0xfff00000u) | 0xfffffull);
	base = (uint64_t)(pb & 0xfff0) << 16;
	limit = (pb & 0xfff00000u) | 0xfffffull;
	if (pref->flags & PCI_RES_64) {
		base |= (uint64_t)pci_read(h, f, PCI_PREF_BASE_UPPER) << 32;
		limit |= (uint64_t)pci_read(h, f, PCI_PREF_LIMIT_UPPER) << 32;
	}
	keep_window(h, pref, base, limit);
}

/* Which windows the bridge implements (PCI-to-PCI Bridge 1.2, 3.2.5.6-9):
 * memory always; I/O and prefetchable only when their base registers are
 * writable; 32-bit I/O and 64-bit prefetchable when the low nibble says so.
 * In probe-only mode the windows firmware opened are kept. */
static void bridge_windows(struct pci_host *h, struct pci_func *f)
{
	struct pci_res *io = &f->res[PCI_RES_WIN_IO], *mem = &f->res[PCI_RES_WIN_MEM];
	struct pci_res *pref = &f->res[PCI_RES_WIN_PREF];
	uint32_t old, v = pci_read(h, f, PCI_IO_BASE_LIMIT) & 0xffff;

	if (!v)
		v = probe_reg(h, f, PCI_IO_BASE_LIMIT, 0xf0f0, &old) & 0xffff;
	if (v) {
		io->flags = PCI_RES_IO | PCI_RES_IMPL | ((v & 0xf) == 1 ? 0 : PCI_RES_IO16);
		io->align = 0x1000;
	}
	mem->flags = PCI_RES_IMPL;
	mem->align = 0x100000;
	v = pci_read(h, f, PCI_PREF_BASE_LIMIT);
	if (!v)
		v = probe_reg(h, f, PCI_PREF_BASE_LIMIT, 0xfff0fff0u, &old);
	if (v) {
		pref->flags = PCI_RES_PREF | PCI_RES_IMPL | ((v & 0xf) == 1 ? PCI_RES_64 : 0);
		pref->align = 0x100000;
	}
	if (h->cfg.probe_only)
		firmware_windows(h, f);
}

/* ------------------------------------------------------------ scanning ---- */

static struct pci_func *new_func(struct pci_host *h, struct pci_func *up, uint8_t bus,
				 uint8_t devfn, uint32_t id)
{
	struct pci_func *f = kzalloc(sizeof(*f));
	struct pci_func **tail;

	if (!f)
		return NULL;
	f->host = h;
	f->up = up;
	f->bus = bus;
	f->devfn = devfn;
	f->vendor = (uint16_t)id;
	f->device = (uint16_t)(id >> 16);
	f->node = -1;
	f->intx_err = -PLINTH_ENOENT;
	for (tail = &h->funcs; *tail; tail = &(*tail)->next)
		;
	*tail = f;
	h->nfuncs++;
	ksnprintf(f->name, sizeof(f->name), "%04x:%02x:%02x.%u", h->cfg.domain, bus,
		  PCI_SLOT(devfn), PCI_FUNC(devfn));
	return f;
}

void pci_read_caps(struct pci_host *h, struct pci_func *f)
{
	uint32_t ptr;

	if (!((pci_read(h, f, PCI_COMMAND) >> 16) & PCI_STATUS_CAP_LIST))
		return;
	ptr = pci_read(h, f, PCI_CAP_PTR) & 0xfc;
	/* 48 entries fill the 192 bytes after the header: a loop is a broken list. */
	for (unsigned n = 0; ptr >= 0x40 && n < 48; n++) {
		uint32_t v = pci_read(h, f, (uint16_t)ptr);

		if ((v & 0xff) == PCI_CAP_MSI)
			f->caps |= PCI_HAS_MSI;
		else if ((v & 0xff) == PCI_CAP_MSIX)
			f->caps |= PCI_HAS_MSIX;
		ptr = (v >> 8) & 0xfc;
	}
}

static int scan_bus(struct pci_host *h, struct pci_func *up, uint8_t bus);

/* Bus numbers for a bridge found on `bus`; then the buses behind it. */
static void scan_bridge(struct pci_host *h, struct pci_func *f)
{
	uint32_t nums = pci_read(h, f, PCI_BUS_NUMBERS);
	uint8_t sec = (uint8_t)(nums >> 8), sub = (uint8_t)(nums >> 16);
	char b[16];

	if (h->cfg.probe_only && sec > h->last_bus && sec <= sub && sub <= h->cfg.bus_end) {
		f->secondary = sec;
		h->last_bus = sec;
		f->subordinate = (uint8_t)scan_bus(h, f, sec);
		if (f->subordinate < sub)
			f->subordinate = sub;	/* firmware reserved more: keep it */
		h->last_bus = f->subordinate;
		return;
	}
	if (h->last_bus >= h->cfg.bus_end) {
		kprintf("pci: %s: bridge left without buses: bus-range ends at %02x\n",
			pci_bdf(f, b, sizeof(b)), h->cfg.bus_end);
		pci_write(h, f, PCI_BUS_NUMBERS, (nums & 0xff000000u) | f->bus);
		return;
	}
	sec = (uint8_t)(h->last_bus + 1);
	h->last_bus = sec;
	/* Subordinate at the end of bus-range while we look behind it. */
	pci_write(h, f, PCI_BUS_NUMBERS, (nums & 0xff000000u) | (uint32_t)h->cfg.bus_end << 16 |
					 (uint32_t)sec << 8 | f->bus);
	f->secondary = sec;
	f->subordinate = (uint8_t)scan_bus(h, f, sec);
	pci_write(h, f, PCI_BUS_NUMBERS, (nums & 0xff000000u) | (uint32_t)f->subordinate << 16 |
					 (uint32_t)sec << 8 | f->bus);
}

static bool absent(uint32_t id)
{
	/* No function: all ones; broken ones read 0 or half of each. */
	return id == 0xffffffffu || id == 0 || (id & 0xffff) == 0xffff || (id & 0xffff) == 0;
}

/* One function found at bus/devfn with this ID dword. */
static struct pci_func *scan_func(struct pci_host *h, struct pci_func *up, uint8_t bus,
				  uint8_t devfn, uint32_t id)
{
	struct pci_func *f = new_func(h, up, bus, devfn, id);
	uint32_t v;
	char b[16];

	if (!f)
		return NULL;
	v = pci_read(h, f, PCI_CLASS_REVISION);
	f->revision = (uint8_t)v;
	f->class = v >> 8;
	f->hdr_type = pci_read8(h, f, PCI_HEADER_TYPE);
	f->pin = (uint8_t)(pci_read(h, f, PCI_INTERRUPT) >> 8);
	if (f->pin > 4)
		f->pin = 0;
	switch (f->hdr_type & 0x7f) {
	case 0:
		f->nbar = 6;
		break;
	case 1:
		f->nbar = 2;
		f->bridge = true;
		break;
	default:	/* CardBus and unknown layouts: listed, not sized */
		f->nbar = 0;
	}
	kprintf("pci: %s %04x:%04x class %06x (%s)%s\n", pci_bdf(f, b, sizeof(b)), f->vendor,
		f->device, f->class, pci_class_name(f->class), f->nbar ? "" : ", header not sized");
	size_bars(h, f);
	pci_read_caps(h, f);
	if (f->bridge) {
		bridge_windows(h, f);
		scan_bridge(h, f);
		kprintf("pci: %s: bridge to bus %02x-%02x\n", pci_bdf(f, b, sizeof(b)), f->secondary,
			f->subordinate);
	}
	return f;
}

/* Returns the highest bus number behind (or at) bus. */
static int scan_bus(struct pci_host *h, struct pci_func *up, uint8_t bus)
{
	for (unsigned dev = 0; dev < 32; dev++) {
		for (unsigned fn = 0; fn < 8; fn++) {
			uint8_t devfn = PCI_DEVFN(dev, fn);
			uint32_t id = h->ops->read(h->ctx, bus, devfn, PCI_VENDOR_ID);
			struct pci_func *f;

			if (absent(id)) {
				if (fn == 0)
					break;	/* no function 0: no device */
				continue;
			}
			if (h->nfuncs == PCI_MAX_FUNCS) {
				if (!h->full)
					kprintf("pci: more than %d functions, the rest ignored\n",
						PCI_MAX_FUNCS);
				h->full = true;
				return h->last_bus;
			}
			f = scan_func(h, up, bus, devfn, id);
			if (!f) {
				kprintf("pci: out of memory after %u functions\n", h->nfuncs);
				return h->last_bus;
			}
			if (fn == 0 && !(f->hdr_type & 0x80))
				break;	/* single-function device */
		}
	}
	return h->last_bus;
}

int pci_scan(struct pci_host *h)
{
	h->funcs = NULL;
	h->nfuncs = 0;
	h->full = false;
	h->last_bus = h->cfg.bus_start;
	scan_bus(h, NULL, h->cfg.bus_start);
	return (int)h->nfuncs;
}
