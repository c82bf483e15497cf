/* What a PCI host bridge's static objects say, for the MCFG nodes (ACPI
 * 6.5 6.1-6.2, 6.5.5-6.5.6: _SEG, _BBN, _CCA, _CRS, _PRT; PCI Firmware
 * Specification 3.2): dma-coherent, `ranges` and the I/O window an I/O-port
 * console is translated through, and `interrupt-map` (binding
 * pci/host-generic-pci.yaml and the PCI bus binding). Nothing is
 * evaluated: a method is reported and left to the board overlay. */
#include <string.h>
#include <plinth/err.h>
#include <plinth/printk.h>
#include "acpi.h"

#define LINK_CACHE	8
#define PRT_MAX		1024	/* interrupt-map entries taken from one _PRT */

/* The host bridge device for an MCFG entry: _SEG and _BBN both match (each
 * 0 when absent, ACPI 6.5 6.5.6-6.5.5), else the only bridge on the segment. */
static int pick_bridge(struct acpi_ctx *c, unsigned pcie, uint16_t seg, uint8_t bus,
		       struct aml_obj *out)
{
	const struct acpi_found_dev *by_seg = NULL;
	int n_seg = 0;

	for (const struct acpi_found_dev *f = c->bridges; f; f = f->next) {
		const struct aml_obj *d = &f->obj;
		uint64_t s = 0, b = 0;
		int gs = acpi_dev_integer(c, d->path, d, "_SEG", &s);
		int gb = acpi_dev_integer(c, d->path, d, "_BBN", &b);

		if (gs < 0 || s != seg)
			continue;
		if (gb >= 0 && b == bus) {
			*out = *d;
			return 1;
		}
		by_seg = f;
		n_seg++;
	}
	if (n_seg == 1) {
		acpi_log(c, "mcfg: pcie%u: %s is the only host bridge on segment %u: taken although its _BBN is not %u",
			 pcie, by_seg->obj.path, seg, bus);
		*out = by_seg->obj;
		return 1;
	}
	return 0;
}

/* One `ranges` entry (PCI bus binding: phys.hi space code, 64-bit PCI
 * address, 64-bit CPU address, 64-bit size). */
static void ranges_add(struct acpi_pcie *p, uint32_t space, uint64_t pci, uint64_t cpu,
		       uint64_t size)
{
	uint32_t *e = &p->ranges[7 * p->nranges++];

	e[0] = space;
	e[1] = (uint32_t)(pci >> 32), e[2] = (uint32_t)pci;
	e[3] = (uint32_t)(cpu >> 32), e[4] = (uint32_t)cpu;
	e[5] = (uint32_t)(size >> 32), e[6] = (uint32_t)size;
}

/* An I/O window, for an SPCR UART named by port (acpi_pio_translate). */
static int note_pio(struct acpi_ctx *c, unsigned pcie, uint16_t seg, const struct acpi_res *r)
{
	struct acpi_pio *w = acpi_alloc(c, sizeof(*w)), **tail = &c->pio;

	if (!w)
		return -FDT_ERR_NOSPACE;
	*w = (struct acpi_pio){ .seg = seg, .start = r->min, .end = r->min + r->len - 1,
				.offset = r->offset, .pcie = pcie };
	while (*tail)
		tail = &(*tail)->next;
	*tail = w;
	return 0;
}

/* The windows a _CRS produces: I/O and memory, with a length. */
static int is_window(const struct acpi_res *r)
{
	return r->producer && r->len && (r->type == RES_IO || r->type == RES_MEMORY);
}

/* ranges from a static _CRS: I/O first, then 32-bit and 64-bit memory, so
 * the order does not depend on the firmware's. */
