using Workflows.Orders.Http;

namespace Workflows.Tests.Orders;

/// <summary>Builds <c>POST /api/orders</c> bodies: a valid order by default, changed one rule at a time in tests.</summary>
internal sealed record OrderBody(
    string? OrderId,
    IReadOnlyList<OrderLineBody?>? Lines,
    ShippingAddressBody? ShippingAddress,
    string? PaymentToken)
{
    public static readonly ShippingAddressBody Address = new("Ada Lovelace", "1 Analytical Way", null, "London", "N1 9GU", "GB");

    public static OrderBody Of(params (string Sku, int Quantity)[] lines) =>
        new(null, lines.Select(l => (OrderLineBody?)new OrderLineBody(l.Sku, l.Quantity)).ToList(), Address, "tok_approve");

    public OrderBody PaidWith(string token) => this with { PaymentToken = token };

    public OrderBody ShippedTo(string postalCode) => this with { ShippingAddress = Address with { PostalCode = postalCode } };

    public OrderBody WithId(string id) => this with { OrderId = id };
}
