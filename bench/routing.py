"""Drives bench/routing.sh's two measurements against the running API (loopback only)."""
import json, os, statistics, subprocess, sys, time, urllib.request
from concurrent.futures import ThreadPoolExecutor

API = os.environ["BENCH_API"]
KEY = json.loads(os.environ["BENCH_ORG_JSON"])["apiKey"]
OPERATORS = int(os.environ.get("BENCH_ROUTING_OPERATORS", 1000))
HANDOFFS = int(os.environ.get("BENCH_ROUTING_HANDOFFS", 200))
WAITING = int(os.environ.get("BENCH_ROUTING_WAITING", 1000))
COMERS = int(os.environ.get("BENCH_ROUTING_COMERS", 100))
PSQL = os.environ["BENCH_PSQL"].split()


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(API + path, data=data, method=method, headers={"Authorization": "Bearer " + KEY})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"null")


def sql(query):
    return subprocess.run(PSQL + ["-c", query], check=True, capture_output=True, text=True).stdout.strip()


def operator(i, availability, max_conversations):
    created = call("POST", "/api/operators", {"name": f"Op {i}", "email": f"op{i}-{time.time_ns()}@bench.test"})
    call("PATCH", f"/api/operators/{created['id']}", {"availability": availability, "maxConversations": max_conversations})
    return created["id"]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def say(text):
    print(text, flush=True)


pool = ThreadPoolExecutor(8)

# 1. handoff → assigned with OPERATORS online operators (room for every handoff).
say(f"seeding {OPERATORS} online operators...")
online = list(pool.map(lambda i: operator(i, "online", 100), range(OPERATORS)))
conversations = list(pool.map(lambda _: call("POST", "/api/conversations", {"channel": "widget"})["id"], range(HANDOFFS + 20)))
for conversation in conversations[:20]:  # warm-up: JIT, pools, prepared statements
    call("POST", f"/api/conversations/{conversation}/handoff")
timings = []
for conversation in conversations[20:]:
    start = time.perf_counter()
    answer = call("POST", f"/api/conversations/{conversation}/handoff")
    timings.append((time.perf_counter() - start) * 1000)
    assert answer["assignedOperatorId"] is not None, "every handoff must be routed at once"
say(f"handoff -> assigned, {OPERATORS} online operators, {HANDOFFS} sequential handoffs: "
    f"p50 {percentile(timings, 50):.1f} ms, p90 {percentile(timings, 90):.1f} ms, p99 {percentile(timings, 99):.1f} ms, "
    f"mean {statistics.mean(timings):.1f} ms")

# 2. drain WAITING conversations when COMERS operators come online (room: 10 each).
say("taking the first operators offline and queueing conversations...")
list(pool.map(lambda o: call("PATCH", f"/api/operators/{o}", {"availability": "offline"}), online))
comers = list(pool.map(lambda i: operator(OPERATORS + i, "offline", 10), range(COMERS)))
queued = list(pool.map(lambda _: call("POST", "/api/conversations", {"channel": "widget"})["id"], range(WAITING)))
list(pool.map(lambda c: call("POST", f"/api/conversations/{c}/handoff"), queued))
waiting = int(sql('SELECT count(*) FROM conversations WHERE "WaitingSince" IS NOT NULL'))
assert waiting == WAITING, f"{waiting} waiting, expected {WAITING}"
start = time.perf_counter()
list(pool.map(lambda o: call("PATCH", f"/api/operators/{o}", {"availability": "online"}), comers))
online_at = time.perf_counter() - start
while int(sql('SELECT count(*) FROM conversations WHERE "WaitingSince" IS NOT NULL')) > 0:
    if time.perf_counter() - start > 300:
        sys.exit("the queue did not drain within 300 s")
    time.sleep(0.02)
drained = time.perf_counter() - start
over = sql('SELECT count(*) FROM (SELECT "AssignedOperatorId" FROM conversations c JOIN operators o ON o."Id" = c."AssignedOperatorId" '
           'WHERE c."Status" <> \'Closed\' AND o."Availability" = \'Online\' AND o."MaxConversations" = 10 '
           'GROUP BY 1 HAVING count(*) > 10) t')
say(f"drain: {WAITING} waiting, {COMERS} operators come online (8 PATCHes in flight, all sent after {online_at:.2f} s): "
    f"queue empty after {drained:.2f} s ({WAITING / drained:.0f} routed/s); operators above their maximum: {over}")
