"""What the HTTP benchmarks share: messages, ports, plain HTTP calls and course packages."""
import io, socket, sys, urllib.error, urllib.request, zipfile


def say(*a):
    print(*a, file=sys.stderr, flush=True)


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def http(method, url, body=None, headers=None, timeout=60):
    """(status, body bytes, headers) of one request; an HTTP error status is an answer, not an exception."""
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read(), dict(e.headers)


def course_package(slug, title, summary, lesson_title, blocks_yaml, files=None):
    """A one-lesson course package (zip bytes) for citizens, competency 4.1, 10 minutes.
    blocks_yaml: the lesson's blocks, indented for their place under `blocks:`; files: name -> bytes."""
    manifest = f"""format: hocvu-course/1
slug: {slug}
title: {title}
summary: {summary}
language: vi
target_groups: [citizen]
competencies:
  - {{ code: "4.1", level: 1 }}
duration_minutes: 10
sections:
  - key: s
    title: Phần một
    lessons:
      - key: l
        title: {lesson_title}
        blocks:
{blocks_yaml}"""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("course.yaml", manifest)
        for name, data in (files or {}).items():
            z.writestr(name, data)
    return buf.getvalue()
