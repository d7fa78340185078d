#!/usr/bin/env python3
"""Drives a command mix through a Convor URL (normally the load balancer of
deploy/local-cluster.sh) and prints throughput, latency and failures; optionally kills one
instance (SIGKILL) part-way through and reports the failover figure: how many requests failed
and for how long. Loopback only; bounded in time. Standard library only.

usage: cluster_load.py URL API_KEY [--seconds 30] [--workers 8] [--conversations 50]
                       [--kill-pid PID --kill-at 10]

Each command carries its own Idempotency-Key; a failed attempt (connection error, 502/503/504)
is counted as a failure and retried with the same key, as a careful client would.
"""
import argparse, http.client, json, os, random, signal, statistics, threading, time, urllib.parse, uuid

def main():
    p = argparse.ArgumentParser()
    p.add_argument("url"); p.add_argument("key")
    p.add_argument("--seconds", type=float, default=30); p.add_argument("--workers", type=int, default=8)
    p.add_argument("--conversations", type=int, default=50)
    p.add_argument("--kill-pid", type=int); p.add_argument("--kill-at", type=float, default=10)
    a = p.parse_args()
    u = urllib.parse.urlparse(a.url)
    assert u.hostname in ("127.0.0.1", "localhost", "::1"), "loopback only"
    headers = {"Authorization": "Bearer " + a.key, "Content-Type": "application/json"}

    def connect():
        return http.client.HTTPConnection(u.hostname, u.port, timeout=30)

    def send(conn, method, path, body=None, key=None):
        h = dict(headers)
        if key: h["Idempotency-Key"] = key
        conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)
        r = conn.getresponse(); data = r.read()
        return r.status, data

    c = connect()
    status, data = send(c, "POST", "/api/operators", {"name": "Bench", "email": f"bench-{uuid.uuid4().hex[:8]}@example.com"})
    operator = json.loads(data)["id"]
    conversations = [json.loads(send(c, "POST", "/api/conversations", {"channel": "api"})[1])["id"] for _ in range(a.conversations)]
    c.close()

    lock = threading.Lock()
    latencies, failures, done = [], [], [0]
    start = time.monotonic(); stop = start + a.seconds

    def worker(seed):
        rnd = random.Random(seed); conn = connect()
        while time.monotonic() < stop:
            cid = rnd.choice(conversations); k = rnd.randrange(4)
            method, path, body = [("POST", f"/api/conversations/{cid}/assign", {"operatorId": operator}),
                                  ("POST", f"/api/conversations/{cid}/unassign", None),
                                  ("PATCH", f"/api/conversations/{cid}", {"priority": rnd.choice(["high", "low"])}),
                                  ("GET", f"/api/conversations/{cid}", None)][k]
            key = uuid.uuid4().hex if method != "GET" else None
            t0 = time.monotonic()
            for attempt in range(200):
                try:
                    status, _ = send(conn, method, path, body, key)
                    if status in (502, 503, 504) or (status == 409 and attempt < 199 and False):
                        raise IOError(status)
                    break
                except Exception as e:  # connection error or gateway status: retry with the same key
                    with lock: failures.append(time.monotonic() - start)
                    conn.close(); conn = connect(); time.sleep(0.05)
            with lock:
                latencies.append(time.monotonic() - t0); done[0] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(a.workers)]
    for t in threads: t.start()
    if a.kill_pid:
        time.sleep(a.kill_at); os.kill(a.kill_pid, signal.SIGKILL); killed_at = a.kill_at
    for t in threads: t.join()
    elapsed = time.monotonic() - start
    lat = sorted(latencies)
    q = lambda f: lat[min(len(lat) - 1, int(f * len(lat)))] * 1000
    print(f"commands answered: {done[0]} in {elapsed:.1f} s = {done[0] / elapsed:.0f}/s, workers {a.workers}")
    print(f"latency per command (incl. retries) ms: p50 {q(0.5):.1f}  p90 {q(0.9):.1f}  p99 {q(0.99):.1f}  max {lat[-1]*1000:.0f}")
    if failures:
        print(f"failed attempts (retried with the same key): {len(failures)}, from t={min(failures):.2f}s to t={max(failures):.2f}s "
              f"(window {max(failures) - min(failures):.2f} s)")
    else:
        print("failed attempts: 0")

main()
