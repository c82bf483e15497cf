/* IORT -> msi-map on the PCIe host bridges (Arm DEN0049 "IO Remapping
 * Table", issue E.e; binding pci/pci-msi.txt). Each Root Complex node (type 2)
 * names a PCI segment; its ID mappings send requester IDs to an ITS group
 * (type 0), directly or through an SMMU (types 3, 4). The ITS group's first
 * ITS identifier is matched to the msi-controller@ node MADT made (acpi_madt.c
 * records each GIC ITS ID), and the pci-host-ecam-generic node MCFG made for
 * that segment (linux,pci-domain) gets msi-map = <rid-base &its out-base len>.
 * With no ITS but a GICv2m frame (QEMU's GICv2), every host bridge gets
 * msi-parent = <&v2m> instead. Runs after MADT and MCFG (acpi_tables.c),
 * reading what they described: the GIC's frames and the host bridges. */
#include <plinth/err.h>
#include <plinth/printk.h>
#include "acpi.h"

#define IORT_MAX_MAPS 16	/* msi-map entries kept per Root Complex */
#define IORT_MAX_REV 6		/* DEN0049 E.e: IORT revision 6 */

struct iort_map {
	uint32_t rid, out, len;		/* len = number of IDs (count field + 1) */
	uint32_t its;			/* its<its>: the its-th ITS of the MADT */
};

/* The i-th ITS frame of the GIC, in MADT order. */
static struct acpi_msi_frame *its_frame(struct acpi_ctx *c, unsigned i)
{
	for (struct acpi_msi_frame *f = c->m.gic.frames; f; f = f->next)
		if (f->its && i-- == 0)
			return f;
	return NULL;
}

/* A node at `off`: its header and its own length lie within the table and
 * the length covers the header (DEN0049 3.1.1.2). NULL otherwise. */
static const uint8_t *iort_node(const struct acpi_sdt *t, uint32_t off)
{
	if (!sdt_has(t, off, IORT_NODE_HDR_LEN))
		return NULL;
	uint16_t len = le16(t->p + off + IORT_NODE_LENGTH);
	if (len < IORT_NODE_HDR_LEN || !sdt_has(t, off, len))
		return NULL;
	return t->p + off;
}

/* The `i`th ID mapping of a node (DEN0049 3.4), NULL when it lies outside
 * the node. */
static const uint8_t *iort_mapping(const uint8_t *n, uint32_t i)
{
	uint32_t len = le16(n + IORT_NODE_LENGTH), moff = le32(n + IORT_NODE_MAP_OFFSET);
	uint64_t at = (uint64_t)moff + (uint64_t)i * IORT_MAP_LEN;

	if (moff < IORT_NODE_HDR_LEN || at > len || IORT_MAP_LEN > len - at)
		return NULL;
	return n + at;
}

/* The ITS an ITS group node names: its first ITS identifier (DEN0049
 * 3.1.1.3) matched to a GIC ITS structure of the MADT. Index or -1. */
static int its_of_group(struct acpi_ctx *c, const uint8_t *g, uint32_t goff)
{
	uint32_t len = le16(g + IORT_NODE_LENGTH);

	if (len < IORT_ITS_IDS + 4 || le32(g + IORT_ITS_COUNT) == 0) {
		acpi_log(c, "iort: ITS group at 0x%x: no ITS identifier (length %u): skipped", goff, len);
		return -1;
	}
	uint32_t id = le32(g + IORT_ITS_IDS);
	for (unsigned i = 0; i < c->m.gic.nits; i++)
		if (its_frame(c, i)->its_id == id)
			return (int)i;
	acpi_log(c, "iort: ITS group at 0x%x: ITS ID %u has no MADT ITS: skipped", goff, id);
	return -1;
}

