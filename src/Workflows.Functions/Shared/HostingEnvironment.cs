using Microsoft.Extensions.Configuration;

namespace Workflows.Shared;

/// <summary>The Functions environment (<c>AZURE_FUNCTIONS_ENVIRONMENT</c>; <c>func start</c> sets Development, Azure leaves it unset).</summary>
public static class HostingEnvironment
{
    public const string Setting = "AZURE_FUNCTIONS_ENVIRONMENT";

    public static bool IsDevelopment(IConfiguration configuration) =>
        string.Equals(configuration[Setting], "Development", StringComparison.OrdinalIgnoreCase);
}
