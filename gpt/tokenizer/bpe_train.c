// BPE training with incremental pair counts.
//
// The text is cut into pre-tokens and each distinct pre-token becomes a Word: its
// symbols (bytes at first, the last one marked as ending the word) and how often it
// occurs. A Pair is two adjacent symbols; its count is the number of times it occurs
// in the whole text (sum over words of occurrences x word count), and it keeps a list
// of the words it occurs in. The pair to merge next comes from a max-heap.
//
// Merging the best pair (a, b) into a new token t touches only the words on the list
// of (a, b): each one's pairs are subtracted from the counts, (a, b) is replaced by t
// in its symbols, and its pairs are added back. New pairs (those containing t) link
// the word into their lists. Lists are never pruned: a word that no longer holds the
// pair is skipped when visited.
//
// The heap is lazy. A pair's `queued` is the count of its most recent heap entry.
// When a count rises above it, a new entry is pushed; when it falls, nothing happens
// until that (now too high) entry reaches the top, is seen to be stale and is pushed
// again with the true count. So the top entry whose count is up to date is the best
// pair: every other pair has an entry at least as high as its true count.
//
// Ties: among pairs with the same count the one with the smaller left id wins, then
// the smaller right id (docs/bpe.md). Hash table order never matters.

// isatty and fileno (for the progress line) are POSIX.
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gpt/tokenizer/bpe_internal.h"

enum { DEFAULT_MIN_PAIR_COUNT = 2, DEFAULT_PROGRESS_EVERY = 1000 };

typedef struct Word {
    size_t start;        // its symbols are symbols[start .. start + length)
    int length;
    int last_merge;      // the merge that last updated it: a word is updated once per merge
    int64_t count;       // how often the pre-token occurs in the text
} Word;

typedef struct Pair {
    int left, right;     // token ids
    int64_t count;
    int64_t queued;      // the count of its newest heap entry; 0: none in the heap
    int first_link;      // its list of words, newest first; -1: empty
} Pair;

typedef struct WordLink {
    int word;
    int next;            // the next link of the same pair, -1 at the end
} WordLink;

typedef struct HeapEntry {
    int64_t count;
    int pair;
} HeapEntry;

typedef struct Trainer {
    Word *words;
    int n_words;
    int *symbols;
    PairMap pair_index;  // (left, right) -> index into pairs
    Pair *pairs;
    size_t n_pairs, pairs_capacity;
    WordLink *links;
    size_t n_links, links_capacity;
    HeapEntry *heap;
    size_t heap_size, heap_capacity;
    Bpe *bpe;            // the vocabulary being built
} Trainer;

// ---------------------------------------------------------------------------------
// The heap: highest count first, ties to the smaller (left, right).

static bool comes_first(const Trainer *t, HeapEntry x, HeapEntry y) {
    if (x.count != y.count) return x.count > y.count;
    const Pair *px = &t->pairs[x.pair], *py = &t->pairs[y.pair];
    return px->left != py->left ? px->left < py->left : px->right < py->right;
}

static bool heap_push(Trainer *t, int pair) {
    HeapEntry *heap = bpe_grow(t->heap, &t->heap_capacity, t->heap_size + 1, sizeof *heap);
    if (heap == NULL) return false;
    t->heap = heap;
    HeapEntry entry = {.count = t->pairs[pair].count, .pair = pair};
    t->pairs[pair].queued = entry.count;
    size_t i = t->heap_size++;
    while (i > 0 && comes_first(t, entry, heap[(i - 1) / 2])) {
        heap[i] = heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    heap[i] = entry;
    return true;
}

static HeapEntry heap_pop(Trainer *t) {
    HeapEntry *heap = t->heap, top = heap[0], last = heap[--t->heap_size];
    size_t i = 0, n = t->heap_size;
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && comes_first(t, heap[child + 1], heap[child])) child++;
        if (!comes_first(t, heap[child], last)) break;
        heap[i] = heap[child];
        i = child;
    }
    if (n > 0) heap[i] = last;
    return top;
}

// The pair to merge next, or -1 when none occurs min_count times. The heap stays valid.
static int pop_best_pair(Trainer *t, int64_t min_count, bool *out_of_memory) {
    while (t->heap_size > 0) {
        HeapEntry top = heap_pop(t);
        Pair *pair = &t->pairs[top.pair];
        if (top.count == pair->count) {
            pair->queued = 0;
            return top.count >= min_count ? top.pair : -1;
        }
        if (top.count != pair->queued) continue;  // an older entry; the newest is still queued
        pair->queued = 0;
        if (pair->count > 0 && !heap_push(t, top.pair)) {
            *out_of_memory = true;
            return -1;
        }
    }
    return -1;
}

// ---------------------------------------------------------------------------------
// Pairs and their word lists

