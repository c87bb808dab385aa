#!/usr/bin/env bash
# Post-deployment smoke test against a deployed app: health, one order to Completed, one HTTP upload to Ready.
# Usage: FUNCTION_KEY=... ADMIN_KEY=... infra/scripts/smoke.sh https://<app>.azurewebsites.net
# Needs curl, jq and python3. Exits non-zero, saying which step failed.
set -euo pipefail
base="${1:?base URL of the app}"
: "${FUNCTION_KEY:?function key}" "${ADMIN_KEY:?admin (master) key}"
deadline_seconds=${SMOKE_TIMEOUT_SECONDS:-300}

# wait_for <description> <command...>: retries the command every 5 s until it succeeds or the deadline passes.
wait_for() {
  local what="$1" started=$SECONDS
  shift
  until "$@"; do
    if (( SECONDS - started > deadline_seconds )); then echo "FAILED: $what within ${deadline_seconds}s"; return 1; fi
    sleep 5
  done
  echo "ok: $what"
}

healthy() { curl -fsS "$base/api/health" | jq -e '.status == "Healthy"' > /dev/null; }
wait_for "GET /api/health is 200 Healthy" healthy

curl -fsS -X POST "$base/api/orders/demo-data" -H "x-functions-key: $ADMIN_KEY" > /dev/null
order_id="smoke-$(date +%s)"
curl -fsS -X POST "$base/api/orders" -H "x-functions-key: $FUNCTION_KEY" -H 'Content-Type: application/json' -d '{
  "orderId": "'"$order_id"'",
  "lines": [ { "sku": "CB-001", "quantity": 1 } ],
  "shippingAddress": { "name": "Smoke Test", "line1": "1 Test Way", "city": "London", "postalCode": "N1 9GU", "country": "GB" },
  "paymentToken": "tok_approve" }' > /dev/null
order_completed() {
  curl -fsS "$base/api/orders/$order_id" -H "x-functions-key: $FUNCTION_KEY" | jq -e '.status == "Completed"' > /dev/null
}
wait_for "order $order_id Completed" order_completed

image=$(mktemp --suffix .png)
python3 - "$image" <<'PY'
import struct, sys, zlib
w = h = 64
rows = b"".join(b"\x00" + bytes(v for x in range(w) for v in (x * 4, y * 4, 128)) for y in range(h))
chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
PY
asset_id=$(curl -fsS -X POST "$base/api/assets?name=smoke.png" -H "x-functions-key: $FUNCTION_KEY" \
  -H 'Content-Type: image/png' --data-binary "@$image" | jq -r '.id')
asset_ready() {
  curl -fsS "$base/api/assets/$asset_id" -H "x-functions-key: $FUNCTION_KEY" | jq -e '.status == "Ready"' > /dev/null
}
wait_for "asset $asset_id Ready" asset_ready
curl -fsS -o /dev/null -X DELETE "$base/api/assets/$asset_id" -H "x-functions-key: $FUNCTION_KEY"
echo "Smoke test passed: order $order_id Completed, asset $asset_id Ready (deleted again)."
