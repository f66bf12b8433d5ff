#!/usr/bin/env bash
# verify.sh — smoke-check a running live stack (started by live-stack.sh) with curl,
# saving response bodies under $SAMPLES (default: samples/ beside this script).
# Needs curl + python3. Exits non-zero on the first unexpected HTTP status.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STACK_DIR="${STACK_DIR:-/tmp/live-stack/stack}"
SAMPLES="${SAMPLES:-$HERE/samples}"
mkdir -p "$SAMPLES"
set -a; . "$STACK_DIR/live.env"; set +a

pass=0; fail=0
check() { # check NAME EXPECTED_STATUS OUTFILE curl-args...
  local name="$1" want="$2" out="$3"; shift 3
  local got; got=$(curl -g -s -o "$SAMPLES/$out" -w '%{http_code}' "$@")
  if [ "$got" = "$want" ]; then echo "ok   $name ($got)"; pass=$((pass+1));
  else echo "FAIL $name: want $want got $got"; head -c 400 "$SAMPLES/$out"; echo; fail=$((fail+1)); fi
}
jget() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval("d"+sys.argv[2]))' "$SAMPLES/$1" "$2"; }

M="$MEDUSA_URL"; P="$PAYLOAD_URL"
touch "$WEBHOOK_LOG"
HOOKS_BEFORE=$(wc -l < "$WEBHOOK_LOG")
BASIC=$(printf '%s:' "$MEDUSA_SECRET_API_KEY" | base64 | tr -d '\n')

# --- Medusa store API (publishable key required)
check medusa_store_products_by_handle 200 medusa_store_products_by_handle.json \
  "$M/store/products?handle=live-tee" -H "x-publishable-api-key: $MEDUSA_PUBLISHABLE_KEY"
check medusa_store_products_with_prices 200 medusa_store_products_with_region_prices.json \
  "$M/store/products?handle=live-tee&region_id=$MEDUSA_REGION_ID&fields=*variants.calculated_price,+metadata" \
  -H "x-publishable-api-key: $MEDUSA_PUBLISHABLE_KEY"
check medusa_store_products_page 200 medusa_store_products_page.json \
  "$M/store/products?limit=1&offset=1&order=handle" -H "x-publishable-api-key: $MEDUSA_PUBLISHABLE_KEY"
check medusa_store_missing_key 400 medusa_error_missing_publishable_key.json "$M/store/products?handle=live-tee"
PID=$(jget medusa_store_products_by_handle.json "['products'][0]['id']")

# --- Medusa admin API: secret API key (HTTP Basic, key as username, empty password) and JWT
check medusa_admin_update_metadata_secret_key 200 medusa_admin_update_product_metadata.json \
  -X POST "$M/admin/products/$PID" -H "Authorization: Basic $BASIC" -H 'content-type: application/json' \
  -d '{"metadata":{"payload_content_id":"1","synced_at":"2026-01-01T00:00:00Z"}}'
check medusa_auth_emailpass 200 medusa_auth_token.json -X POST "$M/auth/user/emailpass" \
  -H 'content-type: application/json' -d "{\"email\":\"$MEDUSA_ADMIN_EMAIL\",\"password\":\"$MEDUSA_ADMIN_PASSWORD\"}"
TOKEN=$(jget medusa_auth_token.json "['token']")
check medusa_admin_list_jwt 200 medusa_admin_list_products_jwt.json \
  "$M/admin/products?handle=live-tee&fields=id,handle,metadata" -H "Authorization: Bearer $TOKEN"
check medusa_admin_bad_token 401 medusa_error_unauthorized.json "$M/admin/products" -H "Authorization: Bearer nope"
check medusa_admin_not_found 404 medusa_error_not_found.json "$M/admin/products/prod_missing" -H "Authorization: Basic $BASIC"
check medusa_admin_order 200 medusa_admin_order.json "$M/admin/orders/$MEDUSA_ORDER_ID" -H "Authorization: Basic $BASIC"
check medusa_admin_create_product 200 medusa_admin_create_product.json -X POST "$M/admin/products" \
  -H "Authorization: Basic $BASIC" -H 'content-type: application/json' \
  -d '{"title":"Verify Cap","handle":"verify-cap-'$RANDOM'","status":"published","options":[{"title":"Default","values":["One"]}],"variants":[{"title":"One","options":{"Default":"One"},"manage_inventory":false,"prices":[{"currency_code":"eur","amount":5}]}]}'
sleep 2
tail -n +$((HOOKS_BEFORE + 1)) "$WEBHOOK_LOG" > "$SAMPLES/medusa_webhook_deliveries.jsonl"
python3 - "$SAMPLES/medusa_webhook_deliveries.jsonl" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if json.loads(l)["source"] == "medusa"]
evs = {r["body"]["event"] for r in rows}
assert {"product.updated", "product.created"} <= evs, evs
assert all(r["signature_valid"] for r in rows), rows
assert all(r["headers"]["webhook-id"].startswith("msg_") for r in rows)
print("ok   medusa_webhooks", sorted(evs), "Standard Webhooks signatures valid")
EOF
pass=$((pass+1))

# --- Payload REST
AK="Authorization: users API-Key $PAYLOAD_API_KEY"
check payload_product_content_by_handle 200 payload_product_content_by_handle.json \
  "$P/api/product-content?where[handle][equals]=live-tee"
