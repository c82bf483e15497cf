# The PCI core (kernel/core/pci*.c) and the ECAM host driver against a config
# space model (tests/pci_model.c) on tests/trees/pci.dts: devfn reg encoding,
# host node, enumeration and BAR sizing, assignment (direct and probe-only),
# INTx swizzle through interrupt-map, MSI routing, and the driver core path.
UNIT_TESTS += pci
TEST_pci := kernel/core/pci.c kernel/core/pci_assign.c kernel/core/pci_irq.c kernel/core/pci_attach.c \
	kernel/drivers/pci_ecam.c tests/pci_model.c \
	kernel/core/device.c kernel/core/dt.c kernel/core/errors.c kernel/lib/printf.c
