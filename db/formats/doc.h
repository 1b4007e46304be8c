/* doc.h — one transcript as read from a file, before it is stored.
 *
 * Contract between the format readers (db/formats/) and the archive
 * (db/sqlite/archive.c). Readers work on a byte buffer, never on the database, so
 * they are pure, testable and fuzzable. Everything a reader returns is valid
 * UTF-8 without NUL bytes: invalid sequences become U+FFFD and are counted.
 */
#ifndef PRECIS_DOC_H
#define PRECIS_DOC_H

#include <stddef.h>

enum doc_format {
	DOC_UNKNOWN = 0,
	DOC_RECORD,        /* Timestamp:/Title:/…/Description:/Content: record */
	DOC_PLAIN,         /* bare text, optional "Key: value" header */
	DOC_MARKDOWN,      /* Markdown, optional YAML front matter */
	DOC_VTT,           /* WebVTT */
	DOC_SRT,           /* SubRip */
	DOC_SBV,           /* YouTube SubViewer */
	DOC_WHISPER_JSON,  /* Whisper / WhisperX JSON (segments) */
	DOC_JSON3,         /* YouTube timed-text JSON (yt-dlp --sub-format json3) */
	DOC_TIMED_JSON,    /* other timed-segment JSON: [text, start, end] triples,
	                      records with a start time and a text field */
};

/* Which language of a two-language source goes into the transcript. Such
 * sources: SRT/SBV cues that carry a '#' comment line (the other language),
 * timed JSON records with an original and a translated text field. */
enum doc_lang_pick {
	DOC_LANG_MAIN = 0,   /* the cue text, or the original field (default) */
	DOC_LANG_SECOND,     /* the comment lines, or the translation (a cue
	                        without one keeps its main text) */
	DOC_LANG_BOTH,       /* both: each cue's main text, then its second */
};

/* Reading options; { 0 } is the default. */
struct doc_opts {
	enum doc_lang_pick lang;
};

/* Which rule produced a transcript's title (docs/formats.md). */
enum doc_title_source {
	DOC_TITLE_HEADER = 0,  /* the file said it: record/header Title:, front matter,
	                          a Markdown heading, a JSON title field */
	DOC_TITLE_INFO_JSON,   /* the yt-dlp .info.json beside the file */
	DOC_TITLE_FILE_NAME,   /* the file's name */
	DOC_TITLE_GUESSED,     /* the opening words of the text: a later LLM
	                          summary may replace it as display title */
};

/* Start time of one paragraph of the text (subtitle sources only). */
struct doc_para {
	size_t offset;     /* byte offset of the paragraph in text */
	double start_s;    /* seconds from the start of the recording */
};

struct doc {
	enum doc_format format;
	char *title;        /* never NULL after a successful parse */
	enum doc_title_source title_source;
	char *url;          /* NULL when unknown */
	char *video_id;     /* e.g. YouTube id, NULL when unknown */
	char *channel;      /* NULL when unknown */
	char *recorded_at;  /* ISO 8601 ("2025-07-11T11:59:49" or "2021-07-20"), NULL when unknown */
	char *status;       /* record "Status:" value, NULL when absent */
	char *language;     /* guess: "zh", "ja", "ko", "en", … or NULL */
	long duration_s;    /* -1 when unknown */
	char *text;         /* the transcript, NUL-terminated, text_len bytes */
	size_t text_len;
	struct doc_para *paras;  /* NULL/0 unless the source had timings */
	size_t npara;
	char *summary;      /* Markdown summary (record Description:), NULL if none */
	char *mermaid;      /* Mermaid source extracted verbatim from summary, or NULL */
	size_t invalid_utf8;/* invalid sequences replaced by U+FFFD */
	size_t nul_bytes;   /* NUL bytes dropped */
	const char *charset;/* static name of the encoding the bytes were
	                       converted from ("WINDOWS-1252", "GB18030",
	                       "BIG5", "UTF-16", "UTF-32LE", …), NULL for
	                       UTF-8; not freed */
	int charset_detected;/* 1 when charset was detected (ICU's detector,
	                       a BOM-less UTF-16 guess), not stated by a BOM */
	char *second_text;  /* the language that did not go into text (see
	                       enum doc_lang_pick), cues joined like text;
	                       NULL when the source has one language */
	size_t second_len;
	char *note;         /* one line on how an unusual shape was read
	                       ("timed JSON: text from \"sentence\", …"), else NULL */
};

/* Reads a transcript from buf (any bytes; need not be NUL-terminated).
 * path is used for the format hint (extension) and the fallback title; it
 * may be NULL. The format is recognised by content first (docs/formats.md).
 * Returns 0 and fills *out (free with doc_free), or -1 with a one-line
 * reason in err and *out empty: "empty file", "binary file, not a
 * transcript (PNG image)", "JSON is not a known transcript shape",
 * "invalid JSON: … (line N)", "yt-dlp .info.json without a transcript
 * (metadata only)", "no subtitle cues found", "no transcript text in this
 * … file". Time and memory are linear in len. */
int doc_parse(const char *buf, size_t len, const char *path,
              struct doc *out, char *err, size_t errlen);

/* doc_parse() with options (NULL: the defaults). */
int doc_parse_opts(const char *buf, size_t len, const char *path,
                   const struct doc_opts *opts, struct doc *out,
                   char *err, size_t errlen);

/* Name of a language pick for settings ("main", "second", "both"), and
 * back: returns 0 and sets *out, or -1 for an unknown name. */
const char *doc_lang_pick_name(enum doc_lang_pick p);
int doc_lang_pick_parse(const char *name, enum doc_lang_pick *out);

/* Fills title, url, video_id, channel, recorded_at and duration_s of d from
 * a yt-dlp .info.json (the metadata wins over what the transcript said).
 * Returns 0, or -1 with a reason in err. */
int doc_apply_info_json(struct doc *d, const char *buf, size_t len,
                        char *err, size_t errlen);

/* Path of the yt-dlp .info.json that belongs to a transcript file: the
 * same directory and base name with the extension and any subtitle
 * language tag removed ("dir/Talk [id].en-orig.vtt" →
 * "dir/Talk [id].info.json"). Returns a malloc'd string the caller frees,
 * or NULL when path is itself an .info.json or has no extension. The file
 * may not exist; the caller checks. */
char *doc_info_json_path(const char *transcript_path);

/* 1 when path names a yt-dlp .info.json (metadata, not a transcript). */
int doc_is_info_json(const char *path);

/* The Mermaid source of a Markdown summary: the inside of the first
 * <Mermaid_Diagram>…</Mermaid_Diagram> or ```mermaid fence, without the
 * blank lines around it, ending in one newline (malloc'd); NULL when
 * there is none. */
char *doc_extract_mermaid(const char *summary, size_t len);

/* Name of a title source for --json: "header", "info_json", "file_name",
 * "guessed". */
const char *doc_title_source_name(enum doc_title_source s);

/* Name of a format, for messages and --json ("vtt", "srt", …). */
const char *doc_format_name(enum doc_format f);

void doc_free(struct doc *d);

#endif
