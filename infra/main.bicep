// azd entry point: one resource group with everything the Workflows Function App needs. See README "Deploy".
targetScope = 'subscription'

@minLength(1)
@maxLength(40)
@description('azd environment name; names and tags every resource.')
param environmentName string

@minLength(1)
@description('Azure region of every resource (one where Flex Consumption is available).')
param location string

@description('Flex Consumption: most instances the app scales out to (40-1000). Orchestrations use at most durablePartitionCount of them; activities use them all.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Flex Consumption: memory per instance in MB. Rendition activities want 2048 (see README "Concurrency and memory").')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Durable task hub control-queue partitions (1-16): orchestrations spread over at most this many instances. Fixed once the task hub exists: to change it, also change taskHubName.')
@minValue(1)
@maxValue(16)
param durablePartitionCount int = 16

@description('Durable task hub name: 3-45 letters and digits, starting with a letter.')
param taskHubName string = 'workflows'

@description('Create the Event Grid subscription that delivers uploads to the blob trigger. It needs the function code deployed (its blobs_extension key), so azd sets this after the first deploy (infra/scripts/subscribe-uploads.sh).')
param subscribeUploads bool = false

var tags = { 'azd-env-name': environmentName }
var token = toLower(uniqueString(subscription().id, environmentName, location))

resource group 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module resources 'app/resources.bicep' = {
  name: 'workflows-resources'
  scope: group
  params: {
    location: location
    tags: tags
    token: token
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    durablePartitionCount: durablePartitionCount
    taskHubName: taskHubName
    subscribeUploads: subscribeUploads
  }
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = group.name
output AZURE_FUNCTION_APP_NAME string = resources.outputs.functionAppName
output AZURE_STORAGE_ACCOUNT_NAME string = resources.outputs.storageAccountName
output SERVICE_API_URI string = resources.outputs.functionAppUri
output APPLICATIONINSIGHTS_NAME string = resources.outputs.applicationInsightsName