check payload_pages_by_slug 200 payload_pages_by_slug.json "$P/api/pages?where[slug][equals]=about"
check payload_pages_by_slug_depth0 200 payload_pages_by_slug_depth0.json "$P/api/pages?where[slug][equals]=about&depth=0"
check payload_stores_by_handle 200 payload_stores_by_handle.json "$P/api/stores?where[handle][equals]=acme"
check payload_users_me_apikey 200 payload_users_me_apikey.json "$P/api/users/me" -H "$AK"
check payload_create_no_auth 403 payload_error_forbidden.json -X POST "$P/api/product-content" \
  -H 'content-type: application/json' -d '{"handle":"x","title":"x"}'
H="verify-$RANDOM"
check payload_create_product_content 201 payload_create_product_content.json -X POST "$P/api/product-content" \
  -H "$AK" -H 'content-type: application/json' \
  -d "{\"handle\":\"$H\",\"title\":\"Verify\",\"medusaProductId\":\"$PID\",\"description\":\"d\",\"features\":[{\"title\":\"f1\"}],\"specs\":[{\"key\":\"k\",\"value\":\"v\"}],\"seo\":{\"title\":\"t\",\"description\":\"d\",\"keywords\":\"a,b\"},\"status\":\"draft\"}"
DOC=$(jget payload_create_product_content.json "['doc']['id']")
check payload_patch_by_id 200 payload_patch_product_content_by_id.json -X PATCH "$P/api/product-content/$DOC" \
  -H "$AK" -H 'content-type: application/json' -d '{"status":"published","seo":{"title":"t2"}}'
check payload_patch_by_where 200 payload_patch_product_content_by_where.json -X PATCH \
  "$P/api/product-content?where[handle][equals]=live-tee" -H "$AK" -H 'content-type: application/json' \
  -d "{\"medusaProductId\":\"$PID\"}"
check payload_duplicate_handle 400 payload_error_duplicate_handle.json -X POST "$P/api/product-content" \
  -H "$AK" -H 'content-type: application/json' -d "{\"handle\":\"$H\",\"title\":\"dup\"}"
check payload_not_found 404 payload_error_not_found.json "$P/api/product-content/999999"
check payload_delete 200 payload_delete_product_content.json -X DELETE "$P/api/product-content/$DOC" -H "$AK"
check payload_validation_missing_required 400 payload_error_missing_required.json -X POST "$P/api/product-content" \
  -H "$AK" -H 'content-type: application/json' -d '{"title":"no handle"}'
check payload_pagination 200 payload_product_content_page2.json "$P/api/product-content?limit=1&page=2&sort=handle&depth=0"
check payload_where_in_indexed 200 payload_where_in_indexed.json \
  "$P/api/product-content?where[handle][in][0]=live-tee&where[handle][in][1]=live-hoodie&depth=0"
for coll in vendors tenants order-audit webhook-logs sync-jobs; do
  check "payload_collection_$coll" 200 "payload_collection_$coll.json" "$P/api/$coll?limit=1"
done
check payload_global_get 200 payload_global_site_settings.json "$P/api/globals/site-settings"
check payload_global_update 200 payload_global_site_settings_update.json -X POST "$P/api/globals/site-settings" \
  -H "$AK" -H 'content-type: application/json' -d '{"siteName":"Acme"}'
check payload_users_me_anonymous 200 payload_users_me_anonymous.json "$P/api/users/me"

# --- Payload sender: publish and draft saves are delivered, a sync-user write is not.
SK="Authorization: users API-Key $PAYLOAD_SYNC_API_KEY"
HOOKS_BEFORE=$(wc -l < "$WEBHOOK_LOG")
H2="hook-$RANDOM"
check payload_hook_create_draft 201 payload_hook_create_draft.json -X POST "$P/api/product-content" -H "$AK" -H 'content-type: application/json' \
  -d "{\"handle\":\"$H2\",\"title\":\"Hook\",\"status\":\"draft\"}"
HOOK_DOC=$(curl -g -s "$P/api/product-content?where[handle][equals]=$H2&depth=0" | python3 -c 'import json,sys; print(json.load(sys.stdin)["docs"][0]["id"])')
check payload_hook_publish 200 payload_hook_publish.json -X PATCH "$P/api/product-content/$HOOK_DOC" -H "$AK" -H 'content-type: application/json' -d '{"status":"published"}'
check payload_hook_sync_user_write 200 payload_hook_sync_user_write.json -X PATCH "$P/api/product-content/$HOOK_DOC" -H "$SK" -H 'content-type: application/json' -d '{"title":"By sync"}'
sleep 3
tail -n +$((HOOKS_BEFORE + 1)) "$WEBHOOK_LOG" > "$SAMPLES/payload_webhook_deliveries.jsonl"
python3 - "$SAMPLES/payload_webhook_deliveries.jsonl" "$HOOK_DOC" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
mine = [r for r in rows if r["source"] == "payload" and r["body"].get("id") == sys.argv[2]]
kinds = [(r["body"]["operation"], r["body"]["status"], r["body"]["previous_status"]) for r in mine]
assert kinds == [("create", "draft", None), ("update", "published", "draft")], kinds
assert all(r["signature_valid"] for r in mine), mine
print("ok   payload_webhooks", kinds, "signatures valid; the sync user's write was not sent")
EOF
pass=$((pass+1))
curl -s -o /dev/null -X DELETE "$P/api/product-content/$HOOK_DOC" -H "$SK"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
