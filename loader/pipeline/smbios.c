/* SMBIOS entry points and the type-1 (System Information) strings
 * (smbios.h). Firmware data is input like any other: every offset is checked
 * against the bytes the caller says are readable before it is read, and a
 * string is taken only when its NUL lies inside the structure's string set. */
#include <string.h>
#include <plinth/err.h>
#include <plinth/log.h>
#include "smbios.h"

#define EP3_LEN		0x18		/* DSP0134 5.2.2: the 64-bit entry point */
#define EP2_LEN		0x1f		/* 5.2.1: the 32-bit one (length 0x1e in 2.1 is tolerated) */
#define TYPE_SYSTEM	1
#define TYPE_END	127

static uint32_t rd32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static uint8_t sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s += *p++;
	return s;
}

int smbios_entry(const void *ep, size_t avail, int is64, struct smbios_table *t,
		 const struct plinth_log *log)
{
	const uint8_t *p = ep;
	size_t len;

	memset(t, 0, sizeof(*t));
	t->is64 = is64;
	if (!p || avail < (is64 ? 7u : 6u) || memcmp(p, is64 ? "_SM3_" : "_SM_", is64 ? 5 : 4) != 0) {
		lprintf(log, "fdt: smbios: no %s anchor at the %s entry point", is64 ? "_SM3_" : "_SM_",
			is64 ? "64-bit" : "32-bit");
		return -PLINTH_EINVAL;
	}
	len = p[is64 ? 6 : 5];
	if (len < (is64 ? EP3_LEN : EP2_LEN - 1) || len > avail) {
		lprintf(log, "fdt: smbios: entry point length %zu (%zu readable, %u expected)", len,
			avail, is64 ? EP3_LEN : EP2_LEN);
		return -PLINTH_EINVAL;
	}
	if (sum(p, len)) {
		lprintf(log, "fdt: smbios: entry point checksum does not add up to 0");
		return -PLINTH_EINVAL;
	}
	t->major = p[is64 ? 7 : 6];
	t->minor = p[is64 ? 8 : 7];
	if (is64) {
		t->len = rd32(p + 12);
		t->addr = rd64(p + 16);
	} else {
		/* 2.x: the intermediate "_DMI_" area (16..30) has its own checksum. */
		if (memcmp(p + 16, "_DMI_", 5) != 0 || sum(p + 16, 15)) {
			lprintf(log, "fdt: smbios: 32-bit entry point: bad _DMI_ anchor or checksum");
			return -PLINTH_EINVAL;
		}
		t->len = p[22] | p[23] << 8;
		t->addr = rd32(p + 24);
	}
	if (!t->addr || !t->len) {
		lprintf(log, "fdt: smbios: entry point gives no structure table (address 0x%llx, %u bytes)",
			(unsigned long long)t->addr, t->len);
		return -PLINTH_EINVAL;
	}
	return 0;
}

/* String n (1-based) of the set at s[0..n_bytes), which is known to end in
 * two NULs; "" for 0 or a number past the set. */
static void copy_string(char *dst, const uint8_t *s, size_t n_bytes, unsigned n)
{
	size_t i = 0, k = 0;

	dst[0] = 0;
	if (!n)
		return;
	while (--n) {
		while (i < n_bytes && s[i])
			i++;
		if (++i >= n_bytes || !s[i])
			return;			/* fewer strings than the number */
	}
	for (; i < n_bytes && s[i] && k + 1 < SMBIOS_STR_MAX; i++)
		dst[k++] = s[i] >= 0x20 && s[i] < 0x7f ? (char)s[i] : '?';
	dst[k] = 0;
}

int smbios_system(const void *tab, size_t len, struct smbios_system *sys,
		  const struct plinth_log *log)
{
	const uint8_t *p = tab;
	size_t off = 0;

	memset(sys, 0, sizeof(*sys));
	while (off + 4 <= len) {
		const uint8_t *h = p + off;
		size_t flen = h[1], end;

		if (flen < 4 || flen > len - off) {
			lprintf(log, "fdt: smbios: structure type %u at offset %zu: length %zu %s",
				h[0], off, flen, flen < 4 ? "is shorter than its header" :
				"runs past the table");
			return -PLINTH_EINVAL;
		}
		/* The string set: up to and including the first double NUL. */
		for (end = off + flen; end + 1 < len && (p[end] || p[end + 1]); end++)
			;
		if (end + 1 >= len) {
			lprintf(log, "fdt: smbios: structure type %u at offset %zu: its strings run past "
				"the table (%zu bytes)", h[0], off, len);
			return -PLINTH_EINVAL;
		}
		if (h[0] == TYPE_SYSTEM) {
			const uint8_t *s = p + off + flen;
			size_t sl = end + 2 - (off + flen);

			if (flen < 6) {
				lprintf(log, "fdt: smbios: type 1 at offset %zu: length %zu has no "
					"product field", off, flen);
				return -PLINTH_EINVAL;
			}
			copy_string(sys->manufacturer, s, sl, h[4]);
			copy_string(sys->product, s, sl, h[5]);
			return 0;
		}
		if (h[0] == TYPE_END)
			break;
		off = end + 2;
	}
	lprintf(log, "fdt: smbios: no type 1 (System Information) structure in %zu bytes", len);
	return -PLINTH_ENOENT;
}
