"""GPT-1's tokenizer in Python, for checking gpt1.c's (gpt/tokenizer/gpt1_*.c).

text_standardize and bpe are the release's own code (openai/finetune-transformer-lm,
text_utils.py), copied with only the cache made local. The release then ran ftfy and
spaCy; neither is installed here, so fix_text_subset and split_words stand in for them
with the rules gpt1.c documents (gpt/tokenizer/gpt1_text.c, gpt1_words.c), written again
here with regular expressions, independently of the C code.

    import gpt1_tokenizer
    tok = gpt1_tokenizer.Gpt1Tokenizer("../shared/data/gpt1")
    tok.encode("the president is")   # [481, 4735, 544]

A development tool only: the C tests never need Python.
"""

import json
import os
import re


def text_standardize(text):
    """The release's text_utils.text_standardize, verbatim."""
    text = text.replace('—', '-')
    text = text.replace('–', '-')
    text = text.replace('―', '-')
    text = text.replace('…', '...')
    text = text.replace('´', "'")
    text = re.sub(r'''(-+|~+|!+|"+|;+|\?+|\++|,+|\)+|\(+|\\+|\/+|\*+|\[+|\]+|}+|{+|\|+|_+)''', r' \1 ', text)
    text = re.sub(r'\s*\n\s*', ' \n ', text)
    text = re.sub(r'[^\S\n]+', ' ', text)
    return text.strip()


CONTROL = re.compile('[\x00-\x08\x0b\x0e-\x1f\x7f\u206a-\u206f\ufeff\ufff9-\ufffb\U0001d173-\U0001d17a'
                     '\U000e0000-\U000e007f]')
LIGATURES = {'\ufb00': 'ff', '\ufb01': 'fi', '\ufb02': 'fl', '\ufb03': 'ffi', '\ufb04': 'ffl', '\ufb05': 'st',
             '\ufb06': 'st'}


def fix_text_subset(text):
    """What gpt1.c takes of ftfy.fix_text: line breaks, quotes, ligatures, fullwidth
    characters, invisible control characters."""
    text = CONTROL.sub('', text)
    text = re.sub('\r\n|[\r\x85\u2028\u2029]', '\n', text)
    text = re.sub('[\u2018-\u201b]', "'", text)
    text = re.sub('[\u201c-\u201f]', '"', text)
    text = ''.join(LIGATURES.get(c, c) for c in text)
    text = re.sub('[\uff01-\uff5e]', lambda m: chr(ord(m.group()) - 0xff01 + 0x21), text)
    return text.replace('\u3000', ' ')


SPECIAL = {"'s", "'m", "'d", "'re", "'ve", "'ll", "n't", "'em", "'cause", "'bout", "'til",
           "o'clock", "c'mon", "y'all", "ma'am",
           "mr.", "mrs.", "ms.", "dr.", "st.", "jr.", "sr.", "mt.", "vs.", "inc.", "ltd.", "co.", "corp.",
           "prof.", "gen.", "gov.", "sen.", "rep.", "rev.", "sgt.", "capt.", "lt.", "col.", "ph.d.",
           "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.", "oct.", "nov.", "dec."}
TWO_WORDS = {"gonna": 3, "gotta": 3, "wanna": 3, "cannot": 3}
PUNCT_BLOCKS = re.compile('[\x00-\xbf\xd7\xf7\u2000-\u2bff\u3000-\u303f\uff01-\uff0f\U0001f000-\U0001faff'
                          '\ufffd\ue000-\uf8ff]')


def is_alnum(c):
    if c < '\x80':
        return c.isascii() and c.isalnum()
    return not PUNCT_BLOCKS.fullmatch(c) and not c.isspace()


def is_special(s):
    low = s.lower() if s.isascii() else s
    return low in SPECIAL or low in TWO_WORDS or re.fullmatch(r'(?:[A-Za-z]\.)+', s) is not None


def prefix_length(s):
    c = s[0]
    if is_alnum(c):
        return 0
    if c in '.-':
        run = len(s) - len(s.lstrip(c))
        return run
    if c in "'`" and s[:2] == c * 2:
        return 2
    return 1


def suffix_length(s):
    for contraction in ("n't", "'s", "'m", "'d", "'re", "'ve", "'ll"):
        n = len(contraction)
        after_word = len(s) > n and (contraction == "'s" or (is_alnum(s[-n - 1]) and not s[-n - 1].isdigit()))
        if after_word and s[-n:].lower() == contraction:
            return n
    c = s[-1]
    if is_alnum(c):
        return 0
    if c == '.':
        return len(s) - len(s.rstrip('.'))
    if s.endswith("''"):
        return 2
    if re.search(r"[A-Za-z]in'$", s):
        return 0
    return 1


