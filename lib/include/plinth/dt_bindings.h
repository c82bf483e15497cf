/* Facts of the device-tree bindings that both sides use: the converter that
 * writes a tree and the kernel that reads one. One definition each. */
#ifndef PLINTH_DT_BINDINGS_H
#define PLINTH_DT_BINDINGS_H

/* Interrupt trigger flags, the last cell of a GIC specifier and the flags
 * of interrupt-controller/irq.h: exactly one of these. */
#define DT_IRQ_EDGE_RISING	1u
#define DT_IRQ_EDGE_FALLING	2u
#define DT_IRQ_LEVEL_HIGH	4u
#define DT_IRQ_LEVEL_LOW	8u
#define DT_IRQ_TYPE_MASK	0xfu

/* The trigger flag for an interrupt that is edge- or level-triggered and
 * active high or low (what ACPI's interrupt descriptors and GTDT/MADT flags
 * state). */
static inline unsigned dt_irq_type(int edge, int active_low)
{
	if (edge)
		return active_low ? DT_IRQ_EDGE_FALLING : DT_IRQ_EDGE_RISING;
	return active_low ? DT_IRQ_LEVEL_LOW : DT_IRQ_LEVEL_HIGH;
}

/* The GIC specifier's first cell (arm,gic.yaml, arm,gic-v3.yaml). */
#define DT_GIC_SPI		0u
#define DT_GIC_PPI		1u
#define DT_GIC_ESPI		2u
#define DT_GIC_EPPI		3u

/* PCI addresses: phys.hi = npt000ss bbbbbbbb dddddfff rrrrrrrr (PCI bus
 * binding, IEEE 1275 PCI supplement 2.2.1.1). */
#define DT_PCI_SPACE_SHIFT	24
#define DT_PCI_SPACE_MASK	(3u << DT_PCI_SPACE_SHIFT)
#define DT_PCI_SPACE_CONFIG	(0u << DT_PCI_SPACE_SHIFT)
#define DT_PCI_SPACE_IO		(1u << DT_PCI_SPACE_SHIFT)
#define DT_PCI_SPACE_MEM32	(2u << DT_PCI_SPACE_SHIFT)
#define DT_PCI_SPACE_MEM64	(3u << DT_PCI_SPACE_SHIFT)
#define DT_PCI_PREFETCHABLE	(1u << 30)
/* bus, device, function (and register 0) as a config-space phys.hi; the
 * bits such an address may have set */
#define DT_PCI_ADDR(bus, dev, fn) \
	(((unsigned)(bus) & 0xff) << 16 | ((unsigned)(dev) & 0x1f) << 11 | ((unsigned)(fn) & 7) << 8)
#define DT_PCI_ADDR_BITS	0x00ffff00u
/* interrupt-map-mask for a host bridge: the device number and the pin */
#define DT_PCI_DEV_MASK		0xf800u

#endif
