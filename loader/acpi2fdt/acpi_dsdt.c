/* DSDT/SSDT -> UART candidates, and host-bridge facts for the MCFG nodes,
 * read from static objects only (ACPI 6.5 6.1-6.2: _HID, _CID, _STA, _CRS,
 * _DSD, _SEG, _BBN, _CCA, _PRT). Nothing is evaluated: an object that is a
 * method is reported as such and its facts are left to the board overlay. */
#include <libfdt.h>
#include <string.h>
#include <plinth/err.h>
#include <plinth/printk.h>
#include "acpi.h"

#define MAX_FOUND	32
#define LINK_CACHE	8
#define PRT_MAX		1024	/* interrupt-map entries */

static const struct {
	const char *hid;
	enum uart_kind kind;
} uart_hids[] = {
	{ "PNP0501", UART_16550 },	/* 16550A-compatible COM port */
	{ "ARMH0011", UART_PL011 },	/* Arm PL011 */
	{ "ARMHB000", UART_SBSA },	/* Arm SBSA generic UART */
};

/* Devices whose _HID or _CID is one of `ids`, collected by one walk. */
struct found {
	struct acpi_ctx *c;
	const char *const *ids;
	unsigned nids;
	unsigned n, dropped;
	struct {
		char id[12];
		struct aml_obj obj;	/* path; body when the ID sits in it */
	} dev[MAX_FOUND];
};

static int ends_with_seg(const char *path, const char *seg)
{
	size_t n = strlen(path);

	return n > 5 && path[n - 5] == '.' && memcmp(path + n - 4, seg, 4) == 0;
}

/* The device an _HID/_CID object belongs to. When the ID is declared in
 * the device's own TermList, that list is kept: its other objects are then
 * found there, even for a device declared by a prefixed name inside an
 * unrelated scope, where a path find does not look. */
static void found_add(struct found *f, const struct aml_obj *id_obj, const char *devpath,
		      const char *id)
{
	struct aml_obj *d;

	for (unsigned i = 0; i < f->n; i++)
		if (strcmp(f->dev[i].obj.path, devpath) == 0)
			return;
	if (f->n == MAX_FOUND) {
		f->dropped++;
		return;
	}
	str_copy(f->dev[f->n].id, sizeof(f->dev[0].id), id);
	d = &f->dev[f->n].obj;
	memset(d, 0, sizeof(*d));
	d->kind = AML_DEVICE;
	str_copy(d->path, sizeof(d->path), devpath);
	if (id_obj->scope_path && strcmp(id_obj->scope_path, devpath) == 0) {
		d->table = id_obj->table;
		d->data = id_obj->scope;
		d->len = id_obj->scope_len;
	}
	f->n++;
}

static void match_id(struct found *f, const struct aml_obj *o, const uint8_t *p, uint32_t len)
{
	char id[16], dev[ACPI_PATH_MAX];

	if (aml_hardware_id(p, len, id, sizeof(id)) < 0)
		return;
	for (unsigned i = 0; i < f->nids; i++) {
		if (strcmp(id, f->ids[i]) == 0) {
			aml_parent(o->path, dev, sizeof(dev));
			found_add(f, o, dev, id);
		}
	}
}

static int found_visit(void *arg, const struct aml_obj *o)
{
	struct found *f = arg;
	struct aml_pkg pkg;
	const uint8_t *e;
	uint32_t elen;

	if (o->kind != AML_NAME)
		return 0;
	if (ends_with_seg(o->path, "_HID")) {
		match_id(f, o, o->data, o->len);
	} else if (ends_with_seg(o->path, "_CID")) {
		/* _CID: one ID or a package of them (ACPI 6.5 6.1.2) */
		if (aml_package(o->data, o->len, &pkg) == 0) {
			while (aml_pkg_next(&pkg, &e, &elen) > 0)
				match_id(f, o, e, elen);
		} else {
			match_id(f, o, o->data, o->len);
		}
	}
	return 0;
}

static void find_devices(struct acpi_ctx *c, struct found *f, const char *const *ids,
			 unsigned nids, int log)
{
	f->c = c;
	f->ids = ids;
	f->nids = nids;
	f->n = f->dropped = 0;
	aml_walk(c, found_visit, f, log);
}

/* The object `dev`.`seg` ("_CRS"), when declared: in the device's body
 * when it is known, else anywhere. */
static int child(struct acpi_ctx *c, const char *dev, const struct aml_obj *where, const char *seg,
		 struct aml_obj *o)
{
	char path[ACPI_PATH_MAX];

