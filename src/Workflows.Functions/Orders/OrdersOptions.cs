using System.ComponentModel.DataAnnotations;
using Workflows.Shared;

namespace Workflows.Orders;

/// <summary>Settings of the order-fulfilment saga (section <c>Orders</c>).</summary>
public sealed class OrdersOptions : IValidatableObject
{
    public const string Section = "Orders";

    /// <summary>Prefix of every Orders table (products, stock, payments, shipments, views): letters and digits.</summary>
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{0,40}$")]
    public string TablePrefix { get; set; } = "orders";

    /// <summary>Storage queue that receives OrderCompleted / OrderCancelled / OrderFailed events.</summary>
    [Required, RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    public string EventsQueue { get; set; } = "order-events";

    /// <summary>Orders whose total is above this amount wait for <c>POST /api/orders/{id}/approve</c>.</summary>
    [Range(typeof(decimal), "0", "1000000000")]
    public decimal ApprovalThreshold { get; set; } = 1000m;

    /// <summary>How long an order waits for approval before it is cancelled and compensated.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "30.00:00:00")]
    public TimeSpan ApprovalTimeout { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Charging: transient gateway failures are retried with backoff; declines never are.</summary>
    [Required]
    public RetryOptions PaymentRetry { get; set; } = new() { MaxAttempts = 5, FirstInterval = TimeSpan.FromSeconds(2) };

    /// <summary>Every other step (reserve, ship, commit, view, events).</summary>
    [Required]
    public RetryOptions StepRetry { get; set; } = new() { MaxAttempts = 3, FirstInterval = TimeSpan.FromSeconds(1) };

    /// <summary>Each compensation; one that still fails after these ends the order in CompensationFailed.</summary>
    [Required]
    public RetryOptions CompensationRetry { get; set; } = new() { MaxAttempts = 5, FirstInterval = TimeSpan.FromSeconds(2) };

    /// <summary>
    /// Each step after the point of no return (commit stock, events, view): about 40 minutes of retries by default,
    /// before the order parks in CompletionFailed.
    /// </summary>
    [Required]
    public RetryOptions CompletionRetry { get; set; } = new() { MaxAttempts = 10, FirstInterval = TimeSpan.FromSeconds(5) };

    /// <summary>
    /// An order's reservation claim rows are deleted when its instance is purged from the task hub, if it finished at
    /// least this long before: until then a late redelivery of its reserve or release may still arrive and needs them.
    /// At least 10 minutes: the Azure Storage backend redelivers an activity message whose worker stopped after its
    /// work-item visibility timeout (5 minutes by default), possibly after the order finished.
    /// </summary>
    [Range(typeof(TimeSpan), "00:10:00", "30.00:00:00")]
    public TimeSpan ClaimCleanupMinAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Lets the local payment gateway and carrier (demo stand-ins, README "Test card tokens") serve orders outside
    /// Development; without it the worker does not start there unless real providers are registered. Always on in Development.
    /// </summary>
    public bool EnableLocalProviders { get; set; }

    /// <summary>Lets <c>POST /api/orders/demo-data</c> seed demo stock outside Development (else 404). Always on in Development.</summary>
    public bool EnableDemoData { get; set; }

    /// <summary>Data annotations don't recurse: validate the nested retry policies here.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, retry) in new[]
                 {
                     (nameof(PaymentRetry), PaymentRetry), (nameof(StepRetry), StepRetry),
                     (nameof(CompensationRetry), CompensationRetry), (nameof(CompletionRetry), CompletionRetry),
                 })
        {
            List<ValidationResult> results = [];
            Validator.TryValidateObject(retry, new ValidationContext(retry), results, validateAllProperties: true);
            foreach (var result in results)
            {
                yield return new ValidationResult($"{name}: {result.ErrorMessage}", result.MemberNames.Select(m => $"{name}.{m}"));
            }
        }
    }

    internal OrderSettings ToSettings() => new(
        ApprovalThreshold, ApprovalTimeout, PaymentRetry.ToSettings(), StepRetry.ToSettings(), CompensationRetry.ToSettings(),
        CompletionRetry.ToSettings());
}

/// <summary>A retry policy as configured: attempts (including the first), first delay, backoff factor.</summary>
public sealed class RetryOptions
{
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan FirstInterval { get; set; } = TimeSpan.FromSeconds(1);

    [Range(1.0, 10.0)]
    public double BackoffCoefficient { get; set; } = 2.0;

    internal RetrySettings ToSettings() => new(MaxAttempts, FirstInterval, BackoffCoefficient);
}
