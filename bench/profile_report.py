#!/usr/bin/env python3
"""Summaries for bench/profile.sh (standard library only).

  profile_report.py stacks <trace.speedscope.json> [--top N] [--cpu-ms-per-request X] [--brief]
      Aggregates the sampled thread-time profile that `dotnet-trace convert --format Speedscope`
      writes (one "evented" profile per thread; the leaf of every stack is CPU_TIME when the
      thread was in managed code, UNMANAGED_CODE_TIME when it was in native code, with ?!? for
      native frames) into CPU by layer and the top methods of each layer.

  profile_report.py counters <counters.csv> [--requests-per-second R]
      Means of the dotnet-counters CSV: CPU, allocation, GC, exceptions, locks, thread pool,
      and the server-side request duration per route.

What counts as CPU: the EventPipe sampler records every managed thread about every 10 ms,
running or not. Samples whose deepest managed frame is a wait (thread pool idle, monitor and
handle waits, socket event loop in epoll, timers, sleep) are "blocked" and left out; samples
spinning in those waits, and threads held at a GC poll while a collection runs, are counted
apart ("spin-wait", "held for GC"), and so are the thread pool's own loop and samples in
native code (system calls: the sampler cannot tell running from waiting there; /proc's
system CPU bounds them); the rest is "busy" managed code and is what the layer tables divide.
On a machine with more runnable threads than cores a busy sample may be a thread ready to
run rather than running: the shares are right, the absolute sample time over-states CPU, so
the tables also scale the shares to the CPU per request measured from /proc.
"""
import csv
import json
import re
import sys
from collections import Counter, defaultdict

LAYERS = [
    "Convor.Api", "Convor.Application", "Convor.Domain", "Convor.Infrastructure",
    "Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "Npgsql", "System.Text.Json",
]
OTHER = "other"
PSEUDO = {"CPU_TIME", "UNMANAGED_CODE_TIME", "?!?"}

# Deepest managed frame of a thread that is waiting, not working.
WAITS = [
    "System.Threading.LowLevelLifoSemaphore.Wait", "System.Threading.LowLevelSpinWaiter.Wait",
    "System.Threading.Monitor.Wait", "System.Threading.WaitHandle.Wait", "System.Threading.Thread.Sleep",
    "System.Threading.ManualResetEventSlim.Wait", "System.Threading.SemaphoreSlim.Wait",
    "System.Threading.TimerQueue.TimerThread", "System.Net.Sockets.SocketAsyncEngine.EventLoop",
    "System.IO.FileSystemWatcher", "Interop+Sys.Read", "System.Threading.LowLevelMonitor.Wait",
    "System.Threading.Monitor.Enter_Slowpath", "System.Threading.Tasks.Task.SpinThenBlockingWait",
    "System.Threading.PortableThreadPool+GateThread",
]
GC_POLL = "System.Threading.Thread.<PollGC>"
THREAD_POOL_LOOP = "System.Threading.PortableThreadPool+WorkerThread.WorkerThreadStart"


def method_of(frame):
    """'Module!Namespace.Type.Method(args)' -> ('Module', 'Namespace.Type.Method')."""
    module, _, rest = frame.partition("!")
    if not rest:
        return "", frame
    return module, rest.split("(", 1)[0]


def layer_of(frame):
    module, method = method_of(frame)
    for layer in LAYERS:
        if method.startswith(layer + ".") or method.startswith(layer + "+"):
            return layer
    for layer in LAYERS:
        if module == layer or module.startswith(layer + "."):
            return layer
    return OTHER


ASYNC = re.compile(r"\+<([^>]+)>d__\d+(?:`\d+)?(?:\[.*\])?\.MoveNext$")
LAMBDA = re.compile(r"\+<>c(?:__DisplayClass[\d_]+)?(?:`\d+)?(?:\[.*?\])?\.<([^>]+)>b__[\d_]+$")


def short(frame):
    """A readable method name: async state machines and lambdas by their method."""
    module, method = method_of(frame)
    method = ASYNC.sub(r".\1 (async)", method)
    method = LAMBDA.sub(r".\1 (lambda)", method)
    method = re.sub(r"\[[^\[\]]*(\[[^\[\]]*\][^\[\]]*)*\]", "[…]", method)
    if module.startswith("Anonymously Hosted DynamicMethods"):
        method = "dynamic method (compiled expression: EF shaper, DI factory…)"
    return method


