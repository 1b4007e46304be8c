/* extern.c — clipboard (OSC 52 / copy command), URLs (OSC 8, xdg-open),
 * the editor. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <curses.h>

#include "render/alloc.h"
#include "render/sanitize.h"
#include "tui/app/extern.h"
#include "tui/app/view.h"

/* Standard base64 (with '=' padding) of in[0..n) into out, which holds
 * 4 * ((n + 2) / 3) + 1 bytes; NUL-terminated. */
static void base64(char *out, const unsigned char *in, size_t n)
{
	static const char abc[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i = 0;
	for (; i + 2 < n; i += 3) {
		unsigned long v = (unsigned long)in[i] << 16 | (unsigned long)in[i + 1] << 8 | in[i + 2];
		*out++ = abc[v >> 18 & 63];
		*out++ = abc[v >> 12 & 63];
		*out++ = abc[v >> 6 & 63];
		*out++ = abc[v & 63];
	}
	if (i < n) {
		unsigned long v = (unsigned long)in[i] << 16 | (i + 1 < n ? (unsigned long)in[i + 1] << 8 : 0);
		*out++ = abc[v >> 18 & 63];
		*out++ = abc[v >> 12 & 63];
		*out++ = i + 1 < n ? abc[v >> 6 & 63] : '=';
		*out++ = '=';
	}
	*out = 0;
}

static int term_is(const char *prefix)
{
	const char *t = getenv("TERM");
	return t && !strncmp(t, prefix, strlen(prefix));
}

/* The Linux console prints unknown OSC strings as text. */
static int osc_ok(void)
{
	return !term_is("linux");
}

/* "; left out 2 escape sequences, 1 control character" for what the
 * cleaning removed (empty when nothing was). */
static void removed_note(char *buf, size_t cap, const struct rs_removed *rm)
{
	struct { size_t n; const char *one, *many; } k[] = {
		{ rm->escapes, "escape sequence", "escape sequences" },
		{ rm->controls, "control character", "control characters" },
		{ rm->format, "invisible character", "invisible characters" },
		{ rm->invalid, "invalid UTF-8 run (as U+FFFD)", "invalid UTF-8 runs (as U+FFFD)" },
	};
	size_t at = 0;
	buf[0] = 0;
	for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
		if (!k[i].n)
			continue;
		int w = snprintf(buf + at, cap - at, "%s%zu %s", at ? ", " : "; left out ",
		                 k[i].n, k[i].n == 1 ? k[i].one : k[i].many);
		if (w < 0 || (size_t)w >= cap - at)
			break;
		at += (size_t)w;
	}
}

