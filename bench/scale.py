#!/usr/bin/env python3
"""Writes the example plan with its goals repeated N times: scale.py N OUT.json"""
import json, sys

times, out = int(sys.argv[1]), sys.argv[2]
plan = json.load(open("data/dai5ki.json", encoding="utf-8"))
goals = []
for k in range(times):
    for g in plan["goals"]:
        g = json.loads(json.dumps(g))
        g["number"] = len(goals) + 1
        for i in g["indicators"]:
            i["id"] = f'{i["id"]}-{k}'
            for m in i.get("measures", []):
                m["id"] = f'{m["id"]}-{k}'
        goals.append(g)
plan["goals"] = goals
json.dump(plan, open(out, "w", encoding="utf-8"), ensure_ascii=False)
