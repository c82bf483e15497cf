/* The driver core (driver.h): one struct device per tree node, matched
 * against the driver records of the `plinth_drivers` linker section, with
 * `reg` and interrupts resolved before any driver runs; then parse + probe in
 * passes until a pass changes nothing, and a list of what stayed deferred.
 *
 * Every node gets a device, the root included (named "/"), so `devices` can
 * show the whole tree. Only enabled nodes are matched; only matched devices
 * have their `reg` mapped. Every line this file logs starts with "devices: ". */
#include <libfdt.h>
#include <string.h>
#include <plinth/driver.h>
#include <plinth/printk.h>

/* The section bounds the linker defines. Weak and hidden: an image (or a test
 * binary) without any driver still links, and no GOT entry is needed. */
extern const struct driver __start_plinth_drivers[] __attribute__((weak, visibility("hidden")));
extern const struct driver __stop_plinth_drivers[] __attribute__((weak, visibility("hidden")));

#define PATH_LEN 160
/* Deeper nodes get no recorded parent (NULL: looked up when needed). */
#define DEVTREE_MAX_DEPTH 64

/* The node offset of dev's parent: recorded by devtree_init, else looked up
 * (libfdt walks from the root for that). */
static int parent_node(const struct device *dev)
{
	return dev->parent ? dev->parent->node : fdt_parent_offset(dev->fdt, dev->node);
}

/* The path of dev's node, as dt_path would spell it ("?" when it does not
 * fit), from the recorded parent chain; dt_path when the chain does not reach
 * the root. */
static const char *path_of(const struct device *dev, char *buf)
{
	const struct device *chain[PATH_LEN / 2], *d;
	size_t n = 0, p = 0;

	if (dev->node < 0)	/* a PCI function no node names */
		return dev->name;
	for (d = dev; d && d->node != 0; d = d->parent) {
		if (n == sizeof(chain) / sizeof(chain[0]) || d->fdt != dev->fdt)
			return dt_path(dev->fdt, dev->node, buf, PATH_LEN);
		chain[n++] = d;
	}
	if (!d)
		return dt_path(dev->fdt, dev->node, buf, PATH_LEN);
	buf[p++] = '/';
	while (n--) {
		int len;
		const char *name = fdt_get_name(dev->fdt, chain[n]->node, &len);

		if (!name || len < 0 || p + (size_t)len + 1 > PATH_LEN) {
			buf[0] = '?';
			buf[1] = '\0';
			return buf;
		}
		memcpy(buf + p, name, (size_t)len);
		p += (size_t)len;
		buf[p++] = '/';
	}
	if (p > 1)
		p--;
	buf[p] = '\0';
	return buf;
}

const char *dev_state_name(enum dev_state s)
{
	switch (s) {
	case DEV_DISABLED: return "disabled";
	case DEV_NO_DRIVER: return "no driver";
	case DEV_PENDING: return "pending";
	case DEV_DEFERRED: return "deferred";
	case DEV_BOUND: return "bound";
	case DEV_FAILED: return "failed";
	}
	return "?";
}

int dev_fail(struct device *dev, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(dev->reason, sizeof(dev->reason), fmt, ap);
	va_end(ap);
	dev->err = err;
	return err;
}

struct device *devtree_find(struct devtree *dt, int node)
{
	if (!dt || node < 0)
		return NULL;
	for (struct device *d = dt->first; d; d = d->next)
		if (d->node == node)
			return d;
	return NULL;
}

/* ------------------------------------------------------------- binding ---- */

/* The first driver that knows one of the node's compatible strings, taken in
 * the node's order of preference (DT spec 2.3.1). */
static void match_driver(struct device *dev)
{
	int n = fdt_stringlist_count(dev->fdt, dev->node, "compatible");

	for (int i = 0; i < n; i++) {
		const char *c = fdt_stringlist_get(dev->fdt, dev->node, "compatible", i, NULL);

		if (!c)
			return;
		/* The bounds of one linker section, not two objects. */
		/* cppcheck-suppress comparePointers */
		for (const struct driver *d = __start_plinth_drivers; d < __stop_plinth_drivers; d++) {
			for (const struct dt_match *m = d->match; m && m->compatible; m++) {
				if (strcmp(m->compatible, c))
					continue;
				dev->drv = d;
				dev->match_data = m->data;
				dev->compatible = c;
				return;
			}
		}
	}
	if (n < 0 && n != -FDT_ERR_NOTFOUND)
		dev_fail(dev, n, "compatible: %s", plinth_strerror(n));
}

