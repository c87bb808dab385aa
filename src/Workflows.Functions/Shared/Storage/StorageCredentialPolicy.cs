using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace Workflows.Shared.Storage;

/// <summary>
/// Turns "storage refused who we are" into an error that names the app setting to fix: a credential that cannot get a
/// token, or a 401/403 from the account (wrong identity, missing role assignment, shared key disabled). Status and error
/// code stay as the service sent them, so callers that branch on them behave as before.
/// </summary>
internal sealed class StorageCredentialPolicy(StorageConnection connection) : HttpPipelinePolicy
{
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline, async: false).AsTask().GetAwaiter().GetResult();

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline, async: true);

    private async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline, bool async)
    {
        try
        {
            if (async)
            {
                await ProcessNextAsync(message, pipeline);
            }
            else
            {
                ProcessNext(message, pipeline);
            }
        }
        catch (AuthenticationFailedException ex)
        {
            throw new AuthenticationFailedException(
                $"The credential of app setting '{connection.Name}' could not get a storage token ({ex.Message}): check " +
                $"'{connection.Setting("credential")}' and '{connection.Setting("clientId")}' (the identity's client id).", ex);
        }

        if (message.Response.Status is 401 or 403)
        {
            message.Response.Headers.TryGetValue("x-ms-error-code", out var code);
            throw new RequestFailedException(
                message.Response.Status,
                $"Storage refused the credentials of app setting '{connection.Name}' ({message.Response.Status} {code}). {Advice()}",
                code,
                innerException: null);
        }
    }

    private string Advice() => connection.UsesIdentity
        ? $"Check '{connection.Setting("credential")}' and '{connection.Setting("clientId")}', and that this identity has " +
          "the Storage Blob Data Owner, Storage Queue Data Contributor and Storage Table Data Contributor roles on the account."
        : $"Check the account name and key in '{connection.Name}' (accounts with shared-key access disabled need the identity form).";
}