/* Add one RC mapping [in, in+n) -> out (to the group at goff) to maps. */
static void add_map(struct acpi_ctx *c, struct iort_map *maps, unsigned *nmaps, uint32_t seg,
		    uint32_t in, uint32_t out, uint32_t n, int its)
{
	if (*nmaps >= IORT_MAX_MAPS) {
		acpi_log(c, "iort: segment %u: more than %u mappings: RIDs 0x%x+%u dropped", seg,
			 IORT_MAX_MAPS, in, n);
		return;
	}
	maps[*nmaps].rid = in;
	maps[*nmaps].out = out;
	maps[*nmaps].len = n;
	maps[(*nmaps)++].its = (uint32_t)its;
}

/* A Root Complex mapping into an SMMU node: DT has no SMMU here, so the
 * mapping is taken only when it is the identity, and then the SMMU's own
 * mappings into ITS groups are composed with it. */
static void through_smmu(struct acpi_ctx *c, const struct acpi_sdt *t, const uint8_t *s,
			 uint32_t soff, uint32_t seg, uint32_t in, uint32_t out, uint32_t n,
			 struct iort_map *maps, unsigned *nmaps)
{
	uint32_t count = le32(s + IORT_NODE_MAP_COUNT);

	acpi_log(c, "iort: segment %u: RIDs 0x%x+%u go through SMMU%s at 0x%x, which the tree does not describe",
		 seg, in, n, s[IORT_NODE_TYPE] == IORT_SMMU_V3 ? "v3" : "v1/v2", soff);
	if (in != out) {
		acpi_log(c, "iort: segment %u: RIDs 0x%x+%u -> stream IDs 0x%x is not an identity mapping: skipped",
			 seg, in, n, out);
		return;
	}
	for (uint32_t j = 0; j < count; j++) {
		const uint8_t *m = iort_mapping(s, j);
		const uint8_t *g;
		uint64_t lo, hi, sin, send;
		int its;

		if (!m) {
			acpi_log(c, "iort: SMMU at 0x%x: mapping %u outside the node: stopped", soff, j);
			return;
		}
		if (le32(m + IORT_MAP_FLAGS) & IORT_MAP_SINGLE)
			continue;	/* the SMMU's own interrupts, not PCI devices */
		sin = le32(m + IORT_MAP_INPUT);
		send = sin + (uint64_t)le32(m + IORT_MAP_COUNT) + 1;
		lo = sin > in ? sin : in;
		hi = send < (uint64_t)in + n ? send : (uint64_t)in + n;
		if (lo >= hi)
			continue;
		g = iort_node(t, le32(m + IORT_MAP_REF));
		if (!g || g[IORT_NODE_TYPE] != IORT_ITS_GROUP) {
			acpi_log(c, "iort: SMMU at 0x%x: mapping %u: reference 0x%x is not an ITS group: skipped",
				 soff, j, le32(m + IORT_MAP_REF));
			continue;
		}
		if ((its = its_of_group(c, g, le32(m + IORT_MAP_REF))) < 0)
			continue;
		add_map(c, maps, nmaps, seg, (uint32_t)lo,
			(uint32_t)(le32(m + IORT_MAP_OUTPUT) + (lo - sin)), (uint32_t)(hi - lo), its);
	}
}

/* The host bridges of a segment (MCFG nodes with that linux,pci-domain)
 * get msi-map = cells; returns how many, or -FDT_ERR_NOSPACE. */
static int set_msi_map(struct acpi_ctx *c, uint32_t seg, const uint32_t *cells, unsigned ncells)
{
	uint32_t *copy = acpi_alloc(c, ncells * sizeof(cells[0]));
	int found = 0;

	if (!copy)
		return -FDT_ERR_NOSPACE;
	memcpy(copy, cells, ncells * sizeof(cells[0]));
	for (struct acpi_pcie *p = c->m.pcie; p; p = p->next) {
		if (p->seg != seg)
			continue;
		p->msi_map = copy;
		p->nmsi_map = ncells;
		found++;
	}
	return found;
}

