// The Function App on Flex Consumption (.NET 10 isolated), running as the user-assigned identity. No storage keys
// anywhere: every connection is identity-based (service URIs + credential + client id).
param location string
param tags object
param name string
param planName string
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerUri string
param applicationInsightsConnectionString string
param maximumInstanceCount int
param instanceMemoryMB int
param durablePartitionCount int
param taskHubName string

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

// The host's AzureWebJobsStorage and the app's WorkflowsStorage: same account, same identity, same form.
var identityConnection = {
  credential: 'managedidentity'
  clientId: identityClientId
  blobServiceUri: account.properties.primaryEndpoints.blob
  queueServiceUri: account.properties.primaryEndpoints.queue
  tableServiceUri: account.properties.primaryEndpoints.table
}

// The app's own settings live in app-settings.json (DeployedSettingsTests starts the app with exactly those); here only
// what depends on the deployment: connections, Application Insights, the task hub and its partitions.
var settings = union(
  loadJsonContent('app-settings.json'),
  toObject(items(identityConnection), item => 'AzureWebJobsStorage__${item.key}', item => item.value),
  toObject(items(identityConnection), item => 'WorkflowsStorage__${item.key}', item => item.value),
  {
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    TaskHubName: taskHubName
    // host.json keeps 4 partitions for local runs; Azure gets what the template sizes for maximumInstanceCount.
    AzureFunctionsJobHost__extensions__durableTask__storageProvider__partitionCount: string(durablePartitionCount)
  })

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: { minTlsVersion: '1.2' }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUri
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
  }

  resource appSettings 'config' = {
    name: 'appsettings'
    properties: settings
  }
}

output name string = app.name
output uri string = 'https://${app.properties.defaultHostName}'