def split_core(s):
    """Infixes: '..' runs; : < > = between a letter or digit and a letter."""
    pattern = r"\.\.+|(?<=[^\W_])[:<>=](?=[A-Za-z\x80-\U0010ffff])"
    pieces, at = [], 0
    for m in re.finditer(pattern, s):
        if m.group().startswith('..') and m.start() == 0:
            continue
        if m.group() in ':<>=' and not is_alnum(s[m.start() - 1]):
            continue
        pieces += [s[at:m.start()], m.group()]
        at = m.end()
    pieces.append(s[at:])
    return [p for p in pieces if p]


def split_item(s):
    words, suffixes = [], []
    while s:
        if is_special(s):
            break
        p, q = prefix_length(s), suffix_length(s)
        if p and is_special(s[p:]):
            words.append(s[:p])
            s = s[p:]
            continue
        if q and is_special(s[:-q]):
            suffixes.append(s[-q:])
            s = s[:-q]
            continue
        if not p and not q:
            break
        if p:
            words.append(s[:p])
            s = s[p:]
        if q and q <= len(s):
            suffixes.append(s[-q:])
            s = s[:-q]
    if s:
        low = s.lower()
        if low in TWO_WORDS:
            words += [s[:TWO_WORDS[low]], s[TWO_WORDS[low]:]]
        elif is_special(s):
            words.append(s)
        else:
            words += split_core(s)
    return words + suffixes[::-1]


def split_words(clean):
    words = []
    for item in clean.split(' '):
        if item == '\n':
            words.append(item)
        elif item:
            words += split_item(item)
    return words


LOWERED = re.compile('[\x00-\xff\u0100-\u017f\u0391-\u03ab\u0400-\u042f]')


def lower(word):
    """Python's lower, restricted to the alphabets gpt1.c lower-cases (İ becomes i)."""
    return ''.join('i' if c == '\u0130' else c.lower() if LOWERED.fullmatch(c) else c for c in word)


def get_pairs(word):
    pairs = set()
    prev_char = word[0]
    for char in word[1:]:
        pairs.add((prev_char, char))
        prev_char = char
    return pairs


class Gpt1Tokenizer:
    """From a folder (the release's file names, or Hugging Face's), or from the two texts."""

    def __init__(self, folder=None, encoder_text=None, merges_text=None):
        if folder is not None:
            names = ("encoder_bpe_40000.json", "vocab_40000.bpe")
            if not os.path.exists(os.path.join(folder, names[0])):
                names = ("vocab.json", "merges.txt")
            encoder_text = open(os.path.join(folder, names[0]), encoding="utf-8").read()
            merges_text = open(os.path.join(folder, names[1]), encoding="utf-8").read()
        self.encoder = json.loads(encoder_text)
        self.decoder = {v: k for k, v in self.encoder.items()}
        merges = merges_text.split('\n')[1:-1]
        merges = [tuple(merge.split()) for merge in merges]
        self.bpe_ranks = dict(zip(merges, range(len(merges))))
        self.cache = {}

    def bpe(self, token):
        """The release's TextEncoder.bpe, verbatim but for the cache."""
        word = tuple(token[:-1]) + (token[-1] + '</w>',)
        if token in self.cache:
            return self.cache[token]
        pairs = get_pairs(word)
        if not pairs:
            return token + '</w>'
        while True:
            bigram = min(pairs, key=lambda pair: self.bpe_ranks.get(pair, float('inf')))
            if bigram not in self.bpe_ranks:
                break
            first, second = bigram
            new_word = []
            i = 0
            while i < len(word):
                try:
                    j = word.index(first, i)
                    new_word.extend(word[i:j])
                    i = j
                except ValueError:
                    new_word.extend(word[i:])
                    break
                if word[i] == first and i < len(word) - 1 and word[i + 1] == second:
                    new_word.append(first + second)
                    i += 2
                else:
                    new_word.append(word[i])
                    i += 1
            new_word = tuple(new_word)
            word = new_word
            if len(word) == 1:
                break
            else:
                pairs = get_pairs(word)
        word = ' '.join(word)
        if word == '\n  </w>':
            word = '\n</w>'
        self.cache[token] = word
        return word

    def words(self, text):
        return split_words(text_standardize(fix_text_subset(text)))

    def encode(self, text):
        ids = []
        for word in self.words(text):
            ids.extend([self.encoder.get(t, 0) for t in self.bpe(lower(word)).split(' ')])
        return ids

    def tokens(self, ids):
        return [self.decoder[i] for i in ids]
