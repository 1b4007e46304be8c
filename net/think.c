/* think.c — removes <think> blocks from answer text as it streams
 * (net/think.h). */
#include <string.h>

#include "net/think.h"

static const char OPEN[] = "<think>";
static const char CLOSE[] = "</think>";

void think_init(struct think *t)
{
	memset(t, 0, sizeof *t);
}

void think_free(struct think *t)
{
	buf_free(&t->out);
	buf_free(&t->hold);
	buf_free(&t->lead);
}

/* Adds visible text: while nothing is visible yet, blank lines are
 * dropped and the spaces of a line are held until it shows text. */
static void put_visible(struct think *t, const char *s, size_t n)
{
	if (t->out.len == 0) {
		size_t i = 0;
		for (; i < n; i++) {
			if (s[i] == '\n' || s[i] == '\r')
				buf_clear(&t->lead);
			else if (s[i] == ' ' || s[i] == '\t')
				buf_put(&t->lead, s + i, 1);
			else
				break;
		}
		if (i == n)
			return;
		if (t->lead.len)
			buf_put(&t->out, t->lead.p, t->lead.len);
		buf_clear(&t->lead);
		s += i;
		n -= i;
	}
	buf_put(&t->out, s, n);
}

/* Length of the longest suffix of s[0..n) that is a proper prefix of tag. */
static size_t partial_tag(const char *s, size_t n, const char *tag)
{
	size_t tl = strlen(tag);
	for (size_t k = tl - 1; k > 0; k--)
		if (k <= n && !memcmp(s + n - k, tag, k))
			return k;
	return 0;
}

/* Emits s[0..n) to the answer or to the thinking, by the current state. */
static void emit(struct think *t, const char *s, size_t n)
{
	if (t->in_think)
		t->thought += n;
	else
		put_visible(t, s, n);
}

/* Processes s[0..n) completely (no partial tag at its end). */
static void process(struct think *t, const char *s, size_t n)
{
	while (n > 0) {
		const char *open = t->in_think ? NULL : memmem(s, n, OPEN, sizeof OPEN - 1);
		const char *close = memmem(s, n, CLOSE, sizeof CLOSE - 1);
		if (open && (!close || open < close)) {
			emit(t, s, (size_t)(open - s));
			t->in_think = 1;
			size_t used = (size_t)(open - s) + sizeof OPEN - 1;
			t->thought += sizeof OPEN - 1;
			s += used;
			n -= used;
			continue;
		}
		if (close) {
			size_t before = (size_t)(close - s);
			if (t->in_think) {
				t->thought += before;
				t->in_think = 0;
			} else {
				/* A lone closing tag: all that came before was
				 * thinking whose opening tag we never saw. */
				t->thought += t->out.len + before;
				buf_clear(&t->out);
				buf_clear(&t->lead);
				t->resets++;
			}
			t->thought += sizeof CLOSE - 1;
			s += before + sizeof CLOSE - 1;
			n -= before + sizeof CLOSE - 1;
			continue;
		}
		emit(t, s, n);
		return;
	}
}

void think_feed(struct think *t, const char *s, size_t n)
{
	if (n == 0)
		return;
	buf_put(&t->hold, s, n);
	size_t len = t->hold.len;
	size_t keep = partial_tag(t->hold.p, len, CLOSE);
	size_t ko = t->in_think ? 0 : partial_tag(t->hold.p, len, OPEN);
	if (ko > keep)
		keep = ko;
	process(t, t->hold.p, len - keep);
	memmove(t->hold.p, t->hold.p + len - keep, keep);
	t->hold.len = keep;
	t->hold.p[keep] = 0;
}

void think_finish(struct think *t)
{
	if (t->hold.len)
		emit(t, t->hold.p, t->hold.len);
	buf_clear(&t->hold);
}
