/* formats_int.h — helpers shared by the format readers (db/formats/).
 *
 * Internal to the readers: nothing outside the files of db/formats/ includes this. The
 * public contract is db/formats/doc.h. Every function here runs in time linear in
 * its input and allocates through the fail-fast wrappers of render/alloc.h;
 * text is decoded, measured and cut with the shared text base of render/
 * (utf8.h, buf.h, width.h), so what the readers cut fits what render/ draws.
 */
#ifndef PRECIS_PARSE_INT_H
#define PRECIS_PARSE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "db/formats/doc.h"
#include "render/alloc.h"   /* xmalloc, xrealloc, xstrndup, xstrdup */
#include "render/buf.h"     /* struct buf */
#include "render/utf8.h"    /* utf8_decode, utf8_next */

/* Reason a buffer is binary ("PNG image", …) or NULL when it looks like
 * text. Looks at magic numbers and the share of NUL/control/invalid bytes
 * in the first few kilobytes. */
const char *pt_binary_kind(const char *buf, size_t len);

/* Returns a malloc'd UTF-8 copy of a UTF-16 buffer when buf starts with a
 * UTF-16 BOM (or looks like BOM-less UTF-16 ASCII text), else NULL.
 * Unpaired surrogates become U+FFFD and are counted in *invalid. */
char *pt_utf16_to_utf8(const char *buf, size_t len, size_t *outlen,
                       size_t *invalid);

/* The fallback when ICU cannot be loaded or finds nothing: when buf
 * is not UTF-8 but reads cleanly and plausibly in a legacy CJK encoding
 * (GB18030/GBK, Big5, Shift_JIS, EUC-JP, EUC-KR), returns a malloc'd
 * UTF-8 copy and sets *charset; else NULL. Only tried when the bytes have
 * more invalid UTF-8 sequences than valid multibyte ones (at least 8). */
char *pt_decode_legacy(const char *buf, size_t len, size_t *outlen,
                       const char **charset);

/* Text that is not UTF-8 (db/formats/charset.c). pt_decode_utf32: a
 * malloc'd UTF-8 copy of UTF-32 with a byte-order mark (BE or LE; *charset
 * "UTF-32BE"/"UTF-32LE"), else NULL. pt_not_utf8: 1 when the bytes have
 * more invalid UTF-8 sequences than valid multibyte ones (so UTF-8 with a
 * few broken bytes is never reinterpreted). pt_detect_legacy: the
 * encoding ICU's detector finds (loaded on first use; NULL when it cannot
 * be, or finds none it can convert), converted with iconv; *charset
 * gets its static name ("WINDOWS-1252", "GB18030", "BIG5", …). Bytes the
 * encoding leaves undefined become U+FFFD, counted in *invalid. */
char *pt_decode_utf32(const char *buf, size_t len, size_t *outlen, const char **charset,
                      size_t *invalid);
int pt_not_utf8(const char *buf, size_t len);
char *pt_detect_legacy(const char *buf, size_t len, size_t *outlen, const char **charset,
                       size_t *invalid);
int pt_detector_available(void);

/* Returns a malloc'd NUL-terminated copy of buf with the UTF-8 BOM
 * removed, CRLF and lone CR turned into LF, NUL bytes and U+FEFF dropped
 * (NULs counted in *nuls) and each run of invalid UTF-8 replaced by one
 * U+FFFD (counted in *invalid). *outlen gets the length. */
char *pt_clean(const char *buf, size_t len, size_t *outlen,
               size_t *invalid, size_t *nuls);

/* Next line of s[0..len) from *pos: sets *line and *n (no '\n') and moves
 * *pos past the newline. Returns 0 when *pos is at the end. */
int pt_next_line(const char *s, size_t len, size_t *pos,
                 const char **line, size_t *n);

/* Trims ASCII whitespace (and U+00A0 / U+3000) at both ends of the span. */
void pt_trim(const char **s, size_t *n);

/* 1 when s[0..n) is empty or only whitespace. */
int pt_is_blank(const char *s, size_t n);

/* Case-insensitive ASCII compare of s[0..n) with the NUL-terminated word. */
int pt_ieq(const char *s, size_t n, const char *word);

/* Appends s[0..n) to b with HTML entities decoded (&amp; &lt; &gt; &quot;
 * &apos; &nbsp; → space, &#39; &#x27; …); unknown entities are kept. */
void pt_put_decoded(struct buf *b, const char *s, size_t n);

/* Returns a malloc'd single-line title from s[0..n): control characters
 * and runs of white space become one space, trimmed, cut to at most
 * max_cells display cells at a character boundary ("…" appended when
 * cut). NULL when nothing is left. */
char *pt_clean_title(const char *s, size_t n, int max_cells);

/* Returns a malloc'd short title from the opening words of a text: the
 * first sentence (more sentences while short), at most ~40 cells. */
char *pt_title_from_text(const char *s, size_t n);

/* Returns a malloc'd title made of the most distinctive words of the
 * whole text (frequent, not stop words; CJK terms as 2–4 character
 * n-grams, a longer one standing for its parts), "模型 · AI · 数据 ·
 * Google", at most 4 terms and 40 cells; NULL when the text is short or
 * no two terms occur 3 times. Looks at the first MiB. */