	if (ksnprintf(path, sizeof(path), "%s.%s", dev, seg) >= (int)sizeof(path))
		return 0;
	if (where && where->data && aml_find_in(c, where, path, o))
		return 1;
	return aml_find(c, path, o);
}

/* A static integer child (_SEG, _BBN, _CCA): 1 got it, 0 absent, -1 a
 * method or not an integer. */
static int child_integer(struct acpi_ctx *c, const char *dev, const struct aml_obj *where,
			 const char *seg, uint64_t *v)
{
	struct aml_obj o;

	if (!child(c, dev, where, seg, &o))
		return 0;
	if (o.kind != AML_NAME || aml_integer(o.data, o.len, v) < 0)
		return -1;
	return 1;
}

/* An interrupt resource's trigger and polarity as the binding's flags
 * (1 edge rising, 2 edge falling, 4 level high, 8 level low). */
static uint32_t irq_flags(const struct acpi_res *r)
{
	return r->edge ? (r->active_low ? 2 : 1) : (r->active_low ? 8 : 4);
}

int acpi_devinfo(struct acpi_ctx *c, const char *dev, const struct aml_obj *where,
		 struct acpi_devinfo *di)
{
	const uint8_t *buf;
	uint32_t blen;
	struct aml_obj o;
	struct acpi_res r;
	struct res_iter it;
	uint64_t v;
	int got;

	memset(di, 0, sizeof(*di));
	di->sta = 1;
	di->reg_shift = di->io_width = -1;
	/* _STA absent = present (6.3.7); a method cannot be evaluated here. */
	got = child_integer(c, dev, where, "_STA", &v);
	if (got < 0)
		di->sta = 2;
	else if (got > 0 && !(v & 1))
		di->sta = 0;
	if (child(c, dev, where, "_CRS", &o)) {
		di->crs = -1;
		if (o.kind == AML_NAME && aml_buffer(o.data, o.len, &buf, &blen) == 0) {
			di->crs = 1;
			res_iter_init(&it, buf, blen);
			while (res_next(&it, &r) > 0) {
				if (r.type == RES_MEMORY && r.len && !di->have_mem) {
					di->have_mem = 1;
					di->base = r.min + r.offset;
					di->size = r.len;
				} else if (r.type == RES_IRQ && !di->have_irq) {
					di->have_irq = 1;
					di->gsiv = r.irq;
					di->irq_flags = irq_flags(&r);
				}
			}
		}
	}
	if (child(c, dev, where, "_DSD", &o) && o.kind == AML_NAME) {
		if (aml_dsd_integer(o.data, o.len, "clock-frequency", &v) == 0)
			di->clock_hz = v;
		if (aml_dsd_integer(o.data, o.len, "reg-shift", &v) == 0 && v < 8)
			di->reg_shift = (int)v;
		if (aml_dsd_integer(o.data, o.len, "reg-io-width", &v) == 0 && v <= 8)
			di->io_width = (int)v;
	}
	return 0;
}

/* ------------------------------------------------------------ UART scan ---- */

static void scan_one(struct acpi_ctx *c, const struct aml_obj *dev, const char *hid,
		     enum uart_kind kind)
{
	const char *path = dev->path;
	struct acpi_devinfo di;
	struct acpi_uart u;
	char g[40] = "no interrupt", clk[96] = "";