void ext_copy(const char *raw, size_t rawlen)
{
	/* The clipboard gets what the reader sees, never the stored bytes: an
	 * ESC[201~ in a summary would end bracketed paste in the shell it is
	 * pasted into, an OSC 52 would set the clipboard again, a CR or a
	 * bidi override would hide what runs. */
	struct rs_removed rm;
	size_t len;
	char *text = rs_clean_copy(raw, rawlen, &len, &rm);
	char note[256];
	removed_note(note, sizeof note, &rm);
	if (A->copy_command[0]) {
		FILE *p = popen(A->copy_command, "w");
		if (!p) {
			app_error("copy command: %s", strerror(errno));
			free(text);
			return;
		}
		size_t w = fwrite(text, 1, len, p);
		int st = pclose(p);
		if (w != len || st != 0)
			app_error("copy command '%s' failed (status %d)", A->copy_command, st);
		else
			app_status("copied %zu bytes with '%s'%s", len, A->copy_command, note);
		free(text);
		return;
	}
	if (!osc_ok()) {
		app_error("this terminal has no clipboard escape: set copy_command in [ui] of the config");
		free(text);
		return;
	}
	size_t n = len > COPY_MAX ? COPY_MAX : len;
	/* never cut inside a UTF-8 character */
	while (n < len && n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
		n--;
	size_t b64len = 4 * ((n + 2) / 3);
	char *b64 = xmalloc(b64len + 1);
	base64(b64, (const unsigned char *)text, n);
	size_t cap = b64len + 64;
	char *seq = xmalloc(cap);
	int k = snprintf(seq, cap, "\033]52;c;%s\a", b64);
	screen_raw(seq, (size_t)k);
	if (getenv("TMUX")) {
		/* and through tmux to the outer terminal (allow-passthrough) */
		k = snprintf(seq, cap, "\033Ptmux;\033\033]52;c;%s\a\033\\", b64);
		screen_raw(seq, (size_t)k);
	}
	free(seq);
	free(b64);
	free(text);
	if (n < len)
		app_status("copied the first %zu of %zu bytes (terminals refuse more through OSC 52; set copy_command for all)%s", n, len, note);
	else
		app_status("copied %zu bytes to the clipboard (OSC 52)%s", n, note);
}

static int is_youtube(const char *u)
{
	return strstr(u, "youtube.com/watch") || strstr(u, "youtu.be/") ||
	       strstr(u, "youtube.com/live/");
}

char *ext_url_at(const char *url, long at_s)
{
	size_t n = strlen(url);
	char *out = xmalloc(3 * n + 32);
	size_t k = 0;
	static const char hex[] = "0123456789ABCDEF";
	int yt = at_s >= 0 && is_youtube(url);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)url[i];
		/* drop an existing t= parameter of a YouTube URL */
		if (yt && (c == '?' || c == '&') && url[i + 1] == 't' && url[i + 2] == '=') {
			size_t j = i + 3;
			while (url[j] && url[j] != '&' && url[j] != '#')
				j++;
			if (c == '?' && url[j] == '&') {
				out[k++] = '?';
				j++;
			}
			i = j - 1;
			continue;
		}
		if (c <= 0x20 || c >= 0x7f || strchr("\"<>\\^`{|}", c)) {
			out[k++] = '%';
			out[k++] = hex[c >> 4];
			out[k++] = hex[c & 15];
		} else {
			out[k++] = (char)c;
		}
	}
	out[k] = 0;
	if (yt)
		k += (size_t)sprintf(out + k, "%st=%lds", strchr(out, '?') ? "&" : "?", at_s);
	return out;
}

static int have_display(void)
{
	const char *d = getenv("DISPLAY"), *w = getenv("WAYLAND_DISPLAY");
	return (d && *d) || (w && *w);
}

/* The status line shows the URL; an OSC 8 link over the same text. */
static void show_link(const char *prefix, const char *url, int err)
{
	int room = COLS - (int)strlen(prefix) - 1;
	if (room < 8)
		return;
	char shown[4096];
	snprintf(shown, sizeof shown, "%.*s", room < (int)sizeof shown - 1 ? room : (int)sizeof shown - 1, url);
	if (err)
		app_error("%s%s", prefix, shown);
	else
		app_status("%s%s", prefix, shown);
	if (!osc_ok())
		return;
	size_t cap = strlen(url) + strlen(shown) + 64;
	char *seq = xmalloc(cap);
	int k = snprintf(seq, cap, "\0337\033[%d;%dH\033]8;;%s\033\\%s\033]8;;\033\\\0338",
	                 LINES, (int)strlen(prefix) + 1, url, shown);
	screen_raw(seq, (size_t)k);
	free(seq);
}

/* The opener's end, reported by its watcher through a pipe. */
struct opening {
	int fd;
	pid_t pid;
	char *url;
};

