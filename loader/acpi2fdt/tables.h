/* ACPI table layouts the converter reads (ACPI 6.5; Microsoft's SPCR and
 * DBG2 specifications; Arm DEN0049 for IORT; the PCI Firmware Specification
 * for MCFG), private to loader/acpi2fdt/. Each offset is named after its
 * field. Fields are read only through the le*() loads, after a bounds check
 * against the table's checked length: ACPI is little-endian, tables are
 * hostile, and the loader is built with -mstrict-align, so a table pointer is
 * never cast to a struct. */
#ifndef PLINTH_ACPI2FDT_TABLES_H
#define PLINTH_ACPI2FDT_TABLES_H
#include <stdint.h>

static inline uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (uint16_t)p[1] << 8);
}

static inline uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* System description table header (ACPI 6.5 5.2.6). */
#define SDT_SIGNATURE		0
#define SDT_LENGTH		4
#define SDT_REVISION		8
#define SDT_CHECKSUM		9
#define SDT_OEM_ID		10	/* 6 bytes */
#define SDT_OEM_TABLE_ID	16	/* 8 bytes */
#define SDT_HEADER_LEN		36

/* RSDP (ACPI 6.5 5.2.5.3): 20 bytes in revision 0, `length` bytes from 2 on. */
#define RSDP_SIGNATURE		"RSD PTR "
#define RSDP_OEM_ID		9	/* 6 bytes */
#define RSDP_CHECKSUM_LEN	20
#define RSDP_REVISION		15
#define RSDP_RSDT		16	/* 32-bit address */
#define RSDP_LENGTH		20
#define RSDP_XSDT		24	/* 64-bit address, revision 2 on */
#define RSDP_V2_LEN		36

/* RSDT / XSDT (5.2.7, 5.2.8): the header, then 4- / 8-byte table addresses. */
#define RSDT_ENTRY_LEN		4
#define XSDT_ENTRY_LEN		8

/* FACS (ACPI 6.5 5.2.10) has a signature and a length but no SDT header. */
#define FACS_MIN_LEN		64

/* FADT (ACPI 6.5 5.2.9). ARM_BOOT_ARCH arrived in FADT 5.1, but real
 * laptops set it in revision 5 minor 0, so only the length gates it. */
#define FADT_DSDT		40	/* 32-bit address */
#define FADT_FLAGS		112
#define FADT_FLAG_HW_REDUCED	(1u << 20)
#define FADT_ARM_BOOT_ARCH	129	/* 2 bytes */
#define FADT_MINOR_REVISION	131
#define FADT_ARM_PSCI_COMPLIANT	(1u << 0)
#define FADT_ARM_PSCI_USE_HVC	(1u << 1)
#define FADT_X_DSDT		140	/* 64-bit address (ACPI 2.0) */

/* MADT (ACPI 6.5 5.2.12): header, two 4-byte fields, then subtables, each
 * starting with a type byte and a length byte. */
#define MADT_SUBTABLES		44
#define MADT_GICC		0x0b
#define MADT_GICD		0x0c
#define MADT_GIC_MSI_FRAME	0x0d
#define MADT_GICR		0x0e
#define MADT_GIC_ITS		0x0f
/* GICC (5.2.12.14): 40 bytes in ACPI 5.0; 76 from 5.1 (GICR base, MPIDR). */
#define GICC_LEN_V50		40
#define GICC_LEN_MPIDR		76
#define GICC_FLAGS		12
#define GICC_FLAG_ENABLED	(1u << 0)
#define GICC_FLAG_PERF_EDGE	(1u << 1)
#define GICC_FLAG_VGIC_EDGE	(1u << 2)
#define GICC_FLAG_ONLINE_CAPABLE (1u << 3)	/* ACPI 6.5 */
#define GICC_PERF_GSIV		20
#define GICC_BASE		32
#define GICC_GICV		40
#define GICC_GICH		48
#define GICC_VGIC_GSIV		56
#define GICC_GICR_BASE		60
#define GICC_MPIDR		68
#define MPIDR_AFF_MASK		0xff00ffffffull	/* Aff3 [39:32], Aff2..Aff0 [23:0] */
/* GICD (5.2.12.15) */
#define GICD_LEN		24
#define GICD_BASE		8
#define GICD_VERSION		20
/* GIC MSI frame (5.2.12.16) */
#define MSI_FRAME_LEN		24
#define MSI_FRAME_BASE		8
#define MSI_FRAME_FLAGS		16
#define MSI_FRAME_SPI_SELECT	(1u << 0)
#define MSI_FRAME_SPI_COUNT	20
#define MSI_FRAME_SPI_BASE	22
/* GICR (5.2.12.17) */
#define GICR_LEN		16
#define GICR_BASE		4
#define GICR_LENGTH		12
/* GIC ITS (5.2.12.18) */
#define ITS_LEN			20
#define ITS_ID			4
#define ITS_BASE		8

