-- The request mix of the bench, for wrk 4 (LuaJIT).
--
-- Writes (100 - BENCH_READS percent of the requests): assign 40%, unassign 40%, close+reopen
-- 20% of the writes (10% close, 10% reopen of a conversation closed earlier by the same thread).
-- Reads (BENCH_READS percent, default 30): two thirds GET /api/conversations/{id} of a random
-- conversation, one third the first page of GET /api/conversations?status=open&priority=P&limit=20
-- with P drawn from low/normal/high/urgent (the bench seeds a quarter of each).
--
-- Environment:
--   BENCH_KEY            API key (Bearer)
--   BENCH_CONVERSATIONS  file with one conversation id per line
--   BENCH_OPERATORS      file with one (active) operator id per line
--   BENCH_THREADS        wrk's -t (each thread works on its own slice of conversations)
--   BENCH_CONNECTIONS    wrk's -c (bounds the requests a thread has in flight)
--   BENCH_READS          percent of requests that are reads (default 30; 0 = the command mix
--                        of the figures before issue 16)
--   BENCH_ONLY           only part of the mix (the round-trip passes): "writes", "reads",
--                        "assign" (assign/unassign pairs), "close" (close/reopen pairs),
--                        "get" or "list"
--   BENCH_KIND_LATENCY   1 (default): latency and errors per kind (see below); 0: off
--
-- Every request succeeds by construction, so any non-2xx answer is an error worth seeing:
--   * 80% of the conversations (the "assign pool") are only ever assigned/unassigned, the
--     other 20% (the "close pool") only ever closed/reopened, so no assign meets a closed
--     conversation;
--   * each thread walks its own slice of each pool in order, so a conversation is touched
--     again only after many other requests of that thread;
--   * within a slice, requests alternate: assign the next conversation, then unassign the
--     one assigned LAG assigns earlier (close the next, then reopen the one closed LAG closes
--     earlier). LAG is more than twice the requests a thread can have in flight, so the
--     command before has always finished, and every command is a real change that writes an
--     activity row. Only a thread's first LAG visits of each pool are assigns (closes) alone.
--   * reads never fail: every id exists, every filter is valid.
-- The bench resets the conversations to open/unassigned before each run.
--
-- Latency per kind: wrk measures latency for all requests together and gives the script no
-- way to tell which answer belongs to which request, so each request carries an
-- X-Correlation-Id naming its kind and number (both servers echo it, as the contract says),
-- and response() takes the time since request() built it (CLOCK_MONOTONIC through LuaJIT's
-- FFI). That includes wrk's own queueing, so it is a little above wrk's figure; defining
-- response() also makes wrk hand every answer to Lua, which costs wrk some CPU (the same for
-- both servers). BENCH_KIND_LATENCY=0 turns it off.

local ffi = require("ffi")
ffi.cdef [[
   typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
   int clock_gettime(int clock_id, bench_timespec *tp);
]]
local timespec = ffi.new("bench_timespec")
local function now_us()
   ffi.C.clock_gettime(1, timespec) -- CLOCK_MONOTONIC
   return tonumber(timespec.tv_sec) * 1000000 + tonumber(timespec.tv_nsec) / 1000
end

local kinds = { "assign", "unassign", "close", "reopen", "get", "list" }
local letter = { assign = "a", unassign = "u", close = "c", reopen = "r", get = "g", list = "l" }
local by_letter = { a = "assign", u = "unassign", c = "close", r = "reopen", g = "get", l = "list" }
local priorities = { "low", "normal", "high", "urgent" }
log_step = math.log(1.02)

local thread_count = 0
local threads = {}

function setup(thread)
   thread:set("tid", thread_count)
   thread_count = thread_count + 1
   table.insert(threads, thread)
end

local function read_lines(path)
   local lines = {}
   local file = assert(io.open(path, "r"), "cannot open " .. tostring(path))
   for line in file:lines() do
      if #line > 0 then table.insert(lines, line) end
   end
   file:close()
   return lines
end

