/* Device-tree helpers (dt.h): address translation through `ranges`,
 * interrupt specifiers through interrupt-parent / interrupt-map, clocks,
 * stdout-path. Pure functions of the blob on top of libfdt: every libfdt
 * return is checked, every property length is checked before a cell is read,
 * and cell loads go through fdt32_ld (byte loads: safe before the MMU is on).
 *
 * Convention: >= 0 result, < 0 a -PLINTH_* code, or a -FDT_ERR_* code passed
 * up unchanged (an absent property is reported as -PLINTH_ENOENT). */
#include <libfdt.h>
#include <string.h>
#include <plinth/dt.h>
#include <plinth/dt_bindings.h>
#include <plinth/err.h>

#define DT_MAX_SIZE_CELLS 2	/* a 64-bit size */
#define DT_MAX_CLOCK_CELLS 4
#define DT_IRQ_DEPTH 16		/* interrupt-map hops before we call it a cycle */
#define DT_WALK_DEPTH 64	/* interrupt-parent hops, idem */

/* ------------------------------------------------------------ basics ---- */

static int absent(int len)
{
	return len == -FDT_ERR_NOTFOUND ? -PLINTH_ENOENT : len;
}

/* A one-cell property bounded by max; def when absent. */
static int cells_prop(const void *fdt, int node, const char *name, int def, uint32_t max)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	if (!p)
		return len == -FDT_ERR_NOTFOUND ? def : len;
	if (len != 4)
		return -PLINTH_EINVAL;
	if (fdt32_ld(p) > max)
		return -PLINTH_EINVAL;
	return (int)fdt32_ld(p);
}

/* DT spec 2.3.5: defaults 2 and 1. */
int dt_addr_cells(const void *fdt, int node)
{
	return cells_prop(fdt, node, "#address-cells", 2, DT_MAX_ADDR_CELLS);
}

int dt_size_cells(const void *fdt, int node)
{
	return cells_prop(fdt, node, "#size-cells", 1, DT_MAX_SIZE_CELLS);
}

static void load_cells(uint32_t *dst, const fdt32_t *src, int n)
{
	for (int i = 0; i < n; i++)
		dst[i] = fdt32_ld(src + i);
}

/* The number n cells spell; -PLINTH_ERANGE when it needs more than 64 bits. */
static int cells_u64(const uint32_t *c, int n, uint64_t *out)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++) {
		if (v >> 32)
			return -PLINTH_ERANGE;
		v = (v << 32) | c[i];
	}
	*out = v;
	return 0;
}

int dt_read_u32(const void *fdt, int node, const char *prop, uint32_t *out)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, prop, &len);

	if (!p)
		return absent(len);
	if (len != 4)
		return -PLINTH_EINVAL;
	*out = fdt32_ld(p);
	return 0;
}

int dt_read_u64(const void *fdt, int node, const char *prop, uint64_t *out)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, prop, &len);
	uint32_t c[2];

	if (!p)
		return absent(len);
	if (len != 4 && len != 8)
		return -PLINTH_EINVAL;
	load_cells(c, p, len / 4);
	return cells_u64(c, len / 4, out);
}

bool dt_node_enabled(const void *fdt, int node)
{
	int len;
	const char *s = fdt_getprop(fdt, node, "status", &len);

	if (!s)
		return len == -FDT_ERR_NOTFOUND;
	/* The string must end inside the property (DT spec 2.3.4). */
	if (len < 1 || s[len - 1] != '\0')
		return false;
	return !strcmp(s, "okay") || !strcmp(s, "ok");
}

int dt_node_by_phandle(const void *fdt, uint32_t phandle)
{
	int node;

	if (phandle == 0 || phandle == ~0u)
		return -PLINTH_EINVAL;
	node = fdt_node_offset_by_phandle(fdt, phandle);
	return node < 0 ? absent(node) : node;
}

const char *dt_path(const void *fdt, int node, char *buf, size_t len)
{
	if (!buf || len == 0)
		return "?";
	if (len > 0x7fffffff || fdt_get_path(fdt, node, buf, (int)len) < 0) {
		buf[0] = len > 1 ? '?' : '\0';
		if (len > 1)
			buf[1] = '\0';
	}
	return buf;
}

/* ------------------------------------------------- address translation ---- */

