#!/usr/bin/env python3
"""Recompute `paddock analyze --json`'s figures from simtrace CSVs, plainly, with Python's csv module.

Usage: analysis_recompute.py FILE_OR_FOLDER [EPISODES_PER_ITERATION]

A folder: every N-iteration.csv not under an "evaluation" folder is iteration N; every CSV under
one is an evaluation, named by its folder (or file). A file: its episodes are split into
iterations of EPISODES_PER_ITERATION (default 20). Prints JSON: {"iterations": [...],
"evaluations": [...], "training_evaluations": [...]} with the same keys paddock writes (the last
from metrics/TrainingMetrics.json: the evaluation trials after each iteration). The tests compare the two, so this
script must stay independent of Paddock's code: it shares nothing but the definitions.
"""
import csv
import json
import os
import re
import sys


def episodes(path):
    """The episodes of a simtrace, in order: rows grouped where `episode` changes or `steps` falls back."""
    groups = []
    with open(path, newline="") as f:
        previous = None
        for row in csv.DictReader(f):
            key = (int(float(row["episode"])), float(row["steps"]))
            if previous is None or key[0] != previous[0] or key[1] <= previous[1]:
                groups.append([])
            groups[-1].append(row)
            previous = key
    return groups


def summary(groups):
    rewards = [sum(float(r["reward"]) for r in g) for g in groups]
    progress = [float(g[-1]["progress"]) for g in groups]
    laps = []
    for g, p in zip(groups, progress):
        if p >= 100 and "tstamp" in g[0]:
            laps.append(float(g[-1]["tstamp"]) - float(g[0]["tstamp"]))
    n = max(len(groups), 1)
    return {
        "episodes": len(groups),
        "steps": sum(len(g) for g in groups),
        "mean_reward": sum(rewards) / n,
        "mean_progress": sum(progress) / n,
        "completion_rate": sum(1 for p in progress if p >= 100) / n,
        "best_lap_time": min(laps) if laps else None,
        "mean_lap_time": sum(laps) / len(laps) if laps else None,
        "off_track_count": sum(1 for g in groups for r in g if r.get("episode_status") == "off_track"),
    }


def main():
    target = sys.argv[1]
    per_iteration = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    iterations, evaluations = [], []
    if os.path.isfile(target):
        groups = episodes(target)
        for start in range(0, len(groups), per_iteration):
            iterations.append(dict(iteration=start // per_iteration, **summary(groups[start:start + per_iteration])))
    else:
        for folder, _, files in os.walk(target):
            relative = os.path.relpath(folder, target)
            parts = [] if relative == "." else relative.split(os.sep)
            for name in files:
                if not name.lower().endswith(".csv"):
                    continue
                path = os.path.join(folder, name)
                if any("evaluation" in p.lower() for p in parts):
                    named = [p for p in parts if not p.lower().endswith("-simtrace")]
                    label = named[-1] if named and named[-1] != "evaluation" else name
                    evaluations.append(dict(name=label, **summary(episodes(path))))
                else:
                    match = re.fullmatch(r"(\d+)-iteration\.csv", name)
                    if match:
                        iterations.append(dict(iteration=int(match.group(1)), **summary(episodes(path))))
    training_evaluations = []
    metrics = []
    if os.path.isdir(target):
        for folder, _, files in os.walk(target):
            if "TrainingMetrics.json" in files:
                metrics.append(os.path.join(folder, "TrainingMetrics.json"))
    if metrics:
        # The shallowest file; evaluation trials grouped by the training episode count they follow.
        metrics.sort(key=lambda p: p.count(os.sep))
        with open(metrics[0]) as f:
            entries = [e for e in json.load(f)["metrics"] if e.get("phase") == "evaluation"]
        groups = []
        for e in entries:
            if not groups or groups[-1][0]["episode"] != e["episode"]:
                groups.append([])
            groups[-1].append(e)
        for k, g in enumerate(groups):
            done = [e["elapsed_time_in_milliseconds"] / 1000 for e in g if e["completion_percentage"] >= 100]
            training_evaluations.append({
                "iteration": k,
                "trials": len(g),
                "mean_progress": sum(e["completion_percentage"] for e in g) / len(g),
                "completion_rate": sum(1 for e in g if e["completion_percentage"] >= 100) / len(g),
                "best_lap_time": min(done) if done else None,
                "mean_lap_time": sum(done) / len(done) if done else None,
            })
    iterations.sort(key=lambda s: s["iteration"])
    evaluations.sort(key=lambda s: s["name"])
    print(json.dumps(
        {"iterations": iterations, "evaluations": evaluations, "training_evaluations": training_evaluations},
        indent=1))


if __name__ == "__main__":
    main()
