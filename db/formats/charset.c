/* charset.c — text that is not UTF-8: UTF-32 with a byte-order mark, and
 * legacy encodings detected by ICU's charset detector (ucsdet, Debian's
 * libicu), converted with iconv.
 *
 * ICU is loaded with dlopen() the first time a file is not UTF-8 (it is
 * C++ with a 30 MB data library, and would be mapped into every command
 * at start); the table below gets the five functions used, by their
 * versioned names (ucsdet_open_72 for the ICU of the headers). ICU's
 * detector was chosen over uchardet 0.0.7, which reads short French or
 * Spanish text in Windows-1252 as MAC-CENTRALEUROPE or ISO-8859-2. When
 * ICU cannot be loaded, CJK text is still tried against its usual
 * encodings (pt_decode_legacy) and the rest keeps U+FFFD for its invalid
 * bytes, as before. */
#include <dlfcn.h>
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/ucsdet.h>
#include <unicode/uvernum.h>

#include "db/formats/formats_int.h"

#define STR_(x) #x
#define STR(x) STR_(x)
#define ICU_SONAME "libicui18n.so." STR(U_ICU_VERSION_MAJOR_NUM)
#define ICU_SYM(name) #name STR(U_ICU_VERSION_SUFFIX)

static struct {
	UCharsetDetector *(*open)(UErrorCode *);
	void (*close)(UCharsetDetector *);
	void (*set_text)(UCharsetDetector *, const char *, int32_t, UErrorCode *);
	const UCharsetMatch **(*detect_all)(UCharsetDetector *, int32_t *, UErrorCode *);
	const char *(*get_name)(const UCharsetMatch *, UErrorCode *);
} icu;
static pthread_once_t icu_once = PTHREAD_ONCE_INIT;
static int icu_ok;

static void icu_load(void)
{
	const char *want = getenv("PRECIS_LIBICU");
	void *h = dlopen(want && *want ? want : ICU_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return;
	/* POSIX: a function's address comes back as a void * */
	*(void **)&icu.open = dlsym(h, ICU_SYM(ucsdet_open));
	*(void **)&icu.close = dlsym(h, ICU_SYM(ucsdet_close));
	*(void **)&icu.set_text = dlsym(h, ICU_SYM(ucsdet_setText));
	*(void **)&icu.detect_all = dlsym(h, ICU_SYM(ucsdet_detectAll));
	*(void **)&icu.get_name = dlsym(h, ICU_SYM(ucsdet_getName));
	icu_ok = icu.open && icu.close && icu.set_text && icu.detect_all && icu.get_name;
}

int pt_detector_available(void)
{
	pthread_once(&icu_once, icu_load);
	return icu_ok;
}

/* ICU's names of the encodings it detects, and the static name precis
 * gives each (doc.charset; iconv knows them). ISO-8859-1 is read as its
 * superset Windows-1252, as browsers read it; UTF-16/32 are found before
 * (byte-order marks, NUL patterns), EBCDIC is left alone. */
static const char *const names[][2] = {
	{ "ISO-8859-1", "WINDOWS-1252" }, { "windows-1252", "WINDOWS-1252" },
	{ "ISO-8859-2", "ISO-8859-2" }, { "windows-1250", "WINDOWS-1250" },
	{ "ISO-8859-5", "ISO-8859-5" }, { "windows-1251", "WINDOWS-1251" }, { "KOI8-R", "KOI8-R" },
	{ "ISO-8859-6", "ISO-8859-6" }, { "windows-1256", "WINDOWS-1256" },
	{ "ISO-8859-7", "ISO-8859-7" }, { "windows-1253", "WINDOWS-1253" },
	{ "ISO-8859-8", "ISO-8859-8" }, { "ISO-8859-8-I", "ISO-8859-8" },
	{ "windows-1255", "WINDOWS-1255" },
	{ "ISO-8859-9", "ISO-8859-9" }, { "windows-1254", "WINDOWS-1254" },
	{ "Shift_JIS", "SHIFT_JIS" }, { "EUC-JP", "EUC-JP" }, { "ISO-2022-JP", "ISO-2022-JP" },
	{ "GB18030", "GB18030" }, { "ISO-2022-CN", "ISO-2022-CN" },
	{ "Big5", "BIG5" }, { "EUC-KR", "EUC-KR" }, { "ISO-2022-KR", "ISO-2022-KR" },
};

static const char *known_name(const char *icu_name)
{
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcasecmp(names[i][0], icu_name))
			return names[i][1];
	return NULL;
}

