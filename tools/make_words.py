"""Write corepress/rules/words.txt: common Chinese words of 2–4 characters, from jieba's dictionary.

    pip install jieba && python tools/make_words.py

The join pass asks whether a column break cut a word in two (发|生率, 献|艺); the page
itself is the first dictionary, this list the second.  Source: the dictionary that
ships with jieba 0.42.1 (https://github.com/fxsjy/jieba, MIT licence), words of 2–4
ideographs with a frequency of at least MIN_FREQUENCY, one per line, sorted.
"""

from __future__ import annotations

import os
from pathlib import Path

import jieba
import regex

MIN_FREQUENCY = 20
TARGET = Path(__file__).resolve().parents[1] / "corepress" / "rules" / "words.txt"
HEADER = """\
# Common Chinese words of 2-4 ideographs (frequency >= {freq} in jieba's dictionary), one per line.
# Made by tools/make_words.py from the dictionary of jieba {version} (https://github.com/fxsjy/jieba),
# Copyright (c) 2013 Sun Junyi, MIT licence: the permission notice is in LICENSE-jieba.txt beside this file.
"""


def main() -> None:
    han = regex.compile(r"\p{Han}{2,4}")
    words = set()
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as fh:
        for line in fh:
            word, frequency, _ = line.split(" ")
            if han.fullmatch(word) and int(frequency) >= MIN_FREQUENCY:
                words.add(word)
    TARGET.write_text(HEADER.format(freq=MIN_FREQUENCY, version=jieba.__version__) + "\n".join(sorted(words)) + "\n",
                      encoding="utf-8")
    print(f"{len(words)} words -> {TARGET}")


if __name__ == "__main__":
    main()
