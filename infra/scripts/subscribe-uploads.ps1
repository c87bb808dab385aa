# azd postdeploy hook (Windows): see subscribe-uploads.sh.
$ErrorActionPreference = 'Stop'
if ((azd env get-value SUBSCRIBE_UPLOADS 2>$null) -eq 'true') {
  Write-Output 'Uploads Event Grid subscription already provisioned.'
  exit 0
}
azd env set SUBSCRIBE_UPLOADS true
azd provision --no-prompt
