#!/bin/sh
# azd postdeploy hook: once the code is deployed (so the blob extension's webhook key exists), provision again with
# the uploads Event Grid subscription. Later `azd up` runs keep SUBSCRIBE_UPLOADS=true and provision it in one go.
set -eu
if [ "$(azd env get-value SUBSCRIBE_UPLOADS 2>/dev/null || true)" = "true" ]; then
  echo "Uploads Event Grid subscription already provisioned."
  exit 0
fi
azd env set SUBSCRIBE_UPLOADS true
azd provision --no-prompt
