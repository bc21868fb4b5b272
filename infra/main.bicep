// Open Sales Insights for Dataverse: everything `azd up` creates, in one resource group.
// The resources themselves are in app.bicep; this file only makes the group and passes the parameters on.
targetScope = 'subscription'

@minLength(1)
@maxLength(40)
@description('Name of the azd environment; names the resource group and, hashed, every resource in it.')
param environmentName string

@minLength(1)
@description('Azure region of every resource (Flex Consumption must be offered there).')
param location string

@description('Object id of the person running azd: allowed to put the client secret into the Key Vault.')
param principalId string = ''

@description('Organisation URL, https://<org>.crm.dynamics.com')
param dataverseUrl string

@description('Tenant of the app registration the application user belongs to.')
param appTenantId string

@description('Application (client) id of that app registration.')
param appClientId string

@description('Read mail metadata from Microsoft Graph for who-knows-whom (needs Mail.ReadBasic.All).')
param graphEnabled string = 'false'

@description('NCRONTAB schedule of the sync timer (UTC).')
param syncSchedule string = '0 0 */4 * * *'

@description('IANA time zone for users without one in Dataverse.')
param orgTimezone string = 'UTC'

@description('Where the standard tables are read: webapi, or lake (the Synapse Link / Fabric link Delta tables).')
@allowed([ 'webapi', 'lake' ])
param source string = 'webapi'

@description('With source=lake: abfss://<container>@<account>.dfs.core.windows.net/<folder> of the link; grant the app identity Storage Blob Data Reader on it.')
param lakeUrl string = ''

resource group 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: { 'azd-env-name': environmentName }
}

module app 'app.bicep' = {
  name: 'open-sales-insights'
  scope: group
  params: {
    environmentName: environmentName
    location: location
    principalId: principalId
    dataverseUrl: dataverseUrl
    appTenantId: appTenantId
    appClientId: appClientId
    graphEnabled: graphEnabled
    syncSchedule: syncSchedule
    orgTimezone: orgTimezone
    source: source
    lakeUrl: lakeUrl
  }
}

output AZURE_FUNCTION_APP_NAME string = app.outputs.functionAppName
output AZURE_KEY_VAULT_NAME string = app.outputs.keyVaultName
output AZURE_STORAGE_ACCOUNT_NAME string = app.outputs.storageAccountName
output SERVICE_APP_ENDPOINT string = app.outputs.functionAppUrl
