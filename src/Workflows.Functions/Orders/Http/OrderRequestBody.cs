namespace Workflows.Orders.Http;

/// <summary>The body of <c>POST /api/orders</c> as sent; everything nullable so every error can be reported.</summary>
public sealed record OrderRequestBody(
    string? OrderId,
    IReadOnlyList<OrderLineBody?>? Lines,
    ShippingAddressBody? ShippingAddress,
    string? PaymentToken);

public sealed record OrderLineBody(string? Sku, int? Quantity);

public sealed record ShippingAddressBody(
    string? Name, string? Line1, string? Line2, string? City, string? PostalCode, string? Country);

/// <summary>The 202/200 body of <c>POST /api/orders</c>.</summary>
public sealed record OrderAccepted(string Id, string StatusUrl, OrderStatus Status);
