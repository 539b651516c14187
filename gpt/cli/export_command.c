// gpt export: a checkpoint as a Hugging Face-style folder.
#include <stdio.h>

#include "gpt/cli/commands.h"
#include "gpt/export.h"

int export_command(int argc, char **argv) {
    const char *ckpt = NULL, *out = NULL;
    Option options[] = {
        {"ckpt", OPTION_STRING, &ckpt, "the language model to export (required)", 0},
        {"out", OPTION_STRING, &out, "the folder to write (made when missing; required)", 0},
        {NULL, OPTION_FLAG, NULL, NULL, 0},
    };
    Command command = {"export",
                       "Writes a checkpoint as a Hugging Face-style folder: model.safetensors (OpenAIGPTModel's\n"
                       "parameter names), config.json, and the tokenizer (vocab.json and merges.txt for GPT-1's).\n"
                       "gpt import reads it back, weights bit for bit.",
                       "export --ckpt CKPT --out DIR", options};
    parse_options(&command, argc, argv);
    if (ckpt == NULL || out == NULL) usage_error(&command, "--ckpt and --out are required");
    Tokenizer tokenizer;
    Gpt *model = load_checkpoint_or_exit(&command, ckpt, &tokenizer, NULL);
    char error[512];
    bool ok = gpt_export(out, model, &tokenizer, error, sizeof error);
    gpt_free(model);
    tokenizer_free(&tokenizer);
    if (!ok) runtime_error("%s", error);
    fprintf(stderr, "exported %s to %s\n", ckpt, out);
    return 0;
}
