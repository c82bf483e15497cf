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

/* One walk's state: the IDs looked for and the devices found. */
struct found {
	const char *const *ids;
	unsigned nids;
	struct acpi_found_devs *out;
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
static void found_add(struct acpi_found_devs *f, const struct aml_obj *id_obj, const char *devpath,
		      const char *id)
{
	struct aml_obj *d;

	for (unsigned i = 0; i < f->n; i++)
		if (strcmp(f->dev[i].obj.path, devpath) == 0)
			return;
	if (f->n == ACPI_MAX_FOUND) {
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
			found_add(f->out, o, dev, id);
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

void acpi_find_devices(struct acpi_ctx *c, struct acpi_found_devs *out, const char *const *ids,
		       unsigned nids, int log)
{
	struct found f = { ids, nids, out };

	out->n = out->dropped = 0;
	aml_walk(c, found_visit, &f, log);
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

int acpi_dsdt(struct acpi_ctx *c, const struct acpi_sdt *t)
{
	struct acpi_found_devs f;

	(void)t;		/* the DSDT and the SSDTs: c->aml */
	if (!c->naml) {
		acpi_log(c, "dsdt: no DSDT or SSDT: no namespace to scan for UARTs");
		return 0;
	}
	/* The walk that logs each table's summary. */
	acpi_find_devices(c, &f, uart_ids, NUART_IDS, 1);
	if (!f.n)
		acpi_log(c, "dsdt: no PNP0501, ARMH0011 or ARMHB000 device in %u table(s)", c->naml);
	if (f.dropped)
		acpi_log(c, "dsdt: %u more UART devices past the first %u: not read", f.dropped,
			 ACPI_MAX_FOUND);
	for (unsigned i = 0; i < f.n; i++)
		for (unsigned k = 0; k < NUART_IDS; k++)
			if (strcmp(f.dev[i].id, uart_ids[k]) == 0)
				scan_one(c, &f.dev[i].obj, f.dev[i].id, uart_id_kinds[k]);
	return 0;
}