/* How one kind of bus spells an address (Linux of/address.c keeps the same
 * split): the default bus is a plain big-endian number; a PCI bus (PCI bus
 * binding, IEEE 1275 PCI supplement) has a phys.hi cell holding the space
 * code in bits 24..25 (plus flag bits we ignore) and a 64-bit phys.mid/lo. */
struct dt_bus {
	const char *name;
	bool (*match)(const void *fdt, int node);
	/* Are these cell counts valid for the bus? */
	bool (*counts_ok)(int na, int ns);
	/* The numeric address in a (na cells). */
	int (*addr)(const uint32_t *a, int na, uint64_t *out);
	/* Same address space as a `ranges` child address? */
	bool (*same_space)(const uint32_t *a, const uint32_t *range);
	/* Store numeric v into a, keeping the non-address cells. */
	int (*set)(uint32_t *a, int na, uint64_t v);
};

static bool pci_match(const void *fdt, int node)
{
	int len;
	const char *t = fdt_getprop(fdt, node, "device_type", &len);

	return t && len > 0 && t[len - 1] == '\0' && (!strcmp(t, "pci") || !strcmp(t, "pciex"));
}

static bool pci_counts_ok(int na, int ns)
{
	return na == 3 && ns >= 1;
}

static int pci_addr(const uint32_t *a, int na, uint64_t *out)
{
	(void)na;
	return cells_u64(a + 1, 2, out);
}

static bool pci_same_space(const uint32_t *a, const uint32_t *range)
{
	return ((a[0] ^ range[0]) & DT_PCI_SPACE_MASK) == 0;
}

static int pci_set(uint32_t *a, int na, uint64_t v)
{
	(void)na;
	a[1] = (uint32_t)(v >> 32);
	a[2] = (uint32_t)v;
	return 0;
}

static bool default_match(const void *fdt, int node)
{
	(void)fdt;
	(void)node;
	return true;
}

static bool default_counts_ok(int na, int ns)
{
	return na >= 1 && na <= DT_MAX_ADDR_CELLS && ns >= 0 && ns <= DT_MAX_SIZE_CELLS;
}

static int default_addr(const uint32_t *a, int na, uint64_t *out)
{
	return cells_u64(a, na, out);
}

static bool default_same_space(const uint32_t *a, const uint32_t *range)
{
	(void)a;
	(void)range;
	return true;
}

static int default_set(uint32_t *a, int na, uint64_t v)
{
	if (na == 1 && (v >> 32))
		return -PLINTH_ERANGE;
	for (int i = 0; i < na; i++)
		a[i] = 0;
	a[na - 1] = (uint32_t)v;
	if (na > 1)
		a[na - 2] = (uint32_t)(v >> 32);
	return 0;
}

/* Most specific first; the default bus matches everything. */
static const struct dt_bus dt_buses[] = {
	{ "pci", pci_match, pci_counts_ok, pci_addr, pci_same_space, pci_set },
	{ "default", default_match, default_counts_ok, default_addr,
	  default_same_space, default_set },
};

static const struct dt_bus *bus_of(const void *fdt, int node)
{
	unsigned i;

	for (i = 0; i < sizeof(dt_buses) / sizeof(dt_buses[0]) - 1; i++)
		if (dt_buses[i].match(fdt, node))
			return &dt_buses[i];
	return &dt_buses[i];
}

/* Is base + size (size > 0) inside 2^64? */
static bool span_ok(uint64_t base, uint64_t size)
{
	return size == 0 || base <= UINT64_MAX - (size - 1);
}

/* One `ranges` entry e (child na cells, parent pna cells, size ns cells):
 * 1 and the parent-side address in pa when a falls inside the window,
 * 0 when it does not, < 0 when the entry itself is bad. */
static int range_map(const struct dt_bus *b, const struct dt_bus *pb, const uint32_t *a,
		     int na, const uint32_t *e, int pna, int ns, uint32_t *pa)
{
	uint64_t addr, cbase, pbase, size;
	int rc;

	if ((rc = b->addr(a, na, &addr)) < 0 || (rc = b->addr(e, na, &cbase)) < 0 ||
	    (rc = pb->addr(e + na, pna, &pbase)) < 0 || (rc = cells_u64(e + na + pna, ns, &size)) < 0)
		return rc;
	/* A window reaching past 2^64 on either side is a broken table. */
	if (!span_ok(cbase, size) || !span_ok(pbase, size))
		return -PLINTH_ERANGE;
	if (!b->same_space(a, e) || addr < cbase || addr - cbase >= size)
		return 0;
	memcpy(pa, e + na, (size_t)pna * 4);
	rc = pb->set(pa, pna, pbase + (addr - cbase));
	return rc < 0 ? rc : 1;
}