/* GTDT (ACPI 6.5 5.2.25): the four per-CPU timers sit at the same offsets
 * since revision 1 (ACPI 5.0); revision 3 adds the EL2 virtual timer. */
#define GTDT_MIN_LEN		80
#define GTDT_SEC_EL1		48
#define GTDT_NS_EL1		56
#define GTDT_VIRT_EL1		64
#define GTDT_EL2		72
#define GTDT_PLATFORM_COUNT	88
#define GTDT_REV2_LEN		96
#define GTDT_VIRT_EL2		96
#define GTDT_REV3_LEN		104
#define GTDT_FLAG_EDGE		(1u << 0)
#define GTDT_FLAG_ACTIVE_LOW	(1u << 1)
#define GTDT_FLAG_ALWAYS_ON	(1u << 2)

/* SPCR (Microsoft "Serial Port Console Redirection Table", revisions 2-4). */
#define SPCR_INTERFACE_TYPE	36
#define SPCR_BASE_GAS		40
#define SPCR_INTERRUPT_TYPE	52
#define SPCR_IRQ_GIC		(1u << 3)
#define SPCR_GSIV		54
#define SPCR_BAUD		58
#define SPCR_PARITY		59
#define SPCR_STOP_BITS		60
#define SPCR_FLOW_CONTROL	61
#define SPCR_PCI_SEGMENT	75
#define SPCR_REV2_LEN		80
#define SPCR_UART_CLOCK		76	/* revision 3 */
#define SPCR_PRECISE_BAUD	80	/* revision 4 */
#define SPCR_REV4_LEN		88

/* Generic Address Structure (ACPI 6.5 5.2.3.2), 12 bytes. */
#define GAS_SPACE		0
#define GAS_BIT_WIDTH		1
#define GAS_ACCESS_SIZE		3
#define GAS_ADDRESS		4
#define GAS_LEN			12
#define GAS_SPACE_MEMORY	0
#define GAS_SPACE_IO		1
#define GAS_ACCESS_DWORD	3	/* access size codes: 1 byte .. 4 qword */
#define GAS_ACCESS_MAX		4

/* DBG2 (Microsoft "Debug Port Table 2"). */
#define DBG2_INFO_OFFSET	36
#define DBG2_INFO_COUNT		40
#define DBG2_MIN_LEN		44
#define DBG2_DEV_LENGTH		1
#define DBG2_DEV_NREGS		3
#define DBG2_DEV_NS_LEN		4
#define DBG2_DEV_NS_OFFSET	6
#define DBG2_DEV_PORT_TYPE	12
#define DBG2_DEV_PORT_SUBTYPE	14
#define DBG2_DEV_BAR_OFFSET	18
#define DBG2_DEV_SIZE_OFFSET	20
#define DBG2_DEV_MIN_LEN	22
#define DBG2_PORT_SERIAL	0x8000

/* IORT (Arm DEN0049 "IO Remapping Table", issue E.e; table revisions 0-6):
 * header, node count, node array offset, then nodes. Every node starts with
 * type, length (16 bits), revision, identifier, ID mapping count and offset
 * (DEN0049 3.1.1.2, Table 4); an ID mapping is 20 bytes (3.4, Table 5). */
#define IORT_NODE_COUNT		36
#define IORT_NODE_OFFSET	40
#define IORT_MIN_LEN		48
#define IORT_NODE_TYPE		0
#define IORT_NODE_LENGTH	1
#define IORT_NODE_MAP_COUNT	8
#define IORT_NODE_MAP_OFFSET	12
#define IORT_NODE_HDR_LEN	16
#define IORT_ITS_GROUP		0
#define IORT_SMMU_V1V2		3
#define IORT_SMMU_V3		4
#define IORT_ROOT_COMPLEX	2
#define IORT_ITS_COUNT		16	/* ITS group node (3.1.1.3) */
#define IORT_ITS_IDS		20
#define IORT_RC_SEGMENT		28	/* Root Complex node (3.1.1.5) */
#define IORT_RC_MIN_LEN		32
#define IORT_MAP_INPUT		0
#define IORT_MAP_COUNT		4	/* number of IDs minus one */
#define IORT_MAP_OUTPUT		8
#define IORT_MAP_REF		12
#define IORT_MAP_FLAGS		16
#define IORT_MAP_SINGLE		(1u << 0)
#define IORT_MAP_LEN		20

/* MCFG (PCI Firmware Specification 3.2, 4.1.2): the header, 8 reserved
 * bytes, then 16-byte entries. */
#define MCFG_ENTRIES		44
#define MCFG_ENTRY_LEN		16
#define MCFG_BASE		0	/* 64-bit ECAM base address */
#define MCFG_SEGMENT		8	/* 16-bit PCI segment group */
#define MCFG_BUS_START		10
#define MCFG_BUS_END		11

#endif
