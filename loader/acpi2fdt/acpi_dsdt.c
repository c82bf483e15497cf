/* DSDT/SSDT -> UART candidates, and what a device's static objects say
 * (ACPI 6.5 6.1-6.2: _HID, _CID, _STA, _CRS, _DSD), which the UART scan, DBG2
 * and the host bridges (acpi_pci_host.c) read. Nothing is evaluated: an
 * object that is a method is reported as such and its facts are left to the
 * board overlay. */
#include <string.h>
#include <plinth/err.h>
#include <plinth/printk.h>
#include "acpi.h"

/* The UART IDs the scan looks for, and the model each one is. */
#define NUART_IDS 3
static const char *const uart_ids[NUART_IDS] = {
	"PNP0501",	/* 16550A-compatible COM port */
	"ARMH0011",	/* Arm PL011 */
	"ARMHB000",	/* Arm SBSA generic UART */
};
static const enum uart_kind uart_id_kinds[NUART_IDS] = { UART_16550, UART_PL011, UART_SBSA };

/* The host bridge IDs (PCI Firmware Specification 3.2, 4.1.5). */
#define NBRIDGE_IDS 2
static const char *const bridge_ids[NBRIDGE_IDS] = { "PNP0A08", "PNP0A03" };

/* The walk's state: the lists it fills. */
struct found {
	struct acpi_ctx *c;
	struct acpi_found_dev **uarts, **bridges;
	struct acpi_dev_ref **devices;
	int nospace;
};

/* The last segment of a path below the root ("_HID" of "\\_SB_.COM1._HID"),
 * or "". */
static const char *last_seg(const char *path)
{
	size_t n = strlen(path);

	return n > 5 && path[n - 5] == '.' ? path + n - 4 : "";
}

/* The device an _HID/_CID object belongs to. When the ID is declared in
 * the device's own TermList, that list is kept: its other objects are then
 * found there, even for a device declared by a prefixed name inside an
 * unrelated scope, where a path find does not look. */
static void found_add(struct found *f, struct acpi_found_dev **list, const struct aml_obj *id_obj,
		      const char *devpath, const char *id)
{
	struct acpi_found_dev *n;
	struct aml_obj *d;

	for (; *list; list = &(*list)->next)
		if (strcmp((*list)->obj.path, devpath) == 0)
			return;
	if (!(n = acpi_alloc(f->c, sizeof(*n)))) {
		f->nospace = 1;
		return;
	}
	str_copy(n->id, sizeof(n->id), id);
	d = &n->obj;
	d->kind = AML_DEVICE;
	str_copy(d->path, sizeof(d->path), devpath);
	if (id_obj->scope_path && strcmp(id_obj->scope_path, devpath) == 0) {
		d->table = id_obj->table;
		d->data = id_obj->scope;
		d->len = id_obj->scope_len;
	}
	*list = n;
}

static void match_id(struct found *f, const struct aml_obj *o, const uint8_t *p, uint32_t len)
{
	char id[16], dev[ACPI_PATH_MAX];

	if (aml_hardware_id(p, len, id, sizeof(id)) < 0)
		return;
	for (unsigned i = 0; i < NUART_IDS + NBRIDGE_IDS; i++) {
		int uart = i < NUART_IDS;

		if (strcmp(id, uart ? uart_ids[i] : bridge_ids[i - NUART_IDS]) == 0) {
			aml_parent(o->path, dev, sizeof(dev));
			found_add(f, uart ? f->uarts : f->bridges, o, dev, id);
		}
	}
}

/* Every Device, in walk order, with where its body is: for DBG2's
 * relative namespace strings and the _PRT's link references (acpi_device_at). */
static void note_device(struct found *f, const struct aml_obj *o)
{
	struct acpi_dev_ref *r = acpi_alloc(f->c, sizeof(*r));

	if (!r || !(r->path = acpi_strdup(f->c, "%s", o->path))) {
		f->nospace = 1;
		return;
	}
	r->table = o->table;
	r->body = o->data;
	r->len = o->len;
	r->off = o->off;
	r->next = NULL;
	*f->devices = r;
	f->devices = &r->next;
}