def classify(stack_names):
    managed = [f for f in stack_names if f not in PSEUDO and not f.startswith("Thread (") and f != "Threads"]
    deepest = method_of(managed[-1])[1] if managed else ""
    leaf = stack_names[-1] if stack_names else ""
    in_native = len(stack_names) > 1 and stack_names[-2] == "?!?"
    if deepest.startswith(GC_POLL):
        return "held for GC", managed
    if any(deepest.startswith(w) for w in WAITS):
        return ("spin-wait" if leaf == "CPU_TIME" and not in_native else "blocked"), managed
    if deepest.startswith(THREAD_POOL_LOOP):
        return "thread pool loop", managed
    if leaf == "UNMANAGED_CODE_TIME" or in_native:
        # In a system call or other native code (socket send/receive mostly): the sampler cannot
        # tell running from waiting there, so it is counted apart (compare /proc's system CPU).
        return "native", managed
    return "busy", managed


def stacks(path, top, cpu_ms_per_request, brief):
    data = json.load(open(path))
    frames = [f["name"] for f in data["shared"]["frames"]]
    layer_cache = {}

    def layer(i):
        if i not in layer_cache:
            layer_cache[i] = layer_of(frames[i])
        return layer_cache[i]

    totals = Counter()
    inclusive_layer, exclusive_layer, attributed_layer = Counter(), Counter(), Counter()
    inclusive_method, exclusive_method = Counter(), Counter()
    other_modules = Counter()
    owner_of_leaf = defaultdict(Counter)
    self_method = Counter()  # exclusive + runtime callees, per method of a named layer
    method_layer = {}
    seconds = 0.0
    for profile in data["profiles"]:
        if profile.get("type") != "evented":
            continue
        seconds = max(seconds, (profile["endValue"] - profile["startValue"]) / 1000)
        stack, last, cls_cache = [], None, None
        for event in profile["events"]:
            at = event["at"]
            if stack and last is not None and at > last:
                weight = at - last
                if cls_cache is None:
                    names = [frames[i] for i in stack]
                    kind, managed = classify(names)
                    managed_ids = [i for i in stack if frames[i] in managed]
                    cls_cache = (kind, managed_ids)
                kind, managed_ids = cls_cache
                totals[kind] += weight
                if kind == "busy" and managed_ids:
                    leaf = managed_ids[-1]
                    exclusive_layer[layer(leaf)] += weight
                    exclusive_method[leaf] += weight
                    if layer(leaf) == OTHER:
                        other_modules[method_of(frames[leaf])[0]] += weight
                    owner_id = next((i for i in reversed(managed_ids) if layer(i) != OTHER), None)
                    owner = layer(owner_id) if owner_id is not None else OTHER
                    attributed_layer[owner] += weight
                    self_method[owner_id if owner_id is not None else leaf] += weight
                    if owner_id is not None and owner_id != leaf:
                        owner_of_leaf[leaf][owner_id] += weight
                    for l in {layer(i) for i in managed_ids}:
                        inclusive_layer[l] += weight
                    for i in set(managed_ids):
                        inclusive_method[i] += weight
                        method_layer[i] = layer(i)
            if event["type"] == "O":
                stack.append(event["frame"])
            else:
                stack.pop()
            cls_cache = None
            last = at

    busy = totals["busy"] or 1
    sampled = sum(totals.values()) or 1
    out = []
    share = lambda k: f"{100 * totals[k] / sampled:.1f}%"
    out.append(f"Sampled thread time: {sampled / 1000:.1f} s over {seconds:.1f} s of trace. Busy in managed code {share('busy')}; "
               f"thread pool loop {share('thread pool loop')}; spin-waiting {share('spin-wait')}; held at a GC poll {share('held for GC')}; "
               f"in native code (system calls, mostly socket sends) {share('native')}; blocked {share('blocked')}. "
               f"Shares below are of the busy time (the first). Busy/(busy + native) = "
               f"{100 * totals['busy'] / ((totals['busy'] + totals['native']) or 1):.0f}%.")
    # Every sample that is not blocked is taken as using CPU in proportion to the time the
    # process used (/proc): busy managed code gets busy / not-blocked of it.
    not_blocked = (sampled - totals["blocked"]) or 1
    busy_ms = cpu_ms_per_request * totals["busy"] / not_blocked if cpu_ms_per_request else 0
    scale = (lambda w: f"{busy_ms * w / busy:.3f}") if cpu_ms_per_request else (lambda w: "")
    per_request_note = (f" ≈ ms/req: {cpu_ms_per_request} ms of API CPU per request (/proc) × busy / not-blocked sample time "
                        f"({100 * totals['busy'] / not_blocked:.0f}%) = {busy_ms:.2f} ms/request of busy managed code, divided by the shares; "
                        "the rest of the CPU is the thread pool loop, spinning, GC and system calls, which a loaded machine inflates."
                        if cpu_ms_per_request else "")
    out.append("")
    out.append("| layer | inclusive % | exclusive % | exclusive + runtime callees % | ≈ ms/req (excl. + callees) |")
    out.append("|---|---:|---:|---:|---:|")
    for l in LAYERS + [OTHER]:
        out.append(f"| {l} | {100 * inclusive_layer[l] / busy:.1f} | {100 * exclusive_layer[l] / busy:.1f} | "
                   f"{100 * attributed_layer[l] / busy:.1f} | {scale(attributed_layer[l])} |")
    out.append("")
    out.append("Inclusive: samples with the layer anywhere on the stack. Exclusive: samples whose deepest managed frame is in it. "
               "Exclusive + runtime callees: each sample charged to the deepest frame of a named layer (so BCL work, e.g. "
               "Dictionary or string formatting, goes to the layer that called it; 'other' is then what no named layer called: "
               "thread pool dispatch, sockets, timers)." + per_request_note)
    if other_modules:
        out.append("")
        out.append("Exclusive time in 'other', by module: " + ", ".join(
            f"{m or '?'} {100 * w / busy:.1f}%" for m, w in other_modules.most_common(8)) + ".")

    out.append("")
    out.append(f"Top methods per layer, by exclusive + runtime callees (inclusive beside it; top {top}), then the top by inclusive:")
    for l in LAYERS + [OTHER]:
        ids = [i for i in method_layer if method_layer[i] == l]
        if not ids:
            continue
        merged = defaultdict(lambda: [0.0, 0.0])
        for i in ids:
            name = short(frames[i])
            merged[name][0] = max(merged[name][0], inclusive_method[i])
            merged[name][1] += self_method.get(i, 0)
        by_self = sorted(((n, v) for n, v in merged.items() if v[1] > 0), key=lambda x: -x[1][1])[: (min(top, 5) if brief else top)]
        by_inclusive = sorted(merged.items(), key=lambda x: -x[1][0])[: (3 if brief else 5)]
        out.append("")
        out.append(f"**{l}** (inclusive {100 * inclusive_layer[l] / busy:.1f}%, exclusive + runtime callees {100 * attributed_layer[l] / busy:.1f}%)")
        out.append("")
        out.append("| method | excl. + callees % | inclusive % |")
        out.append("|---|---:|---:|")
        for name, (inc, own) in by_self:
            out.append(f"| `{name}` | {100 * own / busy:.1f} | {100 * inc / busy:.1f} |")
        out.append("")
        out.append("Largest subtrees: " + "; ".join(f"`{n}` {100 * v[0] / busy:.1f}%" for n, v in by_inclusive) + ".")

    out.append("")
    out.append("Top methods overall by exclusive share:")
    out.append("")
    out.append("| method | layer | exclusive % | mostly called from (deepest frame of a named layer) |")
    out.append("|---|---|---:|---|")
    for i, w in exclusive_method.most_common(top * 2):
        caller = owner_of_leaf[i].most_common(1)
        called_from = f"`{short(frames[caller[0][0]])}` ({100 * caller[0][1] / w:.0f}%)" if caller else ""
        out.append(f"| `{short(frames[i])}` | {layer(i)} | {100 * w / busy:.1f} | {called_from} |")
    print("\n".join(out))


