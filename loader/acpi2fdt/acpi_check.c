/* Every table is checked here, once, before anything reads it: the loader's
 * RSDP walk (acpi_rsdp.c), the converter (acpi_tables.c) and acpi2dts's
 * stricter file check all use acpi_table_verify, and differ only in what
 * they make of a fault: the loader skips the table with a line, acpi2dts
 * refuses the file. */
#include <plinth/err.h>
#include <plinth/printk.h>
#include "acpi.h"

/* Every table is summed, the DSDT's kilobytes too: eight bytes at a time,
 * in 16-bit lanes folded before they can carry into each other (at most
 * 128 words of 2 x 255 per lane). */
typedef uint64_t __attribute__((may_alias)) sum_word;

uint8_t acpi_sum8(const void *p, size_t n)
{
	const uint64_t lanes = 0x00ff00ff00ff00ffull;
	const uint8_t *b = p;
	unsigned s = 0;

	for (; n && ((uintptr_t)b & 7); n--)
		s += *b++;
	while (n >= 8) {
		size_t k = n / 8 < 128 ? n / 8 : 128;
		uint64_t acc = 0;

		for (size_t i = 0; i < k; i++, b += 8) {
			uint64_t w = *(const sum_word *)b;

			acc += (w & lanes) + ((w >> 8) & lanes);
		}
		n -= 8 * k;
		s += (unsigned)((acc & 0xffff) + ((acc >> 16) & 0xffff) + ((acc >> 32) & 0xffff) +
				(acc >> 48));
	}
	while (n--)
		s += *b++;
	return (uint8_t)s;
}

static int sig_char_ok(uint8_t ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
	       ch == '_';
}

/* RSDP (ACPI 6.5 5.2.5.3): the first 20 bytes sum to 0; from revision 2 on,
 * all `length` bytes do too. */
static long verify_rsdp(const struct acpi_table_ref *t, struct acpi_table_info *i)
{
	const uint8_t *p = t->data;

	memcpy(i->sig, "RSDP", 5);
	i->rsdp = 1;
	if (t->avail < RSDP_CHECKSUM_LEN)
		return i->fault = ACPI_FAULT_SHORT, -PLINTH_ERANGE;
	i->rev = p[RSDP_REVISION];
	i->length = RSDP_CHECKSUM_LEN;
	i->sum = acpi_sum8(p, RSDP_CHECKSUM_LEN);
	if (i->rev >= 2) {
		if (t->avail < RSDP_V2_LEN)
			return i->fault = ACPI_FAULT_RSDP_V2_SHORT, -PLINTH_ERANGE;
		i->length = le32(p + RSDP_LENGTH);
		if (i->length < RSDP_V2_LEN || i->length > t->avail)
			return i->fault = ACPI_FAULT_RSDP_LENGTH, -PLINTH_ERANGE;
		i->ext_sum = acpi_sum8(p, i->length);
	}
	return i->length;
}

long acpi_table_verify(const struct acpi_table_ref *t, struct acpi_table_info *i)
{
	const uint8_t *p;

	memset(i, 0, sizeof(*i));
	memcpy(i->sig, "?", 2);
	if (!t || !t->data)
		return i->fault = ACPI_FAULT_NO_DATA, -PLINTH_EINVAL;
	p = t->data;
	if (t->avail >= 8 && memcmp(p, RSDP_SIGNATURE, 8) == 0)
		return verify_rsdp(t, i);
	if (t->avail < 8)
		return i->fault = ACPI_FAULT_SHORT, -PLINTH_EINVAL;
	for (int k = 0; k < 4; k++)
		if (!sig_char_ok(p[k]))
			return i->fault = ACPI_FAULT_SIGNATURE, -PLINTH_EINVAL;
	memcpy(i->sig, p, 4);
	i->sig[4] = 0;
	i->length = le32(p + SDT_LENGTH);
	/* The FACS has a length but no SDT header and no checksum. */
	if (memcmp(p, "FACS", 4) == 0) {
		i->facs = 1;
		if (i->length < FACS_MIN_LEN || i->length > t->avail)
			return i->fault = ACPI_FAULT_FACS_LENGTH, -PLINTH_ERANGE;
		return i->length;
	}
	if (i->length < SDT_HEADER_LEN)
		return i->fault = ACPI_FAULT_HEADER, -PLINTH_ERANGE;
	if (i->length > t->avail)
		return i->fault = ACPI_FAULT_PAST_END, -PLINTH_ERANGE;
	i->rev = p[SDT_REVISION];
	i->sum = acpi_sum8(p, i->length);
	return i->length;
}

static const char *origin_of(const struct acpi_table_ref *t)
{
	return t && t->origin ? t->origin : "?";
}

long acpi_table_check(const struct acpi_table_ref *t, const struct plinth_log *log)
{
	struct acpi_table_info i;
	long len = acpi_table_verify(t, &i);
	const uint8_t *p = t ? t->data : NULL;
	const char *o = origin_of(t);

	switch (i.fault) {
	case ACPI_FAULT_NONE:
		break;
	case ACPI_FAULT_NO_DATA:
		lfdt(log, "acpi: table reference without data: skipped");
		return len;
	case ACPI_FAULT_SHORT:
		if (i.rsdp)
			lfdt(log, "acpi: RSDP (%s): %zu bytes readable, needs 20: skipped", o, t->avail);
		else
			lfdt(log, "acpi: %s: %zu bytes, too short for a signature and a length: skipped", o,
			     t->avail);
		return len;
	case ACPI_FAULT_SIGNATURE:
		lfdt(log, "acpi: %s: signature bytes %02x %02x %02x %02x are not a table signature: skipped",
		     o, p[0], p[1], p[2], p[3]);
		return len;
	case ACPI_FAULT_RSDP_V2_SHORT:
		lfdt(log, "acpi: RSDP (%s): revision %u needs 36 bytes, %zu readable: skipped", o, i.rev,
		     t->avail);
		return len;
	case ACPI_FAULT_RSDP_LENGTH:
		lfdt(log, "acpi: RSDP (%s): length %u outside 36..%zu: skipped", o, i.length, t->avail);
		return len;
	case ACPI_FAULT_FACS_LENGTH:
		lfdt(log, "acpi: FACS (%s): length %u outside 64..%zu: skipped", o, i.length, t->avail);
		return len;
	case ACPI_FAULT_HEADER:
		lfdt(log, "acpi: %.4s (%s): length %u shorter than the 36-byte header: skipped", i.sig, o,
		     i.length);
		return len;
	case ACPI_FAULT_PAST_END:
		lfdt(log, "acpi: %.4s (%s): length %u past the %zu readable bytes: skipped", i.sig, o,
		     i.length, t->avail);
		return len;
	}
	if (i.rsdp) {
		if (i.sum)
			lfdt(log, "acpi: RSDP (%s): checksum wrong (sum 0x%02x): used anyway", o, i.sum);
		if (i.ext_sum)
			lfdt(log, "acpi: RSDP (%s): extended checksum wrong (sum 0x%02x): used anyway", o,
			     i.ext_sum);
	} else if (i.sum) {
		lfdt(log, "acpi: %.4s (%s): checksum 0x%02x wrong (bytes sum to 0x%02x): used anyway, as Linux does",
		     i.sig, o, p[SDT_CHECKSUM], i.sum);
	}
	return len;
}
