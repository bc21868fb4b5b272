// The function app and what it needs: storage reached by managed identity (no keys), a Key Vault for the
// app registration's client secret, Application Insights fed by OpenTelemetry, and the role assignments.
//
// Plan: Flex Consumption (FC1), 4,096 MB instances (a size-M first run peaks at 3.2-3.5 GB; the
// Consumption plan's 1.5 GB and 10-minute limit are too small), functionTimeout in host.json (01:00:00:
// Flex Consumption's default is 30 minutes, with no maximum). HTTP responses are cut at 230 s on every plan,
// which is why POST /api/runs only queues a run and a queue-triggered function runs it.
param environmentName string
param location string
param principalId string
param dataverseUrl string
param appTenantId string
param appClientId string
param graphEnabled string
param syncSchedule string
param orgTimezone string
param source string
param lakeUrl string

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = { 'azd-env-name': environmentName }
var stateContainer = 'osi-state'
var runQueue = 'osi-runs'
var packageContainer = 'app-package'
var secretName = 'osi-client-secret'

// --- identity ----------------------------------------------------------------------------------------------

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-osi-${token}'
  location: location
  tags: tags
}

// --- storage: host storage, the state container and the run queue, identity-based only --------------------

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'stosi${token}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource stateBlobContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: stateContainer
}

resource packageBlobContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: packageContainer
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource runQueueResource 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: runQueue
}

// --- monitoring: Application Insights (workspace-based, Entra ID auth only) --------------------------------

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-osi-${token}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-osi-${token}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true
  }
}

// --- Key Vault: the app registration's client secret ----------------------------------------------------------
// Put the secret in after `azd up`:  az keyvault secret set --vault-name <vault> --name osi-client-secret --value ...

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-osi-${token}'
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

// --- the function app ---------------------------------------------------------------------------------------

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-osi-${token}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

// Every app setting the code reads, with the default connector/settings.py applies (tests/unit/infra checks
// that this list and the code agree). Secrets are Key Vault references, never values.
var appSettings = {
  AzureWebJobsStorage__accountName: storage.name
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.properties.clientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: insights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
  OSI_DATAVERSE_URL: dataverseUrl
  OSI_TENANT_ID: appTenantId
  OSI_CLIENT_ID: appClientId
  OSI_CLIENT_SECRET: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${secretName})'
  OSI_GRAPH_ENABLED: graphEnabled
  OSI_GRAPH_URL: 'https://graph.microsoft.com'
  OSI_SYNC_SCHEDULE: syncSchedule
  OSI_RUN_QUEUE: runQueue
  OSI_BATCH_SIZE: '100'
  OSI_MAX_CONCURRENCY: '4'
  OSI_PAGE_SIZE: '5000'
  OSI_HTTP_TIMEOUT_SECONDS: '30'
  OSI_RETRY_BUDGET_SECONDS: '300'
  OSI_ORG_TIMEZONE: orgTimezone
  OSI_SOURCE: source
  OSI_LAKE_URL: lakeUrl
  OSI_LAKE_CLIENT_ID: identity.properties.clientId
  OSI_WRITE_STREAMS: '2'
  OSI_PARTITION_RECORDS: '0'
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: 'func-osi-${token}'
  location: location
  tags: union(tags, { 'azd-service-name': 'app' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${packageContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: 40
        instanceMemoryMB: 4096
      }
      runtime: { name: 'python', version: '3.11' }
    }
  }
  dependsOn: [ roleBlobOwner, roleQueueContributor, roleTableContributor, roleVaultSecrets ]
}

resource functionAppSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: appSettings
}

// --- role assignments ----------------------------------------------------------------------------------------

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

// Host storage (deployment package, timer and queue bookkeeping) and our state: snapshot, checkpoints, lease.
resource roleBlobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// The run queue: POST /api/runs sends, the queue trigger receives and deletes.
resource roleQueueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageQueueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// The Functions host keeps some bookkeeping in tables of AzureWebJobsStorage.
resource roleTableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Resolving the Key Vault reference of OSI_CLIENT_SECRET.
resource roleVaultSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Sending telemetry to Application Insights with Entra ID auth (local auth is off).
resource roleMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: insights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// The person running azd may set the client secret.
resource roleDeployerSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(principalId)) {
  name: guid(vault.id, principalId, roles.keyVaultSecretsOfficer)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
    principalId: principalId
    principalType: 'User'
  }
}

output functionAppName string = functionApp.name
output functionAppUrl string = 'https://${functionApp.properties.defaultHostName}'
output keyVaultName string = vault.name
output storageAccountName string = storage.name
