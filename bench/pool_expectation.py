"""The expected score of a search-space configuration on the simulated model pool
(Tests/ArchonTestSupport/model_pool.py), computed exactly from the pool's stated rules rather than
sampled: the chance that the architecture's final answer is right on an item.

Decisions in the pool are hashes of (model, role, item, seed, prompt), so separate calls behave as
independent draws. Per layer the state is the distribution of how many of the n candidates are right:
  generators  each of the top-g models (in dev order) answers s times, right with its skill p
  ranker      (the top model) with probability p puts the right ones first, else a random order; the
              top k are kept — min(c, k) right, or a hypergeometric draw of k from (n, c)
  critic      changes no answer; the fusers after it read critiques (+0.1 when some candidate is right)
  fusers      fuser j (model j of the dev order) is right with probability
              c/n + (1 - c/n)·0.8·p_j (+0.1 with critiques), at most 0.98, or 0.2·p_j when c = 0
The final answer is the first remaining candidate (the first fuser's, or the first ranked).
"""
import re
from math import comb


def parse(summary):
    """(generators, samples, critic, ranker top_k or None, fusion layers, fusers) of a trial's summary."""
    g, s = map(int, re.match(r"(\d+) gen × (\d+)", summary).groups())
    rank = re.search(r"rank top_k=(\d+)", summary)
    fuse = re.search(r"fuse (\d+)×(\d+)", summary)
    layers, fusers = map(int, fuse.groups()) if fuse else (0, 0)
    return g, s, "critic" in summary, int(rank.group(1)) if rank else None, layers, fusers


def count_right(probabilities):
    """Distribution of the number of successes of independent draws."""
    dist = [1.0]
    for p in probabilities:
        dist = [(dist[c] if c < len(dist) else 0) * (1 - p) + (dist[c - 1] * p if c > 0 else 0) for c in range(len(dist) + 1)]
    return dist


def ranked(dist, n, k, p):
    """The kept top k: distribution of right ones and the chance the first is right."""
    k = min(k, n)
    kept = [0.0] * (k + 1)
    first = 0.0
    for c, w in enumerate(dist):
        kept[min(c, k)] += w * p
        for j in range(min(c, k) + 1):
            kept[j] += w * (1 - p) * comb(c, j) * comb(n - c, k - j) / comb(n, k)
        first += w * (p * (c > 0) + (1 - p) * c / n)
    return kept, k, first


def fused(c, n, p, critiques):
    if c == 0:
        return 0.2 * p
    return min(c / n + (1 - c / n) * 0.8 * p + (0.1 if critiques else 0), 0.98)


def expected_score(summary, skills):
    """`skills`: the models' probabilities in the search's dev order (best first)."""
    g, s, critic, k, layers, width = parse(summary)
    dist = count_right([p for p in skills[:g] for _ in range(s)])
    n = g * s
    if layers == 0:
        return ranked(dist, n, k, skills[0])[2] if k else skills[0]
    fusers = [skills[j % len(skills)] for j in range(width)]
    for layer in range(layers):
        if k:
            dist, n, _ = ranked(dist, n, k, skills[0])
        if layer == layers - 1:
            return sum(w * fused(c, n, fusers[0], critic) for c, w in enumerate(dist))
        out = [0.0] * (width + 1)
        for c, w in enumerate(dist):
            for j, v in enumerate(count_right([fused(c, n, p, critic) for p in fusers])):
                out[j] += w * v
        dist, n = out, width
