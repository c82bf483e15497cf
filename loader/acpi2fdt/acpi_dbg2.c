/* DBG2 -> console candidates below the SPCR's (Microsoft "Debug Port Table
 * 2"). A DBG2 device entry carries no interrupt and no clock: both come from
 * the DSDT/SSDT device its namespace string names, when that device's
 * objects are static. */
#include <string.h>
#include <plinth/err.h>
#include <plinth/printk.h>
#include "acpi.h"

#define DEFAULT_16550_SIZE 8

/* The device its namespace string names: interrupt, clock, register size. */
static void from_namespace(struct acpi_ctx *c, unsigned i, const char *ns, unsigned nslen,
			   struct acpi_uart *u, char *how, size_t size)
{
	struct acpi_devinfo di;

	if (nslen == 0 || (nslen <= 2 && ns[0] == '.')) {
		ksnprintf(how, size, "no namespace device: no interrupt");
		return;
	}
	if (aml_path_normalise(ns, nslen, u->path, sizeof(u->path)) < 0) {
		char shown[41];

		ksnprintf(how, size, "namespace string '%s' is not a path: no interrupt",
			  log_printable(shown, sizeof(shown), ns, nslen));
		u->path[0] = 0;
		return;
	}
	/* The string should be a full path; QEMU writes "COM0". A relative one
	 * is taken when exactly one device's path ends with it. */
	if (ns[0] != '\\') {
		struct aml_obj o;
		char rel[ACPI_PATH_MAX];
		int n;

		ksnprintf(rel, sizeof(rel), "%s", u->path + 1);
		if (!aml_find(c, u->path, &o) &&
		    (n = acpi_find_device_suffix(c, rel, u->path, sizeof(u->path))) != 1) {
			ksnprintf(how, size, "relative namespace string '%s' names %d devices: no interrupt",
				  rel, n);
			u->path[0] = 0;
			return;
		}
		acpi_log(c, "dbg2: entry %u: relative namespace string '%s' taken as %s", i, rel, u->path);
	}
	acpi_devinfo(c, u->path, NULL, &di);
	if (di.crs == 0) {
		ksnprintf(how, size, "%s: no _CRS in the DSDT/SSDTs: no interrupt", u->path);
		return;
	}
	if (di.crs < 0) {
		ksnprintf(how, size, "%s._CRS is a method: no interrupt", u->path);
		return;
	}
	if (di.have_mem && di.base != u->base) {
		/* Not the UART DBG2 describes: its interrupt is not this one's. */
		ksnprintf(how, size, "%s._CRS is at 0x%llx, not this UART: no interrupt", u->path,
			  (unsigned long long)di.base);
		return;
	}
	if (di.have_mem) {
		u->size = di.size;
		u->size_from_crs = 1;
	}
	if (di.have_irq) {
		u->gsiv = di.gsiv;
		u->irq_flags = di.irq_flags;
	}
	if (di.clock_hz && di.clock_hz <= 0xffffffffu)
		u->clock_hz = (uint32_t)di.clock_hz;
	if (di.have_irq)
		ksnprintf(how, size, "GSIV %u from %s._CRS%s", di.gsiv, u->path,
			  u->clock_hz ? ", clock from its _DSD" : "");
	else
		ksnprintf(how, size, "%s._CRS has no interrupt", u->path);
}