/* The phandle of the its-th ITS, labelled its<i> (again at each use: the
 * label's entry goes where the last use is). The node is found by its
 * name, msi-controller@base: the first frame at that base. */
static int its_phandle(struct acpi_ctx *c, unsigned i, uint32_t *ph)
{
	struct acpi_msi_frame *want = its_frame(c, i), *f;
	char label[ACPI_NAME_MAX];

	for (f = c->m.gic.frames; f && !(f->its && f->base == want->base); f = f->next)
		;
	ksnprintf(label, sizeof(label), "its%u", i);
	if (acpi_label(c, label, acpi_strdup(c, "/interrupt-controller@%llx/msi-controller@%llx",
					     (unsigned long long)c->m.gic.base,
					     (unsigned long long)f->base), &f->phandle, 1) < 0)
		return -FDT_ERR_NOSPACE;
	*ph = f->phandle;
	return 0;
}

/* One Root Complex node: its mappings, then msi-map on its host bridges. */
static int root_complex(struct acpi_ctx *c, const struct acpi_sdt *t, const uint8_t *rc,
			uint32_t rcoff)
{
	struct iort_map maps[IORT_MAX_MAPS];
	uint32_t cells[IORT_MAX_MAPS * 4];
	unsigned nmaps = 0;
	uint32_t seg, count;
	int err, found;

	if (le16(rc + IORT_NODE_LENGTH) < IORT_RC_MIN_LEN) {
		acpi_log(c, "iort: root complex at 0x%x: length %u < %u: skipped", rcoff,
			 le16(rc + IORT_NODE_LENGTH), IORT_RC_MIN_LEN);
		return 0;
	}
	seg = le32(rc + IORT_RC_SEGMENT);
	count = le32(rc + IORT_NODE_MAP_COUNT);
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *m = iort_mapping(rc, i), *to;
		uint32_t in, out, n, ref;
		int its;

		if (!m) {
			acpi_log(c, "iort: segment %u: mapping %u of %u outside the node: stopped", seg, i, count);
			break;
		}
		in = le32(m + IORT_MAP_INPUT);
		out = le32(m + IORT_MAP_OUTPUT);
		ref = le32(m + IORT_MAP_REF);
		/* "Number of IDs": the number of IDs in the range minus one (3.4). */
		n = le32(m + IORT_MAP_COUNT) + 1;
		if (le32(m + IORT_MAP_FLAGS) & IORT_MAP_SINGLE) {
			acpi_log(c, "iort: segment %u: mapping %u is a single mapping, not for RIDs: skipped", seg, i);
			continue;
		}
		if (!n || (uint64_t)in + n > 0x100000000ull) {
			acpi_log(c, "iort: segment %u: mapping %u: RIDs 0x%x + 0x%x IDs overflow: skipped", seg, i,
				 in, le32(m + IORT_MAP_COUNT));
			continue;
		}
		if (!(to = iort_node(t, ref))) {
			acpi_log(c, "iort: segment %u: mapping %u: reference 0x%x is not a node: skipped", seg, i, ref);
			continue;
		}
		switch (to[IORT_NODE_TYPE]) {
		case IORT_ITS_GROUP:
			if ((its = its_of_group(c, to, ref)) >= 0)
				add_map(c, maps, &nmaps, seg, in, out, n, its);
			break;
		case IORT_SMMU_V1V2:
		case IORT_SMMU_V3:
			through_smmu(c, t, to, ref, seg, in, out, n, maps, &nmaps);
			break;
		default:
			acpi_log(c, "iort: segment %u: mapping %u: node at 0x%x has type %u, not an ITS group or SMMU: skipped",
				 seg, i, ref, to[IORT_NODE_TYPE]);
		}
	}
	if (!nmaps) {
		acpi_log(c, "iort: segment %u: no mapping reaches an ITS: no msi-map", seg);
		return 0;
	}
	for (unsigned i = 0; i < nmaps; i++) {
		uint32_t ph;

		if ((err = its_phandle(c, maps[i].its, &ph)) < 0)
			return err;
		cells[4 * i] = maps[i].rid;
		cells[4 * i + 1] = ph;
		cells[4 * i + 2] = maps[i].out;
		cells[4 * i + 3] = maps[i].len;
	}
	if ((found = set_msi_map(c, seg, cells, 4 * nmaps)) < 0)
		return found;
	if (!found) {
		acpi_log(c, "iort: segment %u: no host bridge node (MCFG) for it: msi-map not written", seg);
		return 0;
	}
	/* RIDs are 16 bits: the default msi-map-mask (all ones) fits. */
	for (unsigned i = 0; i < nmaps; i++)
		acpi_log(c, "iort: segment %u: msi-map RIDs 0x%x+0x%x -> its%u (ITS ID %u) device IDs 0x%x, on %u host bridge(s)",
			 seg, maps[i].rid, maps[i].len, maps[i].its, its_frame(c, maps[i].its)->its_id,
			 maps[i].out, found);
	return 0;
}

