/* gen_archive.c — synthetic transcripts for the search benchmark.
 *
 * usage: gen_archive OUT_DIR N SEED SOURCE...
 * Writes N record files (OUT_DIR/tNNNNN.txt) of 20–90 KB each, made of
 * random slices of the SOURCE texts (the sample records and English
 * transcripts): half the bytes from CJK sources, half from the others, so
 * every file mixes Chinese and English like real bilingual archives. One
 * file in three carries a short summary (Description:). The same files are
 * what ripgrep searches in bench/search.sh. Deterministic for a SEED.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct src {
	char *text;
	size_t len;
	int cjk;
};

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static size_t rnd_range(size_t lo, size_t hi)
{
	return lo + (size_t)(rnd() % (uint64_t)(hi - lo + 1));
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n);
	if (!p) {
		fputs("gen_archive: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

/* Keeps the spoken text of a source: after "Content:" for records;
 * subtitle timing lines, cue numbers and WEBVTT headers dropped. */
static void load(const char *path, struct src *s)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(1);
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *raw = xmalloc((size_t)n + 1);
	size_t got = fread(raw, 1, (size_t)n, f);
	fclose(f);
	raw[got] = 0;
	char *start = strstr(raw, "\nContent:\n");
	start = start ? start + 10 : raw;
	s->text = xmalloc(strlen(start) + 2);
	s->len = 0;
	size_t cjk = 0, total = 0;
	for (char *line = start; *line;) {
		char *nl = strchr(line, '\n');
		size_t ll = nl ? (size_t)(nl - line) : strlen(line);
		int keep = 1;
		if (memmem(line, ll, "-->", 3) || !strncmp(line, "WEBVTT", 6) ||
		    !strncmp(line, "Kind:", 5) || !strncmp(line, "Language:", 9))
			keep = 0;
		size_t digits = 0;
		for (size_t i = 0; i < ll; i++)
			digits += line[i] >= '0' && line[i] <= '9';
		if (ll > 0 && digits == ll)
			keep = 0;
		if (keep && ll) {
			memcpy(s->text + s->len, line, ll);
			s->len += ll;
			s->text[s->len++] = '\n';
			for (size_t i = 0; i < ll; i++) {
				unsigned char c = (unsigned char)line[i];
				total += (c & 0xC0) != 0x80;
				cjk += c >= 0xE3 && c <= 0xE9;
			}
		}
		line = nl ? nl + 1 : line + ll;
	}
	s->text[s->len] = 0;
	s->cjk = total && cjk * 4 > total;
	free(raw);
}

/* Appends a random slice of s (about want bytes, on character and line
 * or space boundaries) to out. Returns bytes appended. */
static size_t slice(const struct src *s, char *out, size_t want)
{
	if (s->len < 64)
		return 0;
	if (want > s->len / 2)
		want = s->len / 2;
	size_t a = rnd_range(0, s->len - want - 1);
	while (a > 0 && ((unsigned char)s->text[a] & 0xC0) == 0x80)
		a--;
	size_t b = a + want;
	while (b < s->len && ((unsigned char)s->text[b] & 0xC0) == 0x80)
		b++;
	memcpy(out, s->text + a, b - a);
	out[b - a] = '\n';
	return b - a + 1;
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fputs("usage: gen_archive OUT_DIR N SEED SOURCE...\n", stderr);
		return 2;
	}
	const char *dir = argv[1];
	long n = atol(argv[2]);
	rng_state = (uint64_t)atoll(argv[3]) * 2654435761ULL + 88172645463325252ULL;
	int nsrc = argc - 4;
	struct src *src = xmalloc(sizeof *src * (size_t)nsrc);
	int ncjk = 0;
	for (int i = 0; i < nsrc; i++) {
		load(argv[4 + i], &src[i]);
		ncjk += src[i].cjk;
	}
	if (ncjk == 0 || ncjk == nsrc)
		fputs("gen_archive: warning: sources are not mixed CJK/English\n", stderr);
	mkdir(dir, 0755);
	char *body = xmalloc(100 * 1024);
	char *sum = xmalloc(8 * 1024);
	double bytes = 0;
	for (long k = 0; k < n; k++) {
		size_t target = rnd_range(20 * 1024, 90 * 1024) - 400;
		size_t len = 0;
		int want_cjk = (int)(rnd() & 1);
		while (len + 64 < target) {
			/* alternate scripts so both halves are present */
			int pick;
			do
				pick = (int)(rnd() % (uint64_t)nsrc);
			while (ncjk && ncjk < nsrc && src[pick].cjk != want_cjk);
			want_cjk = !want_cjk;
			size_t w = rnd_range(800, 4000);
			if (w > target - len)
				w = target - len;
			len += slice(&src[pick], body + len, w);
		}
		body[len] = 0;
		size_t slen = 0;
		if (k % 3 == 0) {
			slen = slice(&src[rnd() % (uint64_t)nsrc], sum, rnd_range(500, 2000));
			sum[slen] = 0;
		}
		char path[4096];
		snprintf(path, sizeof path, "%s/t%05ld.txt", dir, k);
		FILE *f = fopen(path, "wb");
		if (!f) {
			perror(path);
			return 1;
		}
		long dur = (long)(len / 30);
		fprintf(f, "Timestamp: 2025-%02ld-%02ldT10:00:00\nTitle: Synthetic transcript %ld\n"
		           "URL: https://www.youtube.com/watch?v=syn%08ld\nStatus: success\n"
		           "Duration: %ld:%02ld\n\n",
		        k % 12 + 1, k % 28 + 1, k, k, dur / 60, dur % 60);
		if (slen) {
			fputs("Description:\n", f);
			fwrite(sum, 1, slen, f);
			fputs("\n", f);
		}
		fputs("Content:\n", f);
		fwrite(body, 1, len, f);
		bytes += (double)ftell(f);
		fclose(f);
	}
	printf("%ld files, %.1f MB\n", n, bytes / 1e6);
	return 0;
}