char *pt_title_guess(const char *s, size_t n);

/* Returns a malloc'd title from a file path (directory, extensions,
 * subtitle language tag and a yt-dlp " [id]" removed), or NULL when the
 * name says nothing (an id or hash, "transcript", …). *video_id gets a
 * malloc'd id from a yt-dlp "Title [id]" name, else NULL. */
char *pt_title_from_path(const char *path, char **video_id);

/* Seconds in "56:04", "1:02:03", "3364", "3364.5", "1h2m3s", "PT1H2M3S";
 * -1 when not a duration. */
long pt_parse_duration(const char *s, size_t n);

/* Returns a malloc'd ISO 8601 date or date-time ("2021-07-20",
 * "2025-07-11T11:59:49") from "20210720", "2021-07-20",
 * "2025-07-11T11:59:49.489670", "2025-07-11 11:59:49", …; NULL if none. */
char *pt_parse_date(const char *s, size_t n);

/* Returns a malloc'd video id from a YouTube URL (watch?v=, youtu.be/,
 * shorts/, embed/, live/, v/), else NULL. */
char *pt_video_id_from_url(const char *s, size_t n);

/* A guess of the language of s[0..n) by script counts ("zh", "ja", "ko",
 * "en", "ru", …) as a static string, or NULL when there are no letters. */
const char *pt_guess_language(const char *s, size_t n);

/* Returns a malloc'd copy of a language tag's primary subtag, lowercased
 * ("en-orig" → "en", "zh-Hans" → "zh"), or NULL when it is not a tag. */
char *pt_language_tag(const char *s, size_t n);

/* Replaces *field with a malloc'd copy of s[0..n) (trimmed); an empty
 * value leaves *field unchanged. */
void pt_set_field(char **field, const char *s, size_t n);

/* Readers, each on text cleaned by pt_clean (NUL-terminated, valid UTF-8).
 * Each returns 0 or -1 with a reason in err. They fill d->text/paras and
 * any metadata found; doc_parse does the rest (title fallback, language).
 * o is never NULL. (The record, plain-text and Markdown readers are
 * doc.c's own.) */
int parse_vtt(const char *s, size_t n, const struct doc_opts *o, struct doc *d,
              char *err, size_t errlen);
int parse_srt(const char *s, size_t n, const struct doc_opts *o, struct doc *d,
              char *err, size_t errlen);
int parse_sbv(const char *s, size_t n, const struct doc_opts *o, struct doc *d,
              char *err, size_t errlen);
/* JSON: a Whisper/WhisperX transcript, another timed-segment shape, or an
 * error naming what it is (-2: not JSON at all). */
int parse_json(const char *s, size_t n, const struct doc_opts *o, struct doc *d,
               char *err, size_t errlen);

/* One cue kept by a deduplicating sink until the whole file is seen. */
struct cue_rec {
	size_t off, len;         /* its lines in cue_sink.held */
	double start, end;
};

/* Collects timed cues into text with paragraphs (subtitles.c). With
 * dedup set, the sink keeps every cue until sink_finish and then decides
 * whether the file is a rolling caption file (YouTube auto-captions,
 * live roll-up captions: a fifth or more of the cues repeat the end of
 * the cue before); only then are the repeated lines and words dropped.
 * See docs/formats.md. */
struct cue_sink {
	struct buf text;
	struct doc_para *paras;
	size_t npara, cap;
	int dedup;
	struct buf held;         /* dedup: the cues' lines, back to back */
	struct cue_rec *recs;
	size_t nrec, caprec;
	size_t para_len;         /* bytes in the open paragraph */
	double last_end;
	char speaker[64];        /* label of the open paragraph's speaker */
	int ends_sentence;       /* the text so far ends a sentence */
};
void sink_init(struct cue_sink *k, int dedup);
/* Adds one cue: lines cleaned already (no tags/entities), joined by '\n';
 * an empty line marks a row with nothing carried over. */
void sink_add(struct cue_sink *k, double start, double end, const char *text, size_t n);
/* Moves the collected text and paragraphs into d and frees the sink. */
void sink_finish(struct cue_sink *k, struct doc *d);
/* Frees the sink and returns its text alone (paragraph breaks as blank
 * lines); *len gets its length. NULL when it holds no text. */
char *sink_take_text(struct cue_sink *k, size_t *len);
/* 1 when the joining rule of the sink writes no space between a piece
 * ending in code point a and one starting with b (CJK punctuation). */
int sink_glued(int32_t a, int32_t b);

/* Length of s[0..n) without its extensions: a known final one (".vtt",
 * ".info.json", ".mp3.words.json" …) and a subtitle language tag before
 * it ("Talk [id].en-orig.vtt" → "Talk [id]"). */
size_t pt_strip_extensions(const char *s, size_t n);

/* Parses a time "[H:]MM:SS[.,fraction]" at s[*i..n); returns seconds and
 * advances *i past it, or -1. */
double subs_parse_time(const char *s, size_t n, size_t *i);

/* Format guesses by content (see db/formats/doc.c). */
int subs_looks_vtt(const char *s, size_t n);
int subs_looks_srt(const char *s, size_t n);
int subs_looks_sbv(const char *s, size_t n);

void pt_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