/* Translate a (na cells, as children of bus see it) into the address space
 * of parent; on success a and *na hold the parent-side address. */
static int translate_one(const void *fdt, int bus, int parent, uint32_t *a, int *na)
{
	const struct dt_bus *b = bus_of(fdt, bus), *pb = bus_of(fdt, parent);
	uint32_t pa[DT_MAX_ADDR_CELLS], e[DT_MAX_ADDR_CELLS * 2 + DT_MAX_SIZE_CELLS];
	int ns = dt_size_cells(fdt, bus), pna = dt_addr_cells(fdt, parent);
	const fdt32_t *r;
	uint64_t v;
	int len, rc;

	if (ns < 0)
		return ns;
	if (pna < 0)
		return pna;
	if (!b->counts_ok(*na, ns) || !default_counts_ok(pna, 0))
		return -PLINTH_EINVAL;
	r = fdt_getprop(fdt, bus, "ranges", &len);
	if (!r)		/* no `ranges`: this bus is not memory-mapped (DT spec 2.3.8) */
		return len == -FDT_ERR_NOTFOUND ? -PLINTH_ENOTMAPPED : len;
	if (len == 0) {	/* empty `ranges`: identity */
		memset(pa, 0, sizeof(pa));
		if ((rc = b->addr(a, *na, &v)) < 0 || (rc = pb->set(pa, pna, v)) < 0)
			return rc;
		goto done;
	}
	int stride = *na + pna + ns;
	if (len % (stride * 4))
		return -PLINTH_EINVAL;
	for (int i = 0; i < len / 4; i += stride) {
		load_cells(e, r + i, stride);
		rc = range_map(b, pb, a, *na, e, pna, ns, pa);
		if (rc < 0)
			return rc;
		if (rc)
			goto done;
	}
	return -PLINTH_ENOTMAPPED;	/* outside every window */
done:
	memcpy(a, pa, (size_t)pna * 4);
	*na = pna;
	return 0;
}

int dt_translate(const void *fdt, int bus, const uint32_t *cells, int na, uint64_t *out)
{
	uint32_t a[DT_MAX_ADDR_CELLS];
	int rc;

	if (!cells || !out || na < 1 || na > DT_MAX_ADDR_CELLS)
		return -PLINTH_EINVAL;
	memcpy(a, cells, (size_t)na * 4);
	/* One level at a time; the depth of the tree bounds the loop. */
	for (;;) {
		int bna = dt_addr_cells(fdt, bus);
		int parent;

		if (bna < 0)
			return bna;
		if (bna != na)
			return -PLINTH_EINVAL;
		parent = fdt_parent_offset(fdt, bus);
		if (parent == -FDT_ERR_NOTFOUND)	/* bus is the root */
			return bus_of(fdt, bus)->addr(a, na, out);
		if (parent < 0)
			return parent;
		if ((rc = translate_one(fdt, bus, parent, a, &na)) < 0)
			return rc;
		bus = parent;
	}
}

/* The bus node of `node` and the cell counts of its `reg`. */
static int reg_layout(const void *fdt, int parent, int *na, int *ns)
{
	if (parent < 0)
		return parent == -FDT_ERR_NOTFOUND ? -PLINTH_EINVAL : parent;	/* the root */
	*na = dt_addr_cells(fdt, parent);
	*ns = dt_size_cells(fdt, parent);
	if (*na < 0)
		return *na;
	if (*ns < 0)
		return *ns;
	if (*na == 0)	/* an address is needed: #address-cells = <0> cannot spell one */
		return -PLINTH_EINVAL;
	return parent;
}

int dt_reg_count(const void *fdt, int node)
{
	return dt_reg_count_in(fdt, node, fdt_parent_offset(fdt, node));
}

int dt_reg_count_in(const void *fdt, int node, int parent)
{
	int na, ns, len;
	int rc = reg_layout(fdt, parent, &na, &ns);
	const fdt32_t *r;

	if (rc < 0)
		return rc;
	r = fdt_getprop(fdt, node, "reg", &len);
	if (!r)
		return absent(len);
	if (len % ((na + ns) * 4))
		return -PLINTH_EINVAL;
	return len / ((na + ns) * 4);
}

