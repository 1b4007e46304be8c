/* gen_rows.c — an archive of N small transcripts for the app's start-up
 * bench (bench/app.sh): varied titles (Chinese and English), dates,
 * durations, a summary on one in three, a few reviewed. Writes through
 * db/archive.h like an import, in transactions of 5,000.
 *
 * usage: gen_rows DB N
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/archive.h"

int main(int argc, char **argv)
{
	if (argc != 3) {
		fputs("usage: gen_rows DB N\n", stderr);
		return 2;
	}
	long n = atol(argv[2]);
	struct archive *a;
	char err[600];
	if (ar_open(argv[1], AR_CREATE, &a, err, sizeof err) != 0) {
		fprintf(stderr, "gen_rows: %s\n", err);
		return 1;
	}
	static const char *const words[] = { "算力", "模型", "马斯克", "数据", "ledger", "orbit",
	                                     "signature", "推理", "芯片", "podcast" };
	unsigned long long rng = 88172645463325252ULL;
	for (long i = 0; i < n; i++) {
		if (i % 5000 == 0 && ar_begin(a) != 0) {
			fprintf(stderr, "gen_rows: %s\n", ar_error(a));
			return 1;
		}
		rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
		char title[160], date[32], hash[80], text[600];
		snprintf(title, sizeof title, "%s %s 第%ld期 talk %ld", words[rng % 10],
		         words[(rng >> 8) % 10], i % 977, i);
		snprintf(date, sizeof date, "20%02d-%02d-%02dT%02d:00:00", 10 + (int)((rng >> 16) % 15),
		         1 + (int)((rng >> 24) % 12), 1 + (int)((rng >> 32) % 28), (int)((rng >> 40) % 24));
		snprintf(hash, sizeof hash, "%064ld", i);
		int k = snprintf(text, sizeof text, "transcript %ld:", i);
		for (int w = 0; w < 20 && k < (int)sizeof text - 40; w++)
			k += snprintf(text + k, sizeof text - (size_t)k, " %s", words[(rng >> (w % 50)) % 10]);
		struct doc d = { 0 };
		d.format = DOC_RECORD;
		d.title = title;
		d.recorded_at = date;
		d.duration_s = (long)(rng % 7200);
		d.text = text;
		d.text_len = strlen(text);
		d.summary = i % 3 == 0 ? "## Outline\n\n1. a point\n2. another" : NULL;
		struct ar_import_info info = { "/bench", hash, hash };
		int64_t id;
		if (ar_insert_doc(a, &d, &info, &id) != 0) {
			fprintf(stderr, "gen_rows: %s\n", ar_error(a));
			return 1;
		}
		if (i % 5000 == 4999 || i == n - 1) {
			if (ar_commit(a) != 0) {
				fprintf(stderr, "gen_rows: %s\n", ar_error(a));
				return 1;
			}
		}
	}
	struct ar_review_new flag = { .verdict = AR_FLAGGED, .reason = "bench", .reviewer = "bench",
	                              .expect_summary_id = AR_REVIEW_ANY };
	if (n > 10 && ar_review_add(a, 3, &flag, NULL) != 0)
		fprintf(stderr, "gen_rows: %s\n", ar_error(a));
	ar_close(a);
	return 0;
}
