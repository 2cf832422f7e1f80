"""Benchmark the misinformation content model: posts/s of ContentModel.score beside a floor.

Scores the 3,404 ReINTEL posts (../shared/data/reintel/train.csv, read in place) with the
shipped model in batches and one post at a time, on one thread. The floor, measured in the
same run over the same texts, is the least any bag-of-words scorer does: lower-case, split on
whitespace and look each word up in a dict of weights. Also prints the model's load time.

    python bench/misinfo.py [--batch 200] [--repeat 2]
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"  # one core: set before numpy and scikit-learn load

import argparse  # noqa: E402 (the thread limits must come first)
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402

from presswatch.classifiers.misinfo_model import ContentModel, PostInput  # noqa: E402
from presswatch.classifiers.reintel import read_reintel  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "reintel" / "train.csv"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=200, help="posts per score() call")
    parser.add_argument("--repeat", type=int, default=2, help="passes; the best is reported")
    args = parser.parse_args()
    if not DATA.is_file():
        print(f"ReINTEL data not found at {DATA}", file=sys.stderr)
        return 1
    started = time.perf_counter()
    model = ContentModel.load()
    print(f"model {model.version}: loaded in {time.perf_counter() - started:.2f} s")
    posts = [PostInput(p.text, p.published_at, p.likes, p.comments, p.shares)
             for p in read_reintel(DATA)]  # fmt: skip
    chars = sum(len(p.text) for p in posts)
    print(f"{len(posts)} posts, {chars / len(posts):.0f} characters on average")
    floor = best(args.repeat, lambda: floor_pass(posts))
    batched = best(args.repeat, lambda: batch_pass(model, posts, args.batch))
    single = best(args.repeat, lambda: single_pass(model, posts))
    report("floor (split + dict lookup)", len(posts), floor, floor)
    report(f"score(), batches of {args.batch}", len(posts), batched, floor)
    report("score(), one post per call", len(posts), single, floor)
    return 0


def best(repeat: int, run: Callable[[], None]) -> float:
    """The shortest wall time of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(max(repeat, 1)):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def floor_pass(posts: Sequence[PostInput]) -> None:
    weights = {w: float(len(w)) for p in posts[:500] for w in p.text.lower().split()}
    for post in posts:
        sum(weights.get(word, 0.0) for word in post.text.lower().split())


def batch_pass(model: ContentModel, posts: Sequence[PostInput], size: int) -> None:
    for start in range(0, len(posts), size):
        model.score(posts[start : start + size])


def single_pass(model: ContentModel, posts: Sequence[PostInput]) -> None:
    for post in posts:
        model.score([post])


def report(name: str, count: int, seconds: float, floor: float) -> None:
    print(f"{name:<32}{count / seconds:>10.0f} posts/s   {floor / seconds:>7.3f} × floor")


if __name__ == "__main__":
    sys.exit(main())
