#include "tests/helpers.h"
Suite *hostile_cli_suite(void) { return suite_create("hostile_cli"); }