int dt_reg(const void *fdt, int node, unsigned idx, uint64_t *addr, uint64_t *size)
{
	return dt_reg_in(fdt, node, fdt_parent_offset(fdt, node), idx, addr, size);
}

int dt_reg_in(const void *fdt, int node, int parent, unsigned idx, uint64_t *addr, uint64_t *size)
{
	uint32_t c[DT_MAX_ADDR_CELLS + DT_MAX_SIZE_CELLS];
	int na, ns, len, rc, bus = reg_layout(fdt, parent, &na, &ns);
	const fdt32_t *r;
	uint64_t pa, sz;

	if (bus < 0)
		return bus;
	if (!addr)
		return -PLINTH_EINVAL;
	r = fdt_getprop(fdt, node, "reg", &len);
	if (!r)
		return absent(len);
	if (len % ((na + ns) * 4))
		return -PLINTH_EINVAL;
	if (idx >= (unsigned)(len / ((na + ns) * 4)))
		return -PLINTH_ENOENT;
	load_cells(c, r + idx * (unsigned)(na + ns), na + ns);
	if ((rc = cells_u64(c + na, ns, &sz)) < 0 || (rc = dt_translate(fdt, bus, c, na, &pa)) < 0)
		return rc;
	if (!span_ok(pa, sz))
		return -PLINTH_ERANGE;
	*addr = pa;
	if (size)
		*size = sz;
	return 0;
}

/* ---------------------------------------------------------- interrupts ---- */

/* #interrupt-cells of a controller or nexus: required, 1..DT_MAX_IRQ_CELLS. */
static int irq_cells(const void *fdt, int node)
{
	int n = cells_prop(fdt, node, "#interrupt-cells", -PLINTH_EINVAL, DT_MAX_IRQ_CELLS);

	return n == 0 ? -PLINTH_EINVAL : n;
}

/* The interrupt parent of node (DT spec 2.4.1): its interrupt-parent, else
 * its tree parent; a node without #interrupt-cells passes the question on
 * the same way, so an interrupt-parent on an ancestor (or the root) is
 * inherited. */
static int irq_parent(const void *fdt, int node)
{
	int cur = node;

	for (int i = 0; i < DT_WALK_DEPTH; i++) {
		int len, p;
		const fdt32_t *ph = fdt_getprop(fdt, cur, "interrupt-parent", &len);

		if (ph) {
			if (len != 4)
				return -PLINTH_EINVAL;
			p = dt_node_by_phandle(fdt, fdt32_ld(ph));
		} else if (len != -FDT_ERR_NOTFOUND) {
			return len;
		} else {
			p = fdt_parent_offset(fdt, cur);
			if (p == -FDT_ERR_NOTFOUND)
				return -PLINTH_ENOENT;	/* reached above the root */
		}
		if (p < 0)
			return p;
		if (fdt_getprop(fdt, p, "#interrupt-cells", NULL))
			return p;
		cur = p;
	}
	return -PLINTH_EINVAL;
}

/* Walk `interrupts-extended` (phandle + specifier, repeated). want < 0:
 * count the entries; otherwise find entry want. */
static int ext_walk(const void *fdt, const fdt32_t *p, int len, int want,
		    int *ctrl, const fdt32_t **spec, int *nc)
{
	int n = len / 4, count = 0;

	if (len % 4)
		return -PLINTH_EINVAL;
	for (int i = 0; i < n; count++) {
		int c = dt_node_by_phandle(fdt, fdt32_ld(p + i));
		int k;

		if (c < 0)
			return c;
		if ((k = irq_cells(fdt, c)) < 0)
			return k;
		if (n - i - 1 < k)
			return -PLINTH_EINVAL;	/* truncated specifier */
		if (count == want) {
			*ctrl = c;
			*spec = p + i + 1;
			*nc = k;
			return count;
		}
		i += 1 + k;
	}
	return want < 0 ? count : -PLINTH_ENOENT;
}