static struct device *new_device(struct devtree *dt, int node, struct device *parent)
{
	struct device *dev = kzalloc(sizeof(*dev));

	if (!dev)
		return NULL;
	dev->tree = dt;
	dev->fdt = dt->fdt;
	dev->node = node;
	dev->parent = parent;
	dev->name = fdt_get_name(dt->fdt, node, NULL);
	if (!dev->name || !dev->name[0])
		dev->name = "/";
	if (!dt_node_enabled(dt->fdt, node)) {
		dev->state = DEV_DISABLED;
		return dev;
	}
	/* A node naming a PCI function waits for its bus: the host bridge's
	 * driver enumerates, then attaches the node to the function it names
	 * (BARs, INTx, a driver: core/pci_attach.c). */
	if (dt_pci_devfn_in(dt->fdt, node, parent_node(dev)) >= 0) {
		dev->state = DEV_DEFERRED;
		dev->err = -PLINTH_EDEFER;
		ksnprintf(dev->reason, sizeof(dev->reason), "waiting for its PCI bus to be enumerated");
		return dev;
	}
	match_driver(dev);
	dev->state = dev->drv ? DEV_PENDING : DEV_NO_DRIVER;
	return dev;
}

int devtree_add(struct devtree *dt, struct device *dev)
{
	struct device **tail;

	if (!dt || !dev)
		return -PLINTH_EINVAL;
	for (tail = &dt->first; *tail; tail = &(*tail)->next)
		;
	dev->tree = dt;
	dev->fdt = dt->fdt;
	dev->next = NULL;
	*tail = dev;
	dt->count++;
	return 0;
}

static bool pci_entry_matches(const struct pci_match *m, bool by_id, uint16_t vendor,
			      uint16_t device, uint32_t class)
{
	if ((m->vendor != PCI_ANY_ID) != by_id)
		return false;
	if (by_id && (m->vendor != vendor || (m->device != PCI_ANY_ID && m->device != device)))
		return false;
	return ((class ^ m->class) & m->class_mask) == 0;
}

const struct pci_match *dev_match_pci(struct device *dev, uint16_t vendor, uint16_t device,
				      uint32_t class)
{
	/* An ID names one device, a class a family: any ID entry wins. */
	for (int by_id = 1; by_id >= 0; by_id--) {
		/* cppcheck-suppress comparePointers ; one linker section's bounds */
		for (const struct driver *d = __start_plinth_drivers; d < __stop_plinth_drivers; d++) {
			for (const struct pci_match *m = d->pci_match; m && m->vendor; m++) {
				if (!pci_entry_matches(m, by_id, vendor, device, class))
					continue;
				dev->drv = d;
				dev->match_data = m->data;
				return m;
			}
		}
	}
	if (dev->node >= 0)
		match_driver(dev);
	return NULL;
}

/* ----------------------------------------------------------- resources ---- */

/* How many entries a refused list had, when the refusal was the bound's
 * (dev->*_err is then -PLINTH_ERANGE and the property counts past it); else
 * 0. Counted again rather than stored: only `devices` and a failure ask. */
static int regs_over_bound(const struct device *dev)
{
	int n;

	if (dev->reg_err != -PLINTH_ERANGE || dev->node < 0 || dev->pci)
		return 0;
	n = dt_reg_count_in(dev->fdt, dev->node, parent_node(dev));
	return n > DEV_MAX_REGS ? n : 0;
}

static int irqs_over_bound(const struct device *dev)
{
	int n;

	if (dev->irq_err != -PLINTH_ERANGE || dev->node < 0)
		return 0;
	n = dt_irq_count(dev->fdt, dev->node);
	return n > DEV_MAX_IRQS ? n : 0;
}

