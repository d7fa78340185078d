-- The command mix of the bench, for wrk 4 (LuaJIT):
--   assign 40%, unassign 40%, close+reopen 20% (10% close, 10% reopen of a conversation
--   closed earlier by the same thread).
--
-- Environment:
--   BENCH_KEY            API key (Bearer)
--   BENCH_CONVERSATIONS  file with one conversation id per line
--   BENCH_OPERATORS      file with one (active) operator id per line
--   BENCH_THREADS        wrk's -t (each thread works on its own slice of conversations)
--   BENCH_CONNECTIONS    wrk's -c (bounds the requests a thread has in flight)
--   BENCH_REOPEN         "reopen" (default): the close+reopen slice as specified;
--                        "get": stand-in while the server has no reopen route: the reopen
--                        slot becomes GET /api/conversations/{id} of the closed conversation
--                        (so closes after the first pass over the close pool are no-ops).
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
-- The bench resets the conversations to open/unassigned before each run.

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
   local all = read_lines(os.getenv("BENCH_CONVERSATIONS"))
   operators = read_lines(os.getenv("BENCH_OPERATORS"))
   reopen_mode = os.getenv("BENCH_REOPEN") or "reopen"
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
   n_assign, n_unassign, n_close, n_reopen, n_get = 0, 0, 0, 0, 0

   local auth = "Bearer " .. os.getenv("BENCH_KEY")
   json_headers = { ["Authorization"] = auth, ["Content-Type"] = "application/json" }
   plain_headers = { ["Authorization"] = auth }
end

local function path(id, verb)
   return "/api/conversations/" .. id .. "/" .. verb
end

-- Positions count up forever; the pool is walked modulo its size.
local function at(pool, position)
   return pool[(position - 1) % #pool + 1]
end

function request()
   if math.random() < 0.8 then
      if undo_assign and assign_next - assign_lagging >= lag then
         undo_assign = false
         assign_lagging = assign_lagging + 1
         n_unassign = n_unassign + 1
         return wrk.format("POST", path(at(assign_pool, assign_lagging), "unassign"), plain_headers, nil)
      end
      undo_assign = true
      assign_next = assign_next + 1
      n_assign = n_assign + 1
      local operator = operators[math.random(#operators)]
      return wrk.format("POST", path(at(assign_pool, assign_next), "assign"), json_headers,
         '{"operatorId":"' .. operator .. '"}')
   end

   if undo_close and close_next - close_lagging >= lag then
      undo_close = false
      close_lagging = close_lagging + 1
      local id = at(close_pool, close_lagging)
      if reopen_mode == "get" then
         n_get = n_get + 1
         return wrk.format("GET", "/api/conversations/" .. id, plain_headers, nil)
      end
      n_reopen = n_reopen + 1
      return wrk.format("POST", path(id, "reopen"), plain_headers, nil)
   end
   undo_close = true
   close_next = close_next + 1
   n_close = n_close + 1
   return wrk.format("POST", path(at(close_pool, close_next), "close"), plain_headers, nil)
end

-- One machine-readable line for bench/run.sh (latencies in microseconds).
function done(summary, latency, requests)
   local sent = { assign = 0, unassign = 0, close = 0, reopen = 0, get = 0 }
   for _, thread in ipairs(threads) do
      sent.assign = sent.assign + thread:get("n_assign")
      sent.unassign = sent.unassign + thread:get("n_unassign")
      sent.close = sent.close + thread:get("n_close")
      sent.reopen = sent.reopen + thread:get("n_reopen")
      sent.get = sent.get + thread:get("n_get")
   end
   local e = summary.errors
   io.write(string.format(
      "BENCH requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
      "non2xx=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d " ..
      "sent_assign=%d sent_unassign=%d sent_close=%d sent_reopen=%d sent_get=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max,
      e.status, e.connect, e.read, e.write, e.timeout,
      sent.assign, sent.unassign, sent.close, sent.reopen, sent.get))
end
