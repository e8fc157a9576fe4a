-- wrk script for bench/load.sh: the method from LOAD_METHOD (default GET); every answer whose status
-- is not 2xx is counted by status, and at the end one machine-readable line is printed:
--   WRK_RESULT requests=N seconds=S rps=R p50_ms=A p90_ms=B p99_ms=C max_ms=D non2xx=K
--              connect=E read=F write=G timeout=H codes=STATUS:COUNT,...
-- (socket errors as wrk counts them; codes lists every non-2xx status seen, "-" when none).
wrk.method = os.getenv("LOAD_METHOD") or "GET"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  codes = {}
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    codes[status] = (codes[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local all, non2xx = {}, 0
  for _, t in ipairs(threads) do
    local c = t:get("codes")
    if c then
      for k, v in pairs(c) do
        all[k] = (all[k] or 0) + v
        non2xx = non2xx + v
      end
    end
  end
  local list = {}
  for k, v in pairs(all) do table.insert(list, k .. ":" .. v) end
  table.sort(list)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "WRK_RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d connect=%d read=%d write=%d timeout=%d codes=%s\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    non2xx, e.connect, e.read, e.write, e.timeout, (#list > 0 and table.concat(list, ",") or "-")))
end