/* The specifier list of `interrupts`, its parent and cell count. */
static int irq_list(const void *fdt, int node, const fdt32_t **list, int *count, int *nc)
{
	int len, par;

	*list = fdt_getprop(fdt, node, "interrupts", &len);
	if (!*list)
		return absent(len);
	if ((par = irq_parent(fdt, node)) < 0)
		return par;
	if ((*nc = irq_cells(fdt, par)) < 0)
		return *nc;
	/* irq_cells never returns 0 (it refuses #interrupt-cells = <0>). */
	/* cppcheck-suppress zerodivcond */
	if (len % (*nc * 4))
		return -PLINTH_EINVAL;
	*count = len / (*nc * 4);
	return par;
}

int dt_irq_count(const void *fdt, int node)
{
	const fdt32_t *p, *spec;
	int len, ctrl, nc, count, rc;

	p = fdt_getprop(fdt, node, "interrupts-extended", &len);
	if (p)
		return ext_walk(fdt, p, len, -1, &ctrl, &spec, &nc);
	if (len != -FDT_ERR_NOTFOUND)
		return len;
	rc = irq_list(fdt, node, &p, &count, &nc);
	if (rc == -PLINTH_ENOENT && !p)
		return 0;
	return rc < 0 ? rc : count;
}

/* A unit interrupt specifier on its way up: the unit address of whoever
 * asks (cells) and the interrupt specifier. */
struct irq_path {
	uint32_t addr[DT_MAX_ADDR_CELLS];
	int naddr;
	uint32_t spec[DT_MAX_IRQ_CELLS];
	int nspec;
};

/* One interrupt-map lookup at nexus node (DT spec 2.4.3): on a hit, *par and
 * ip become the parent side of the entry. */
static int irq_map(const void *fdt, int *par, struct irq_path *ip)
{
	uint32_t match[DT_MAX_ADDR_CELLS + DT_MAX_IRQ_CELLS], mask[DT_MAX_ADDR_CELLS + DT_MAX_IRQ_CELLS];
	int na = dt_addr_cells(fdt, *par), nc = irq_cells(fdt, *par), len, mlen;
	const fdt32_t *map = fdt_getprop(fdt, *par, "interrupt-map", &len);
	const fdt32_t *m = fdt_getprop(fdt, *par, "interrupt-map-mask", &mlen);

	if (na < 0)
		return na;
	if (nc < 0)
		return nc;
	if (nc != ip->nspec || len % 4)
		return -PLINTH_EINVAL;
	if (m && mlen != (na + nc) * 4)
		return -PLINTH_EINVAL;
	for (int i = 0; i < na + nc; i++) {
		mask[i] = m ? fdt32_ld(m + i) : ~0u;
		match[i] = (i < na ? (i < ip->naddr ? ip->addr[i] : 0) : ip->spec[i - na]) & mask[i];
	}
	for (int i = 0, n = len / 4; i < n;) {
		const fdt32_t *child = map + i;
		int p, pna, pnc, hit = 1;

		if (n - i < na + nc + 1)
			return -PLINTH_EINVAL;
		i += na + nc;
		if ((p = dt_node_by_phandle(fdt, fdt32_ld(map + i++))) < 0)
			return p;
		/* The parent unit address: #address-cells of the parent, default 0. */
		if ((pna = cells_prop(fdt, p, "#address-cells", 0, DT_MAX_ADDR_CELLS)) < 0)
			return pna;
		if ((pnc = irq_cells(fdt, p)) < 0)
			return pnc;
		if (n - i < pna + pnc)
			return -PLINTH_EINVAL;
		for (int j = 0; j < na + nc; j++)
			hit &= (fdt32_ld(child + j) & mask[j]) == match[j];
		if (hit) {
			load_cells(ip->addr, map + i, pna);
			ip->naddr = pna;
			load_cells(ip->spec, map + i + pna, pnc);
			ip->nspec = pnc;
			*par = p;
			return 0;
		}
		i += pna + pnc;
	}
	return -PLINTH_ENOENT;	/* no entry for this specifier */
}

/* Follow nexus nodes up to an interrupt-controller. interrupt-map takes
 * precedence on a node that has both (as Linux does). */