function init(args)
   local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
   local connections = tonumber(os.getenv("BENCH_CONNECTIONS") or "64")
   all = read_lines(os.getenv("BENCH_CONVERSATIONS"))
   operators = read_lines(os.getenv("BENCH_OPERATORS"))
   read_share = tonumber(os.getenv("BENCH_READS") or "30") / 100
   only = os.getenv("BENCH_ONLY") or ""
   if only == "reads" or only == "get" or only == "list" then read_share = 1
   elseif only ~= "" then read_share = 0 end
   timed = os.getenv("BENCH_KIND_LATENCY") ~= "0"
   math.randomseed(1000 + tid)

   assign_pool, close_pool = {}, {}
   local a, c = 0, 0
   for i, id in ipairs(all) do
      if i % 5 == 0 then
         c = c + 1
         if c % nthreads == tid then table.insert(close_pool, id) end
      else
         a = a + 1
         if a % nthreads == tid then table.insert(assign_pool, id) end
      end
   end

   lag = 2 * math.ceil(connections / nthreads) + 8
   assert(#close_pool > 2 * lag and #assign_pool > 2 * lag, "too few conversations for this many connections")
   assign_next, assign_lagging, undo_assign = 0, 0, false
   close_next, close_lagging, undo_close = 0, 0, false
   sent = { assign = 0, unassign = 0, close = 0, reopen = 0, get = 0, list = 0 }
   -- Per kind: a histogram of the latencies of 2xx answers (hist_<kind>: bucket -> count,
   -- buckets 2% wide; flat tables, the only kind wrk copies safely between threads) and the
   -- count of other answers.
   failed = { assign = 0, unassign = 0, close = 0, reopen = 0, get = 0, list = 0 }
   for _, kind in ipairs(kinds) do _G["hist_" .. kind] = {} end
   started_at, serial, unmatched = {}, 0, 0

   auth = "Bearer " .. os.getenv("BENCH_KEY")
end

local function path(id, verb)
   return "/api/conversations/" .. id .. "/" .. verb
end

-- Positions count up forever; the pool is walked modulo its size.
local function at(pool, position)
   return pool[(position - 1) % #pool + 1]
end

local function make(kind, method, url, body)
   sent[kind] = sent[kind] + 1
   local headers = { ["Authorization"] = auth }
   if body then headers["Content-Type"] = "application/json" end
   if timed then
      serial = serial + 1
      local id = letter[kind] .. tid .. "-" .. serial
      headers["X-Correlation-Id"] = id
      started_at[id] = now_us()
   end
   return wrk.format(method, url, headers, body)
end

local function write_request()
   local assign_share = (only == "assign" and 1) or (only == "close" and 0) or 0.8
   if math.random() < assign_share then
      if undo_assign and assign_next - assign_lagging >= lag then
         undo_assign = false
         assign_lagging = assign_lagging + 1
         return make("unassign", "POST", path(at(assign_pool, assign_lagging), "unassign"))
      end
      undo_assign = true
      assign_next = assign_next + 1
      local operator = operators[math.random(#operators)]
      return make("assign", "POST", path(at(assign_pool, assign_next), "assign"), '{"operatorId":"' .. operator .. '"}')
   end

   if undo_close and close_next - close_lagging >= lag then
      undo_close = false
      close_lagging = close_lagging + 1
      return make("reopen", "POST", path(at(close_pool, close_lagging), "reopen"))
   end
   undo_close = true
   close_next = close_next + 1
   return make("close", "POST", path(at(close_pool, close_next), "close"))
end

local function read_request()
   local get_share = (only == "get" and 1) or (only == "list" and 0) or 2 / 3
   if math.random() < get_share then
      return make("get", "GET", "/api/conversations/" .. all[math.random(#all)])
   end
   return make("list", "GET", "/api/conversations?status=open&priority=" .. priorities[math.random(#priorities)] .. "&limit=20")
end

function request()
   if read_share > 0 and math.random() < read_share then return read_request() end
   return write_request()
end

function response(status, headers, body)
   local id = headers["X-Correlation-Id"] or headers["x-correlation-id"]
   local started = id and started_at[id]
   if not started then
      unmatched = unmatched + 1
      return
   end
   started_at[id] = nil
   local kind = by_letter[string.sub(id, 1, 1)]
   if status >= 200 and status < 300 then
      local histogram = _G["hist_" .. kind]
      local bucket = math.floor(math.log(math.max(now_us() - started, 1)) / log_step)
      histogram[bucket] = (histogram[bucket] or 0) + 1
   else
      failed[kind] = failed[kind] + 1
   end
end
if os.getenv("BENCH_KIND_LATENCY") == "0" then response = nil end

-- "count,p50_us,p99_us,failed" of the answers of the given kinds, over all threads; a
-- percentile is the upper bound of its 2% bucket.
local function summarize(per_thread, names)
   local merged, count, bad = {}, 0, 0
   for _, t in ipairs(per_thread) do
      for _, kind in ipairs(names) do
         for bucket, n in pairs(t.histograms[kind]) do
            merged[bucket] = (merged[bucket] or 0) + n
            count = count + n
         end
         bad = bad + t.failed[kind]
      end
   end
   local buckets = {}
   for bucket in pairs(merged) do buckets[#buckets + 1] = bucket end
   table.sort(buckets)
   local function percentile(p)
      local want, seen = math.max(1, math.ceil(count * p / 100)), 0
      for _, bucket in ipairs(buckets) do
         seen = seen + merged[bucket]
         if seen >= want then return math.exp((bucket + 1) * log_step) end
      end
      return 0
   end
   return string.format("%d,%d,%d,%d", count, percentile(50), percentile(99), bad)
end

-- One machine-readable line for bench/run.sh (latencies in microseconds).
function done(summary, latency, requests)
   local total = { assign = 0, unassign = 0, close = 0, reopen = 0, get = 0, list = 0 }
   local per_thread, unmatched_total = {}, 0
   for _, thread in ipairs(threads) do
      local s = thread:get("sent")
      for kind, n in pairs(s) do total[kind] = total[kind] + n end
      if thread:get("timed") then
         local histograms = {}
         for _, kind in ipairs(kinds) do histograms[kind] = thread:get("hist_" .. kind) end
         table.insert(per_thread, { histograms = histograms, failed = thread:get("failed") })
         unmatched_total = unmatched_total + thread:get("unmatched")
      end
   end
   local e = summary.errors
   local line = string.format(
      "BENCH requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
      "non2xx=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d " ..
      "sent_assign=%d sent_unassign=%d sent_close=%d sent_reopen=%d sent_get=%d sent_list=%d",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max,
      e.status, e.connect, e.read, e.write, e.timeout,
      total.assign, total.unassign, total.close, total.reopen, total.get, total.list)
   if #per_thread > 0 then
      for _, kind in ipairs(kinds) do
         line = line .. " kind_" .. kind .. "=" .. summarize(per_thread, { kind })
      end
      line = line .. " kind_writes=" .. summarize(per_thread, { "assign", "unassign", "close", "reopen" })
      line = line .. " kind_reads=" .. summarize(per_thread, { "get", "list" })
      line = line .. " unmatched=" .. unmatched_total
   end
   io.write(line .. "\n")
end
