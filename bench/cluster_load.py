#!/usr/bin/env python3
"""Drives a command mix through a Convor URL (normally a load balancer; bench/cluster.sh runs it
against each setup it measures) and prints throughput, latency and failures; optionally kills one
instance (SIGKILL) part-way through and reports the failover figure: how many attempts failed,
over which window, and whether every command still got its answer. Loopback only; bounded in
time. Standard library only.

usage: cluster_load.py URL API_KEY [--seconds 30] [--workers 8] [--conversations 50]
                       [--kill-pid PID --kill-at 10] [--give-up-after 120] [--answers FILE]

The mix, on --conversations conversations it creates first (with one operator): assign,
unassign, PATCH priority and GET, a quarter each, on a random conversation per request. Each
command carries its own Idempotency-Key. An attempt that fails (connection error, timeout,
502/503/504) is counted as a failed attempt and sent again with the same key, as a careful
client would (after 50 ms); so is a 409 idempotency_in_progress (the key was claimed by an
instance that died; another instance takes it over after Idempotency:InProgressTimeoutSeconds),
counted apart and asked again every 0.5 s. A command is given up after --give-up-after
seconds. Any other answer is final: a command "succeeded" when its final answer is 2xx.

The last line is machine-readable: "RESULT name=value ..." (times in ms unless named _s).
--answers appends "conversationId version" for every 2xx command answer (its ETag), so that the
caller can check afterwards that every version in the log was answered to some command.
"""
import argparse, collections, http.client, json, os, random, signal, socket, threading, time, urllib.parse, uuid

