using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Workflows.Shared.Storage;

/// <summary>A store that owns containers, queues or tables, and creates them (idempotently) before they are used.</summary>
public interface IProvisionedStorage
{
    /// <summary>Creates whichever of the store's resources do not exist yet; safe to call any number of times.</summary>
    Task EnsureCreatedAsync(CancellationToken ct);
}

/// <summary>
/// Creates every container, queue and table the app binds to or uses when the worker starts, so the host's triggers
/// never poll a resource that does not exist yet (each such poll logs a 404 warning: an idle app would log one every
/// couple of seconds). Storage that cannot be reached at start-up is logged, not fatal: each store creates its
/// resources on first use as well.
/// </summary>
internal sealed class StorageProvisioning(IEnumerable<IProvisionedStorage> stores, ILogger<StorageProvisioning> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(stores.Select(store => store.EnsureCreatedAsync(cancellationToken)));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Could not create the app's storage at start-up; each store tries again on first use");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class StorageProvisioningRegistration
{
    /// <summary>Registers <typeparamref name="TStore"/> as a singleton whose resources are created at start-up.</summary>
    public static IServiceCollection AddProvisionedStorage<TStore>(this IServiceCollection services)
        where TStore : class, IProvisionedStorage
    {
        services.AddSingleton<TStore>();
        services.AddSingleton<IProvisionedStorage>(sp => sp.GetRequiredService<TStore>());
        return services;
    }
}