	acpi_devinfo(c, path, dev, &di);
	if (di.sta == 0) {
		acpi_log(c, "dsdt: %s (%s): static _STA says absent: skipped", path, hid);
		return;
	}
	if (di.crs == 0 || di.crs < 0) {
		acpi_log(c, "dsdt: %s (%s): %s: skipped", path, hid,
			 di.crs == 0 ? "no _CRS" : "_CRS is a method (resources set at run time), not read");
		return;
	}
	if (!di.have_mem || di.base == 0) {
		acpi_log(c, "dsdt: %s (%s): static _CRS has %s: skipped", path, hid,
			 di.have_mem ? "base 0 (a method patches it at run time)" : "no memory resource");
		return;
	}
	acpi_uart_init(&u, kind, SRC_DSDT);
	str_copy(u.path, sizeof(u.path), path);
	u.base = di.base;
	u.size = di.size;
	u.size_from_crs = 1;
	if (di.have_irq) {
		u.gsiv = di.gsiv;
		u.irq_flags = di.irq_flags;
		acpi_gsiv_str(di.gsiv, g, sizeof(g));
	}
	if (di.clock_hz && di.clock_hz <= 0xffffffffu) {
		u.clock_hz = (uint32_t)di.clock_hz;
		ksnprintf(clk, sizeof(clk), ", clock %u Hz (_DSD)", u.clock_hz);
	}
	u.reg_shift = di.reg_shift;
	u.io_width = di.io_width;
	if (kind == UART_16550 && (di.reg_shift >= 0 || di.io_width >= 0)) {
		/* Both or neither: the binding's defaults are 0 and 1. */
		if (u.reg_shift < 0)
			u.reg_shift = 0;
		if (u.io_width < 0)
			u.io_width = 1;
		size_t n = strlen(clk);
		ksnprintf(clk + n, sizeof(clk) - n, ", reg-shift %d reg-io-width %d (_DSD)", u.reg_shift,
			  u.io_width);
	}
	acpi_log(c, "dsdt: %s (%s): %s at 0x%llx+0x%llx, %s%s%s", path, hid,
		 acpi_uart_compatible(kind), (unsigned long long)u.base, (unsigned long long)u.size, g,
		 clk, di.sta == 2 ? ", _STA is a method: taken as present" : "");
	acpi_uart_add(c, &u, path);
}

int acpi_dsdt(struct acpi_ctx *c)
{
	static const char *const ids[] = { "PNP0501", "ARMH0011", "ARMHB000" };
	struct found f;

	if (!c->naml) {
		acpi_log(c, "dsdt: no DSDT or SSDT: no namespace to scan for UARTs");
		return 0;
	}
	/* The walk that logs each table's summary. */
	find_devices(c, &f, ids, 3, 1);
	if (!f.n)
		acpi_log(c, "dsdt: no PNP0501, ARMH0011 or ARMHB000 device in %u table(s)", c->naml);
	if (f.dropped)
		acpi_log(c, "dsdt: %u more UART devices past the first %u: not read", f.dropped, MAX_FOUND);
	for (unsigned i = 0; i < f.n; i++)
		for (unsigned k = 0; k < sizeof(uart_hids) / sizeof(uart_hids[0]); k++)
			if (strcmp(f.dev[i].id, uart_hids[k].hid) == 0)
				scan_one(c, &f.dev[i].obj, f.dev[i].id, uart_hids[k].kind);
	return 0;
}

/* ---------------------------------------------------------- host bridge ---- */

/* The host bridge device for an MCFG entry: _SEG and _BBN both match (each
 * 0 when absent, ACPI 6.5 6.5.6-6.5.5), else the only bridge on the segment. */
static int pick_bridge(struct acpi_ctx *c, const struct found *f, unsigned pcie, uint16_t seg,
		       uint8_t bus, struct aml_obj *out)
{
	int by_seg = -1, n_seg = 0;

	for (unsigned i = 0; i < f->n; i++) {
		const struct aml_obj *d = &f->dev[i].obj;
		uint64_t s = 0, b = 0;
		int gs = child_integer(c, d->path, d, "_SEG", &s);
		int gb = child_integer(c, d->path, d, "_BBN", &b);

		if (gs < 0 || s != seg)
			continue;
		if (gb >= 0 && b == bus) {
			*out = *d;
			return 1;
		}
		by_seg = (int)i;
		n_seg++;
	}
	if (n_seg == 1) {
		acpi_log(c, "mcfg: pcie%u: %s is the only host bridge on segment %u: taken although its _BBN is not %u",
			 pcie, f->dev[by_seg].obj.path, seg, bus);
		*out = f->dev[by_seg].obj;
		return 1;
	}
	return 0;
}

struct ranges {
	uint32_t cells[7 * 16];
	unsigned n;
};

/* One `ranges` entry (PCI bus binding: phys.hi space code, 64-bit PCI
 * address, 64-bit CPU address, 64-bit size). */
static void ranges_add(struct ranges *rg, uint32_t space, uint64_t pci, uint64_t cpu, uint64_t size)
{
	uint32_t *e;

	if (rg->n == 16)
		return;
	e = &rg->cells[7 * rg->n++];
	e[0] = space;
	e[1] = (uint32_t)(pci >> 32), e[2] = (uint32_t)pci;
	e[3] = (uint32_t)(cpu >> 32), e[4] = (uint32_t)cpu;
	e[5] = (uint32_t)(size >> 32), e[6] = (uint32_t)size;
}