static void opener_done(void *ctx, int fd, int revents)
{
	struct opening *o = ctx;
	(void)revents;
	char buf[64];
	ssize_t n = read(fd, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	app_unwatch_fd(fd);
	close(fd);
	while (waitpid(o->pid, NULL, 0) < 0 && errno == EINTR)
		;
	/* "S status" when it ran, "E errno" when it could not start */
	int code = 0;
	char why[160];
	if (buf[0] == 'S' && sscanf(buf + 1, "%d", &code) == 1 && code == 0) {
		show_link("opened ", o->url, 0);
	} else {
		if (buf[0] == 'E' && sscanf(buf + 1, "%d", &code) == 1)
			snprintf(why, sizeof why, "not opened: xdg-open %s; link ",
			         code == ENOENT ? "is not installed" : strerror(code));
		else if (buf[0] == 'S')
			snprintf(why, sizeof why, "not opened: xdg-open failed (status %d); link ", code);
		else
			snprintf(why, sizeof why, "not opened: xdg-open ended without a word; link ");
		show_link(why, o->url, 1);   /* still a link the terminal may open */
	}
	free(o->url);
	free(o);
}

void ext_open_url(const char *url)
{
	int web = !strncmp(url, "https://", 8) || !strncmp(url, "http://", 7);
	int pfd[2];
	if (!web || !have_display() || pipe(pfd) != 0) {
		show_link("link ", url, 0);
		return;
	}
	/* A watcher process starts xdg-open, waits for it and writes how it
	 * went to the pipe; the loop reads that (never waits for a browser),
	 * so "opened" is said only when the opener exists and succeeded. */
	pid_t pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		setsid();
		int fd = open("/dev/null", O_RDWR);
		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
		char msg[32];
		pid_t child;
		char *argv[] = { "xdg-open", (char *)url, NULL };
		int e = posix_spawnp(&child, "xdg-open", NULL, NULL, argv, environ);
		int st = 0;
		if (e == 0)
			while (waitpid(child, &st, 0) < 0 && errno == EINTR)
				;
		int n = e ? snprintf(msg, sizeof msg, "E %d", e)
		          : snprintf(msg, sizeof msg, "S %d", WIFEXITED(st) ? WEXITSTATUS(st) : 128);
		if (write(pfd[1], msg, (size_t)n) < 0)
			_exit(1);
		_exit(0);
	}
	close(pfd[1]);
	if (pid < 0) {
		close(pfd[0]);
		app_error("cannot open the URL: %s", strerror(errno));
		return;
	}
	fcntl(pfd[0], F_SETFD, FD_CLOEXEC);
	struct opening *o = xmalloc(sizeof *o);
	o->fd = pfd[0];
	o->pid = pid;
	o->url = xstrdup(url);
	if (app_watch_fd(pfd[0], POLLIN, opener_done, o) != 0) {
		close(pfd[0]);
		free(o->url);
		free(o);
		return;
	}
	app_status("opening with xdg-open…");
}

int ext_edit(const char *text, size_t len, char **out, size_t *outlen)
{
	const char *tmp = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/precis-summary-XXXXXX.md", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemps(path, 3);
	if (fd < 0) {
		app_error("edit: cannot make a temporary file: %s", strerror(errno));
		return -1;
	}
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);
		if (w <= 0) {
			close(fd);
			unlink(path);
			app_error("edit: cannot write %s", path);
			return -1;
		}
		off += (size_t)w;
	}
	close(fd);
	const char *ed = getenv("VISUAL");
	if (!ed || !*ed)
		ed = getenv("EDITOR");
	if (!ed || !*ed)
		ed = "vi";
	screen_suspend();
	pid_t pid = fork();
	if (pid == 0) {
		char cmd[4200];
		snprintf(cmd, sizeof cmd, "%s \"$1\"", ed);
		execl("/bin/sh", "sh", "-c", cmd, "sh", path, (char *)NULL);
		_exit(127);
	}
	int st = -1;
	if (pid > 0)
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
	screen_resume();
	if (pid < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		unlink(path);
		app_error("edit: the editor '%s' failed (status %d); nothing saved", ed,
		          pid > 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		return -1;
	}
	FILE *f = fopen(path, "rb");
	struct stat sb;
	if (!f || fstat(fileno(f), &sb) != 0) {
		if (f)
			fclose(f);
		unlink(path);
		app_error("edit: cannot read back %s", path);
		return -1;
	}
	/* refused before it is read: an editor that wrote 100 MB must not
	 * cost 100 MB (or block the app) */
	if (sb.st_size > EDIT_MAX) {
		fclose(f);
		unlink(path);
		app_error("edit: the edited summary is %.1f MB, more than a summary may be (%d KB); "
		          "nothing saved", sb.st_size / 1e6, EDIT_MAX / 1024);
		return -1;
	}
	size_t cap = (size_t)sb.st_size + 4096, n = 0;
	char *buf = xmalloc(cap + 1);
	size_t r;
	while (n <= EDIT_MAX && (r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
		}
	}
	fclose(f);
	unlink(path);
	if (n > EDIT_MAX) {
		/* it grew while being read */
		free(buf);
		app_error("edit: the edited summary is more than a summary may be (%d KB); nothing saved",
		          EDIT_MAX / 1024);
		return -1;
	}
	buf[n] = 0;
	*out = buf;
	*outlen = n;
	return 0;
}
