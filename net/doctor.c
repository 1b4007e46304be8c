/* doctor.c — blocking checks of an endpoint for `precis doctor`: the
 * model list and one tiny completion (net/llm.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "net/http.h"
#include "net/llm.h"
#include "net/util.h"

int llm_list_models(const struct llm_config *cfg, char ***ids, size_t *n,
                    char *err, size_t errlen)
{
	*ids = NULL;
	*n = 0;
	struct http_req r;
	if (http_req_init(&r, cfg, "/models", NULL, 0, err, errlen) != 0)
		return -1;
	long total = cfg->idle_timeout_s > 0 ? cfg->idle_timeout_s : 60;
	CURLcode rc = http_perform(&r, total);
	if (rc != CURLE_OK || r.status != 200) {
		struct http_result res;
		http_classify(&r, rc, &res);
		if (rc == CURLE_OPERATION_TIMEDOUT && r.status == 0)
			snprintf(res.reason, sizeof res.reason, "no answer to GET /models within %ld s", total);
		snprintf(err, errlen, "%s", res.reason);
		http_req_free(&r);
		return -1;
	}
	json_error_t je;
	json_t *root = json_loadb(r.raw.p ? r.raw.p : "", r.raw.len, 0, &je);
	json_t *data = json_is_object(root) ? json_object_get(root, "data") : NULL;
	if (!json_is_array(data)) {
		snprintf(err, errlen, "GET /models did not answer with a model list (is [llm] base_url "
		         "an OpenAI-compatible /v1 endpoint?)");
		json_decref(root);
		http_req_free(&r);
		return -1;
	}
	size_t cap = 0;
	for (size_t i = 0; i < json_array_size(data); i++) {
		json_t *id = json_object_get(json_array_get(data, i), "id");
		if (!json_is_string(id))
			continue;
		xgrow(ids, &cap, *n + 1, sizeof **ids);
		(*ids)[(*n)++] = xstrdup(json_string_value(id));
	}
	json_decref(root);
	http_req_free(&r);
	return 0;
}

int llm_ping(const struct llm_config *cfg, char *reply, size_t replylen,
             long *ms, int *choices, char *err, size_t errlen)
{
	if (choices)
		*choices = 0;
	/* Reasoning models think before they answer: leave them room. */
	struct chat_req cr = {
		.model = cfg->model, .user = "Reply with the single word: ok", .stream = cfg->stream,
		.stream_usage = cfg->stream_usage, .max_tokens = 512, .max_param = cfg->max_param,
		.send_temperature = cfg->send_temperature, .temperature = cfg->temperature,
		.extra_body = cfg->extra_body[0] ? cfg->extra_body : NULL,
	};
	char *body = chat_request_json(&cr, err, errlen);
	if (!body)
		return -1;
	struct http_req r;
	if (http_req_init(&r, cfg, "/chat/completions", body, cfg->stream, err, errlen) != 0) {
		free(body);
		return -1;
	}
	free(body);
	r.ans.cap = chat_answer_cap(cr.max_tokens);
	long total = cfg->idle_timeout_s > 0 ? cfg->idle_timeout_s : 120;
	int64_t t0 = net_now_ms();
	CURLcode rc = http_perform(&r, total);
	*ms = (long)(net_now_ms() - t0);
	struct http_result res;
	http_classify(&r, rc, &res);
	if (rc == CURLE_OPERATION_TIMEDOUT && r.status != 0)
		snprintf(res.reason, sizeof res.reason, "no complete answer within %ld s (idle_timeout)", total);
	if (res.outcome != HO_OK) {
		snprintf(err, errlen, "%s", res.reason);
		http_req_free(&r);
		return -1;
	}
	if (choices)
		*choices = r.ans.choices;
	const struct buf *t = &r.ans.text.out;
	if (!t->len) {
		snprintf(err, errlen, r.ans.reasoning_bytes ? "the model only reasoned and gave no answer "
		         "within 512 tokens" : "the model returned an empty answer");
		http_req_free(&r);
		return -1;
	}
	size_t k = t->len < replylen - 1 ? t->len : replylen - 1;
	k = net_utf8_trim(t->p, k);
	memcpy(reply, t->p, k);
	reply[k] = 0;
	http_req_free(&r);
	return 0;
}