/* No ITS: a GICv2m frame takes MSIs from every host bridge (msi-parent):
 * the first frame. */
static int v2m_parent(struct acpi_ctx *c)
{
	struct acpi_msi_frame *f = c->m.gic.frames;
	unsigned n = 0;

	if (acpi_label(c, "v2m0", acpi_strdup(c, "/interrupt-controller@%llx/v2m@%llx",
					       (unsigned long long)c->m.gic.base,
					       (unsigned long long)f->base), &f->phandle, 1) < 0)
		return -FDT_ERR_NOSPACE;
	for (struct acpi_pcie *p = c->m.pcie; p; p = p->next, n++)
		p->msi_parent = f->phandle;
	acpi_log(c, "iort: no ITS: msi-parent = v2m@%llx on %u host bridge(s)",
		 (unsigned long long)f->base, n);
	return 0;
}

int acpi_iort(struct acpi_ctx *c, const struct acpi_sdt *t)
{
	uint32_t count, off;
	unsigned rcs = 0;
	int err;

	if (!t) {
		acpi_log(c, "iort: absent: no msi-map");
		return 0;
	}
	if (t->len < IORT_MIN_LEN) {
		acpi_log(c, "iort: %u bytes, shorter than its %u-byte header: skipped", t->len, IORT_MIN_LEN);
		return ACPI_SKIPPED;
	}
	/* Node layout is common to revisions 0-6; a newer one may add fields
	 * at node ends, which the length walk steps over. */
	if (t->rev > IORT_MAX_REV)
		acpi_log(c, "iort: revision %u newer than %u: read as revision %u", t->rev, IORT_MAX_REV,
			 IORT_MAX_REV);
	if (!c->m.gic.present) {
		acpi_log(c, "iort: no interrupt controller node: skipped");
		return 0;
	}
	if (!c->m.gic.nits) {
		if (c->m.gic.frames)
			return v2m_parent(c);
		acpi_log(c, "iort: no ITS or GICv2m frame in the MADT: no MSI for host bridges");
		return 0;
	}
	count = le32(t->p + IORT_NODE_COUNT);
	off = le32(t->p + IORT_NODE_OFFSET);
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *n = iort_node(t, off);

		if (!n) {
			acpi_log(c, "iort: node %u of %u at 0x%x: shorter than its header or past the table (%u bytes): walk stopped",
				 i, count, off, t->len);
			break;
		}
		if (n[IORT_NODE_TYPE] == IORT_ROOT_COMPLEX) {
			rcs++;
			if ((err = root_complex(c, t, n, off)) < 0)
				return err;
		}
		off += le16(n + IORT_NODE_LENGTH);
	}
	if (!rcs)
		acpi_log(c, "iort: revision %u, %u node(s), no root complex: no msi-map", t->rev, count);
	return 0;
}
