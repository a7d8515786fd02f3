-- wrk script for scripts/sandbox-bench.sh: POSTs a KWD payment request and counts 201s.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  created = 0
  other = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Api-Key " .. os.getenv("SANDBOX_API_KEY")
  wrk.body = '{"type":"payment_request","amount":"12.5","currency_code":"KWD","pg_codes":["knet","credit-card"],'
    .. '"order_no":"BENCH","customer_first_name":"Sara","customer_phone":"+96599999999",'
    .. '"generate_qr_code":true,"shortify_checkout_url":true}'
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local c, o = 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    o = o + t:get("other")
  end
  io.write(string.format("RESULT created=%d other=%d errors_connect=%d errors_read=%d errors_write=%d errors_timeout=%d duration_s=%.2f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    c, o, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