/* The property dt_irq_count read: interrupts-extended wins (DT spec 2.4.1.3). */
static const char *irq_prop(const struct device *dev)
{
	return fdt_getprop(dev->fdt, dev->node, "interrupts-extended", NULL) ? "interrupts-extended"
									      : "interrupts";
}

/* Why `reg` did not translate: the first bus on the way up with bad cell
 * counts or without `ranges`. */
static void reg_bus_reason(const struct device *dev, char *buf, size_t len)
{
	const void *fdt = dev->fdt;
	/* The bus being looked at and its device: the recorded parent chain
	 * while it lasts, then (bd NULL) libfdt's lookup. */
	const struct device *bd = dev->parent;
	int bus = parent_node(dev);
	char path[PATH_LEN];
	uint32_t v;

	while (bus >= 0) {
		int up = bd ? parent_node(bd) : fdt_parent_offset(fdt, bus);
		int na = dt_addr_cells(fdt, bus), ns = dt_size_cells(fdt, bus);

		if (na <= 0) {
			if (dt_read_u32(fdt, bus, "#address-cells", &v) < 0)
				v = 0;
			ksnprintf(buf, len, "reg: #address-cells = %u in %s (must be 1..%d)", v,
				  dt_path(fdt, bus, path, sizeof(path)), DT_MAX_ADDR_CELLS);
			return;
		}
		if (ns < 0) {
			if (dt_read_u32(fdt, bus, "#size-cells", &v) < 0)
				v = 0;
			ksnprintf(buf, len, "reg: #size-cells = %u in %s (must be 0..2)", v,
				  dt_path(fdt, bus, path, sizeof(path)));
			return;
		}
		/* The root needs no ranges: its addresses are the CPU's. */
		if (up >= 0 && !fdt_getprop(fdt, bus, "ranges", NULL)) {
			ksnprintf(buf, len, "reg: not memory-mapped: %s has no ranges",
				  dt_path(fdt, bus, path, sizeof(path)));
			return;
		}
		bus = up;
		bd = bd ? bd->parent : NULL;
	}
	if (dev->reg_err == -PLINTH_ENOTMAPPED)
		ksnprintf(buf, len, "reg: outside every ranges window up to the CPU");
	else
		ksnprintf(buf, len, "reg: not translatable: %s", plinth_strerror(dev->reg_err));
}

void dev_reg_reason(const struct device *dev, char *buf, size_t len)
{
	int n = regs_over_bound(dev);

	if (n)
		ksnprintf(buf, len, "reg: %d entries, more than the %d a device may have: none kept",
			  n, DEV_MAX_REGS);
	else if (dev->pci)	/* reg[] are the function's BARs (pci_attach.c) */
		ksnprintf(buf, len, dev->reg_err == -PLINTH_ENOTMAPPED ? "reg: a BAR is not assigned"
								     : "reg: BARs not usable");
	else
		reg_bus_reason(dev, buf, len);
}

void dev_irq_reason(const struct device *dev, char *buf, size_t len)
{
	int n = irqs_over_bound(dev);

	if (n)
		ksnprintf(buf, len, "%s: %d entries, more than the %d a device may have: none kept",
			  irq_prop(dev), n, DEV_MAX_IRQS);
	else
		ksnprintf(buf, len, "interrupts not resolvable");
}

/* Every entry of `reg`, translated, or none: never a device with half of
 * its regions. */
static void resolve_regs(struct device *dev)
{
	struct dev_reg *reg;
	int n, parent;

	if (!fdt_getprop(dev->fdt, dev->node, "reg", NULL))
		return;
	parent = parent_node(dev);
	n = dt_reg_count_in(dev->fdt, dev->node, parent);
	if (n <= 0) {
		dev->reg_err = n;
		return;
	}
	if (n > DEV_MAX_REGS) {
		dev->reg_err = -PLINTH_ERANGE;
		return;
	}
	/* Left behind when an entry fails (kzalloc never frees): a few bytes
	 * per node whose reg does not translate. */
	reg = kzalloc((size_t)n * sizeof(*reg));
	if (!reg) {
		dev->reg_err = -PLINTH_ENOMEM;
		return;
	}
	for (int i = 0; i < n; i++) {
		int rc = dt_reg_in(dev->fdt, dev->node, parent, (unsigned)i, &reg[i].addr, &reg[i].size);

		if (rc < 0) {
			dev->reg_err = rc;
			return;
		}
	}
	dev->reg = reg;
	dev->nreg = (unsigned)n;
}

