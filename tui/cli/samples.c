/* samples.c — the two sample records of data/samples/, compiled in so a
 * new user sees real content without any file beside the binary. */
#include "render/incbin.h"
#include "tui/cli/cli.h"

INCBIN(sample_000, "data/samples/000_bc66265cf390ae6e.txt");
INCBIN(sample_002, "data/samples/002_72c3af4b86c673dc.txt");

static const struct {
	const char *name, *start, *end;
} samples[] = {
	{ "000_bc66265cf390ae6e.txt", sample_000, sample_000_end },
	{ "002_72c3af4b86c673dc.txt", sample_002, sample_002_end },
};

size_t precis_sample_count(void)
{
	return sizeof samples / sizeof samples[0];
}

struct sample precis_sample(size_t i)
{
	struct sample s = { samples[i].name, samples[i].start,
	                    (size_t)(samples[i].end - samples[i].start) };
	return s;
}
