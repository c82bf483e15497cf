/* MCFG -> one pci-host-ecam-generic node per ECAM region (PCI Firmware
 * Specification 3.2 4.1.2; binding pci/host-generic-pci.yaml), labelled
 * pcie0, pcie1, ... in table order. The windows (`ranges`) and INTx routing
 * come from the host bridge's static _CRS and _PRT (acpi_dsdt.c); when they
 * are not static the node is written disabled, without device_type, for the
 * board overlay to complete (dtc rejects a PCI bridge without ranges). */
#include <libfdt.h>
#include <plinth/err.h>
#include <plinth/printk.h>
#include "acpi.h"

#define ECAM_BUS_SHIFT 20	/* 1 MiB of configuration space per bus */

/* An earlier entry already produced this ECAM address. */
static int seen(const struct acpi_sdt *t, unsigned upto, uint64_t reg)
{
	for (unsigned i = 0; i < upto; i++) {
		const uint8_t *e = t->p + MCFG_ENTRIES + i * MCFG_ENTRY_LEN;
		uint64_t base = le64(e);

		if (base && e[11] >= e[10] && base + ((uint64_t)e[10] << ECAM_BUS_SHIFT) == reg)
			return 1;
	}
	return 0;
}

static int write_segment(struct acpi_ctx *c, unsigned i, uint64_t base, uint16_t seg, uint8_t sb,
			 uint8_t eb)
{
	/* The binding's reg starts at the first bus's configuration space. */
	uint64_t reg[2] = { base + ((uint64_t)sb << ECAM_BUS_SHIFT),
			    (uint64_t)(eb - sb + 1) << ECAM_BUS_SHIFT };
	uint32_t busrange[2] = { sb, eb };
	unsigned n = c->npcie;
	char label[16];
	int node, err, have;

	if ((node = acpi_fdt_node(c, 0, "pcie@%llx", (unsigned long long)reg[0])) < 0)
		return node;
	ksnprintf(label, sizeof(label), "pcie%u", n);
	if ((err = fdt_setprop_string(c->fdt, node, "compatible", "pci-host-ecam-generic")) < 0 ||
	    (err = fdt_setprop_u32(c->fdt, node, "#address-cells", 3)) < 0 ||
	    (err = fdt_setprop_u32(c->fdt, node, "#size-cells", 2)) < 0 ||
	    (err = acpi_fdt_reg(c, node, reg, 1)) < 0 ||
	    (err = acpi_fdt_u32s(c, node, "bus-range", busrange, 2)) < 0 ||
	    (err = fdt_setprop_u32(c->fdt, node, "linux,pci-domain", seg)) < 0 ||
	    (err = acpi_fdt_label(c, node, label)) < 0)
		return err;
	c->npcie++;
	acpi_log(c, "mcfg: entry %u: %s = pci-host-ecam-generic@%llx, segment %u, buses %u-%u, ECAM base 0x%llx",
		 i, label, (unsigned long long)reg[0], seg, sb, eb, (unsigned long long)base);
	if ((have = acpi_host_bridge(c, node, n, seg, sb, eb)) < 0)
		return have;
	if (have)
		return fdt_setprop_string(c->fdt, node, "device_type", "pci");
	acpi_log(c, "mcfg: %s: status disabled, no device_type, until an overlay adds ranges", label);
	return fdt_setprop_string(c->fdt, node, "status", "disabled");
}

int acpi_mcfg(struct acpi_ctx *c)
{
	const struct acpi_sdt *t = &c->mcfg;
	unsigned n;
	int err;

	if (!t->p) {
		acpi_log(c, "mcfg: absent: no PCIe host bridge node");
		return 0;
	}
	if (t->len < MCFG_ENTRIES) {
		acpi_log(c, "mcfg: %u bytes, shorter than its 44-byte fixed part: skipped", t->len);
		c->mcfg.skipped = 1;
		return 0;
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
		uint64_t base = le64(e);
		uint16_t seg = le16(e + 8);
		uint8_t sb = e[10], eb = e[11];

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
		if ((err = write_segment(c, i, base, seg, sb, eb)) < 0)
			return err;
	}
	return 0;
}
