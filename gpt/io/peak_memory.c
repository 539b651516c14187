#include "gpt/io/peak_memory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double peak_resident_mb(void) {
    FILE *file = fopen("/proc/self/status", "r");
    if (file == NULL) return 0.0;
    char line[256];
    double kb = 0.0;
    while (fgets(line, sizeof line, file) != NULL)
        if (strncmp(line, "VmHWM:", 6) == 0) kb = strtod(line + 6, NULL);
    fclose(file);
    return kb / 1024.0;
}
