/* llm_conf.h — the LLM client's settings from the config file's [llm]
 * section (and [llm.MODEL] sections for one model), the environment and
 * the command line, strongest last: file < environment < flags.
 *
 *     [llm]
 *     base_url = https://api.deepseek.com/v1
 *     model = deepseek-chat
 *     api_key_env = DEEPSEEK_API_KEY     ; or api_key = … (file mode 600)
 *     context = 65536
 *     [llm.qwen3:8b]                     ; used when the model is qwen3:8b
 *     context = 32768
 *
 * Environment: PRECIS_API_BASE, PRECIS_MODEL, PRECIS_API_KEY (else the
 * file's key, else the variable api_key_env names, else OPENAI_API_KEY).
 */
#ifndef PRECIS_TUI_LLM_CONF_H
#define PRECIS_TUI_LLM_CONF_H

#include <stddef.h>

#include "net/llm.h"

struct cfg;

/* Settings given on the command line (NULL/0: not given). */
struct llm_flags {
	const char *api_base, *model, *prompt;
	int parallel;
	long context;
};

/* Fills out from c (may be NULL: no file), the environment and f (may be
 * NULL). Problems with values go to c's messages (cfg_messages); a file
 * that holds a key and is readable by others gets one too. Marks the keys
 * of [llm] and every [llm.*] section used, and reports unknown ones. */
void llm_conf_load(struct cfg *c, const struct llm_flags *f, struct llm_config *out);

/* 1 when an endpoint and a model are set; else 0 with one line in msg
 * saying how to set them. */
int llm_conf_ready(const struct llm_config *lc, char *msg, size_t n);

#endif