/* Every interrupt, resolved to its controller, or none. */
static void resolve_irqs(struct devtree *dt, struct device *dev)
{
	int n = dt_irq_count(dev->fdt, dev->node);
	struct dev_irq *irq;

	if (n <= 0) {
		dev->irq_err = n;
		return;
	}
	if (n > DEV_MAX_IRQS) {
		dev->irq_err = -PLINTH_ERANGE;
		return;
	}
	irq = kzalloc((size_t)n * sizeof(*irq));
	if (!irq) {
		dev->irq_err = -PLINTH_ENOMEM;
		return;
	}
	for (int i = 0; i < n; i++) {
		int rc = dt_irq(dev->fdt, dev->node, (unsigned)i, &irq[i].spec);

		if (rc < 0) {
			dev->irq_err = rc;
			return;
		}
		irq[i].ctrl = devtree_find(dt, irq[i].spec.ctrl);
	}
	dev->irq = irq;
	dev->nirq = (unsigned)n;
}

/* Resources of every node (so `devices` can show them). Only devices a
 * driver will use get their regions mapped and their problems logged; a
 * list past the bound is logged whatever the node, as only a hostile or
 * broken tree has one. */
static void resolve_resources(struct devtree *dt, struct device *dev)
{
	bool used = dev->state == DEV_PENDING;
	char path[PATH_LEN], why[96];

	resolve_regs(dev);
	resolve_irqs(dt, dev);
	if (dev->reg_err < 0 && (used || regs_over_bound(dev))) {
		dev_reg_reason(dev, why, sizeof(why));
		kprintf("devices: %s: %s (%s)\n", path_of(dev, path), why, plinth_strerror(dev->reg_err));
	}
	if (dev->irq_err < 0 && (used || irqs_over_bound(dev))) {
		dev_irq_reason(dev, why, sizeof(why));
		kprintf("devices: %s: %s (%s)\n", path_of(dev, path), why, plinth_strerror(dev->irq_err));
	}
	if (!used)
		return;
	for (unsigned i = 0; i < dev->nreg; i++) {
		int rc = ioremap(dev->reg[i].addr, dev->reg[i].size);

		if (rc < 0) {
			kprintf("devices: %s: ioremap 0x%llx+0x%llx failed (%s)\n", path_of(dev, path),
				(unsigned long long)dev->reg[i].addr, (unsigned long long)dev->reg[i].size,
				plinth_strerror(rc));
			dev->reg_err = rc;
			dev->nreg = 0;
			return;
		}
	}
}

/* ---------------------------------------------------------------- init ---- */

/* The tree is untrusted: header and whole structure checked before any walk. */
static int check_tree(const void *fdt)
{
	int rc;

	if (!fdt) {
		kprintf("devices: no device tree\n");
		return -PLINTH_EINVAL;
	}
	rc = fdt_check_header(fdt);
	if (rc < 0) {
		kprintf("devices: invalid tree header: %s\n", plinth_strerror(rc));
		return rc;
	}
	rc = dt_check_blob(fdt, fdt_totalsize(fdt));
	if (rc < 0) {
		kprintf("devices: invalid tree (totalsize %u): %s\n", (unsigned)fdt_totalsize(fdt),
			plinth_strerror(rc));
		return rc;
	}
	return 0;
}

static void find_stdout(struct devtree *dt)
{
	int node, rc = dt_stdout(dt->fdt, &node, dt->stdout_opts, sizeof(dt->stdout_opts));
	int chosen = fdt_path_offset(dt->fdt, "/chosen");
	const char *s = NULL;

	if (rc == 0) {
		dt->stdout_node = node;
		return;
	}
	if (chosen >= 0) {
		s = fdt_getprop(dt->fdt, chosen, "stdout-path", NULL);
		if (!s)
			s = fdt_getprop(dt->fdt, chosen, "linux,stdout-path", NULL);
	}
	if (s)	/* only a stdout-path that names nothing is worth a line */
		kprintf("devices: stdout-path names no node (%s)\n", plinth_strerror(rc));
}