static int ranges(struct acpi_ctx *c, struct acpi_pcie *p, const char *dev, const uint8_t *buf,
		  uint32_t blen)
{
	struct res_iter it;
	struct acpi_res r;
	char list[160] = "";
	unsigned windows = 0;
	int got;

	res_iter_init(&it, buf, blen);
	while ((got = res_next(&it, &r)) > 0)
		windows += is_window(&r);
	if (got < 0) {
		acpi_log(c, "mcfg: pcie%u: %s._CRS: malformed resource template: ranges left to the board overlay",
			 p->n, dev);
		return 0;
	}
	if (!windows) {
		acpi_log(c, "mcfg: pcie%u: %s._CRS has no I/O or memory window: ranges left to the board overlay",
			 p->n, dev);
		return 0;
	}
	if (!(p->ranges = acpi_alloc(c, 7 * windows * sizeof(p->ranges[0]))))
		return -FDT_ERR_NOSPACE;
	for (int pass = 0; pass < 3; pass++) {
		res_iter_init(&it, buf, blen);
		while (res_next(&it, &r) > 0) {
			uint64_t last = r.min + r.len - 1;
			int mem64 = last > 0xffffffffull;
			size_t n = strlen(list);

			if (!r.producer || !r.len)
				continue;
			if (pass == 0 && r.type == RES_BUS && (r.min != p->bus_start || last != p->bus_end))
				acpi_log(c, "mcfg: pcie%u: %s._CRS buses 0x%llx-0x%llx, MCFG says %u-%u: MCFG kept",
					 p->n, dev, (unsigned long long)r.min, (unsigned long long)last,
					 p->bus_start, p->bus_end);
			if (pass == 0 && r.type == RES_IO) {
				ranges_add(p, DT_PCI_SPACE_IO, r.min, r.min + r.offset, r.len);
				if (note_pio(c, p->n, p->seg, &r) < 0)
					return -FDT_ERR_NOSPACE;
				ksnprintf(list + n, sizeof(list) - n, "%sio 0x%llx+0x%llx", n ? ", " : "",
					  (unsigned long long)(r.min + r.offset), (unsigned long long)r.len);
			} else if (r.type == RES_MEMORY && pass == 1 + mem64) {
				ranges_add(p, (mem64 ? DT_PCI_SPACE_MEM64 : DT_PCI_SPACE_MEM32) |
					   (r.prefetchable ? DT_PCI_PREFETCHABLE : 0),
					   r.min, r.min + r.offset, r.len);
				ksnprintf(list + n, sizeof(list) - n, "%smem%s%s 0x%llx+0x%llx", n ? ", " : "",
					  mem64 ? "64" : "32", r.prefetchable ? " pref" : "",
					  (unsigned long long)(r.min + r.offset), (unsigned long long)r.len);
			}
		}
	}
	acpi_log(c, "mcfg: pcie%u: ranges from %s._CRS: %s", p->n, dev, list);
	p->enabled = 1;
	return 0;
}

/* What a _PRT Source, as written, came to: the link device it names and its
 * interrupt. A _PRT names the same few links over and over: each spelling
 * is resolved and read once. */
struct link {
	uint8_t raw[24];
	uint32_t len;
	int ok;				/* a link with a static interrupt */
	uint32_t gsiv, flags;
	char name[ACPI_PATH_MAX];	/* its path; the raw name, printable, when unresolved */
};

struct link_cache {
	struct link e[LINK_CACHE];
	struct link spare;		/* past LINK_CACHE, or a name too long to keep */
	unsigned n;
};

/* The interrupts a link's static resource template (`obj`: _CRS or _PRS)
 * lists: how many, and the first one in *gsiv / *flags. 0 when the object is
 * absent, a method or not a buffer. */
static unsigned link_irqs(struct acpi_ctx *c, const char *link, const struct aml_obj *where,
			  const char *obj, uint32_t *gsiv, uint32_t *flags)
{
	struct aml_obj o;
	struct res_iter it;
	struct acpi_res r;
	const uint8_t *buf;
	uint32_t blen;
	unsigned n = 0;

	if (!acpi_dev_child(c, link, where, obj, &o) || o.kind != AML_NAME ||
	    aml_buffer(o.data, o.len, &buf, &blen) < 0)
		return 0;
	res_iter_init(&it, buf, blen);
	while (res_next(&it, &r) > 0) {
		if (r.type != RES_IRQ)
			continue;
		if (n == 0) {
			*gsiv = r.irq;
			*flags = dt_irq_type(r.edge, r.active_low);
		}
		n += r.nirq;
	}
	return n;
}

