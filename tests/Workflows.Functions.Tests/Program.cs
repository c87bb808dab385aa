using Workflows.Tests.TestSupport;

namespace Workflows.Tests;

/// <summary>
/// The test assembly's entry point (instead of the one the test SDK generates): the test runner never calls it, and
/// <c>dotnet Workflows.Functions.Tests.dll serve-app &lt;port&gt; &lt;services type or ""&gt;</c> runs one app instance
/// for <see cref="ChildProcessApp"/> (settings in the environment), which a test can SIGKILL;
/// <c>magick-policy</c> probes ImageMagick's process-wide policy in a fresh process (<see cref="Assets.Imaging.MagickPolicyTests"/>).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["serve-app", var port, var services])
        {
            await ChildProcessApp.ServeAsync(int.Parse(port, System.Globalization.CultureInfo.InvariantCulture), services);
        }
        else if (args is ["magick-policy"])
        {
            Console.WriteLine(Assets.Imaging.MagickPolicyTests.ProbeThisProcess());
        }

        return 0;
    }
}