// The index of pair (left, right), made with count 0 when new; -1: out of memory.
static int find_or_add_pair(Trainer *t, int left, int right) {
    int index = pair_map_get(&t->pair_index, left, right);
    if (index >= 0) return index;
    Pair *pairs = bpe_grow(t->pairs, &t->pairs_capacity, t->n_pairs + 1, sizeof *pairs);
    if (pairs == NULL || t->n_pairs >= INT32_MAX) return -1;
    t->pairs = pairs;
    index = (int)t->n_pairs;
    if (!pair_map_put(&t->pair_index, left, right, index)) return -1;
    pairs[t->n_pairs++] = (Pair){.left = left, .right = right, .count = 0, .queued = 0, .first_link = -1};
    return index;
}

// Puts the word on the pair's list, unless it was the last one put there.
static bool link_word(Trainer *t, int pair, int word) {
    int head = t->pairs[pair].first_link;
    if (head >= 0 && t->links[head].word == word) return true;
    WordLink *links = bpe_grow(t->links, &t->links_capacity, t->n_links + 1, sizeof *links);
    if (links == NULL || t->n_links >= INT32_MAX) return false;
    t->links = links;
    links[t->n_links] = (WordLink){.word = word, .next = head};
    t->pairs[pair].first_link = (int)t->n_links++;
    return true;
}

// The first count: every pair of every word, each word on the list of each of its pairs.
static bool count_initial_pairs(Trainer *t) {
    for (int w = 0; w < t->n_words; w++) {
        const Word *word = &t->words[w];
        const int *s = t->symbols + word->start;
        for (int i = 0; i + 1 < word->length; i++) {
            int pair = find_or_add_pair(t, s[i], s[i + 1]);
            if (pair < 0 || !link_word(t, pair, w)) return false;
            t->pairs[pair].count += word->count;
        }
    }
    for (size_t p = 0; p < t->n_pairs; p++)
        if (!heap_push(t, (int)p)) return false;
    return true;
}

// ---------------------------------------------------------------------------------
// One merge

static void subtract_word_pairs(Trainer *t, int w) {
    const Word *word = &t->words[w];
    const int *s = t->symbols + word->start;
    for (int i = 0; i + 1 < word->length; i++)
        t->pairs[pair_map_get(&t->pair_index, s[i], s[i + 1])].count -= word->count;
}

// Adds the word's pairs back after a merge made token `merged` in it. Pairs holding
// `merged` are new to the word, so it joins their lists; a count that rose above its
// queued entry gets a new one.
static bool add_word_pairs(Trainer *t, int w, int merged) {
    const Word *word = &t->words[w];
    const int *s = t->symbols + word->start;
    for (int i = 0; i + 1 < word->length; i++) {
        int pair = find_or_add_pair(t, s[i], s[i + 1]);
        if (pair < 0) return false;
        if ((s[i] == merged || s[i + 1] == merged) && !link_word(t, pair, w)) return false;
        t->pairs[pair].count += word->count;
        if (t->pairs[pair].count > t->pairs[pair].queued && !heap_push(t, pair)) return false;
    }
    return true;
}

static bool word_holds_pair(const Trainer *t, const Word *word, int left, int right) {
    const int *s = t->symbols + word->start;
    for (int i = 0; i + 1 < word->length; i++)
        if (s[i] == left && s[i + 1] == right) return true;
    return false;
}

// Merge number `merge`: pair (left, right) becomes token `merged` in every word.
static bool apply_merge(Trainer *t, int pair, int merged, int merge) {
    int left = t->pairs[pair].left, right = t->pairs[pair].right;
    for (int link = t->pairs[pair].first_link; link >= 0; link = t->links[link].next) {
        int w = t->links[link].word;
        Word *word = &t->words[w];
        if (word->last_merge == merge || !word_holds_pair(t, word, left, right)) continue;
        word->last_merge = merge;
        subtract_word_pairs(t, w);
        word->length = bpe_merge_symbols(t->symbols + word->start, word->length, left, right, merged);
        if (!add_word_pairs(t, w, merged)) return false;
    }
    return true;
}

// ---------------------------------------------------------------------------------
// Counting the pre-tokens

// Counts each distinct pre-token once: `distinct` maps its bytes to an index, and
// (*counts)[index] is how often it occurs.
static bool count_pretokens(const char *text, size_t len, bool lowercase, WordMap *distinct, int64_t **counts) {
    size_t capacity = 0;
    unsigned char piece[BPE_MAX_PRETOKEN_BYTES];
    for (size_t at = 0, n; at < len; at += n) {
        n = bpe_pretoken_length(text, len, at);
        bpe_copy_pretoken(text, at, n, lowercase, piece);
        bool added;
        int index = word_map_find_or_add(distinct, piece, (int)n, &added);
        if (index < 0) return false;
        int64_t *grown = bpe_grow(*counts, &capacity, (size_t)index + 1, sizeof *grown);
        if (grown == NULL) return false;
        *counts = grown;
        grown[index] = added ? 1 : grown[index] + 1;
    }
    return true;
}