static int found_visit(void *arg, const struct aml_obj *o)
{
	struct found *f = arg;
	struct aml_pkg pkg;
	const uint8_t *e;
	uint32_t elen;
	const char *seg;

	if (o->kind == AML_DEVICE)
		note_device(f, o);
	if (o->kind != AML_NAME)
		return 0;
	seg = last_seg(o->path);
	if (strcmp(seg, "_HID") == 0) {
		match_id(f, o, o->data, o->len);
	} else if (strcmp(seg, "_CID") == 0) {
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

int acpi_find_device_suffix(const struct acpi_ctx *c, const char *suffix, char *out, size_t size)
{
	size_t m = strlen(suffix);
	const char *first = NULL;
	int n = 0;

	for (const struct acpi_dev_ref *r = c->devices; r; r = r->next) {
		size_t k = strlen(r->path);

		if (k > m && r->path[k - m - 1] == '.' && strcmp(r->path + k - m, suffix) == 0 &&
		    (!first || strcmp(r->path, first) != 0) && n++ == 0)
			first = r->path;
	}
	if (n == 1)
		str_copy(out, size, first);
	return n;
}

int acpi_device_at(const struct acpi_ctx *c, const char *path, struct aml_obj *out)
{
	for (const struct acpi_dev_ref *r = c->devices; r; r = r->next)
		if (strcmp(r->path, path) == 0) {
			*out = (struct aml_obj){ .kind = AML_DEVICE, .table = r->table, .off = r->off,
						 .data = r->body, .len = r->len };
			str_copy(out->path, sizeof(out->path), r->path);
			return 1;
		}
	return 0;
}

int acpi_dev_child(struct acpi_ctx *c, const char *dev, const struct aml_obj *where,
		   const char *seg, struct aml_obj *o)
{
	char path[ACPI_PATH_MAX];

	if (ksnprintf(path, sizeof(path), "%s.%s", dev, seg) >= (int)sizeof(path))
		return 0;
	if (where && where->data && aml_find_in(c, where, path, o))
		return 1;
	return aml_find(c, path, o);
}

int acpi_dev_integer(struct acpi_ctx *c, const char *dev, const struct aml_obj *where,
		     const char *seg, uint64_t *v)
{
	struct aml_obj o;

	if (!acpi_dev_child(c, dev, where, seg, &o))
		return 0;
	if (o.kind != AML_NAME || aml_integer(o.data, o.len, v) < 0)
		return -1;
	return 1;
}

void acpi_devinfo(struct acpi_ctx *c, const char *dev, const struct aml_obj *where,
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
	got = acpi_dev_integer(c, dev, where, "_STA", &v);
	if (got < 0)
		di->sta = 2;
	else if (got > 0 && !(v & 1))
		di->sta = 0;
	if (acpi_dev_child(c, dev, where, "_CRS", &o)) {
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
					di->irq_flags = dt_irq_type(r.edge, r.active_low);
				}
			}
		}
	}
	if (acpi_dev_child(c, dev, where, "_DSD", &o) && o.kind == AML_NAME) {
		if (aml_dsd_integer(o.data, o.len, "clock-frequency", &v) == 0)
			di->clock_hz = v;
		if (aml_dsd_integer(o.data, o.len, "reg-shift", &v) == 0 && v < 8)
			di->reg_shift = (int)v;
		if (aml_dsd_integer(o.data, o.len, "reg-io-width", &v) == 0 && v <= 8)
			di->io_width = (int)v;
	}
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

/* The one walk of the namespace: each table's summary logged, and the
 * UARTs, host bridges and devices recorded for the parsers after this. */
int acpi_dsdt(struct acpi_ctx *c, const struct acpi_sdt *t)
{
	struct found f = { c, &c->uarts, &c->bridges, &c->devices, 0 };

	(void)t;		/* the DSDT and the SSDTs: c->aml */
	if (!c->naml) {
		acpi_log(c, "dsdt: no DSDT or SSDT: no namespace to scan for UARTs");
		return 0;
	}
	aml_walk(c, found_visit, &f, 1);
	if (f.nospace)
		return -FDT_ERR_NOSPACE;
	if (!c->uarts)
		acpi_log(c, "dsdt: no PNP0501, ARMH0011 or ARMHB000 device in %u table(s)", c->naml);
	for (struct acpi_found_dev *d = c->uarts; d; d = d->next)
		for (unsigned k = 0; k < NUART_IDS; k++)
			if (strcmp(d->id, uart_ids[k]) == 0)
				scan_one(c, &d->obj, d->id, uart_id_kinds[k]);
	return 0;
}

