/* MCFG -> one pci-host-ecam-generic node per ECAM region (PCI Firmware
 * Specification 3.2 4.1.2; binding pci/host-generic-pci.yaml), labelled
 * pcie0, pcie1, ... in table order. The windows (`ranges`) and INTx routing
 * come from the host bridge's static _CRS and _PRT (acpi_pci_host.c); when
 * they are not static the node is written disabled, without device_type,
 * for the board overlay to complete (dtc rejects a PCI bridge without
 * ranges). */
#include <plinth/err.h>
#include <plinth/printk.h>
#include "acpi.h"

#define ECAM_BUS_SHIFT 20	/* 1 MiB of configuration space per bus */

/* An earlier entry already produced this ECAM address. */
static int seen(const struct acpi_sdt *t, unsigned upto, uint64_t reg)
{
	for (unsigned i = 0; i < upto; i++) {
		const uint8_t *e = t->p + MCFG_ENTRIES + i * MCFG_ENTRY_LEN;
		uint64_t base = le64(e + MCFG_BASE);

		if (base && e[MCFG_BUS_END] >= e[MCFG_BUS_START] &&
		    base + ((uint64_t)e[MCFG_BUS_START] << ECAM_BUS_SHIFT) == reg)
			return 1;
	}
	return 0;
}

static int segment(struct acpi_ctx *c, unsigned i, uint64_t base, uint16_t seg, uint8_t sb,
		   uint8_t eb)
{
	struct acpi_pcie *p = acpi_alloc(c, sizeof(*p));
	char label[ACPI_NAME_MAX];
	int err;

	if (!p)
		return -FDT_ERR_NOSPACE;
	/* The binding's reg starts at the first bus's configuration space. */
	p->reg[0] = base + ((uint64_t)sb << ECAM_BUS_SHIFT);
	p->reg[1] = (uint64_t)(eb - sb + 1) << ECAM_BUS_SHIFT;
	p->bus_start = sb;
	p->bus_end = eb;
	p->seg = seg;
	p->n = c->m.npcie++;
	*c->m.pcie_tail = p;
	c->m.pcie_tail = &p->next;
	ksnprintf(label, sizeof(label), "pcie%u", p->n);
	if (acpi_label(c, label, acpi_strdup(c, "/pcie@%llx", (unsigned long long)p->reg[0]),
		       &p->phandle, 0) < 0)
		return -FDT_ERR_NOSPACE;
	acpi_log(c, "mcfg: entry %u: %s = pci-host-ecam-generic@%llx, segment %u, buses %u-%u, ECAM base 0x%llx",
		 i, label, (unsigned long long)p->reg[0], seg, sb, eb, (unsigned long long)base);
	if ((err = acpi_host_bridge(c, p)) < 0)
		return err;
	if (!p->enabled)
		acpi_log(c, "mcfg: %s: status disabled, no device_type, until an overlay adds ranges", label);
	return 0;
}

int acpi_mcfg(struct acpi_ctx *c, const struct acpi_sdt *t)
{
	unsigned n;
	int err;

	if (!t) {
		acpi_log(c, "mcfg: absent: no PCIe host bridge node");
		return 0;
	}
	if (t->len < MCFG_ENTRIES) {
		acpi_log(c, "mcfg: %u bytes, shorter than its 44-byte fixed part: skipped", t->len);
		return ACPI_SKIPPED;
	}
	n = (t->len - MCFG_ENTRIES) / MCFG_ENTRY_LEN;
	if ((t->len - MCFG_ENTRIES) % MCFG_ENTRY_LEN)
		acpi_log(c, "mcfg: %u trailing byte(s) after %u entries ignored",
			 (t->len - MCFG_ENTRIES) % MCFG_ENTRY_LEN, n);
	if (!n) {
		acpi_log(c, "mcfg: revision %u, no entries (empty table): no PCIe host bridge node", t->rev);
		return 0;
	}
	for (unsigned i = 0; i < n; i++) {
		const uint8_t *e = t->p + MCFG_ENTRIES + i * MCFG_ENTRY_LEN;
		uint64_t base = le64(e + MCFG_BASE);
		uint16_t seg = le16(e + MCFG_SEGMENT);
		uint8_t sb = e[MCFG_BUS_START], eb = e[MCFG_BUS_END];

		if (!base) {
			acpi_log(c, "mcfg: entry %u: base 0 (segment %u, buses %u-%u): skipped", i, seg, sb, eb);
			continue;
		}
		if (eb < sb) {
			acpi_log(c, "mcfg: entry %u: end bus %u below start bus %u: skipped", i, eb, sb);
			continue;
		}
		if (base + ((uint64_t)(eb + 1) << ECAM_BUS_SHIFT) < base) {
			acpi_log(c, "mcfg: entry %u: base 0x%llx + buses %u-%u wraps: skipped", i,
				 (unsigned long long)base, sb, eb);
			continue;
		}
		if (seen(t, i, base + ((uint64_t)sb << ECAM_BUS_SHIFT))) {
			acpi_log(c, "mcfg: entry %u: same ECAM region as an earlier entry: skipped", i);
			continue;
		}
		if ((err = segment(c, i, base, seg, sb, eb)) < 0)
			return err;
	}
	return 0;
}
