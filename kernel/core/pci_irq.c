/* The PCI core, part three (pci.h): where a function's interrupts go.
 *
 * INTx (PCI bus binding, "interrupt mapping"; PCI-to-PCI Bridge 1.2, 9.1):
 * a function's pin A..D is routed by the interrupt-map of the nexus above
 * it, looked up with the unit interrupt specifier (phys.hi = the function's
 * config-space address, DT_PCI_ADDR; phys.mid, phys.lo = 0; pin). A bridge
 * with no node of its own (or a node without interrupt-map) is not a nexus:
 * the pin crossing it is swizzled by the device number, pin' = ((pin - 1 +
 * device) mod 4) + 1, and the bridge asks in its own name one bus up, until
 * the host bridge's map.
 *
 * MSI (Documentation/devicetree/bindings/pci/pci-msi.txt): `msi-map`
 * (rid-base, controller, msi-base, length), the RID masked by
 * `msi-map-mask`, maps a requester ID to a controller and the ID it would
 * carry (an ITS DeviceID); else `msi-parent` on the host node or above.
 * Only reported: MSI delivery is not implemented. */
#include <libfdt.h>
#include <plinth/dt_bindings.h>
#include <plinth/err.h>
#include <plinth/pci.h>

int pci_intx(const struct pci_host *h, const struct pci_func *f, struct dt_irq *out)
{
	const struct pci_func *cur = f;
	uint32_t pin = f->pin;

	if (pin < 1 || pin > 4)
		return -PLINTH_ENOENT;
	/* Each step goes one bus up; the depth of the hierarchy bounds it. */
	for (;;) {
		const struct pci_func *up = cur->up;
		int nexus = up ? up->node : h->node;

		if (!up || (nexus >= 0 && fdt_getprop(h->fdt, nexus, "interrupt-map", NULL))) {
			uint32_t addr[3] = {
				DT_PCI_ADDR(cur->bus, PCI_SLOT(cur->devfn), PCI_FUNC(cur->devfn)), 0, 0
			};

			return dt_irq_resolve(h->fdt, nexus, addr, 3, &pin, 1, out);
		}
		pin = ((pin - 1 + PCI_SLOT(cur->devfn)) % 4) + 1;
		cur = up;
	}
}

static int msi_from_map(const void *fdt, int node, const fdt32_t *map, int len, uint32_t rid,
			int *ctrl, uint32_t *id)
{
	uint32_t mask = 0xffffffffu;
	int rc = dt_read_u32(fdt, node, "msi-map-mask", &mask);

	if (rc < 0 && rc != -PLINTH_ENOENT)
		return rc;
	if (len % 16)
		return -PLINTH_EINVAL;
	rid &= mask;
	for (int i = 0; i < len / 4; i += 4) {
		uint32_t base = fdt32_ld(map + i), msi_base = fdt32_ld(map + i + 2);
		uint32_t n = fdt32_ld(map + i + 3);

		if (rid < base || rid - base >= n)
			continue;
		if ((rc = dt_node_by_phandle(fdt, fdt32_ld(map + i + 1))) < 0)
			return rc;
		*ctrl = rc;
		*id = msi_base + (rid - base);
		return 0;
	}
	return -PLINTH_ENOENT;
}

int pci_msi(const struct pci_host *h, const struct pci_func *f, int *ctrl, uint32_t *id)
{
	uint32_t rid = (uint32_t)f->bus << 8 | f->devfn;
	int len, n;
	const fdt32_t *p = fdt_getprop(h->fdt, h->node, "msi-map", &len);

	if (p)
		return msi_from_map(h->fdt, h->node, p, len, rid, ctrl, id);
	for (n = h->node; n >= 0; n = fdt_parent_offset(h->fdt, n)) {
		p = fdt_getprop(h->fdt, n, "msi-parent", &len);
		if (!p)
			continue;
		if (len < 4)
			return -PLINTH_EINVAL;
		if ((*ctrl = dt_node_by_phandle(h->fdt, fdt32_ld(p))) < 0)
			return *ctrl;
		*id = rid;
		return 0;
	}
	return -PLINTH_ENOENT;
}

const char *pci_msi_kind(const void *fdt, int ctrl)
{
	const char *c;

	if (fdt_node_check_compatible(fdt, ctrl, "arm,gic-v2m-frame") == 0)
		return "GICv2m frame";
	if (fdt_node_check_compatible(fdt, ctrl, "arm,gic-v3-its") == 0)
		return "GICv3 ITS";
	c = fdt_stringlist_get(fdt, ctrl, "compatible", 0, NULL);
	return c ? c : "msi-controller";
}