static void note_pio(struct acpi_ctx *c, unsigned pcie, uint16_t seg, const struct acpi_res *r)
{
	if (c->npio == ACPI_MAX_PIO)
		return;
	c->pio[c->npio++] = (struct acpi_pio){ .seg = seg, .start = r->min,
					       .end = r->min + r->len - 1, .offset = r->offset,
					       .pcie = pcie };
}

/* ranges from a static _CRS: I/O first, then 32-bit and 64-bit memory, so
 * the order does not depend on the firmware's. */
static int write_ranges(struct acpi_ctx *c, int node, unsigned pcie, uint16_t seg,
			const char *dev, const uint8_t *buf, uint32_t blen, uint8_t bus_start,
			uint8_t bus_end)
{
	struct ranges rg = { .n = 0 };
	struct res_iter it;
	struct acpi_res r;
	char list[160] = "";
	int got, err;

	for (int pass = 0; pass < 3; pass++) {
		res_iter_init(&it, buf, blen);
		while ((got = res_next(&it, &r)) > 0) {
			uint64_t last = r.min + r.len - 1;
			int mem64 = last > 0xffffffffull;
			size_t n = strlen(list);

			if (!r.producer || !r.len)
				continue;
			if (pass == 0 && r.type == RES_BUS && (r.min != bus_start || last != bus_end))
				acpi_log(c, "mcfg: pcie%u: %s._CRS buses 0x%llx-0x%llx, MCFG says %u-%u: MCFG kept",
					 pcie, dev, (unsigned long long)r.min, (unsigned long long)last,
					 bus_start, bus_end);
			if (pass == 0 && r.type == RES_IO) {
				ranges_add(&rg, 0x01000000, r.min, r.min + r.offset, r.len);
				note_pio(c, pcie, seg, &r);
				ksnprintf(list + n, sizeof(list) - n, "%sio 0x%llx+0x%llx", n ? ", " : "",
					  (unsigned long long)(r.min + r.offset), (unsigned long long)r.len);
			} else if (r.type == RES_MEMORY && pass == 1 + mem64) {
				ranges_add(&rg, (mem64 ? 0x03000000 : 0x02000000) |
						(r.prefetchable ? 0x40000000 : 0),
					   r.min, r.min + r.offset, r.len);
				ksnprintf(list + n, sizeof(list) - n, "%smem%s%s 0x%llx+0x%llx", n ? ", " : "",
					  mem64 ? "64" : "32", r.prefetchable ? " pref" : "",
					  (unsigned long long)(r.min + r.offset), (unsigned long long)r.len);
			}
		}
		if (got < 0) {
			acpi_log(c, "mcfg: pcie%u: %s._CRS: malformed resource template: ranges left to the board overlay",
				 pcie, dev);
			return 0;
		}
	}
	if (!rg.n) {
		acpi_log(c, "mcfg: pcie%u: %s._CRS has no I/O or memory window: ranges left to the board overlay",
			 pcie, dev);
		return 0;
	}
	if ((err = acpi_fdt_u32s(c, node, "ranges", rg.cells, 7 * rg.n)) < 0)
		return err;
	acpi_log(c, "mcfg: pcie%u: ranges from %s._CRS: %s", pcie, dev, list);
	return 1;
}

/* _PRT source names as written -> what aml_resolve made of them. */
struct resolve_cache {
	struct {
		uint8_t raw[24];
		uint32_t len;
		int resolved;
		char name[ACPI_PATH_MAX];	/* resolved path, or printable raw */
	} e[LINK_CACHE];
	unsigned n;
};

struct link_cache {
	char name[ACPI_PATH_MAX];
	int ok;
	uint32_t gsiv, flags;
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

	if (!child(c, link, where, obj, &o) || o.kind != AML_NAME ||
	    aml_buffer(o.data, o.len, &buf, &blen) < 0)
		return 0;
	res_iter_init(&it, buf, blen);
	while (res_next(&it, &r) > 0) {
		if (r.type != RES_IRQ)
			continue;
		if (n == 0) {
			*gsiv = r.irq;
			*flags = irq_flags(&r);
		}
		n += r.nirq;
	}
	return n;
}

/* A _PRT source: an interrupt link device (PNP0C0F) whose static _CRS
 * holds the interrupt. */
