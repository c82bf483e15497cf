/* The arm64 Image header (Linux Documentation/arm64/booting.rst, "Call the
 * kernel image"): 64 bytes, little endian,
 *   0 code0/code1, 8 text_offset, 16 image_size, 24 flags, 32..55 reserved,
 *   56 magic "ARM\x64", 60 PE header offset (EFI stub kernels).
 * The header is read byte by byte: the file buffer carries no alignment
 * promise. */
#include "loader.h"

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static const char *page_size_name(uint64_t flags)
{
	static const char *const names[] = { "page size unspecified", "4K pages", "16K pages",
					     "64K pages" };
	return names[(flags >> IMAGE_FLAG_PAGE_SHIFT) & 3];
}

int image_check(const void *hdr, size_t len, uint64_t file_size, struct arm64_image *img,
		const struct plinth_log *log)
{
	const uint8_t *h = hdr;
	uint32_t magic;

	if (len < IMAGE_HDR_SIZE || file_size < IMAGE_HDR_SIZE) {
		lprintf(log, "loader: image: %llu bytes, shorter than the 64-byte arm64 Image header",
			(unsigned long long)file_size);
		return -PLINTH_EINVAL;
	}
	magic = le32(h + 56);
	if (magic != IMAGE_MAGIC) {
		/* A gzip file is the usual mistake (Debian's vmlinuz on some
		 * architectures): say so rather than just "bad magic". */
		if (h[0] == 0x1f && h[1] == 0x8b)
			lprintf(log, "loader: image: gzip-compressed (1f 8b): decompress it to an Image");
		else
			lprintf(log, "loader: image: magic 0x%08x at offset 56, not an arm64 Image (0x%08x)",
				magic, IMAGE_MAGIC);
		return -PLINTH_EINVAL;
	}
	img->text_offset = le64(h + 8);
	img->image_size = le64(h + 16);
	img->flags = le64(h + 24);
	img->file_size = file_size;
	if (img->flags & IMAGE_FLAG_BE) {
		lprintf(log, "loader: image: flags 0x%llx: big-endian kernel, this loader runs little-endian",
			(unsigned long long)img->flags);
		return -PLINTH_EINVAL;
	}
	/* booting.rst: image_size 0 means a pre-3.17 kernel whose size is not
	 * stated; placing it safely would need a guess at its BSS. */
	if (img->image_size == 0) {
		lprintf(log, "loader: image: image_size 0 (a pre-3.17 Linux header): size unknown, refused");
		return -PLINTH_EINVAL;
	}
	if (img->image_size < file_size) {
		lprintf(log, "loader: image: image_size 0x%llx is smaller than the file (%llu bytes)",
			(unsigned long long)img->image_size, (unsigned long long)file_size);
		return -PLINTH_EINVAL;
	}
	if (img->text_offset & (SZ_4K - 1) || img->text_offset >= (1ull << 32) ||
	    img->image_size >= (1ull << 40)) {
		lprintf(log, "loader: image: text_offset 0x%llx / image_size 0x%llx out of range",
			(unsigned long long)img->text_offset, (unsigned long long)img->image_size);
		return -PLINTH_ERANGE;
	}
	lprintf(log, "loader: image: arm64 Image, %llu bytes, text_offset 0x%llx, image_size 0x%llx, "
		"flags 0x%llx (LE, %s, %s)", (unsigned long long)file_size,
		(unsigned long long)img->text_offset, (unsigned long long)img->image_size,
		(unsigned long long)img->flags, page_size_name(img->flags),
		img->flags & IMAGE_FLAG_ANYWHERE ? "anywhere" : "low as possible");
	return 0;
}

uint64_t image_alloc_size(const struct arm64_image *img)
{
	return (img->text_offset + img->image_size + SZ_4K - 1) & ~(SZ_4K - 1);
}
