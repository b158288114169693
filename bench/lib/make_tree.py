#!/usr/bin/env python3
"""make_tree.py DIR FILES SEED MIN MAX: the tree scenario's source, the same bytes for the same arguments.

FILES files whose sizes are log-uniform in [MIN, MAX] bytes, in nested folders (0 to 3 levels below DIR,
names from a small set so folders are shared), each file's content SHAKE-256 of (seed, index): incompressible
and reproducible. Prints the total size in bytes. Everything comes from random.Random(SEED), whose sequence
Python keeps stable across versions.
"""
import hashlib
import math
import os
import random
import sys


def main():
    root, files, seed, lo, hi = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    if files < 1 or lo < 1 or hi < lo:
        sys.exit("make_tree: need FILES >= 1 and 1 <= MIN <= MAX")
    rnd = random.Random(seed)
    total = 0
    for i in range(files):
        depth = rnd.randrange(4)
        parts = ["d%d%d" % (level, rnd.randrange(6)) for level in range(depth)]
        size = int(round(math.exp(rnd.uniform(math.log(lo), math.log(hi)))))
        folder = os.path.join(root, *parts)
        os.makedirs(folder, exist_ok=True)
        data = hashlib.shake_256(b"mpft-bench-tree:%d:%d" % (seed, i)).digest(size)
        with open(os.path.join(folder, "f%04d.bin" % i), "wb") as f:
            f.write(data)
        total += size
    print(total)


if __name__ == "__main__":
    main()