int devtree_init(struct devtree *dt, const void *fdt)
{
	/* The device of each ancestor of the current node, by depth. */
	struct device **tail, *dev, *anc[DEVTREE_MAX_DEPTH] = { NULL };
	unsigned matched = 0;
	int node, rc, depth = 0;

	if (!dt)
		return -PLINTH_EINVAL;
	memset(dt, 0, sizeof(*dt));
	dt->stdout_node = -1;
	if ((rc = check_tree(fdt)) < 0)
		return rc;
	dt->fdt = fdt;
	tail = &dt->first;
	/* With a depth, libfdt ends the walk by taking it below 0 (past the
	 * root's end) rather than with -FDT_ERR_NOTFOUND. */
	for (node = 0; node >= 0 && depth >= 0; node = fdt_next_node(fdt, node, &depth)) {
		struct device *parent = depth > 0 && depth <= DEVTREE_MAX_DEPTH ? anc[depth - 1] : NULL;

		if (!(dev = new_device(dt, node, parent))) {
			kprintf("devices: out of memory after %u devices\n", dt->count);
			return -PLINTH_ENOMEM;
		}
		*tail = dev;
		tail = &dev->next;
		dt->count++;
		matched += dev->state == DEV_PENDING;
		if (depth >= 0 && depth < DEVTREE_MAX_DEPTH)
			anc[depth] = dev;
	}
	if (node < 0 && node != -FDT_ERR_NOTFOUND) {
		kprintf("devices: tree walk stopped after %u nodes: %s\n", dt->count, plinth_strerror(node));
		return node;
	}
	/* Second pass: interrupts name controllers anywhere in the tree. */
	for (dev = dt->first; dev; dev = dev->next)
		resolve_resources(dt, dev);
	find_stdout(dt);
	kprintf("devices: %u nodes, %u matched a driver\n", dt->count, matched);
	return 0;
}

/* ------------------------------------------------------------- probing ---- */

static void default_reason(struct device *dev, const char *phase, int rc)
{
	if (rc == dev->reg_err)
		dev_reg_reason(dev, dev->reason, sizeof(dev->reason));
	else if (rc == dev->irq_err)
		dev_irq_reason(dev, dev->reason, sizeof(dev->reason));
	else
		ksnprintf(dev->reason, sizeof(dev->reason), "%s returned %s", phase, plinth_strerror(rc));
}

static void try_bind(struct device *dev)
{
	const struct driver *drv = dev->drv;
	const char *phase = "parse";
	char path[PATH_LEN];
	int rc = 0;

	if (!drv)	/* waits for its bus to attach it (a PCI function node) */
		return;
	dev->reason[0] = '\0';
	dev->err = 0;
	if (drv->config_size) {
		if (!dev->config)
			dev->config = kzalloc(drv->config_size);
		else	/* a retry parses from scratch */
			memset(dev->config, 0, drv->config_size);
		if (!dev->config)
			rc = dev_fail(dev, -PLINTH_ENOMEM, "no memory for %zu bytes of config",
				      drv->config_size);
	}
	if (rc >= 0 && drv->parse)
		rc = drv->parse(dev);
	if (rc >= 0 && drv->probe) {
		phase = "probe";
		rc = drv->probe(dev);
	}
	if (rc >= 0) {
		dev->state = DEV_BOUND;
		dev->reason[0] = '\0';
		dev->err = 0;
		kprintf("devices: %s bound to %s (%s)\n", path_of(dev, path), drv->name, dev->compatible);
		return;
	}
	dev->err = rc;
	if (!dev->reason[0])
		default_reason(dev, phase, rc);
	if (rc == -PLINTH_EDEFER) {
		dev->state = DEV_DEFERRED;
		return;
	}
	dev->state = DEV_FAILED;
	kprintf("devices: %s: %s failed: %s (%s)\n", path_of(dev, path), drv->name, dev->reason,
		plinth_strerror(rc));
}

