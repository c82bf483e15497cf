/* fbtext: the text on a screenshot of the framebuffer console.
 *
 *   fbtext [-o TEXT] [--png PNG] [--bg RRGGBB] [--unknown STR] SCREEN.ppm
 *
 * Reads a binary PPM (QEMU's `screendump`, or a framebuffer dump converted
 * to one) and prints the text on it: exact glyph matching on the cell grid of
 * the kernel's console font (the same generated table, build/gen/
 * console_font.c), one line per row (fbimage.h says how cells are read).
 * --png also writes the image as PNG, for people to look at. A summary goes
 * to stderr. Exit status: 0, 1 when the input or an output file fails, 2 on
 * usage errors. Unrecognised cells (--unknown, default U+FFFD) do not fail. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fbimage.h"

static int usage(void)
{
	fprintf(stderr, "usage: fbtext [-o TEXT] [--png PNG] [--bg RRGGBB] [--unknown STR] "
			"SCREEN.ppm\n");
	return 2;
}

static uint8_t *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (n == cap) {
			uint8_t *b = realloc(buf, cap = cap ? cap * 2 : 1 << 20);

			if (!b) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = b;
		}
		size_t got = fread(buf + n, 1, cap - n, f);

		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		errno = EIO;
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

static int write_all(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "fbtext: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *in = NULL, *out = NULL, *png = NULL, *unknown = "\xef\xbf\xbd";
	unsigned long bg = 0;
	unsigned cols, rows, bad;
	struct image img;
	const char *why;
	size_t len;
	uint8_t *data;
	char *text, *end;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--png") && i + 1 < argc)
			png = argv[++i];
		else if (!strcmp(argv[i], "--unknown") && i + 1 < argc)
			unknown = argv[++i];
		else if (!strcmp(argv[i], "--bg") && i + 1 < argc) {
			bg = strtoul(argv[++i], &end, 16);
			if (*end || bg > 0xffffff)
				return usage();
		} else if (argv[i][0] == '-' || in)
			return usage();
		else
			in = argv[i];
	}
	if (!in)
		return usage();
	data = read_all(in, &len);
	if (!data) {
		fprintf(stderr, "fbtext: %s: %s\n", in, strerror(errno));
		return 1;
	}
	if (image_read_ppm(data, len, &img, &why) < 0) {
		fprintf(stderr, "fbtext: %s: %s\n", in, why);
		return 1;
	}
	text = image_text(&img, &console_font, (uint32_t)bg, unknown, &cols, &rows, &bad);
	if (!text) {
		fprintf(stderr, "fbtext: out of memory\n");
		return 1;
	}
	if (out ? write_all(out, text, strlen(text)) < 0 : fputs(text, stdout) == EOF)
		return 1;
	if (png) {
		uint8_t *p = image_png(&img, &len);

		if (!p || write_all(png, p, len) < 0)
			return 1;
		free(p);
	}
	fprintf(stderr, "fbtext: %s: %ux%u, %ux%u cells of %s %ux%u, %u unrecognised\n", in,
		img.width, img.height, cols, rows, console_font.name, console_font.width,
		console_font.height, bad);
	free(text);
	free(data);
	return 0;
}