static int irq_resolve(const void *fdt, int par, struct irq_path *ip, struct dt_irq *out)
{
	for (int depth = 0; depth < DT_IRQ_DEPTH; depth++) {
		int len, rc;

		if (!fdt_getprop(fdt, par, "interrupt-map", &len)) {
			if (len != -FDT_ERR_NOTFOUND)
				return len;
			if (!fdt_getprop(fdt, par, "interrupt-controller", &len))
				return len == -FDT_ERR_NOTFOUND ? -PLINTH_EINVAL : len;
			out->ctrl = par;
			out->ncells = (uint32_t)ip->nspec;
			memset(out->cells, 0, sizeof(out->cells));
			memcpy(out->cells, ip->spec, (size_t)ip->nspec * 4);
			return 0;
		}
		if ((rc = irq_map(fdt, &par, ip)) < 0)
			return rc;
	}
	return -PLINTH_EINVAL;	/* a cycle, or a chain too deep to be real */
}

/* The unit address of node: the first cells of its `reg` (as many as its
 * bus's #address-cells); none when it has no reg. */
static void irq_unit_addr(const void *fdt, int node, struct irq_path *ip)
{
	int len, na = 0, parent = fdt_parent_offset(fdt, node);
	const fdt32_t *r = fdt_getprop(fdt, node, "reg", &len);

	ip->naddr = 0;
	if (parent >= 0)
		na = dt_addr_cells(fdt, parent);
	if (!r || na <= 0)
		return;
	if (na > len / 4)
		na = len / 4;
	load_cells(ip->addr, r, na);
	ip->naddr = na;
}

int dt_irq_resolve(const void *fdt, int parent, const uint32_t *addr, int naddr,
		   const uint32_t *spec, int nspec, struct dt_irq *out)
{
	struct irq_path ip;

	if (!out || !spec || naddr < 0 || naddr > DT_MAX_ADDR_CELLS || (naddr && !addr) ||
	    nspec < 1 || nspec > DT_MAX_IRQ_CELLS)
		return -PLINTH_EINVAL;
	if (naddr)
		memcpy(ip.addr, addr, (size_t)naddr * 4);
	ip.naddr = naddr;
	memcpy(ip.spec, spec, (size_t)nspec * 4);
	ip.nspec = nspec;
	return irq_resolve(fdt, parent, &ip, out);
}

int dt_irq(const void *fdt, int node, unsigned idx, struct dt_irq *out)
{
	struct irq_path ip;
	const fdt32_t *p, *spec;
	int len, par, nc, count;

	if (!out || idx > 0x7fffffff)
		return -PLINTH_EINVAL;
	p = fdt_getprop(fdt, node, "interrupts-extended", &len);
	if (p) {
		int rc = ext_walk(fdt, p, len, (int)idx, &par, &spec, &nc);
		if (rc < 0)
			return rc;
	} else if (len != -FDT_ERR_NOTFOUND) {
		return len;
	} else {
		if ((par = irq_list(fdt, node, &p, &count, &nc)) < 0)
			return par;
		if (idx >= (unsigned)count)
			return -PLINTH_ENOENT;
		spec = p + idx * (unsigned)nc;
	}
	irq_unit_addr(fdt, node, &ip);
	load_cells(ip.spec, spec, nc);
	ip.nspec = nc;
	return irq_resolve(fdt, par, &ip, out);
}

/* ----------------------------------------------------------------- PCI ---- */

bool dt_is_pci_bus(const void *fdt, int node)
{
	return pci_match(fdt, node);
}

int dt_pci_devfn(const void *fdt, int node)
{
	return dt_pci_devfn_in(fdt, node, fdt_parent_offset(fdt, node));
}

int dt_pci_devfn_in(const void *fdt, int node, int parent)
{
	int len;
	const fdt32_t *r;

	if (parent < 0 || !pci_match(fdt, parent))
		return -PLINTH_ENOENT;
	r = fdt_getprop(fdt, node, "reg", &len);
	if (!r)
		return -PLINTH_ENOENT;
	if (dt_addr_cells(fdt, parent) != 3 || len < 12)
		return -PLINTH_EINVAL;
	/* Only bus, device and function may be set (PCI bus binding 2.2.1.1:
	 * n, p, t, the space code and the register number are 0). */
	if ((fdt32_ld(r) & ~DT_PCI_ADDR_BITS) || fdt32_ld(r + 1) || fdt32_ld(r + 2))
		return -PLINTH_EINVAL;
	return (int)((fdt32_ld(r) & DT_PCI_ADDR_BITS) >> 8);
}

/* -------------------------------------------------------------- clocks ---- */

