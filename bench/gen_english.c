/* gen_english.c — English transcripts of real length for the search
 * benchmark, made offline from the English transcripts of the corpus.
 *
 * usage: gen_english OUT_DIR N SEED [--lower] [--bytes B] SOURCE...
 * Writes N record files (OUT_DIR/eNNNNN.txt). Their words come from a
 * word trigram model of the SOURCE texts (subtitle timings, cue numbers,
 * WEBVTT headers and inline tags dropped; a caption repeated on the next
 * cue kept once): each next word is drawn among the words that follow the
 * last two in the sources, so word and phrase frequencies ("of the",
 * "in the", stop words) are those of real speech, not of a word list. A
 * file is as long as a talk or a podcast: 8–140 KB, about 42 KB on
 * average (2,000 of them are about 85 MB, like the 2,000 real transcripts
 * issue 19 measured). --bytes B makes every file B bytes instead;
 * --lower writes what speech recognition often gives: lower case, no
 * punctuation but apostrophes. Lines of 8–20 words, as captions are.
 * Deterministic for a SEED.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static uint64_t rng_state;

static uint64_t rnd(void)
{
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
	void *p = malloc(n ? n : 1);
	if (!p) {
		fputs("gen_english: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fputs("gen_english: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

/* ---- the vocabulary: words by id, a hash from word to id ------------ */

static char **words;
static size_t nwords, capwords;
static uint32_t *slots;       /* id + 1, 0 empty */
static size_t nslots;

static uint64_t hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static uint32_t word_id(const char *s, size_t n)
{
	if (nwords * 2 >= nslots) {
		size_t ns = nslots ? nslots * 2 : 1 << 16;
		uint32_t *t = xmalloc(ns * sizeof *t);
		memset(t, 0, ns * sizeof *t);
		for (size_t i = 0; i < nwords; i++) {
			size_t k = hash(words[i], strlen(words[i])) & (ns - 1);
			while (t[k])
				k = (k + 1) & (ns - 1);
			t[k] = (uint32_t)i + 1;
		}
		free(slots);
		slots = t;
		nslots = ns;
	}
	size_t k = hash(s, n) & (nslots - 1);
	while (slots[k]) {
		const char *w = words[slots[k] - 1];
		if (strlen(w) == n && !memcmp(w, s, n))
			return slots[k] - 1;
		k = (k + 1) & (nslots - 1);
	}
	if (nwords == capwords) {
		capwords = capwords ? capwords * 2 : 4096;
		words = xrealloc(words, capwords * sizeof *words);
	}
	words[nwords] = xmalloc(n + 1);
	memcpy(words[nwords], s, n);
	words[nwords][n] = 0;
	slots[k] = (uint32_t)nwords + 1;
	return (uint32_t)nwords++;
}

/* ---- the sources as one sequence of word ids ------------------------- */

static uint32_t *seq;
static size_t nseq, capseq;

static void push(uint32_t id)
{
	if (nseq == capseq) {
		capseq = capseq ? capseq * 2 : 1 << 16;
		seq = xrealloc(seq, capseq * sizeof *seq);
	}
	seq[nseq++] = id;
}

/* Adds the spoken words of one source file. */
static void load(const char *path)
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
	char prev[4096] = "";
	for (char *line = start; *line;) {
		char *nl = strchr(line, '\n');
		size_t ll = nl ? (size_t)(nl - line) : strlen(line);
		char buf[4096];
		size_t bl = 0;
		/* drop <...> tags (WebVTT word timings) */
		for (size_t i = 0; i < ll && bl + 1 < sizeof buf; i++) {
			if (line[i] == '<') {
				while (i < ll && line[i] != '>')
					i++;
				continue;
			}
			buf[bl++] = line[i] == '\r' ? ' ' : line[i];
		}
		buf[bl] = 0;
		size_t digits = 0, alpha = 0;
		for (size_t i = 0; i < bl; i++) {
			digits += isdigit((unsigned char)buf[i]) != 0;
			alpha += isalpha((unsigned char)buf[i]) != 0;
		}
		int keep = alpha > 0 && !strstr(buf, "-->") && strncmp(buf, "WEBVTT", 6) &&
		           strncmp(buf, "Kind:", 5) && strncmp(buf, "Language:", 9) &&
		           strcmp(buf, prev) != 0;
		if (keep) {
			snprintf(prev, sizeof prev, "%s", buf);
			for (char *p = buf; *p;) {
				while (*p == ' ' || *p == '\t')
					p++;
				char *e = p;
				while (*e && *e != ' ' && *e != '\t')
					e++;
				if (e > p)
					push(word_id(p, (size_t)(e - p)));
				p = e;
			}
		}
		line = nl ? nl + 1 : line + ll;
	}
	free(raw);
}

/* ---- the trigram model: every position, sorted by its two words ------ */

static uint32_t *pos;         /* positions i with i + 2 < nseq */
static size_t npos;

