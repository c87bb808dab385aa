// The one storage account: the host's (task hub, blob-trigger receipts, keys), the app's (WorkflowsStorage) and the
// deployment package's. Shared-key access is off, so everything reaches it with the app's managed identity.
param location string
param tags object
param name string
param deploymentContainer string
@description('Where Event Grid keeps upload events it could not deliver (upload-events.bicep); not one the app binds to.')
param deadLetterContainer string
param identityPrincipalId string

// Every container, queue and table the app binds to or writes under app-settings.json (DeployedSettingsTests keeps the
// list equal to what the app creates); the app still creates them if missing.
var appStorage = loadJsonContent('app-storage.json')
var containers = concat(appStorage.containers, [deploymentContainer, deadLetterContainer])
var queues = appStorage.queues
var tables = appStorage.tables

// Data-plane roles only, and only these: the host's blob trigger and the app's rendition links need Blob Data Owner
// (receipts, user-delegation keys); the task hub and the app need queue and table read/write.
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
}

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }

  resource blobService 'blobServices' = {
    name: 'default'
    resource container 'containers' = [for container in containers: { name: container }]
  }

  resource queueService 'queueServices' = {
    name: 'default'
    resource queue 'queues' = [for queue in queues: { name: queue }]
  }

  resource tableService 'tableServices' = {
    name: 'default'
    resource table 'tables' = [for table in tables: { name: table }]
  }
}

resource dataRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in items(roles): {
  name: guid(account.id, identityPrincipalId, role.value)
  scope: account
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.value)
  }
}]

output name string = account.name
output deploymentContainerUri string = '${account.properties.primaryEndpoints.blob}${deploymentContainer}'
// Read from the container resource, so the subscription's dead-lettering waits for it.
output deadLetterContainer string = account::blobService::container[indexOf(containers, deadLetterContainer)].name
