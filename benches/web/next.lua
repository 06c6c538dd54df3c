-- wrk script: POST /api/next with one statement, for the load figure in docs/performance.md.
--   wrk -t2 -c32 -d20s --latency -s benches/web/next.lua http://127.0.0.1:8080/api/next
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"statement": "time of week between Mon and Fri & time of day between 09:30 and 10:00", ' ..
  '"zone": "Europe/Helsinki", "after": "2024-03-28T12:00:00Z", "count": 10}'