def counters(path, rps):
    rows = list(csv.DictReader(open(path)))
    if not rows:
        print("(no counter rows)")
        return
    values = defaultdict(list)
    for row in rows:
        try:
            values[row["Counter Name"]].append(float(row["Mean/Increment"]))
        except ValueError:
            pass

    def mean(name):
        v = values.get(name)
        return sum(v) / len(v) if v else None

    def total_of(prefix):
        names = [n for n in values if n.startswith(prefix)]
        return sum(mean(n) for n in names) if names else None

    out = []
    user, system = mean("dotnet.process.cpu.time (s / 1 sec)[cpu.mode=user]"), mean("dotnet.process.cpu.time (s / 1 sec)[cpu.mode=system]")
    if user is not None and system is not None:
        per = f", {1000 * (user + system) / rps:.2f} ms/request" if rps else ""
        out.append(f"- CPU: {user + system:.2f} cores (user {user:.2f}, system {system:.2f}){per}")
    alloc = mean("dotnet.gc.heap.total_allocated (By / 1 sec)")
    if alloc is not None:
        per = f", {alloc / rps / 1024:.0f} KiB/request" if rps else ""
        out.append(f"- allocated: {alloc / 1048576:.0f} MiB/s{per}")
    gcs = [(g, mean(f"dotnet.gc.collections ({{collection}} / 1 sec)[gc.heap.generation={g}]")) for g in ("gen0", "gen1", "gen2")]
    pause = mean("dotnet.gc.pause.time (s / 1 sec)")
    out.append("- GC: " + ", ".join(f"{g} {v:.1f}/s" for g, v in gcs if v is not None)
               + (f"; paused {100 * pause:.1f}% of the time" if pause is not None else ""))
    exceptions = {n.split("error.type=")[-1].rstrip("]"): mean(n) for n in values if n.startswith("dotnet.exceptions")}
    if exceptions:
        per = lambda v: f" ({v / rps:.3f}/request)" if rps else ""
        out.append("- exceptions: " + ", ".join(f"{t} {v:.0f}/s{per(v)}" for t, v in sorted(exceptions.items(), key=lambda x: -x[1])))
    else:
        out.append("- exceptions: none")
    contention = mean("dotnet.monitor.lock_contentions ({contention} / 1 sec)")
    if contention is not None:
        out.append(f"- lock contentions: {contention:.0f}/s")
    ws = mean("dotnet.process.memory.working_set (By)")
    if ws is not None:
        out.append(f"- working set: {ws / 1048576:.0f} MiB; GC committed {(mean('dotnet.gc.last_collection.memory.committed_size (By)') or 0) / 1048576:.0f} MiB")
    routes = defaultdict(dict)
    for name in values:
        if name.startswith("http.server.request.duration"):
            tags = dict(t.split("=", 1) for t in name[name.index("[") + 1:-1].split(";") if "=" in t)
            key = f"{tags.get('http.request.method', '?')} /{tags.get('http.route', '?')} {tags.get('http.response.status_code', '')}".strip()
            routes[key][tags.get("Percentile", "?")] = mean(name)
    if routes:
        out.append("")
        out.append("Server-side request duration per route (mean of the 1-second percentiles, ms):")
        out.append("")
        out.append("| route | p50 | p95 | p99 |")
        out.append("|---|---:|---:|---:|")
        for key in sorted(routes):
            p = routes[key]
            fmt = lambda q: f"{1000 * p[q]:.1f}" if q in p else ""
            out.append(f"| {key} | {fmt('50')} | {fmt('95')} | {fmt('99')} |")
    print("\n".join(out))


def main(argv):
    if len(argv) < 3 or argv[1] not in ("stacks", "counters"):
        sys.exit(__doc__)
    options = {argv[i]: argv[i + 1] for i in range(3, len(argv) - 1, 2) if argv[i].startswith("--")}
    if argv[1] == "stacks":
        stacks(argv[2], int(options.get("--top", 8)), float(options["--cpu-ms-per-request"]) if "--cpu-ms-per-request" in options else None,
               "--brief" in argv)
    else:
        counters(argv[2], float(options["--requests-per-second"]) if "--requests-per-second" in options else None)


if __name__ == "__main__":
    main(sys.argv)
