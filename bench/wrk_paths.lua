-- wrk script of the sosvet benchmarks (bench/harness.py runs it).
--
--   wrk -t2 -c10 -d30s -s bench/wrk_paths.lua http://127.0.0.1:8765 -- clients.tsv 2
--
-- clients.tsv has one line per client: a kind ("public", "secretary" …), a Cookie header
-- value ("-" for none) and the paths the client requests in turn, tab-separated. Thread
-- n of N (the second argument) plays the lines whose number modulo N is n (with fewer
-- lines than threads, the threads share them); run as many threads as connections to
-- give every client its own connection (and sign-in cookie).
-- Any answer other than 200 counts as an error of its kind (a redirect to the sign-in
-- page would otherwise pass as a success). done() prints one JSON line: requests,
-- duration, socket errors, requests and errors by kind, and the latency percentiles
-- (microseconds) over every request.
--
-- The kinds are exact when every thread has one connection (its requests and responses
-- then alternate); with several connections per thread, as with one kind, only the
-- totals are meaningful.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("slot", #threads)
end

local function split(line)
  local fields = {}
  for field in string.gmatch(line, "[^\t]+") do
    table.insert(fields, field)
  end
  return fields
end

local requests_list, kinds_list = {}, {}
local position = 0
local last_kind = "?"
errors, counts = {}, {}

function init(args)
  local total = tonumber(args[2]) or 1
  local lines = {}
  for line in io.lines(args[1]) do
    table.insert(lines, line)
  end
  for index, line in ipairs(lines) do
    -- With fewer clients than threads, the threads share the clients.
    local mine = (#lines >= total and (index - 1) % total + 1 == slot)
      or (#lines < total and (slot - 1) % #lines + 1 == index)
    if mine then
      local fields = split(line)
      local headers = {}
      if fields[2] ~= "-" then
        headers["Cookie"] = fields[2]
      end
      for i = 3, #fields do
        table.insert(requests_list, wrk.format("GET", fields[i], headers))
        table.insert(kinds_list, fields[1])
      end
    end
  end
  -- Threads start at different places in their lists.
  position = (slot * 7) % #requests_list
end

function request()
  position = position % #requests_list + 1
  last_kind = kinds_list[position]
  return requests_list[position]
end

function response(status, headers, body)
  counts[last_kind] = (counts[last_kind] or 0) + 1
  if status ~= 200 then
    local key = last_kind .. " " .. status
    errors[key] = (errors[key] or 0) + 1
  end
end

local function add(into, from)
  for key, value in pairs(from or {}) do
    into[key] = (into[key] or 0) + value
  end
end

local function json_object(tbl)
  local parts = {}
  for key, value in pairs(tbl) do
    table.insert(parts, string.format("%q: %d", key, value))
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end

function done(summary, latency, requests)
  local errors_by_kind, requests_by_kind = {}, {}
  for _, thread in ipairs(threads) do
    add(errors_by_kind, thread:get("errors"))
    add(requests_by_kind, thread:get("counts"))
  end
  io.write(string.format(
    "WRK_JSON {\"requests\": %d, \"duration_us\": %d, \"bytes\": %d, "
      .. "\"socket_errors\": {\"connect\": %d, \"read\": %d, \"write\": %d, \"timeout\": %d}, "
      .. "\"non_2xx_3xx\": %d, \"errors_by_kind\": %s, \"requests_by_kind\": %s, "
      .. "\"p50_us\": %d, \"p90_us\": %d, \"p95_us\": %d, \"p99_us\": %d, "
      .. "\"mean_us\": %d, \"max_us\": %d}\n",
    summary.requests, summary.duration, summary.bytes,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    summary.errors.status, json_object(errors_by_kind), json_object(requests_by_kind),
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.mean, latency.max
  ))
end
