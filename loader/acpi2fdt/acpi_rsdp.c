/* RSDP -> XSDT -> tables (acpi2fdt.h): what the loader hands the converter.
 * ACPI 6.5 section 5.2: the RSDP (5.2.5.3) holds the XSDT's 64-bit address
 * (revision 2 on) and the RSDT's 32-bit one; the XSDT (5.2.8) lists 64-bit
 * table addresses after its header, the RSDT (5.2.7) 32-bit ones; the DSDT
 * is reached only through the FADT's X_DSDT or DSDT field (5.2.9).
 *
 * Every address here came from firmware memory and is untrusted: each
 * table passes acpi_table_check against the bytes the memory map says are
 * readable before a field of it is read, and fields are read byte-wise
 * (XSDT entries are not naturally aligned: they start at offset 36). */
#include <string.h>
#include <plinth/err.h>
#include <plinth/printk.h>
#include "acpi.h"

static const uint8_t *ptr(uint64_t addr)
{
	return (const uint8_t *)(uintptr_t)addr;
}

/* The RSDP: the root table's address and entry size (8 for the XSDT, 4 for
 * the RSDT), or a negative code. */
static int rsdp_root(uint64_t rsdp, uint64_t avail, struct acpi_found *f, uint64_t *root,
		     unsigned *entry, const struct plinth_log *log)
{
	char origin[24];
	struct acpi_table_ref ref = { ptr(rsdp), (size_t)avail, origin };
	const uint8_t *p = ptr(rsdp);
	long len;

	ksnprintf(origin, sizeof(origin), "0x%llx", (unsigned long long)rsdp);
	if (avail < RSDP_CHECKSUM_LEN) {
		lfdt(log, "rsdp: 0x%llx: %llu bytes mapped, %u needed", (unsigned long long)rsdp,
		     (unsigned long long)avail, RSDP_CHECKSUM_LEN);
		return -PLINTH_ERANGE;
	}
	if (memcmp(p, RSDP_SIGNATURE, 8) != 0) {
		lfdt(log, "rsdp: 0x%llx: signature \"%.8s\" is not \"%s\"", (unsigned long long)rsdp,
		     (const char *)p, RSDP_SIGNATURE);
		return -PLINTH_EINVAL;
	}
	if ((len = acpi_table_check(&ref, log)) < 0)
		return (int)len;
	memcpy(f->oem_id, p + RSDP_OEM_ID, 6);
	f->oem_id[6] = 0;
	log_printable(f->oem_id, sizeof(f->oem_id), f->oem_id, 6);
	*root = le32(p + RSDP_RSDT);
	*entry = RSDT_ENTRY_LEN;
	if (p[RSDP_REVISION] >= 2) {
		if (le64(p + RSDP_XSDT)) {
			*root = le64(p + RSDP_XSDT);
			*entry = XSDT_ENTRY_LEN;
		} else {
			/* XsdtAddress may be 0 only on 32-bit systems
			 * (5.2.5.3): the RSDT rather than nothing. */
			lfdt(log, "rsdp: XsdtAddress is 0, using the RSDT at 0x%llx",
			     (unsigned long long)*root);
		}
	}
	lfdt(log, "rsdp: 0x%llx revision %u%s, OEM \"%s\": %s 0x%llx", (unsigned long long)rsdp,
	     p[RSDP_REVISION], p[RSDP_REVISION] < 2 ? " (ACPI 1.0)" : "", f->oem_id,
	     *entry == XSDT_ENTRY_LEN ? "XSDT" : "RSDT", (unsigned long long)*root);
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
		lfdt(log, "acpi: table at 0x%llx skipped: more than %u tables",
		     (unsigned long long)addr, ACPI_MAX_TABLES);
		f->skipped++;
		return -PLINTH_ERANGE;
	}
	if (addr == 0) {
		lfdt(log, "acpi: null table address in the root table, skipped");
		f->skipped++;
		return -PLINTH_EINVAL;
	}
	origin = f->origin[f->n];
	ksnprintf(origin, sizeof(f->origin[0]), "0x%llx", (unsigned long long)addr);
	ref = (struct acpi_table_ref){ ptr(addr), (size_t)avail(ctx, addr), origin };
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

	if (fadt->avail >= FADT_X_DSDT + 8)
		x = le64(p + FADT_X_DSDT);
	if (x == 0 && fadt->avail >= FADT_DSDT + 4)
		x = le32(p + FADT_DSDT);
	return x;
}

/* "SIG " appended to the list of what was found. */
static void note_sig(char *sigs, unsigned *nsig, const struct acpi_table_ref *t)
{
	memcpy(sigs + *nsig * 5, t->data, 4);
	sigs[*nsig * 5 + 4] = ' ';
	(*nsig)++;
}

int acpi_collect(uint64_t rsdp, acpi_avail_fn avail, void *ctx, struct acpi_found *f,
		 const struct plinth_log *log)
{
	struct acpi_table_ref root;
	char root_origin[24], sigs[ACPI_MAX_TABLES * 5 + 1];
	uint64_t root_addr = 0, dsdt = 0;
	unsigned entry = 0, count, nsig = 0;
	long len;
	int err;

	memset(f, 0, sizeof(*f));
	f->rsdp = rsdp;
	err = rsdp_root(rsdp, avail(ctx, rsdp), f, &root_addr, &entry, log);
	if (err < 0)
		return err;
	ksnprintf(root_origin, sizeof(root_origin), "0x%llx", (unsigned long long)root_addr);
	root = (struct acpi_table_ref){ ptr(root_addr), (size_t)avail(ctx, root_addr), root_origin };
	len = acpi_table_check(&root, log);
	if (len < 0)
		return (int)len;
	if (memcmp(root.data, entry == XSDT_ENTRY_LEN ? "XSDT" : "RSDT", 4) != 0) {
		lfdt(log, "acpi: root table at 0x%llx has signature \"%.4s\", not %s",
		     (unsigned long long)root_addr, (const char *)root.data,
		     entry == XSDT_ENTRY_LEN ? "XSDT" : "RSDT");
		return -PLINTH_EINVAL;
	}
	count = (unsigned)((len - SDT_HEADER_LEN) / entry);
	for (unsigned i = 0; i < count; i++) {
		const uint8_t *e = ptr(root_addr) + SDT_HEADER_LEN + (size_t)i * entry;
		uint64_t addr = entry == XSDT_ENTRY_LEN ? le64(e) : le32(e);

		if (add_table(f, addr, avail, ctx, log) < 0)
			continue;
		note_sig(sigs, &nsig, &f->t[f->n - 1]);
		if (memcmp(f->t[f->n - 1].data, "FACP", 4) == 0 && !dsdt)
			dsdt = fadt_dsdt(&f->t[f->n - 1]);
	}
	if (dsdt && add_table(f, dsdt, avail, ctx, log) >= 0)
		note_sig(sigs, &nsig, &f->t[f->n - 1]);
	sigs[nsig ? nsig * 5 - 1 : 0] = 0;
	lfdt(log, "%s: %u entr%s, %u table(s) usable%s: %s", entry == XSDT_ENTRY_LEN ? "xsdt" : "rsdt",
	     count, count == 1 ? "y" : "ies", f->n, dsdt ? " (DSDT via the FADT)" : "",
	     nsig ? sigs : "none");
	if (!dsdt)
		lfdt(log, "acpi: no FADT, or its DSDT pointers are 0: no DSDT");
	return 0;
}
