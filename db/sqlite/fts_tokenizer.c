/* fts_tokenizer.c — the "precis" FTS5 tokenizer: db/tokenizer.c's
 * tok_scan (document mode for what is indexed, query mode for queries)
 * handed to FTS5. */
#include <sqlite3.h>

#include "db/search_int.h"
#include "db/sqlite/archive_int.h"

struct tok_cb {
	void *ctx;
	int (*x_token)(void *, int, const char *, int, int, int);
};

static int fts_emit(void *p, int colocated, const char *tok, int len, int start, int end)
{
	struct tok_cb *cb = p;
	return cb->x_token(cb->ctx, colocated ? FTS5_TOKEN_COLOCATED : 0, tok, len, start, end);
}

static int x_create(void *unused, const char **argv, int argc, Fts5Tokenizer **out)
{
	static int dummy;
	*out = (Fts5Tokenizer *)&dummy;
	return SQLITE_OK;
}

static void x_delete(Fts5Tokenizer *t) {}

static int x_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text,
                      int n, int (*x_token)(void *, int, const char *, int, int, int))
{
	struct tok_cb cb = { ctx, x_token };
	int query = (flags & FTS5_TOKENIZE_QUERY) != 0;
	int rc = tok_scan(text, n, query, fts_emit, &cb);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Returns the fts5_api of db, or NULL when FTS5 is missing. */
fts5_api *ar_fts5_api(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	return api;
}

int tok_register(sqlite3 *db)
{
	static fts5_tokenizer tok = { x_create, x_delete, x_tokenize };
	fts5_api *api = ar_fts5_api(db);
	if (!api)
		return SQLITE_ERROR;
	return api->xCreateTokenizer(api, "precis", NULL, &tok, NULL);
}
