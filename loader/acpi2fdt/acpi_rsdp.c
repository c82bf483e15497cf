/* RSDP -> XSDT -> tables (acpi2fdt.h). ACPI 6.5 section 5.2: the RSDP
 * (5.2.5.3) is 20 bytes in revision 0 (ACPI 1.0, RSDT only) and `Length`
 * bytes (36) from revision 2, with a second checksum over all of them; the
 * XSDT (5.2.8) holds 64-bit table addresses after its 36-byte header, the
 * RSDT (5.2.7) 32-bit ones; the DSDT is reached only through the FADT's
 * X_DSDT (offset 140, 64-bit) or DSDT (offset 40) field (5.2.9).
 *
 * Every address here came from firmware memory and is untrusted: nothing is
 * read past what the memory map covers, and fields are copied out byte-wise
 * (table entries are not naturally aligned: XSDT entries start at offset 36). */
#include <string.h>
#include <plinth/err.h>
#include <plinth/printk.h>
#include "acpi2fdt.h"

#define ACPI_HDR 36

static const uint8_t *ptr(uint64_t addr)
{
	return (const uint8_t *)(uintptr_t)addr;
}

static uint64_t get_le(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;

	while (bytes--)
		v = (v << 8) | p[bytes];
	return v;
}

static uint8_t sum8(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s += *p++;
	return s;
}

/* The RSDP: returns the root table's address and entry size (8 for the
 * XSDT, 4 for the RSDT), or a negative code. */
static int rsdp_check(uint64_t rsdp, uint64_t avail, struct acpi_found *f, uint64_t *root,
		      unsigned *entry, const struct plinth_log *log)
{
	const uint8_t *p = ptr(rsdp);
	uint32_t len;
	uint8_t rev;

	if (avail < 20) {
		lprintf(log, "fdt: rsdp: 0x%llx: %llu bytes mapped, 20 needed", (unsigned long long)rsdp,
			(unsigned long long)avail);
		return -PLINTH_ERANGE;
	}
	if (memcmp(p, "RSD PTR ", 8) != 0) {
		lprintf(log, "fdt: rsdp: 0x%llx: signature \"%.8s\" is not \"RSD PTR \"",
			(unsigned long long)rsdp, (const char *)p);
		return -PLINTH_EINVAL;
	}
	memcpy(f->oem_id, p + 9, 6);
	f->oem_id[6] = 0;
	rev = p[15];
	/* As Linux does with tables, a bad checksum is a warning: the
	 * structure is still the firmware's only root. */
	if (sum8(p, 20) != 0)
		lprintf(log, "fdt: rsdp: warning: checksum of the first 20 bytes is 0x%02x, not 0",
			sum8(p, 20));
	if (rev < 2) {
		*root = get_le(p + 16, 4);
		*entry = 4;
		lprintf(log, "fdt: rsdp: 0x%llx revision %u (ACPI 1.0), OEM \"%s\": RSDT 0x%llx",
			(unsigned long long)rsdp, rev, f->oem_id, (unsigned long long)*root);
		return 0;
	}
	len = (uint32_t)get_le(p + 20, 4);
	if (len < 36 || len > avail) {
		lprintf(log, "fdt: rsdp: 0x%llx: length %u (36 expected, %llu mapped)",
			(unsigned long long)rsdp, len, (unsigned long long)avail);
		return -PLINTH_ERANGE;
	}
	if (sum8(p, len) != 0)
		lprintf(log, "fdt: rsdp: warning: extended checksum over %u bytes is 0x%02x, not 0",
			len, sum8(p, len));
	*root = get_le(p + 24, 8);
	*entry = 8;
	if (*root == 0) {
		/* ACPI 5.2.5.3: XsdtAddress may be 0 only on 32-bit systems;
		 * fall back to the RSDT rather than have nothing. */
		*root = get_le(p + 16, 4);
		*entry = 4;
		lprintf(log, "fdt: rsdp: XsdtAddress is 0, using the RSDT at 0x%llx",
			(unsigned long long)*root);
	}
	lprintf(log, "fdt: rsdp: 0x%llx revision %u, OEM \"%s\": %s 0x%llx",
		(unsigned long long)rsdp, rev, f->oem_id, *entry == 8 ? "XSDT" : "RSDT",
		(unsigned long long)*root);
	return *root ? 0 : -PLINTH_ENOENT;
}

/* Check one table at addr; on success append it to f (avail cut to the
 * table's stated length). Returns the length, or < 0 when skipped. */
