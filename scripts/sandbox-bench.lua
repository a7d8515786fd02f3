-- wrk script for scripts/sandbox-bench.sh: POSTs a KWD payment request. The only success
-- status of this endpoint is 201, so 201s = requests - non-2xx/3xx; no per-response Lua
-- callback, which would cost wrk CPU that the server needs on a 2-core machine.
function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Api-Key " .. os.getenv("SANDBOX_API_KEY")
  wrk.body = '{"type":"payment_request","amount":"12.5","currency_code":"KWD","pg_codes":["knet","credit-card"],'
    .. '"order_no":"BENCH","customer_first_name":"Sara","customer_phone":"+96599999999",'
    .. '"generate_qr_code":true,"shortify_checkout_url":true}'
end

function done(summary, latency, requests)
  local o = summary.errors.status
  local c = summary.requests - o
  io.write(string.format("RESULT created=%d other=%d errors_connect=%d errors_read=%d errors_write=%d errors_timeout=%d duration_s=%.2f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    c, o, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