RETRY_STATUSES = (502, 503, 504)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("url"); p.add_argument("key")
    p.add_argument("--seconds", type=float, default=30); p.add_argument("--workers", type=int, default=8)
    p.add_argument("--conversations", type=int, default=50)
    p.add_argument("--kill-pid", type=int); p.add_argument("--kill-at", type=float, default=10)
    p.add_argument("--give-up-after", type=float, default=120)
    p.add_argument("--answers")
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
        return r.status, data, r.getheader("ETag")

    def setup_call(conn, method, path, body, expect):
        status, data, _ = send(conn, method, path, body, uuid.uuid4().hex)
        if status != expect:
            raise SystemExit(f"setup: {method} {path} answered {status}")
        return json.loads(data)["id"]

    c = connect()
    operator = setup_call(c, "POST", "/api/operators", {"name": "Bench", "email": f"bench-{uuid.uuid4().hex[:8]}@example.com"}, 201)
    conversations = [setup_call(c, "POST", "/api/conversations", {"channel": "api"}, 201) for _ in range(a.conversations)]
    c.close()

    lock = threading.Lock()
    latencies, failures, in_progress, waited = [], [], [0], [0]
    finals = collections.Counter()
    crossed = []          # (answered at, latency) of commands that had at least one failed attempt
    answers = []          # (conversation, version) of 2xx command answers
    start = time.monotonic(); stop = start + a.seconds
    cpu_start = time.process_time()

    def worker(seed):
        rnd = random.Random(seed); conn = connect()
        while time.monotonic() < stop:
            cid = rnd.choice(conversations); k = rnd.randrange(4)
            method, path, body = [("POST", f"/api/conversations/{cid}/assign", {"operatorId": operator}),
                                  ("POST", f"/api/conversations/{cid}/unassign", None),
                                  ("PATCH", f"/api/conversations/{cid}", {"priority": rnd.choice(["high", "low"])}),
                                  ("GET", f"/api/conversations/{cid}", None)][k]
            key = uuid.uuid4().hex if method != "GET" else None
            t0 = time.monotonic(); failed = False; status = 0; etag = None; was_in_progress = False
            while True:
                try:
                    status, data, etag = send(conn, method, path, body, key)
                    if status in RETRY_STATUSES:
                        raise IOError(status)
                    if status != 409 or b"idempotency_in_progress" not in data:
                        break
                    with lock: in_progress[0] += 1
                    was_in_progress = True
                    pause = 0.5   # the key's first attempt may still be running somewhere: ask again politely
                except (OSError, http.client.HTTPException):  # connection error, timeout or gateway status
                    failed = True
                    with lock: failures.append(time.monotonic() - start)
                    conn.close(); conn = connect()
                    status = 0
                    pause = 0.05  # short, so that the failure window is measured finely
                if time.monotonic() - t0 > a.give_up_after:
                    status = 0
                    break
                time.sleep(pause)
            now = time.monotonic()
            with lock:
                latencies.append(now - t0)
                finals[status] += 1
                if failed: crossed.append((now - start, now - t0))
                if was_in_progress: waited[0] += 1
                if method != "GET" and 200 <= status < 300 and etag:
                    answers.append((cid, etag.strip('"')))
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(a.workers)]
    for t in threads: t.start()
    killed_at = None
    if a.kill_pid:
        time.sleep(a.kill_at); os.kill(a.kill_pid, signal.SIGKILL); killed_at = time.monotonic() - start
    for t in threads: t.join()
    elapsed = time.monotonic() - start
    client_cpu = time.process_time() - cpu_start

    if a.answers:
        with open(a.answers, "a") as f:
            for cid, version in answers: f.write(f"{cid} {version}\n")

    done = len(latencies)
    lat = sorted(latencies)
    q = lambda f: lat[min(len(lat) - 1, int(f * len(lat)))] * 1000
    succeeded = sum(n for s, n in finals.items() if 200 <= s < 300)
    others = " ".join(f"{s or 'none'}:{n}" for s, n in sorted(finals.items()) if not 200 <= s < 300)
    print(f"requests answered: {done} in {elapsed:.1f} s = {done / elapsed:.0f}/s, workers {a.workers}; "
          f"2xx {succeeded}" + (f", other final answers {others}" if others else ""))
    print(f"latency per request (incl. retries) ms: p50 {q(0.5):.1f}  p90 {q(0.9):.1f}  p99 {q(0.99):.1f}  max {lat[-1]*1000:.0f}")
    result = dict(requests=done, elapsed_s=f"{elapsed:.2f}", rps=f"{done / elapsed:.1f}",
                  p50=f"{q(0.5):.2f}", p99=f"{q(0.99):.2f}", max=f"{lat[-1]*1000:.0f}",
                  succeeded=succeeded, not_succeeded=done - succeeded,
                  failed_attempts=len(failures), in_progress_answers=in_progress[0], requests_waiting_takeover=waited[0],
                  client_cpu_ms=f"{client_cpu * 1000:.0f}")
    if failures:
        print(f"failed attempts (retried with the same key): {len(failures)}, from t={min(failures):.2f}s to t={max(failures):.2f}s "
              f"(window {max(failures) - min(failures):.2f} s), in {len(crossed)} requests")
        result.update(first_failure_s=f"{min(failures):.2f}", last_failure_s=f"{max(failures):.2f}",
                      failure_window_s=f"{max(failures) - min(failures):.2f}", requests_with_failures=len(crossed))
    else:
        print("failed attempts: 0")
    if in_progress[0]:
        print(f"answers 409 idempotency_in_progress (retried until taken over): {in_progress[0]}, in {waited[0]} requests")
    if killed_at is not None:
        result["killed_at_s"] = f"{killed_at:.2f}"
        if crossed:
            last = max(t for t, _ in crossed)
            print(f"killed at t={killed_at:.2f}s; the last request that had a failed attempt was answered at t={last:.2f}s "
                  f"({last - killed_at:.2f} s after the kill; the longest took {max(l for _, l in crossed):.2f} s)")
            result.update(last_affected_answered_s=f"{last:.2f}", longest_affected_s=f"{max(l for _, l in crossed):.2f}")
    print("RESULT " + " ".join(f"{k}={v}" for k, v in result.items()))


main()