static long add_table(struct acpi_found *f, uint64_t addr, acpi_avail_fn avail, void *ctx,
		      const struct plinth_log *log)
{
	struct acpi_table_ref ref;
	char *origin;
	long len;

	if (f->n == ACPI_MAX_TABLES) {
		lprintf(log, "fdt: acpi: table at 0x%llx skipped: more than %u tables",
			(unsigned long long)addr, ACPI_MAX_TABLES);
		f->skipped++;
		return -PLINTH_ERANGE;
	}
	origin = f->origin[f->n];
	ksnprintf(origin, sizeof(f->origin[0]), "0x%llx", (unsigned long long)addr);
	ref.data = ptr(addr);
	ref.avail = addr ? (size_t)avail(ctx, addr) : 0;
	ref.origin = origin;
	if (addr == 0) {
		lprintf(log, "fdt: acpi: null table address in the root table, skipped");
		f->skipped++;
		return -PLINTH_EINVAL;
	}
	len = acpi_table_check(&ref, log);
	if (len < 0) {
		f->skipped++;
		return len;
	}
	ref.avail = (size_t)len;
	f->t[f->n++] = ref;
	return len;
}

/* The FADT's DSDT pointer: X_DSDT when the table is long enough to hold it
 * and it is non-zero, else the 32-bit DSDT field. */
static uint64_t fadt_dsdt(const struct acpi_table_ref *fadt)
{
	const uint8_t *p = fadt->data;
	uint64_t x = 0;

	if (fadt->avail >= 148)
		x = get_le(p + 140, 8);
	if (x == 0 && fadt->avail >= 44)
		x = get_le(p + 40, 4);
	return x;
}

int acpi_collect(uint64_t rsdp, acpi_avail_fn avail, void *ctx, struct acpi_found *f,
		 const struct plinth_log *log)
{
	struct acpi_table_ref root;
	char root_origin[24], sigs[ACPI_MAX_TABLES * 5 + 1];
	uint64_t root_addr, dsdt = 0;
	unsigned entry, count, nsig = 0;
	long len;
	int err;

	memset(f, 0, sizeof(*f));
	f->rsdp = rsdp;
	err = rsdp_check(rsdp, avail(ctx, rsdp), f, &root_addr, &entry, log);
	if (err < 0)
		return err;
	ksnprintf(root_origin, sizeof(root_origin), "0x%llx", (unsigned long long)root_addr);
	root = (struct acpi_table_ref){ ptr(root_addr), (size_t)avail(ctx, root_addr), root_origin };
	len = acpi_table_check(&root, log);
	if (len < 0)
		return (int)len;
	if (memcmp(root.data, entry == 8 ? "XSDT" : "RSDT", 4) != 0) {
		lprintf(log, "fdt: acpi: root table at 0x%llx has signature \"%.4s\", not %s",
			(unsigned long long)root_addr, (const char *)root.data,
			entry == 8 ? "XSDT" : "RSDT");
		return -PLINTH_EINVAL;
	}
	count = (unsigned)((len - ACPI_HDR) / entry);
	for (unsigned i = 0; i < count; i++) {
		uint64_t addr = get_le(ptr(root_addr) + ACPI_HDR + (size_t)i * entry, entry);
		unsigned before = f->n;

		if (add_table(f, addr, avail, ctx, log) < 0 || f->n == before)
			continue;
		const struct acpi_table_ref *t = &f->t[f->n - 1];

		memcpy(sigs + nsig * 5, t->data, 4);
		sigs[nsig * 5 + 4] = ' ';
		nsig++;
		if (memcmp(t->data, "FACP", 4) == 0 && !dsdt)
			dsdt = fadt_dsdt(t);
	}
	if (dsdt && add_table(f, dsdt, avail, ctx, log) >= 0) {
		memcpy(sigs + nsig * 5, f->t[f->n - 1].data, 4);
		sigs[nsig * 5 + 4] = ' ';
		nsig++;
	}
	sigs[nsig ? nsig * 5 - 1 : 0] = 0;
	lprintf(log, "fdt: %s: %u entr%s, %u table(s) usable%s: %s", entry == 8 ? "xsdt" : "rsdt",
		count, count == 1 ? "y" : "ies", f->n, dsdt ? " (DSDT via the FADT)" : "",
		nsig ? sigs : "none");
	if (!dsdt)
		lprintf(log, "fdt: acpi: no FADT, or its DSDT pointers are 0: no DSDT");
	return 0;
}
