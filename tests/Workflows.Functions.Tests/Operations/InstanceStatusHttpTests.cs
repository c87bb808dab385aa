using System.Text.Json;
using Workflows.Operations;
using Workflows.Tests.Contract;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Operations;

public sealed class InstanceStatusHttpTests : OperationsHttpTestBase
{
    [Fact]
    public void FunctionsMetadata_OperationsEndpoints_NeedTheAdminKey()
    {
        // Act: the status shows internals (failure type and message, custom status), so it is no customer endpoint.
        var levels = FunctionsReference.FromMetadata()
            .Where(r => r.Target.StartsWith("operations/", StringComparison.Ordinal))
            .Select(r => (r.Function, r.AuthLevel));

        // Assert
        Assert.All(levels, l => Assert.Equal((l.Function, "Admin"), l));
    }

    [Fact]
    public async Task GetInstanceStatus_CompletedInstance_ReturnsStatusAndOutput()
    {
        // Arrange
        var id = await CompleteAsync("shipped");

        // Act
        var response = await GetStatusAsync(id);

        // Assert
        Assert.Equal(200, response.StatusCode);
        var status = response.Json<InstanceStatusResponse>()!;
        Assert.Equal(id, status.InstanceId);
        Assert.Equal(nameof(HarnessWaitOrchestrator), status.Name);
        Assert.Equal("Completed", status.RuntimeStatus);
        Assert.Equal("shipped", status.Output!.Value.GetString());
        Assert.Null(status.Failure);
    }

    [Fact]
    public async Task GetInstanceStatus_RunningInstance_ReturnsCustomStatus()
    {
        // Arrange
        var id = await StartWaitingAsync("packing");

        // Act
        var response = await GetStatusAsync(id);

        // Assert
        var status = response.Json<InstanceStatusResponse>()!;
        Assert.Equal("Running", status.RuntimeStatus);
        Assert.Equal("packing", status.CustomStatus!.Value.GetProperty("stage").GetString());
    }

    [Fact]
    public async Task GetInstanceStatus_UnknownInstance_Returns404Problem()
    {
        // Act
        var response = await GetStatusAsync(TestNames.Unique("missing"));

        // Assert
        Assert.Equal(404, response.StatusCode);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        Assert.Equal(404, response.Json<JsonElement>().GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a\\b")]
    [InlineData(" ")]
    public async Task GetInstanceStatus_InvalidInstanceId_Returns400Problem(string instanceId)
    {
        // Act
        var response = await GetStatusAsync(instanceId);

        // Assert
        Assert.Equal(400, response.StatusCode);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
    }
}