/* A _PRT Source: an interrupt link device (PNP0C0F) whose static _CRS
 * holds the interrupt; else (EDK2: `Return (_PRS)`) a static _PRS offering
 * exactly one interrupt, which must be the one used. */
static const struct link *link_of(struct acpi_ctx *c, const char *scope, const uint8_t *p,
				  uint32_t len, struct link_cache *lc)
{
	struct aml_obj dev = { .data = NULL };
	struct link *l;

	for (unsigned i = 0; i < lc->n; i++)
		if (lc->e[i].len == len && memcmp(lc->e[i].raw, p, len) == 0)
			return &lc->e[i];
	l = lc->n < LINK_CACHE && len <= sizeof(l->raw) ? &lc->e[lc->n++] : &lc->spare;
	memset(l, 0, sizeof(*l));
	memcpy(l->raw, p, len < sizeof(l->raw) ? len : sizeof(l->raw));
	l->len = len;
	if (!aml_resolve_device(c, scope, p, len, l->name, sizeof(l->name), &dev)) {
		log_printable(l->name, sizeof(l->name), (const char *)p, len);
		return l;
	}
	/* the device's own body is where its _CRS and _PRS are looked for first */
	l->ok = link_irqs(c, l->name, &dev, "_CRS", &l->gsiv, &l->flags) > 0 ||
		link_irqs(c, l->name, &dev, "_PRS", &l->gsiv, &l->flags) == 1;
	return l;
}

/* What a _PRT walk keeps: the link caches, and the counts for its log line. */
struct prt_walk {
	struct link_cache links_seen;
	unsigned mapped, skipped, links;
	char why[ACPI_PATH_MAX + 48];
};

/* One _PRT package (ACPI 6.5 6.2.13: Address, Pin, Source, Source Index)
 * -> one interrupt-map entry; 0 when it cannot be mapped (counted in w). */
static int prt_entry(struct acpi_ctx *c, const char *dev, struct prt_walk *w, const uint8_t *e,
		     uint32_t elen, uint32_t entry[10])
{
	struct aml_pkg ent;
	const uint8_t *f[4] = { NULL };
	uint32_t flen[4] = { 0 }, gsiv, flags = DT_IRQ_LEVEL_HIGH, spec[3];
	uint64_t addr, pin, idx;
	int norm, n = 0;

	if (aml_package(e, elen, &ent) == 0)
		while (n < 4 && aml_pkg_next(&ent, &f[n], &flen[n]) > 0)
			n++;
	if (n < 4 || aml_integer(f[0], flen[0], &addr) < 0 ||
	    aml_integer(f[1], flen[1], &pin) < 0 || pin > 3)
		goto skip;
	if (aml_is_namestring(f[2], flen[2])) {
		const struct link *l = link_of(c, dev, f[2], flen[2], &w->links_seen);

		w->links++;
		if (!l->ok) {
			if (!w->why[0])
				ksnprintf(w->why, sizeof(w->why), " (first: link %s has no static interrupt)",
					  l->name);
			goto skip;
		}
		gsiv = l->gsiv;
		flags = l->flags;
	} else if (aml_integer(f[3], flen[3], &idx) == 0 && idx <= 0xffffffffu) {
		gsiv = (uint32_t)idx;
	} else {
		goto skip;
	}
	if (acpi_gic_spec(c, gsiv, flags, spec, &norm) < 0) {
		if (!w->why[0])
			ksnprintf(w->why, sizeof(w->why), " (first: GSIV %u is not an SPI)", gsiv);
		goto skip;
	}
	/* _PRT Address: device in the high word (the function is 0xFFFF: all) */
	entry[0] = DT_PCI_ADDR(0, (addr >> 16) & 0x1f, 0);
	entry[1] = entry[2] = 0;
	entry[3] = (uint32_t)pin + 1;
	entry[4] = c->m.gic.phandle;
	entry[5] = entry[6] = 0;		/* the GIC's #address-cells = 2 */
	memcpy(&entry[7], spec, sizeof(spec));
	w->mapped++;
	return 1;
skip:
	w->skipped++;
	return 0;
}

