using System.Text.Json.Serialization;
using Workflows.Shared;

namespace Workflows.Orders;

/// <summary>Where an order is: the view's <c>status</c> and the orchestration's custom status.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OrderStatus>))]
public enum OrderStatus
{
    Received,
    Reserving,
    AwaitingApproval,
    Charging,
    Shipping,
    Completing,
    CompletionFailed,
    Completed,
    Compensating,
    CompensationFailed,
    Cancelled,
    Failed,
}

/// <summary>The orchestration input: a validated order (prices are looked up by the saga) and its settings.</summary>
public sealed record PlaceOrder(
    string OrderId,
    IReadOnlyList<OrderLine> Lines,
    ShippingAddress ShippingAddress,
    string PaymentToken,
    OrderSettings Settings);

public sealed record OrderLine(string Sku, int Quantity);

public sealed record ShippingAddress(string Name, string Line1, string? Line2, string City, string PostalCode, string Country);

/// <summary>Options passed in through the input so the orchestrator stays deterministic (and tests can use milliseconds).</summary>
public sealed record OrderSettings(
    decimal ApprovalThreshold,
    TimeSpan ApprovalTimeout,
    RetrySettings PaymentRetry,
    RetrySettings StepRetry,
    RetrySettings CompensationRetry,
    RetrySettings CompletionRetry);

/// <summary>The orchestration output.</summary>
public sealed record OrderOutcome(string OrderId, OrderStatus Status, decimal Total, string? Reason);

/// <summary>
/// The small custom status: the current stage, and for operators (admin status endpoint) why it is parked. It is
/// committed with the saga's own state, so commands check it rather than the view, which a storage outage may leave behind.
/// </summary>
public sealed record OrderStage(OrderStatus Status, string? Reason = null);

/// <summary>External events the saga listens for.</summary>
public static class OrderEvents
{
    public const string Cancel = "Cancel";
    public const string Approval = "Approval";
    public const string RetryCompensation = "RetryCompensation";
    public const string RetryCompletion = "RetryCompletion";
}

public sealed record CancelRequest(string Reason);

/// <summary><c>By</c>: the authenticated caller (App Service authentication), else <c>admin-key</c>.</summary>
public sealed record ApprovalDecision(bool Approved, string By);

/// <summary>An operator's request to retry a parked order; <c>By</c> as in <see cref="ApprovalDecision"/>.</summary>
public sealed record OperatorRequest(string By);

/// <summary>
/// The answer of a step the business may refuse: its value, or why the order is rejected (a stable code first, see
/// <see cref="OrderRejections"/>). A rejection is a result, not an error: never retried, never a failed execution.
/// </summary>
public sealed record StepResult<T>(T? Value, string? Rejection)
    where T : class;

public static class StepResult
{
    public static StepResult<T> Accepted<T>(T value)
        where T : class => new(value, null);

    public static StepResult<T> Rejected<T>(string reason)
        where T : class => new(null, reason);

    /// <summary>The first rejection among parallel branches, in branch order; null when every branch was accepted.</summary>
    public static string? FirstRejection<T>(IEnumerable<StepResult<T>> results)
        where T : class =>
        results.Select(r => r.Rejection).FirstOrDefault(r => r is not null);
}

// ---- activity contracts ----

/// <summary>
/// A business step that first writes the saga's progress noted since the last view write (<c>Progress</c>, null when
/// none) into the order view, in the same activity: the view moves exactly as it would with a write of its own before
/// the step, at the cost of one activity instead of two.
/// </summary>
public interface IOrderStepRequest
{
    IReadOnlyList<RecordProgressRequest>? Progress { get; }
}

/// <summary>The saga sends no <c>Progress</c> (pricing writes no view); a message queued by a saga of an earlier build still may.</summary>
public sealed record PriceOrderRequest(string OrderId, IReadOnlyList<OrderLine> Lines, IReadOnlyList<RecordProgressRequest>? Progress = null)
    : IOrderStepRequest;

public sealed record PricedLine(string Sku, string Name, int Quantity, decimal UnitPrice, decimal LineTotal);

public sealed record PricedOrder(string OrderId, string Currency, IReadOnlyList<PricedLine> Lines, decimal Total);

public sealed record ReserveStockRequest(
    string Key, string OrderId, string Sku, int Quantity, IReadOnlyList<RecordProgressRequest>? Progress = null) : IOrderStepRequest;

public sealed record StockAllocation(string Sku, string Warehouse, int Quantity);

public sealed record StockLineRequest(string Key, string OrderId, string Sku);

public sealed record CommitStockRequest(
    string Key, string OrderId, IReadOnlyList<string> Skus, IReadOnlyList<RecordProgressRequest>? Progress = null) : IOrderStepRequest;

public sealed record ChargePaymentRequest(
    string Key, string OrderId, string PaymentToken, decimal Amount, string Currency, IReadOnlyList<RecordProgressRequest>? Progress = null)
    : IOrderStepRequest;

public sealed record PaymentReceipt(string OrderId, string ProviderReference, decimal Amount, string Currency);

public sealed record RefundPaymentRequest(string Key, string ChargeKey, string OrderId);

public sealed record CreateShipmentRequest(
    string Key,
    string OrderId,
    string Warehouse,
    IReadOnlyList<StockAllocation> Items,
    ShippingAddress Address,
    IReadOnlyList<RecordProgressRequest>? Progress = null) : IOrderStepRequest;

public sealed record ShipmentBooking(string OrderId, string Warehouse, string TrackingNumber);

/// <summary>Cancels the shipment booked with <c>ShipmentKey</c> (the key its CreateShipment used).</summary>
public sealed record CancelShipmentRequest(string ShipmentKey, string OrderId, string Warehouse);

/// <summary>
/// One change to the order view; null fields are left as they are. <c>At</c> comes from the orchestration clock;
/// <c>Sequence</c> numbers the saga's writes, so a late duplicate of an earlier write cannot move the view back.
/// </summary>
public sealed record RecordProgressRequest(
    string OrderId,
    OrderStatus Status,
    string Step,
    DateTime At,
    PricedOrder? Priced = null,
    string? Reason = null,
    IReadOnlyList<string>? CompensationsRun = null,
    IReadOnlyList<CompensationFailure>? OutstandingCompensations = null,
    int Sequence = 0,
    string? RequestFingerprint = null);

[JsonConverter(typeof(JsonStringEnumConverter<OrderEventType>))]
public enum OrderEventType
{
    OrderCompleted,
    OrderCancelled,
    OrderFailed,
}

/// <summary>An integration event on the events queue; <c>EventId</c> lets consumers apply it exactly once.</summary>
public sealed record OrderEvent(
    string EventId, OrderEventType Type, string OrderId, DateTime At, string Currency, decimal Total,
    IReadOnlyList<PricedLine> Lines, string? Reason);

/// <summary>
/// The saga's last step: publishes the order's event and writes the final progress into the order view, in one activity.
/// <paramref name="PublishFirst"/>: the event, then the view (Completed: the view is final only once the event is out);
/// otherwise the view, then the event (Failed, Cancelled: the view is final even while the event cannot be published).
/// </summary>
public sealed record PublishOrderEventRequest(OrderEvent Event, IReadOnlyList<RecordProgressRequest>? Progress = null, bool PublishFirst = false)
    : IOrderStepRequest;
