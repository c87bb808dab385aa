using System.Text.Json;
using Workflows.Orders;
using Workflows.Orders.Http;
using Workflows.Orders.Storage;
using Workflows.Shared.Http;
using static Workflows.Tests.Orders.OrderFulfilmentTests;

namespace Workflows.Tests.Orders;

/// <summary>Approval of large orders (granted, timed out) and cancellation before and after shipping.</summary>
public sealed class OrderCommandTests
{
    [Fact]
    public async Task OrderFulfilment_ApprovalGranted_CompletesRecordingTheSignedInApprover()
    {
        // Arrange: 2 × 600 is above the 1,000 threshold. The body claims someone else approved.
        await using var orders = await OrdersTestApp.StartAsync(s => s[CallerIdentity.AuthEnabledSetting] = "True");
        await orders.SeedAsync("LP", 600.00m, ("fra", 5));
        var id = await orders.StartOrderAsync(OrderBody.Of(("LP", 2)));
        await orders.WaitForStatusAsync(id, OrderStatus.AwaitingApproval);
        var principal = Principal("https://sts.windows.net/tenant/", ("name", "Ada Manager"), ("preferred_username", "ada@contoso.example"));

        // Act
        var approve = await orders.CommandAsync(id, "approve", new { approved = true, by = "mallory" },
            new Dictionary<string, string> { [CallerIdentity.PrincipalHeader] = principal });
        var outcome = await orders.WaitAsync(id);

        // Assert
        Assert.Equal(202, approve.StatusCode);
        Assert.Equal(OrderStatus.Completed, outcome.Status);
        var view = (await orders.GetOrderAsync(id)).Json<OrderResource>()!;
        Assert.Contains(view.Steps, s => s.Step == "Approved by ada@contoso.example");
        Assert.Equal(409, (await orders.CommandAsync(id, "approve")).StatusCode);
    }

    [Fact]
    public async Task OrderFulfilment_PrincipalHeaderWithoutAppServiceAuthentication_IsIgnoredAndRecordedAsAdminKey()
    {
        // Arrange: App Service authentication is off (WEBSITE_AUTH_ENABLED unset), so nothing strips a client's header.
        await using var orders = await OrdersTestApp.StartAsync();
        await orders.SeedAsync("LP", 600.00m, ("fra", 5));
        var id = await orders.StartOrderAsync(OrderBody.Of(("LP", 2)));
        await orders.WaitForStatusAsync(id, OrderStatus.AwaitingApproval);
        var forged = Principal("https://sts.windows.net/tenant/", ("preferred_username", "ceo@contoso.example"));

        // Act
        await orders.CommandAsync(id, "approve", null, new Dictionary<string, string> { [CallerIdentity.PrincipalHeader] = forged });
        await orders.WaitAsync(id);

        // Assert
        var view = (await orders.GetOrderAsync(id)).Json<OrderResource>()!;
        Assert.Contains(view.Steps, s => s.Step == "Approved by admin-key");
        Assert.DoesNotContain(view.Steps, s => s.Step.Contains("ceo@", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OrderFulfilment_ApprovalWithTheAdminKeyOnly_RecordedAsAdminKey()
    {
        // Arrange
        await using var orders = await OrdersTestApp.StartAsync();
        await orders.SeedAsync("LP", 600.00m, ("fra", 5));
        var id = await orders.StartOrderAsync(OrderBody.Of(("LP", 2)));
        await orders.WaitForStatusAsync(id, OrderStatus.AwaitingApproval);

        // Act
        await orders.CommandAsync(id, "approve", new { by = "mallory" });
        await orders.WaitAsync(id);

        // Assert
        var view = (await orders.GetOrderAsync(id)).Json<OrderResource>()!;
        Assert.Contains(view.Steps, s => s.Step == "Approved by admin-key");
    }

    [Fact]
    public async Task OrderFulfilment_ApprovalTimesOut_CancelsAndReleases()
    {
        // Arrange
        await using var orders = await OrdersTestApp.StartAsync(s => s["Orders:ApprovalTimeout"] = "00:00:01");
        await orders.SeedAsync("LP", 600.00m, ("fra", 5));

        // Act
        var outcome = await orders.RunOrderAsync(OrderBody.Of(("LP", 2)));

        // Assert
        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Equal("approval_timeout", outcome.Reason);
        Assert.Equal((5, 0), Counts(await orders.StockAsync("LP", "fra")));
        Assert.Empty(await orders.Get<PaymentLedger>().ListAsync(outcome.OrderId, CancellationToken.None));
    }

    [Fact]
    public async Task OrderFulfilment_CancelBeforeShipping_ReleasesAndChargesNothing()
    {
        // Arrange: a large order parks in AwaitingApproval, i.e. before payment and shipping.
        await using var orders = await OrdersTestApp.StartAsync();
        await orders.SeedAsync("LP", 600.00m, ("fra", 5));
        var id = await orders.StartOrderAsync(OrderBody.Of(("LP", 2)));
        await orders.WaitForStatusAsync(id, OrderStatus.AwaitingApproval);

        // Act
        var cancel = await orders.CommandAsync(id, "cancel");
        var outcome = await orders.WaitAsync(id);

        // Assert
        Assert.Equal(202, cancel.StatusCode);
        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Equal("cancelled_by_customer", outcome.Reason);
        Assert.Equal((5, 0), Counts(await orders.StockAsync("LP", "fra")));
        Assert.Empty(await orders.Get<PaymentLedger>().ListAsync(id, CancellationToken.None));
        Assert.Empty(await orders.Get<ShipmentStore>().ListAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task OrderFulfilment_CancelAfterShipping_Answers409AndChangesNothing()
    {
        // Arrange
        await using var orders = await OrdersTestApp.StartAsync();
        await orders.SeedAsync("KB", 10.00m, ("ams", 5));
        var outcome = await orders.RunOrderAsync(OrderBody.Of(("KB", 1)));

        // Act
        var cancel = await orders.CommandAsync(outcome.OrderId, "cancel");

        // Assert
        Assert.Equal(409, cancel.StatusCode);
        Assert.StartsWith("application/problem+json", cancel.ContentType, StringComparison.Ordinal);
        Assert.Equal(OrderStatus.Completed, (await orders.GetOrderAsync(outcome.OrderId)).Json<OrderResource>()!.Status);
        Assert.Equal((4, 0), Counts(await orders.StockAsync("KB", "ams")));
    }

    /// <summary>An <c>x-ms-client-principal</c> header as App Service authentication writes it (base64 JSON).</summary>
    internal static string Principal(string issuer, params (string Type, string Value)[] claims) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["auth_typ"] = "aad",
            ["name_typ"] = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
            ["role_typ"] = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
            ["claims"] = claims.Select(c => new { typ = c.Type, val = c.Value }).Prepend(new { typ = "iss", val = issuer }).ToArray(),
        }));

    [Fact]
    public async Task OrderCommands_UnknownOrder_Answer404()
    {
        // Arrange
        await using var orders = await OrdersTestApp.StartAsync();

        // Act
        var get = await orders.GetOrderAsync("no-such-order");
        var cancel = await orders.CommandAsync("no-such-order", "cancel");

        // Assert
        Assert.Equal(404, get.StatusCode);
        Assert.Equal(404, cancel.StatusCode);
    }
}