/* interrupt-map from a static _PRT: one entry per (device, pin); the mask
 * (emit) keeps the device number and the pin. One pass over the package,
 * into room for every element it says it has. */
static int prt(struct acpi_ctx *c, struct acpi_pcie *p, const struct aml_obj *bridge)
{
	const char *dev = bridge->path;
	struct prt_walk w;
	struct aml_pkg top;
	struct aml_obj o;
	const uint8_t *e;
	uint32_t elen;
	unsigned more = 0, room;

	if (!acpi_dev_child(c, dev, bridge, "_PRT", &o))
		return 0;
	if (!c->m.gic.present) {
		acpi_log(c, "mcfg: pcie%u: no GIC: %s._PRT not converted", p->n, dev);
		return 0;
	}
	if (o.kind != AML_NAME || aml_package(o.data, o.len, &top) < 0) {
		acpi_log(c, "mcfg: pcie%u: %s._PRT is %s: no interrupt-map", p->n, dev,
			 o.kind == AML_METHOD ? "a method" : "not a package");
		return 0;
	}
	room = top.left < PRT_MAX ? top.left : PRT_MAX;
	if (room && !(p->imap = acpi_alloc(c, room * 10 * sizeof(p->imap[0]))))
		return -FDT_ERR_NOSPACE;
	memset(&w, 0, sizeof(w));
	while (aml_pkg_next(&top, &e, &elen) > 0) {
		if (w.mapped == room) {
			more++;
			continue;
		}
		prt_entry(c, dev, &w, e, elen, &p->imap[10 * w.mapped]);
	}
	if (more)
		acpi_log(c, "mcfg: pcie%u: %s._PRT: %u entries past the first %u mappable ones not read",
			 p->n, dev, more, PRT_MAX);
	if (!w.mapped) {
		acpi_log(c, "mcfg: pcie%u: %s._PRT: no entry could be mapped%s: no interrupt-map", p->n,
			 dev, w.why);
		return 0;
	}
	p->nimap = w.mapped;
	acpi_log(c, "mcfg: pcie%u: interrupt-map from %s._PRT: %u entries%s, %u skipped%s", p->n, dev,
		 p->nimap, w.links ? " through link devices (static _CRS, or a _PRS with one choice)" : " (GSIVs)",
		 w.skipped, w.why);
	return 0;
}

int acpi_host_bridge(struct acpi_ctx *c, struct acpi_pcie *p)
{
	struct aml_obj bridge, o;
	const uint8_t *buf;
	const char *dev;
	uint32_t blen;
	uint64_t cca;
	int err;

	if (!c->naml) {
		acpi_log(c, "mcfg: pcie%u: no DSDT: ranges left to the board overlay", p->n);
		return 0;
	}
	if (!pick_bridge(c, p->n, p->seg, (uint8_t)p->bus_start, &bridge)) {
		acpi_log(c, "mcfg: pcie%u: no host bridge device (PNP0A08/PNP0A03) with _SEG %u, _BBN %u: ranges left to the board overlay",
			 p->n, p->seg, p->bus_start);
		return 0;
	}
	dev = bridge.path;
	if (acpi_dev_integer(c, dev, &bridge, "_CCA", &cca) > 0 && cca)
		p->dma_coherent = 1;
	if (!acpi_dev_child(c, dev, &bridge, "_CRS", &o))
		acpi_log(c, "mcfg: pcie%u: %s has no _CRS: ranges left to the board overlay", p->n, dev);
	else if (o.kind != AML_NAME || aml_buffer(o.data, o.len, &buf, &blen) < 0)
		acpi_log(c, "mcfg: pcie%u: %s._CRS is %s: ranges left to the board overlay", p->n, dev,
			 o.kind == AML_METHOD ? "a method" : "not a resource template");
	else if ((err = ranges(c, p, dev, buf, blen)) < 0)
		return err;
	return prt(c, p, &bridge);
}