static void one_entry(struct acpi_ctx *c, unsigned i, const uint8_t *e, uint16_t elen)
{
	uint16_t type = le16(e + DBG2_DEV_PORT_TYPE), sub = le16(e + DBG2_DEV_PORT_SUBTYPE);
	uint16_t bar = le16(e + DBG2_DEV_BAR_OFFSET), szo = le16(e + DBG2_DEV_SIZE_OFFSET);
	uint16_t nsl = le16(e + DBG2_DEV_NS_LEN), nso = le16(e + DBG2_DEV_NS_OFFSET);
	const char *name;
	enum uart_kind kind;
	struct acpi_uart u;
	char how[ACPI_PATH_MAX + 80] = "", who[24];
	const char *ns = "";

	if (type != DBG2_PORT_SERIAL) {
		acpi_log(c, "dbg2: entry %u: port type 0x%04x subtype 0x%04x is not a serial port: ignored",
			 i, type, sub);
		return;
	}
	kind = acpi_uart_kind(sub, &name);
	if (kind == UART_NONE) {
		acpi_log(c, "dbg2: entry %u: serial subtype 0x%04x (%s) not supported: ignored", i, sub, name);
		return;
	}
	if (e[DBG2_DEV_NREGS] < 1 || bar > elen || elen - bar < GAS_LEN) {
		acpi_log(c, "dbg2: entry %u: no base address register inside its %u bytes: ignored", i, elen);
		return;
	}
	const uint8_t *gas = e + bar;
	acpi_uart_init(&u, kind, SRC_DBG2);
	if (gas[GAS_SPACE] != GAS_SPACE_MEMORY || !le64(gas + GAS_ADDRESS)) {
		acpi_log(c, "dbg2: entry %u: %s base %s: ignored", i, name,
			 gas[GAS_SPACE] != GAS_SPACE_MEMORY ? "not in memory space" : "0");
		return;
	}
	u.base = le64(gas + GAS_ADDRESS);
	if (szo <= elen && elen - szo >= 4 && le32(e + szo))
		u.size = le32(e + szo);
	if (kind == UART_16550) {
		ksnprintf(who, sizeof(who), "dbg2: entry %u", i);
		if (acpi_gas_16550_width(c, who, gas, &u.reg_shift, &u.io_width) < 0) {
			acpi_log(c, "dbg2: entry %u: 16550 with GAS access size %u, bit width %u: ignored", i,
				 gas[GAS_ACCESS_SIZE], gas[GAS_BIT_WIDTH]);
			return;
		}
		if (!u.size)
			u.size = (uint64_t)DEFAULT_16550_SIZE << u.reg_shift;
	}
	if (nsl && nso <= elen && elen - nso >= nsl)
		ns = (const char *)e + nso;
	else
		nsl = 0;
	/* The string's length counts its NUL. */
	while (nsl && ns[nsl - 1] == 0)
		nsl--;
	from_namespace(c, i, ns, nsl, &u, how, sizeof(how));
	acpi_log(c, "dbg2: entry %u: subtype 0x%04x (%s) at 0x%llx, %s", i, sub, name,
		 (unsigned long long)u.base, how);
	acpi_uart_add(c, &u, "dbg2");
}

int acpi_dbg2(struct acpi_ctx *c, const struct acpi_sdt *t)
{
	uint32_t off, count;

	if (!t) {
		acpi_log(c, "dbg2: absent");
		return 0;
	}
	if (t->len < DBG2_MIN_LEN) {
		acpi_log(c, "dbg2: %u bytes, shorter than its 44-byte fixed part: skipped", t->len);
		return ACPI_SKIPPED;
	}
	off = le32(t->p + DBG2_INFO_OFFSET);
	count = le32(t->p + DBG2_INFO_COUNT);
	for (uint32_t i = 0; i < count; i++) {
		uint16_t elen;

		if (!sdt_has(t, off, DBG2_DEV_MIN_LEN)) {
			acpi_log(c, "dbg2: entry %u at 0x%x runs past the table (%u bytes): walk ends", i, off,
				 t->len);
			break;
		}
		elen = le16(t->p + off + DBG2_DEV_LENGTH);
		if (elen < DBG2_DEV_MIN_LEN || !sdt_has(t, off, elen)) {
			acpi_log(c, "dbg2: entry %u at 0x%x has length %u (table ends at 0x%x): walk ends", i,
				 off, elen, t->len);
			break;
		}
		one_entry(c, i, t->p + off, elen);
		off += elen;
	}
	return 0;
}