static int link_gsiv(struct acpi_ctx *c, const char *scope, const uint8_t *p, uint32_t len,
		     struct link_cache *cache, unsigned *ncache, struct resolve_cache *rc,
		     uint32_t *gsiv, uint32_t *flags,
		     char *name, size_t size)
{
	struct aml_obj link = { .data = NULL };
	unsigned i;

	/* A _PRT names the same few links over and over: resolve each
	 * source name once (aml_resolve walks the namespace). */
	for (i = 0; i < rc->n; i++)
		if (rc->e[i].len == len && memcmp(rc->e[i].raw, p, len) == 0)
			break;
	if (i < rc->n) {
		str_copy(name, size, rc->e[i].name);
		if (!rc->e[i].resolved)
			return 0;
	} else {
		int resolved = aml_resolve(c, scope, p, len, name, size, &link);

		if (!resolved)
			log_printable(name, size, (const char *)p, len);
		if (rc->n < LINK_CACHE && len <= sizeof(rc->e[0].raw)) {
			i = rc->n++;
			memcpy(rc->e[i].raw, p, len);
			rc->e[i].len = len;
			rc->e[i].resolved = resolved;
			str_copy(rc->e[i].name, sizeof(rc->e[i].name), name);
		}
		if (!resolved)
			return 0;
	}
	for (i = 0; i < *ncache; i++)
		if (strcmp(cache[i].name, name) == 0)
			break;
	if (i == *ncache) {
		/* the link's own body, when just resolved, is where its
		 * _CRS and _PRS are looked for first */
		const struct aml_obj *where = link.data && link.kind == AML_DEVICE ? &link : NULL;

		i = *ncache < LINK_CACHE ? (*ncache)++ : LINK_CACHE - 1;
		str_copy(cache[i].name, sizeof(cache[i].name), name);
		/* the static _CRS; else (EDK2: `Return (_PRS)`) a static _PRS
		 * offering exactly one interrupt, which must be the one used */
		cache[i].ok = link_irqs(c, name, where, "_CRS", &cache[i].gsiv, &cache[i].flags) > 0 ||
			      link_irqs(c, name, where, "_PRS", &cache[i].gsiv, &cache[i].flags) == 1;
	}
	*gsiv = cache[i].gsiv;
	*flags = cache[i].flags;
	return cache[i].ok;
}

/* What a _PRT walk keeps: the link caches, and the counts for its log line. */
struct prt_walk {
	struct link_cache cache[LINK_CACHE];
	struct resolve_cache rc;
	unsigned ncache, mapped, skipped, links;
	char why[ACPI_PATH_MAX + 48];
};

/* One _PRT package (ACPI 6.5 6.2.13: Address, Pin, Source, Source Index)
 * -> one interrupt-map entry; 0 when it cannot be mapped (counted in w). */
