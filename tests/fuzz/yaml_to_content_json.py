#!/usr/bin/env python3
"""Prints a package's course.yaml as the course content JSON of the draft API (learning/content_json),
for seeding learning_json_fuzz: tests/fuzz/yaml_to_content_json.py tests/data/packages/good/course.yaml"""
import json, os, sys, yaml

path = sys.argv[1]
root = os.path.dirname(path)
doc = yaml.safe_load(open(path, encoding="utf-8"))

def text_of(name):
    try:
        return open(os.path.join(root, name), encoding="utf-8").read()
    except OSError:
        return ""

def block(b):
    out = {"key": b.get("key", ""), "kind": b.get("kind", "text"), "required": b.get("required", True)}
    for k in ("title", "alt", "url", "duration_seconds"):
        if k in b: out[k] = b[k]
    if "markdown" in b: out["markdown"] = b["markdown"]
    if b.get("kind") == "text" and "file" in b: out["markdown"] = text_of(b["file"])
    elif "file" in b: out["media"] = b["file"]
    if "transcript" in b: out["markdown"] = text_of(b["transcript"])
    if "captions" in b: out["captions"] = b["captions"]
    if b.get("kind") == "question":
        out["question"] = {k: b.get(k, d) for k, d in (("prompt", ""), ("options", []), ("answer", 0), ("explanation", ""))}
    return out

content = {k: doc.get(k, "") for k in ("slug", "title", "summary", "language", "provider", "cover", "unlock")}
content["description"] = text_of(doc["description"]) if doc.get("description") else ""
content["target_groups"] = doc.get("target_groups", [])
content["competencies"] = [{"code": str(c["code"]), "level": c.get("level", 1)} for c in doc.get("competencies", [])]
content["duration_minutes"] = doc.get("duration_minutes", 0)
content["sections"] = [{"key": s.get("key", ""), "title": s.get("title", ""),
                        "lessons": [{"key": l.get("key", ""), "title": l.get("title", ""),
                                     "blocks": [block(b) for b in l.get("blocks", [])]} for l in s.get("lessons", [])]}
                       for s in doc.get("sections", [])]
json.dump(content, sys.stdout, ensure_ascii=False)
