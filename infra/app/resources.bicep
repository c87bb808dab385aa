// Everything in the resource group; each module is one concern. Names: <abbreviation>-<token> (storage: no dashes).
param location string
param tags object
param token string
param maximumInstanceCount int
param instanceMemoryMB int
param durablePartitionCount int
param taskHubName string
param subscribeUploads bool

var functionAppName = 'func-${token}'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${token}'
  location: location
  tags: tags
}

module monitoring 'monitoring.bicep' = {
  name: 'monitoring'
  params: { location: location, tags: tags, token: token, identityPrincipalId: identity.properties.principalId }
}

module storage 'storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    tags: tags
    name: 'st${token}'
    deploymentContainer: 'app-package-${functionAppName}'
    deadLetterContainer: 'uploads-deadletter'
    identityPrincipalId: identity.properties.principalId
  }
}

module functionApp 'function-app.bicep' = {
  name: 'function-app'
  params: {
    location: location
    tags: tags
    name: functionAppName
    planName: 'plan-${token}'
    identityId: identity.id
    identityClientId: identity.properties.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerUri: storage.outputs.deploymentContainerUri
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    durablePartitionCount: durablePartitionCount
    taskHubName: taskHubName
  }
}

module uploadEvents 'upload-events.bicep' = {
  name: 'upload-events'
  params: {
    location: location
    tags: tags
    name: 'evgt-${token}'
    storageAccountName: storage.outputs.name
    deadLetterContainer: storage.outputs.deadLetterContainer
    functionAppName: functionApp.outputs.name
    subscribe: subscribeUploads
  }
}

output functionAppName string = functionApp.outputs.name
output functionAppUri string = functionApp.outputs.uri
output storageAccountName string = storage.outputs.name
output applicationInsightsName string = monitoring.outputs.name
