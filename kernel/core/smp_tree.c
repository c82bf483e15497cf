/* The /cpus node as plain values (smp.h: smp_parse_cpus), apart from the
 * bring-up so it runs in host tests. DT spec 3.7, 3.8; the Linux binding
 * arm/cpus.yaml: `reg` holds MPIDR_EL1's affinity fields in #address-cells
 * (1 or 2) cells, `enable-method` says how the CPU is started. */
#include <stdint.h>
#include <string.h>
#include <libfdt.h>
#include <plinth/dt.h>
#include <plinth/err.h>
#include <plinth/printk.h>
#include <plinth/smp.h>

#define MPIDR_AFF_MASK	0xff00ffffffull

uint64_t smp_mpidr_affinity(uint64_t mpidr)
{
	return mpidr & MPIDR_AFF_MASK;
}

static enum cpu_method parse_method(const void *fdt, int node)
{
	if (fdt_stringlist_search(fdt, node, "enable-method", "psci") >= 0)
		return CPU_METHOD_PSCI;
	if (fdt_stringlist_search(fdt, node, "enable-method", "spin-table") >= 0)
		return CPU_METHOD_SPIN_TABLE;
	return fdt_getprop(fdt, node, "enable-method", NULL) ? CPU_METHOD_OTHER
							     : CPU_METHOD_NONE;
}

static bool is_cpu(const void *fdt, int node)
{
	int len;
	const char *t = fdt_getprop(fdt, node, "device_type", &len);

	return t && len == sizeof("cpu") && memcmp(t, "cpu", sizeof("cpu")) == 0;
}

/* `reg` of a cpu node: #address-cells (1 or 2) cells of MPIDR affinity. */
static int parse_reg(const void *fdt, int node, int na, uint64_t *mpidr)
{
	int len;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

	if (!reg || len != na * 4) {
		kprintf("smp: %s: reg is %d bytes, expected %d (#address-cells of /cpus)\n",
			fdt_get_name(fdt, node, NULL), reg ? len : 0, na * 4);
		return -PLINTH_EINVAL;
	}
	*mpidr = fdt32_to_cpu(reg[0]);
	if (na == 2)
		*mpidr = *mpidr << 32 | fdt32_to_cpu(reg[1]);
	if (*mpidr & ~MPIDR_AFF_MASK) {
		kprintf("smp: %s: reg 0x%llx has bits outside the MPIDR affinity fields\n",
			fdt_get_name(fdt, node, NULL), (unsigned long long)*mpidr);
		return -PLINTH_EINVAL;
	}
	return 0;
}

int smp_parse_cpus(const void *fdt, uint64_t boot_mpidr, struct cpu_desc *out, unsigned max)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), na, node;
	unsigned n = 0;

	if (cpus < 0)
		return cpus == -FDT_ERR_NOTFOUND ? -PLINTH_ENOENT : cpus;
	na = dt_addr_cells(fdt, cpus);
	if (na != 1 && na != 2) {
		kprintf("smp: /cpus #address-cells is %d, must be 1 or 2\n", na);
		return -PLINTH_EINVAL;
	}
	fdt_for_each_subnode(node, fdt, cpus) {
		struct cpu_desc d = { .node = node };

		if (!is_cpu(fdt, node))
			continue;	/* cpu-map, idle-states, caches */
		if (parse_reg(fdt, node, na, &d.mpidr) < 0)
			continue;	/* said why; it cannot be addressed */
		d.method = parse_method(fdt, node);
		d.boot = d.mpidr == smp_mpidr_affinity(boot_mpidr);
		if (n < max)
			out[n] = d;
		n++;
	}
	if (node < 0 && node != -FDT_ERR_NOTFOUND)
		return node;
	return (int)n;
}
