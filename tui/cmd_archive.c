/* cmd_archive.c — import, list, show, search (placeholder until db lands). */
#include "tui/cli.h"

int cmd_import(struct cli *c, int argc, char **argv) { return cli_error("import: not built yet"); }
int cmd_list(struct cli *c, int argc, char **argv) { return cli_error("list: not built yet"); }
int cmd_show(struct cli *c, int argc, char **argv) { return cli_error("show: not built yet"); }
int cmd_search(struct cli *c, int argc, char **argv) { return cli_error("search: not built yet"); }
int cmd_default(struct cli *c) { return cli_error("not built yet"); }