static int cmp_pos(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	if (seq[x] != seq[y])
		return seq[x] < seq[y] ? -1 : 1;
	if (seq[x + 1] != seq[y + 1])
		return seq[x + 1] < seq[y + 1] ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* A word that may follow w1 w2 in the sources (a random restart when
 * nothing does). */
static uint32_t next_word(uint32_t w1, uint32_t w2, uint32_t *restart)
{
	size_t lo = 0, hi = npos;
	while (lo < hi) {   /* first position with (w1, w2) ≥ the key */
		size_t mid = lo + (hi - lo) / 2;
		uint32_t p = pos[mid];
		if (seq[p] < w1 || (seq[p] == w1 && seq[p + 1] < w2))
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t a = lo;
	hi = npos;
	while (lo < hi) {   /* past the last one */
		size_t mid = lo + (hi - lo) / 2;
		uint32_t p = pos[mid];
		if (seq[p] < w1 || (seq[p] == w1 && seq[p + 1] <= w2))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == a) {
		*restart = (uint32_t)rnd_range(0, nseq - 3);
		return seq[*restart + 2];
	}
	return seq[pos[a + rnd() % (uint64_t)(lo - a)] + 2];
}

/* Appends word w to out (lower-cased, punctuation but apostrophes
 * dropped when lower); returns the bytes written. */
static size_t put_word(char *out, const char *w, int lower)
{
	size_t n = 0;
	for (const char *p = w; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (lower) {
			if (c < 0x80 && !isalnum(c) && c != '\'')
				continue;
			c = (unsigned char)tolower(c);
		}
		out[n++] = (char)c;
	}
	return n;
}

int main(int argc, char **argv)
{
	int lower = 0;
	size_t fixed = 0;
	int a = 4;
	if (argc < 5) {
		fputs("usage: gen_english OUT_DIR N SEED [--lower] [--bytes B] SOURCE...\n", stderr);
		return 2;
	}
	for (; a < argc && !strncmp(argv[a], "--", 2); a++) {
		if (!strcmp(argv[a], "--lower"))
			lower = 1;
		else if (!strcmp(argv[a], "--bytes") && a + 1 < argc)
			fixed = (size_t)atoll(argv[++a]);
	}
	if (a >= argc) {
		fputs("gen_english: no source\n", stderr);
		return 2;
	}
	const char *dir = argv[1];
	long n = atol(argv[2]);
	rng_state = (uint64_t)atoll(argv[3]) * 2654435761ULL + 88172645463325252ULL;
	for (; a < argc; a++)
		load(argv[a]);
	if (nseq < 1000) {
		fputs("gen_english: the sources hold too few English words\n", stderr);
		return 1;
	}
	npos = nseq - 2;
	pos = xmalloc(npos * sizeof *pos);
	for (size_t i = 0; i < npos; i++)
		pos[i] = (uint32_t)i;
	qsort(pos, npos, sizeof *pos, cmp_pos);
	mkdir(dir, 0755);
	size_t cap = fixed ? fixed + 4096 : 160 * 1024;
	char *body = xmalloc(cap);
	double bytes = 0;
	for (long k = 0; k < n; k++) {
		/* talk lengths: mostly 20–60 KB, some short, some long */
		size_t target = fixed;
		if (!target) {
			uint64_t r = rnd() % 100;
			target = r < 15 ? rnd_range(8, 20) * 1024
			       : r < 85 ? rnd_range(20, 60) * 1024
			       : rnd_range(60, 140) * 1024;
		}
		uint32_t restart = (uint32_t)rnd_range(0, nseq - 3);
		uint32_t w1 = seq[restart], w2 = seq[restart + 1];
		size_t len = 0;
		int inline_words = 0, line_len = (int)rnd_range(8, 20);
		while (len + 256 < target) {
			uint32_t w3 = next_word(w1, w2, &restart);
			len += put_word(body + len, words[w3], lower);
			if (++inline_words >= line_len) {
				body[len++] = '\n';
				inline_words = 0;
				line_len = (int)rnd_range(8, 20);
			} else {
				body[len++] = ' ';
			}
			w1 = w2;
			w2 = w3;
		}
		body[len++] = '\n';
		char path[4096];
		snprintf(path, sizeof path, "%s/e%05ld.txt", dir, k);
		FILE *f = fopen(path, "wb");
		if (!f) {
			perror(path);
			return 1;
		}
		long dur = (long)(len / 16);   /* about 16 bytes of speech a second */
		fprintf(f, "Timestamp: 2024-%02ld-%02ldT09:00:00\nTitle: English talk %ld\n"
		           "URL: https://www.youtube.com/watch?v=eng%08ld\nStatus: success\n"
		           "Duration: %ld:%02ld\n\nContent:\n",
		        k % 12 + 1, k % 28 + 1, k, k, dur / 60, dur % 60);
		fwrite(body, 1, len, f);
		bytes += (double)ftell(f);
		fclose(f);
	}
	printf("%ld files, %.1f MB, from %zu source words (%zu distinct)\n", n, bytes / 1e6,
	       nseq, nwords);
	return 0;
}