/* iconv of buf from charset to UTF-8. strict: NULL at the first byte the
 * charset does not define; else such a byte becomes U+FFFD (counted in
 * *bad). */
static char *convert(const char *charset, const char *buf, size_t len, size_t *outlen,
                     int strict, size_t *bad)
{
	iconv_t cd = iconv_open("UTF-8", charset);
	if (cd == (iconv_t)-1)
		return NULL;
	size_t cap = len * 3 + 16;
	char *out = xmalloc(cap);
	char *in = (char *)buf, *o = out;
	size_t inleft = len, oleft = cap - 1;
	while (inleft > 0) {
		if (iconv(cd, &in, &inleft, &o, &oleft) != (size_t)-1)
			continue;
		if (errno == E2BIG) {
			size_t used = (size_t)(o - out);
			cap *= 2;
			out = xrealloc(out, cap);
			o = out + used;
			oleft = cap - used - 1;
			continue;
		}
		if (strict) {
			free(out);
			iconv_close(cd);
			return NULL;
		}
		/* EILSEQ or EINVAL: one byte becomes U+FFFD */
		if (oleft < 4) {
			size_t used = (size_t)(o - out);
			cap *= 2;
			out = xrealloc(out, cap);
			o = out + used;
			oleft = cap - used - 1;
		}
		memcpy(o, "\xef\xbf\xbd", 3);
		o += 3;
		oleft -= 3;
		in++;
		inleft--;
		(*bad)++;
	}
	iconv_close(cd);
	*o = '\0';
	*outlen = (size_t)(o - out);
	return out;
}

char *pt_decode_utf32(const char *buf, size_t len, size_t *outlen, const char **charset,
                      size_t *invalid)
{
	const unsigned char *u = (const unsigned char *)buf;
	if (len < 4)
		return NULL;
	const char *cs;
	if (u[0] == 0 && u[1] == 0 && u[2] == 0xFE && u[3] == 0xFF)
		cs = "UTF-32BE";
	else if (u[0] == 0xFF && u[1] == 0xFE && u[2] == 0 && u[3] == 0)
		cs = "UTF-32LE";
	else
		return NULL;
	size_t bad = 0;
	/* the BOM itself goes (iconv's UTF-32BE/LE keep it as U+FEFF) */
	char *out = convert(cs, buf + 4, len - 4, outlen, 0, &bad);
	if (!out)
		return NULL;
	*invalid += bad;
	*charset = cs;
	return out;
}

char *pt_detect_legacy(const char *buf, size_t len, size_t *outlen, const char **charset,
                       size_t *invalid)
{
	if (!pt_detector_available())
		return NULL;
	UErrorCode e = U_ZERO_ERROR;
	UCharsetDetector *d = icu.open(&e);
	if (!d || U_FAILURE(e))
		return NULL;
	/* the whole text (ICU looks at what it needs): an accented letter may
	 * come late in a subtitle file */
	icu.set_text(d, buf, len > INT32_MAX ? INT32_MAX : (int32_t)len, &e);
	int32_t nm = 0;
	const UCharsetMatch **m = U_SUCCESS(e) ? icu.detect_all(d, &nm, &e) : NULL;
	const char *name = NULL;
	for (int32_t i = 0; m && U_SUCCESS(e) && i < nm && !name; i++) {
		const char *got = icu.get_name(m[i], &e);
		name = got && U_SUCCESS(e) ? known_name(got) : NULL;
	}
	icu.close(d);
	if (!name)
		return NULL;
	size_t bad = 0;
	char *out = convert(name, buf, len, outlen, 0, &bad);
	if (!out)
		return NULL;
	/* a detection that leaves much undefined is not the encoding */
	if (bad * 20 > len) {
		free(out);
		return NULL;
	}
	*invalid += bad;
	*charset = name;
	return out;
}

int pt_not_utf8(const char *buf, size_t len)
{
	/* invalid UTF-8 starts vs valid multibyte sequences in the whole
	 * text (a subtitle file may be ASCII for its first 64 KiB): UTF-8
	 * with a few broken bytes is never reinterpreted */
	const unsigned char *u = (const unsigned char *)buf;
	size_t n = len, bad = 0, good = 0;
	for (size_t i = 0; i < n;) {
		if (u[i] == 0)
			return 0;   /* NUL bytes: not a legacy text file */
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		int32_t cp;
		size_t k = utf8_decode(buf + i, len - i, &cp);
		if (k) {
			good++;
			i += k;
		} else {
			bad++;
			i++;
		}
	}
	return bad > good;
}
