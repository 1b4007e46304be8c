/* cmd_mermaid.c — `precis mermaid` (placeholder until render lands). */
#include "tui/cli.h"

int cmd_mermaid(struct cli *c, int argc, char **argv) { return cli_error("mermaid: not built yet"); }