// One Word per distinct pre-token: its count, and its bytes as symbols, the last one
// marked as ending the word (</w>). Word w's symbols sit where its bytes sit in `distinct`.
static bool make_words(Trainer *t, const WordMap *distinct, const int64_t *counts) {
    t->n_words = (int)distinct->count;
    t->words = malloc((distinct->count + 1) * sizeof *t->words);
    t->symbols = malloc((distinct->bytes_used + 1) * sizeof *t->symbols);
    if (t->words == NULL || t->symbols == NULL) return false;
    for (int w = 0; w < t->n_words; w++) {
        const unsigned char *bytes = distinct->bytes + distinct->key_start[w];
        Word *word = &t->words[w];
        *word = (Word){.start = distinct->key_start[w], .length = distinct->key_length[w], .last_merge = -1,
                       .count = counts[w]};
        int *symbols = t->symbols + word->start;
        for (int i = 0; i < word->length; i++) symbols[i] = bytes[i];
        symbols[word->length - 1] += BPE_BYTE_TOKENS;
    }
    return true;
}

static bool collect_words(Trainer *t, const char *text, size_t len, bool lowercase) {
    WordMap distinct = {0};
    int64_t *counts = NULL;
    bool ok = count_pretokens(text, len, lowercase, &distinct, &counts) && make_words(t, &distinct, counts);
    word_map_free(&distinct);
    free(counts);
    return ok;
}

// ---------------------------------------------------------------------------------

static void trainer_free(Trainer *t) {
    free(t->words);
    free(t->symbols);
    pair_map_free(&t->pair_index);
    free(t->pairs);
    free(t->links);
    free(t->heap);
}

static void report(const BpeOptions *o, const Trainer *t, int n_merges, int64_t count, bool finished) {
    if (o->progress == NULL) return;
    int done = bpe_merge_count(t->bpe);
    BpeProgress progress = {.merges_done = done, .merges_wanted = n_merges, .pair_count = count,
                            .token_text = done > 0 ? bpe_token_text(t->bpe, bpe_vocab_size(t->bpe) - 1) : "",
                            .distinct_pretokens = t->n_words, .finished = finished};
    o->progress(&progress, o->progress_user);
}

// Learns merges until n_merges or until no pair is frequent enough. False: out of memory.
static bool learn_merges(Trainer *t, int n_merges, const BpeOptions *o) {
    int64_t min_count = o->min_pair_count > 0 ? o->min_pair_count : DEFAULT_MIN_PAIR_COUNT;
    int every = o->progress_every > 0 ? o->progress_every : DEFAULT_PROGRESS_EVERY;
    int64_t count = 0;
    char reason[BPE_ERROR_SIZE];
    for (int merge = 0; merge < n_merges; merge++) {
        bool out_of_memory = false;
        int pair = pop_best_pair(t, min_count, &out_of_memory);
        if (out_of_memory) return false;
        if (pair < 0) break;
        int left = t->pairs[pair].left, right = t->pairs[pair].right, merged = bpe_vocab_size(t->bpe);
        count = t->pairs[pair].count;
        // Training cannot break the vocabulary's rules, so only memory can fail here.
        if (!bpe_add_merge(t->bpe, left, right, reason, sizeof reason)) return false;
        if (!apply_merge(t, pair, merged, merge)) return false;
        if ((merge + 1) % every == 0 && merge + 1 < n_merges) report(o, t, n_merges, count, false);
    }
    report(o, t, n_merges, count, true);
    return true;
}

Bpe *bpe_train(const char *text, size_t len, int n_merges, const BpeOptions *options, BpeError *error) {
    BpeOptions defaults = {0};
    const BpeOptions *o = options ? options : &defaults;
    if (n_merges < 0 || n_merges > BPE_MAX_MERGES || (text == NULL && len > 0)) {
        bpe_set_error(error, "bpe_train: n_merges must be in 0..%d (got %d) and text non-NULL", BPE_MAX_MERGES,
                      n_merges);
        return NULL;
    }
    Trainer t = {0};
    t.bpe = bpe_new_base(o->lowercase);
    bool ok = t.bpe != NULL && collect_words(&t, text, len, o->lowercase) && count_initial_pairs(&t) &&
              learn_merges(&t, n_merges, o);
    trainer_free(&t);
    if (!ok) {
        bpe_set_error(error, "bpe_train: out of memory (text of %zu bytes)", len);
        bpe_free(t.bpe);
        return NULL;
    }
    return t.bpe;
}

// On a terminal the line is rewritten in place; into a file or a pipe only the final
// line is written, so a log holds no carriage returns.
void bpe_progress_to_stderr(const BpeProgress *p, void *user) {
    (void)user;
    bool tty = isatty(fileno(stderr));
    if (!tty && !p->finished) return;
    fprintf(stderr, "%sbpe: %d/%d merges, %d distinct pre-tokens, latest '%s' (pair seen %lld times)%s",
            tty ? "\r" : "", p->merges_done, p->merges_wanted, p->distinct_pretokens, p->token_text,
            (long long)p->pair_count, p->finished ? "\n" : "   ");
    fflush(stderr);
}