static bool waiting(const struct device *d)
{
	return d->state == DEV_PENDING || d->state == DEV_DEFERRED;
}

int devtree_probe_all(struct devtree *dt)
{
	struct device *con = devtree_find(dt, dt ? dt->stdout_node : -1);
	unsigned count[DEV_FAILED + 1] = { 0 };
	char path[PATH_LEN];
	bool progress;

	if (!dt || !dt->fdt)
		return -PLINTH_EINVAL;
	/* The console first, so everything after it is seen as it happens. */
	if (con && con->state == DEV_PENDING)
		try_bind(con);
	/* A pass makes progress when a device leaves the waiting states; each can
	 * do so once, so this ends. */
	do {
		progress = false;
		for (struct device *d = dt->first; d; d = d->next) {
			if (!waiting(d))
				continue;
			try_bind(d);
			progress |= !waiting(d);
		}
	} while (progress);
	for (struct device *d = dt->first; d; d = d->next) {
		count[d->state]++;
		if (d->state == DEV_DEFERRED)
			kprintf("devices: %s deferred: %s\n", path_of(d, path), d->reason);
	}
	kprintf("devices: %u bound, %u deferred, %u failed, %u without driver, %u disabled\n",
		count[DEV_BOUND], count[DEV_DEFERRED], count[DEV_FAILED], count[DEV_NO_DRIVER],
		count[DEV_DISABLED]);
	return (int)count[DEV_BOUND];
}

/* --------------------------------------------------- for drivers ---- */

int dev_irq_ready(struct device *dev, unsigned idx)
{
	struct device *c;
	char path[PATH_LEN];

	if (!dev || idx >= dev->nirq || !(c = dev->irq[idx].ctrl) || c == dev)
		return -PLINTH_ENODEV;
	if (c->state == DEV_BOUND)
		return 0;
	if (waiting(c))
		return dev_fail(dev, -PLINTH_EDEFER, "interrupt controller %s not bound", path_of(c, path));
	return -PLINTH_ENODEV;	/* disabled, driverless or failed: run polled */
}

int dev_uart_line(struct device *dev, const char *drv, struct uart_line *l)
{
	struct uart_opts o = { .baud = 0, .parity = 'n', .bits = 8, .flow = false };
	char opts[32];
	int node, err;
	uint32_t speed;

	l->is_stdout = false;
	if (dt_stdout(dev->fdt, &node, opts, sizeof(opts)) == 0 && node == dev->node) {
		l->is_stdout = true;
		if (opts[0] && dt_parse_uart_opts(opts, &o) < 0) {
			kprintf("%s: %s: stdout options '%s' not understood, ignored\n", drv, dev->name,
				opts);
			o = (struct uart_opts){ .baud = 0, .parity = 'n', .bits = 8 };
		}
	}
	if (!o.baud && fdt_getprop(dev->fdt, dev->node, "current-speed", NULL)) {
		err = dt_read_u32(dev->fdt, dev->node, "current-speed", &speed);
		if (err < 0)
			return dev_fail(dev, err, "bad current-speed: %s", plinth_strerror(err));
		o.baud = speed;
	}
	l->baud = o.baud;
	l->parity = o.parity;
	l->bits = o.bits >= 5 && o.bits <= 8 ? o.bits : 8;
	return 0;
}

int dev_clock_rate(struct device *dev, const char *name, uint64_t *hz)
{
	char path[PATH_LEN];
	int rc, p;

	if (!dev || !hz)
		return -PLINTH_EINVAL;
	if (dev->node < 0)	/* a PCI function no node describes */
		return -PLINTH_ENOENT;
	/* clock-frequency needs no provider. */
	rc = dt_read_u64(dev->fdt, dev->node, "clock-frequency", hz);
	if (rc != -PLINTH_ENOENT)
		return rc;
	p = dt_clock_provider(dev->fdt, dev->node, name);
	if (p >= 0) {
		struct device *c = devtree_find(dev->tree, p);

		if (c && c != dev && waiting(c))
			return dev_fail(dev, -PLINTH_EDEFER, "clock provider %s not bound", path_of(c, path));
	}
	return dt_clock_rate(dev->fdt, dev->node, name, hz);
}