static int prt_entry(struct acpi_ctx *c, const char *dev, struct prt_walk *w, const uint8_t *e,
		     uint32_t elen, uint32_t entry[10])
{
	struct aml_pkg ent;
	const uint8_t *f[4] = { NULL };
	uint32_t flen[4] = { 0 }, gsiv, flags = 4, spec[3];
	uint64_t addr, pin, idx;
	int norm, n = 0;
	char name[ACPI_PATH_MAX];

	if (aml_package(e, elen, &ent) == 0)
		while (n < 4 && aml_pkg_next(&ent, &f[n], &flen[n]) > 0)
			n++;
	if (n < 4 || aml_integer(f[0], flen[0], &addr) < 0 ||
	    aml_integer(f[1], flen[1], &pin) < 0 || pin > 3)
		goto skip;
	if (aml_is_namestring(f[2], flen[2])) {
		w->links++;
		if (!link_gsiv(c, dev, f[2], flen[2], w->cache, &w->ncache, &w->rc, &gsiv, &flags,
			       name, sizeof(name))) {
			if (!w->why[0])
				ksnprintf(w->why, sizeof(w->why), " (first: link %s has no static interrupt)",
					  name);
			goto skip;
		}
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
	entry[0] = (uint32_t)((addr >> 16) & 0x1f) << 11;
	entry[1] = entry[2] = 0;
	entry[3] = (uint32_t)pin + 1;
	entry[4] = c->gic_phandle;
	entry[5] = entry[6] = 0;		/* the GIC's #address-cells = 2 */
	memcpy(&entry[7], spec, sizeof(spec));
	w->mapped++;
	return 1;
skip:
	w->skipped++;
	return 0;
}

/* interrupt-map from a static _PRT: one entry per (device, pin); the mask
 * keeps the device number and the pin. Two passes over the package: the
 * first counts what maps (and fills the link caches), the second writes the
 * property in place at its final size. */
static int write_prt(struct acpi_ctx *c, int node, unsigned pcie, const struct aml_obj *bridge)
{
	const char *dev = bridge->path;
	static const uint32_t mask[4] = { 0xf800, 0, 0, 7 };
	struct prt_walk w;
	struct aml_pkg top;
	struct aml_obj o;
	const uint8_t *e;
	uint32_t elen, entry[10];
	unsigned mapped, skipped, links, i = 0;
	uint8_t *map;
	int err;

	if (!child(c, dev, bridge, "_PRT", &o))
		return 0;
	if (!c->gic_phandle) {
		acpi_log(c, "mcfg: pcie%u: no GIC: %s._PRT not converted", pcie, dev);
		return 0;
	}
	if (o.kind != AML_NAME || aml_package(o.data, o.len, &top) < 0) {
		acpi_log(c, "mcfg: pcie%u: %s._PRT is %s: no interrupt-map", pcie, dev,
			 o.kind == AML_METHOD ? "a method" : "not a package");
		return 0;
	}
	memset(&w, 0, sizeof(w));
	while (w.mapped < PRT_MAX && aml_pkg_next(&top, &e, &elen) > 0)
		prt_entry(c, dev, &w, e, elen, entry);
	if (!w.mapped) {
		acpi_log(c, "mcfg: pcie%u: %s._PRT: no entry could be mapped%s: no interrupt-map", pcie,
			 dev, w.why);
		return 0;
	}
	mapped = w.mapped, skipped = w.skipped, links = w.links;
	if ((err = fdt_setprop_placeholder(c->fdt, node, "interrupt-map", (int)(mapped * sizeof(entry)),
					   (void **)&map)) < 0)
		return err;
	aml_package(o.data, o.len, &top);
	while (i < mapped && aml_pkg_next(&top, &e, &elen) > 0) {
		if (!prt_entry(c, dev, &w, e, elen, entry))
			continue;
		for (unsigned k = 0; k < 10; k++) {
			fdt32_t v = cpu_to_fdt32(entry[k]);

			memcpy(map + (i * 10 + k) * sizeof(v), &v, sizeof(v));
		}
		i++;
	}
	if ((err = acpi_fdt_u32s(c, node, "interrupt-map-mask", mask, 4)) < 0 ||
	    (err = fdt_setprop_u32(c->fdt, node, "#interrupt-cells", 1)) < 0)
		return err;
	acpi_log(c, "mcfg: pcie%u: interrupt-map from %s._PRT: %u entries%s, %u skipped%s", pcie, dev,
		 mapped, links ? " through link devices (static _CRS, or a _PRS with one choice)" : " (GSIVs)",
		 skipped, w.why);
	return 0;
}

int acpi_host_bridge(struct acpi_ctx *c, int node, unsigned pcie, uint16_t seg,
		     uint8_t bus_start, uint8_t bus_end)
{
	static const char *const ids[] = { "PNP0A08", "PNP0A03" };
	struct aml_obj bridge, o;
	const uint8_t *buf;
	const char *dev;
	uint32_t blen;
	struct found f;
	uint64_t cca;
	int err, have = 0;

	if (!c->naml) {
		acpi_log(c, "mcfg: pcie%u: no DSDT: ranges left to the board overlay", pcie);
		return 0;
	}
	find_devices(c, &f, ids, 2, 0);
	if (!pick_bridge(c, &f, pcie, seg, bus_start, &bridge)) {
		acpi_log(c, "mcfg: pcie%u: no host bridge device (PNP0A08/PNP0A03) with _SEG %u, _BBN %u: ranges left to the board overlay",
			 pcie, seg, bus_start);
		return 0;
	}
	dev = bridge.path;
	if (child_integer(c, dev, &bridge, "_CCA", &cca) > 0 && cca &&
	    (err = fdt_setprop(c->fdt, node, "dma-coherent", NULL, 0)) < 0)
		return err;
	if (!child(c, dev, &bridge, "_CRS", &o))
		acpi_log(c, "mcfg: pcie%u: %s has no _CRS: ranges left to the board overlay", pcie, dev);
	else if (o.kind != AML_NAME || aml_buffer(o.data, o.len, &buf, &blen) < 0)
		acpi_log(c, "mcfg: pcie%u: %s._CRS is %s: ranges left to the board overlay", pcie, dev,
			 o.kind == AML_METHOD ? "a method" : "not a resource template");
	else if ((have = write_ranges(c, node, pcie, seg, dev, buf, blen, bus_start, bus_end)) < 0)
		return have;
	if ((err = write_prt(c, node, pcie, &bridge)) < 0)
		return err;
	return have;
}