int dt_clock_provider(const void *fdt, int node, const char *name)
{
	int idx = 0, len, n;
	const fdt32_t *p;

	if (name) {
		idx = fdt_stringlist_search(fdt, node, "clock-names", name);
		if (idx < 0)
			return absent(idx);
	}
	p = fdt_getprop(fdt, node, "clocks", &len);
	if (!p)
		return absent(len);
	if (len % 4)
		return -PLINTH_EINVAL;
	n = len / 4;
	for (int i = 0, count = 0; i < n; count++) {
		int c = dt_node_by_phandle(fdt, fdt32_ld(p + i));
		int k;

		if (c < 0)
			return c;
		k = cells_prop(fdt, c, "#clock-cells", -PLINTH_EINVAL, DT_MAX_CLOCK_CELLS);
		if (k < 0)
			return k;
		if (n - i - 1 < k)
			return -PLINTH_EINVAL;
		if (count == idx)
			return c;
		i += 1 + k;
	}
	return -PLINTH_ENOENT;
}

int dt_clock_rate(const void *fdt, int node, const char *name, uint64_t *hz)
{
	int rc = dt_read_u64(fdt, node, "clock-frequency", hz);
	int c;

	if (rc != -PLINTH_ENOENT)
		return rc;
	if ((c = dt_clock_provider(fdt, node, name)) < 0)
		return c;
	if (fdt_node_check_compatible(fdt, c, "fixed-clock") != 0)
		return -PLINTH_ENOTSUP;
	rc = dt_read_u64(fdt, c, "clock-frequency", hz);
	return rc == -PLINTH_ENOENT ? -PLINTH_EINVAL : rc;	/* required by the binding */
}

/* ---------------------------------------------------------- stdout-path ---- */

int dt_stdout(const void *fdt, int *node, char *opts, size_t optlen)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *s, *colon;
	int len, n, off;

	if (chosen < 0)
		return absent(chosen);
	s = fdt_getprop(fdt, chosen, "stdout-path", &len);
	if (!s && len == -FDT_ERR_NOTFOUND)
		s = fdt_getprop(fdt, chosen, "linux,stdout-path", &len);
	if (!s)
		return absent(len);
	if (len < 2 || s[len - 1] != '\0')
		return -PLINTH_EINVAL;
	colon = strchr(s, ':');
	n = colon ? (int)(colon - s) : len - 1;
	if (n == 0)
		return -PLINTH_EINVAL;
	if (s[0] == '/') {
		off = fdt_path_offset_namelen(fdt, s, n);
	} else {
		/* An alias (DT spec 3.3); its value is a full path. */
		const char *path = fdt_get_alias_namelen(fdt, s, n);
		off = path ? fdt_path_offset(fdt, path) : -PLINTH_ENOENT;
	}
	if (off < 0)
		return absent(off);
	if (node)
		*node = off;
	if (opts && optlen) {
		const char *o = colon ? colon + 1 : "";
		size_t ol = strlen(o);

		if (ol >= optlen)
			ol = optlen - 1;	/* a console with odd options still comes up */
		memcpy(opts, o, ol);
		opts[ol] = '\0';
	}
	return 0;
}

/* "<baud>[<parity>[<bits>[r]]]", as Linux's console= options. */
int dt_parse_uart_opts(const char *s, struct uart_opts *o)
{
	struct uart_opts t;
	uint64_t baud = 0;

	if (!s || !o)
		return -PLINTH_EINVAL;
	if (!*s)
		return 0;
	t = *o;
	if (*s < '0' || *s > '9')
		return -PLINTH_EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		baud = baud * 10 + (uint64_t)(*s - '0');
		if (baud > UINT32_MAX)
			return -PLINTH_EINVAL;
	}
	if (baud == 0)
		return -PLINTH_EINVAL;
	t.baud = (uint32_t)baud;
	if (*s) {
		if (*s != 'n' && *s != 'o' && *s != 'e')
			return -PLINTH_EINVAL;
		t.parity = *s++;
	}
	if (*s) {
		if (*s < '5' || *s > '8')
			return -PLINTH_EINVAL;
		t.bits = (uint8_t)(*s++ - '0');
	}
	if (*s) {
		if (*s != 'r')
			return -PLINTH_EINVAL;
		t.flow = true;
		s++;
	}
	if (*s)
		return -PLINTH_EINVAL;
	*o = t;
	return 0;
}
